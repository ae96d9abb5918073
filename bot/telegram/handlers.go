package telegram

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// handle is the single entry of every update.
func (b *Bot) handle(ctx context.Context, _ *tg.Bot, upd *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic handling update", "update", upd.ID, "panic", r, "stack", string(debug.Stack()))
			if upd.Message != nil {
				defer func() { _ = recover() }() // a reply that panics too is only logged above
				b.reply(ctx, upd.Message, esc(bot.MsgError), nil)
			}
		}
	}()
	switch {
	case upd.CallbackQuery != nil:
		b.onCallback(ctx, upd.ID, upd.CallbackQuery)
	case upd.Message != nil:
		b.onMessage(ctx, upd.ID, upd.Message)
	}
	// Edits, channel posts, member updates and the rest are ignored.
}

func (b *Bot) onMessage(ctx context.Context, updID int64, m *models.Message) {
	if m.From == nil || m.From.IsBot {
		return
	}
	if m.MigrateToChatID != 0 {
		b.migrate(m.Chat.ID, m.MigrateToChatID)
		return
	}
	private := m.Chat.Type == models.ChatTypePrivate
	if m.Document != nil {
		// Admins' uploads are not counted: several files arrive as
		// several messages at once.
		if private && (b.isAdmin(m.From.ID) || b.allow(ctx, m)) {
			b.onDocument(ctx, updID, m)
		}
		return
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return // stickers, photos, voice: nothing to answer
	}
	if cmd, target, args, ok := bot.ParseCommand(text); ok {
		if target != "" && !strings.EqualFold(target, b.username) {
			return // a command for another bot in the group
		}
		if b.allow(ctx, m) {
			b.onCommand(ctx, updID, m, cmd, args, private)
		}
		return
	}
	q, addressed := text, private
	mention := "@" + b.username
	switch {
	case private:
	case b.username != "" && strings.Contains(strings.ToLower(text), strings.ToLower(mention)):
		q, addressed = removeFold(text, mention), true
	case m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.botID:
		addressed = true
	}
	if addressed && b.allow(ctx, m) {
		b.ask(ctx, m, q)
	}
	// Ordinary group talk: silence, and it does not count against anyone.
}

// allow is the one per-user limit: every question, command, upload and
// button press the bot acts on takes from it. A user over it is told once
// until allowed again.
func (b *Bot) allow(ctx context.Context, m *models.Message) bool {
	ok, warn := b.core.Allow(tgUser(m.From.ID))
	if !ok && warn {
		b.reply(ctx, m, esc(bot.MsgSlowDown), nil)
	}
	return ok
}

// removeFold removes every case-insensitive occurrence of sub.
func removeFold(s, sub string) string {
	low, lsub := strings.ToLower(s), strings.ToLower(sub)
	var b strings.Builder
	for {
		i := strings.Index(low, lsub)
		if i < 0 {
			b.WriteString(s)
			return strings.TrimSpace(b.String())
		}
		b.WriteString(s[:i])
		s, low = s[i+len(sub):], low[i+len(sub):]
	}
}

func (b *Bot) isAdmin(userID int64) bool { return b.cfg.Admins[userID] }

// tgUser names a Telegram user for the per-user limit.
func tgUser(id int64) string { return channelTelegram + ":" + strconv.FormatInt(id, 10) }

func (b *Bot) onCommand(ctx context.Context, updID int64, m *models.Message, cmd, args string, private bool) {
	b.core.Metrics().Command(channelTelegram, cmd)
	if _, ok := b.engine.Current(); bot.NeedsIndex[cmd] && !ok {
		b.reply(ctx, m, esc(bot.MsgLoading), nil)
		return
	}
	switch cmd {
	case "reload":
		if b.requireAdmin(ctx, m) {
			b.requestReload(ctx, reloadRequest{m: m, updID: updID})
		}
	case "feedback":
		if b.requireAdmin(ctx, m) {
			b.feedback(ctx, m)
		}
	case "export":
		b.export(ctx, updID, m, args)
	case "subscriptions":
		if b.requireAdmin(ctx, m) {
			b.listSubscriptions(ctx, m)
		}
	default: // ask, unit, help, notices, task, scope, subscribe, unsubscribe, digest, stats, unknown
		b.coreCommand(ctx, m, cmd, args)
	}
}

// requireAdmin is the one authorization check of every admin command.
func (b *Bot) requireAdmin(ctx context.Context, m *models.Message) bool {
	if m.From != nil && b.isAdmin(m.From.ID) {
		return true
	}
	b.reply(ctx, m, esc(bot.MsgNotAdmin), nil)
	return false
}

