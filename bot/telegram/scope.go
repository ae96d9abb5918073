package telegram

import "github.com/assignbot/assignbot/retrieval"

// scopeOf returns a Telegram chat's scope matched against the current index.
func (b *Bot) scopeOf(chatID int64) retrieval.Scope {
	return b.core.Scope(tgChat(chatID))
}

// scopedUnitAnswer lists a unit's tasks within a Telegram chat's scope.
func (b *Bot) scopedUnitAnswer(chatID int64, name string, page int) (a retrieval.Answer, ok bool, where string) {
	return b.core.UnitAnswer(tgChat(chatID), name, page)
}
