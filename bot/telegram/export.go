package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus/ledger"
)

// /export on Telegram sends the 台账 workbook with sendDocument. A file
// does not go through the outbox (its entries are small JSON messages in
// bbolt, and a workbook can be megabytes): it is sent directly, with the
// outbox's handling of the answers that matter — a 429 waits its
// retry_after and tries again, a group moved to a supergroup is followed —
// and a failure is logged and told to the person.

// maxUpload is the Bot API's limit on a file a bot uploads (Bot.maxSend).
const maxUpload = 50 << 20

// maxExportWait bounds how long a 429 may hold up one export.
const maxExportWait = 30 * time.Second

func (b *Bot) export(ctx context.Context, updID int64, m *models.Message, args string) {
	sel, msg := b.core.Export(tgChat(m.Chat.ID), args)
	if sel == nil {
		b.reply(ctx, m, esc(msg), nil)
		return
	}
	var buf bytes.Buffer
	switch err := ledger.Write(&buf, sel); {
	case errors.Is(err, ledger.ErrTooManyRows):
		b.reply(ctx, m, esc(fmt.Sprintf(bot.MsgExportLarge, fmt.Sprintf("%d 行，超过 Excel 工作表的行数上限", len(sel.Rows)))), nil)
		return
	case err != nil:
		b.log.Error("export: write workbook", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc(bot.MsgError), nil)
		return
	}
	if buf.Len() > b.maxSend {
		b.reply(ctx, m, esc(fmt.Sprintf(bot.MsgExportLarge, fmt.Sprintf("%.1f MB，超过 Telegram 机器人 50 MB 的文件上限", float64(buf.Len())/(1<<20)))), nil)
		return
	}
	name := sel.FileName(b.now())
	caption := fmt.Sprintf("任务台账：%d 项任务，%d 行", sel.Tasks, len(sel.Rows))
	if f := sel.Filter.String(); f != "" {
		caption += "（" + f + "）"
	}
	if err := b.sendFile(ctx, m, name, buf.Bytes(), caption); err != nil {
		b.log.Error("export: sendDocument", "chat", m.Chat.ID, "update", updID, "bytes", buf.Len(), "err", err)
		b.reply(ctx, m, esc("台账发送失败，请稍后再试。"), nil)
	}
}

// sendFile uploads data as a document replying to m.
func (b *Bot) sendFile(ctx context.Context, m *models.Message, name string, data []byte, caption string) error {
	chat := b.chatID(m.Chat.ID)
	var err error
	for range 3 {
		p := &tg.SendDocumentParams{ChatID: chat, Caption: caption,
			Document:        &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
			ReplyParameters: &models.ReplyParameters{MessageID: m.ID, AllowSendingWithoutReply: true}}
		if _, err = b.tg.SendDocument(ctx, p); err == nil {
			return nil
		}
		err = b.apiErr(err)
		var tooMany *tg.TooManyRequestsError
		var migrate *tg.MigrateError
		switch {
		case errors.As(err, &tooMany):
			wait := time.Duration(max(1, tooMany.RetryAfter)) * time.Second
			if wait > maxExportWait || !bot.Sleep(ctx, wait) {
				return err
			}
		case errors.As(err, &migrate):
			b.migrate(chat, int64(migrate.MigrateToChatID))
			chat = int64(migrate.MigrateToChatID)
		default:
			return err
		}
	}
	return err
}
