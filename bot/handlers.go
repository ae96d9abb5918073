package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/retrieval"
)

// Replies people see. Known problems get a short friendly reply; anything
// else gets msgError and the full error goes to the log.
const (
	msgError       = "出错了，请稍后再试。"
	msgTooLong     = "问题太长了（超过%d字），请精简后再问。"
	msgSlowDown    = "提问太频繁了，请稍等一分钟再问。"
	msgAskUsage    = "请在 /ask 后面写上问题，例如：\n/ask 哪个单位牵头步行街建设任务？"
	msgUnitUsage   = "请在 /unit 后面写上单位名称，例如：/unit 市商务局"
	msgTaskUsage   = "用法：/task 通知 任务号，例如：/task 武政办〔2021〕22号 二(二)3\n通知可以写文号、文件名开头或标题中的词。"
	msgUnknownCmd  = "不认识这个命令，发送 /help 查看用法。"
	msgNotAdmin    = "只有管理员可以使用这个命令。"
	msgExpired     = "这条回答已过期，请重新提问。"
	msgReloadBusy  = "正在重新加载，请稍后再试。"
	answerDeadline = 60 * time.Second
)

// handle is the single entry of every update.
func (b *Bot) handle(ctx context.Context, _ *tg.Bot, upd *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("panic handling update", "update", upd.ID, "panic", r)
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
		if private {
			b.onDocument(ctx, updID, m)
		}
		return
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return // stickers, photos, voice: nothing to answer
	}
	if cmd, target, args, ok := parseCommand(text); ok {
		if target != "" && !strings.EqualFold(target, b.username) {
			return // a command for another bot in the group
		}
		b.onCommand(ctx, updID, m, cmd, args, private)
		return
	}
	if private {
		b.ask(ctx, updID, m, text)
		return
	}
	mention := "@" + b.username
	switch {
	case b.username != "" && strings.Contains(strings.ToLower(text), strings.ToLower(mention)):
		b.ask(ctx, updID, m, removeFold(text, mention))
	case m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.botID:
		b.ask(ctx, updID, m, text)
	}
	// Ordinary group talk: silence.
}

