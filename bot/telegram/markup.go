package telegram

import "github.com/go-telegram/bot/models"

// go-telegram/bot v1.19's models.InlineKeyboardButton has a non-pointer
// CopyText field, so every button it encodes carries "copy_text" beside
// its real action, and the Bot API requires exactly one action field per
// button. The bot sends its own markup type instead (models.ReplyMarkup
// is an interface): a button here has a text and one callback, nothing
// else.

// inlineKeyboard is an inline keyboard of callback buttons.
type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

// inlineButton is a button that sends callback data when pressed.
type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

var _ models.ReplyMarkup = (*inlineKeyboard)(nil)

// markup returns the keyboard as the library's interface, nil for none
// (a typed nil pointer would be sent as "null").
func (k *inlineKeyboard) markup() models.ReplyMarkup {
	if k == nil || len(k.InlineKeyboard) == 0 {
		return nil
	}
	return k
}