// sendAnswer sends an answer's first page with 下一页 and 展开 buttons, and
// 👍/👎 when the core kept it for votes (answerID). A unit listing of
// several pages fetches each page when it is asked for (more); other
// answers are split into pages at once.
func (b *Bot) sendAnswer(ctx context.Context, m *models.Message, a retrieval.Answer, more func(context.Context, int) (retrieval.Answer, error), answerID string) {
	pages := splitPages(renderAnswer(a), pageBudget)
	p := &pagedAnswer{pages: pages}
	if a.Pages > 1 && more != nil {
		p.pages, p.more, p.listPages = pages[:1], more, a.Pages
	}
	if a.Intent != retrieval.IntentUnit {
		for _, c := range a.Citations {
			p.citations = append(p.citations, citationText{label: c.Label, text: c.Text,
				lead: strings.Join(c.LeadUnits, "、"), resp: strings.Join(c.ResponsibleUnits, "、")})
		}
	}
	p.answerID = answerID
	id := b.pages.put(p)
	b.reply(ctx, m, pages[0], keyboard(p, id, 0))
}

// keyboard is the inline keyboard under page n of an answer.
func keyboard(p *pagedAnswer, id uint64, n int) *inlineKeyboard {
	var rows [][]inlineButton
	var nav []inlineButton
	if n > 0 {
		nav = append(nav, inlineButton{Text: "← 上一页", CallbackData: fmt.Sprintf("p:%d:%d", id, n-1)})
	}
	if total := p.total(); n+1 < total {
		nav = append(nav, inlineButton{Text: fmt.Sprintf("下一页 → (%d/%d)", n+2, total), CallbackData: fmt.Sprintf("p:%d:%d", id, n+1)})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	if n == 0 && len(p.citations) > 0 {
		var row []inlineButton
		for i := range p.citations[:min(5, len(p.citations))] {
			row = append(row, inlineButton{Text: fmt.Sprintf("展开 %d", i+1), CallbackData: fmt.Sprintf("x:%d:%d", id, i)})
		}
		rows = append(rows, row)
	}
	if p.answerID != "" {
		rows = append(rows, voteRow(p.answerID))
	}
	if len(rows) == 0 {
		return nil
	}
	return &inlineKeyboard{InlineKeyboard: rows}
}

// chatID follows a group's migration to a supergroup.
func (b *Bot) chatID(id int64) int64 {
	if n, ok := b.migrated.Load(id); ok {
		return n.(int64)
	}
	return id
}

func (b *Bot) onCallback(ctx context.Context, updID int64, cq *models.CallbackQuery) {
	answer := func(text string) {
		if _, err := b.tg.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: text}); err != nil {
			b.log.Warn("answerCallbackQuery failed", "update", updID, "err", b.apiErr(err))
		}
	}
	if ok, warn := b.core.Allow(tgUser(cq.From.ID)); !ok {
		if warn {
			answer(bot.MsgSlowDown)
		} else {
			answer("")
		}
		return
	}
	msg := cq.Message.Message
	parts := strings.Split(cq.Data, ":")
	if parts[0] == "f" {
		b.onVote(cq, parts, answer)
		return
	}
	if len(parts) != 3 || msg == nil {
		answer("")
		return
	}
	id, err1 := strconv.ParseUint(parts[1], 10, 64)
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || (err2 != nil && parts[0] != "u") {
		answer("")
		return
	}
	switch parts[0] {
	case "p":
		p, ok := b.pages.get(id)
		if !ok || n < 0 || n >= p.total() {
			answer(bot.MsgExpired)
			return
		}
		text, err := b.pageText(ctx, p, n)
		if err != nil {
			b.log.Error("listing page failed", "chat", msg.Chat.ID, "update", updID, "err", err)
			answer(bot.MsgExpired)
			return
		}
		answer("")
		if err := b.editMessage(ctx, &tg.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(p, id, n).markup(),
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}); err != nil {
			b.log.Error("edit failed", "chat", msg.Chat.ID, "update", updID, "err", err)
		}
	case "x":
		p, ok := b.pages.get(id)
		if !ok || n < 0 || n >= len(p.citations) {
			answer(bot.MsgExpired)
			return
		}
		answer("")
		c := p.citations[n]
		b.reply(ctx, msg, citationHTML(c), nil)
	case "u":
		b.onUploadDecision(ctx, updID, cq, msg, id, parts[2] == "y")
		answer("")
	default:
		answer("")
	}
}

// pageText is page n (from 0) of an answer: kept, or fetched for a listing.
func (b *Bot) pageText(ctx context.Context, p *pagedAnswer, n int) (string, error) {
	if p.more == nil || n == 0 {
		return p.pages[n], nil
	}
	actx, cancel := context.WithTimeout(ctx, b.core.AnswerTimeout())
	defer cancel()
	a, err := p.more(actx, n+1)
	if err != nil {
		return "", err
	}
	return splitPages(renderAnswer(a), pageBudget)[0], nil
}

// citationHTML shows a cited task in full.
func citationHTML(c citationText) string {
	var s strings.Builder
	fmt.Fprintf(&s, "<b>%s</b>\n", esc(c.label))
	if c.lead != "" {
		fmt.Fprintf(&s, "牵头单位：<b>%s</b>\n", esc(c.lead))
	}
	if c.resp != "" {
		fmt.Fprintf(&s, "责任单位：<b>%s</b>\n", esc(c.resp))
	}
	s.WriteString(esc(c.text))
	return s.String()
}