// parseCommand splits "/ask@assign_bot 问题" into ask, assign_bot and 问题.
// go-telegram/bot's command matching misses the @botname form, so the bot
// parses commands itself.
func parseCommand(text string) (cmd, target, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(head, "\n"); i >= 0 {
		rest = head[i+1:] + " " + rest
		head = head[:i]
	}
	cmd = strings.TrimPrefix(head, "/")
	cmd, target, _ = strings.Cut(cmd, "@")
	if cmd == "" {
		return "", "", "", false
	}
	return strings.ToLower(cmd), target, strings.TrimSpace(rest), true
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

func (b *Bot) onCommand(ctx context.Context, updID int64, m *models.Message, cmd, args string, private bool) {
	switch cmd {
	case "start", "help":
		b.reply(ctx, m, b.helpText(), nil)
	case "ask":
		if args == "" {
			b.reply(ctx, m, esc(msgAskUsage), nil)
			return
		}
		b.ask(ctx, updID, m, args)
	case "unit":
		b.unit(ctx, m, args)
	case "task":
		b.task(ctx, m, args)
	case "notices":
		b.notices(ctx, m)
	case "scope":
		b.scope(ctx, m, args)
	case "reload":
		if b.requireAdmin(ctx, m) {
			b.reload(ctx, updID, m, "")
		}
	case "stats":
		if b.requireAdmin(ctx, m) {
			b.stats(ctx, m)
		}
	case "subscribe":
		b.subscribe(ctx, m, args)
	case "unsubscribe":
		b.unsubscribe(ctx, m)
	case "digest":
		b.showDigest(ctx, m)
	case "subscriptions":
		if b.requireAdmin(ctx, m) {
			b.listSubscriptions(ctx, m)
		}
	default:
		if private {
			b.reply(ctx, m, esc(msgUnknownCmd), nil)
		}
	}
}

// requireAdmin is the one authorization check of every admin command.
func (b *Bot) requireAdmin(ctx context.Context, m *models.Message) bool {
	if m.From != nil && b.isAdmin(m.From.ID) {
		return true
	}
	b.reply(ctx, m, esc(msgNotAdmin), nil)
	return false
}

// ask answers a question, within the length and rate limits.
func (b *Bot) ask(ctx context.Context, updID int64, m *models.Message, q string) {
	q = strings.TrimSpace(q)
	if q == "" {
		return
	}
	if n := utf8.RuneCountInString(q); n > b.cfg.MaxQuestion {
		b.reply(ctx, m, esc(fmt.Sprintf(msgTooLong, b.cfg.MaxQuestion)), nil)
		return
	}
	if ok, warn := b.limiter.allow(m.From.ID); !ok {
		if warn {
			b.reply(ctx, m, esc(msgSlowDown), nil)
		}
		return
	}
	actx, cancel := context.WithTimeout(ctx, answerDeadline)
	defer cancel()
	a, sent, err := b.converse(actx, m, q)
	if err != nil {
		b.log.Error("answer failed", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc(msgError), nil)
		return
	}
	b.answered.Add(1)
	sent(b.sendAnswer(ctx, m, a))
}

// sendAnswer sends an answer's first page with 下一页 and 展开 buttons and
// returns the id of the message sent (0 if none was).
func (b *Bot) sendAnswer(ctx context.Context, m *models.Message, a retrieval.Answer) int {
	pages := splitPages(renderAnswer(a), pageBudget)
	p := &pagedAnswer{pages: pages}
	if a.Intent != retrieval.IntentUnit {
		for _, c := range a.Citations {
			p.citations = append(p.citations, citationText{label: c.Label, text: c.Text,
				lead: strings.Join(c.LeadUnits, "、"), resp: strings.Join(c.ResponsibleUnits, "、")})
		}
	}
	id := b.pages.put(p)
	return b.reply(ctx, m, pages[0], keyboard(p, id, 0))
}

// keyboard is the inline keyboard under page n of an answer.
func keyboard(p *pagedAnswer, id uint64, n int) models.ReplyMarkup {
	var rows [][]models.InlineKeyboardButton
	var nav []models.InlineKeyboardButton
	if n > 0 {
		nav = append(nav, models.InlineKeyboardButton{Text: "← 上一页", CallbackData: fmt.Sprintf("p:%d:%d", id, n-1)})
	}
	if n+1 < len(p.pages) {
		nav = append(nav, models.InlineKeyboardButton{Text: fmt.Sprintf("下一页 → (%d/%d)", n+2, len(p.pages)), CallbackData: fmt.Sprintf("p:%d:%d", id, n+1)})
	}
	if len(nav) > 0 {
		rows = append(rows, nav)
	}
	if n == 0 && len(p.citations) > 0 {
		var row []models.InlineKeyboardButton
		for i := range p.citations[:min(5, len(p.citations))] {
			row = append(row, models.InlineKeyboardButton{Text: fmt.Sprintf("展开 %d", i+1), CallbackData: fmt.Sprintf("x:%d:%d", id, i)})
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// reply sends HTML text as a reply to m, split under the length limit, and
// returns the id of the last message sent (0 if sending failed).
func (b *Bot) reply(ctx context.Context, m *models.Message, html string, markup models.ReplyMarkup) int {
	pages := splitPages(html, pageBudget)
	last := 0
	for i, page := range pages {
		p := &tg.SendMessageParams{ChatID: b.chatID(m.Chat.ID), Text: page, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
		if i == 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: m.ID, AllowSendingWithoutReply: true}
		}
		if i == len(pages)-1 && markup != nil {
			p.ReplyMarkup = markup
		}
		sent, err := b.sendMessage(ctx, p)
		if err != nil {
			b.log.Error("send failed", "chat", m.Chat.ID, "message", m.ID, "err", redact(err.Error(), b.cfg.Token))
			return 0
		}
		last = sent.ID
	}
	return last
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
			b.log.Warn("answerCallbackQuery failed", "update", updID, "err", redact(err.Error(), b.cfg.Token))
		}
	}
	msg := cq.Message.Message
	parts := strings.Split(cq.Data, ":")
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
		if !ok || n < 0 || n >= len(p.pages) {
			answer(msgExpired)
			return
		}
		answer("")
		if err := b.editMessage(ctx, &tg.EditMessageTextParams{ChatID: msg.Chat.ID, MessageID: msg.ID, Text: p.pages[n],
			ParseMode: models.ParseModeHTML, ReplyMarkup: keyboard(p, id, n),
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}); err != nil {
			b.log.Error("edit failed", "chat", msg.Chat.ID, "update", updID, "err", redact(err.Error(), b.cfg.Token))
		}
	case "x":
		p, ok := b.pages.get(id)
		if !ok || n < 0 || n >= len(p.citations) {
			answer(msgExpired)
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
