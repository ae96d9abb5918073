package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assignbot/assignbot/retrieval"
)

// The channel-neutral dispatcher: a channel turns what its platform
// delivered into a Message and calls Core.Handle with a function that
// renders and queues a Reply for that message. DingTalk runs through
// Handle; Telegram, which admits messages itself, calls Ask and Command
// and keeps its own handling of what only it has (bot/telegram: inline
// buttons' callbacks, uploads with a confirmation, supergroup moves).

// Message is one message to the bot, from any channel.
type Message struct {
	Chat      ChatRef
	Private   bool   // a one-to-one chat; otherwise a group
	ChatTitle string // the group's name
	SenderID  string // the sender's id on the channel (a DingTalk staff id)
	Addressed bool   // private, or the bot was @-mentioned in the group
	Text      string // without the mention
	// ID is the message's id on the channel and ReplyTo the id of the
	// bot's message it replies to, for a channel that links replies to
	// the answers they follow up (Core.Delivered); "" otherwise.
	ID, ReplyTo string
}

// Reply is what the core answers: exactly one of Answer, Digest and Doc
// is set. Each channel renders it in its own markup; no channel reads
// another's text.
type Reply struct {
	Answer *retrieval.Answer
	// AnswerID, beside an Answer, is the id votes on it refer to ("":
	// not kept); a channel without buttons asks for a 有用/没用 reply.
	AnswerID string
	// More, with an Answer of several pages (a unit listing), fetches
	// page n of it; a channel with buttons pages with it, one without
	// pages by message ("下一页").
	More   func(ctx context.Context, page int) (retrieval.Answer, error)
	Digest *Digest
	Doc    *Doc
}

// Doc is a short structured text: a title (shown bold or as a heading)
// and plain lines, which the channel escapes.
type Doc struct {
	Title string
	Lines []string
}

func text(lines ...string) Reply              { return Reply{Doc: &Doc{Lines: lines}} }
func doc(title string, lines ...string) Reply { return Reply{Doc: &Doc{Title: title, Lines: lines}} }

// Replier renders and queues a reply to the message being handled.
type Replier func(Reply)

// helpNoter is implemented by a channel with its own lines for /help
// (what it cannot do, how to upload there).
type helpNoter interface {
	HelpNotes() []string
}

// nextPage are the words asking for the next page of a listing: a
// channel without buttons pages by message.
var nextPage = map[string]bool{"下一页": true, "下页": true, "更多": true, "还有吗": true, "还有吗？": true, "next": true}

// listing is the unit listing a person is paging through.
type listing struct {
	more  func(context.Context, int) (retrieval.Answer, error)
	page  int
	pages int
}

// Handle answers one message of channel ch. It runs on the channel's
// worker and may take as long as an answer takes.
func (c *Core) Handle(ctx context.Context, ch Channel, m Message, reply Replier) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic handling message", "chat", m.Chat, "message", m.ID, "panic", r, "stack", string(debug.Stack()))
			func() {
				defer func() { _ = recover() }() // a reply that panics too is only logged above
				reply(text(MsgError))
			}()
		}
	}()
	q := strings.TrimSpace(m.Text)
	if !m.Addressed || q == "" {
		return // group chatter: silence, and it does not count against anyone
	}
	ok, warn := c.limiter.allow(m.Chat.Channel + ":" + m.SenderID)
	if !ok {
		if warn {
			reply(text(MsgSlowDown))
		}
		return
	}
	if cmd, _, args, isCmd := ParseCommand(q); isCmd {
		c.cfg.Metrics.Command(m.Chat.Channel, cmd)
		c.Command(ctx, ch, m, cmd, args, reply)
		return
	}
	if up, isVote := VoteWord(q); isVote {
		if id, ok := c.lastAnswer.Get(convFor(m)); ok {
			reply(text(c.Vote(id, m.SenderID, up)))
			return
		}
	}
	if nextPage[strings.ToLower(q)] {
		if c.nextPage(ctx, m, reply) {
			return
		}
	}
	c.Ask(ctx, m, q, reply)
}

// Command answers command cmd (without the slash) of a message already
// admitted by the per-user limit. A channel with a dispatcher of its own
// for what only it has (Telegram) sends the rest of its commands here.
func (c *Core) Command(ctx context.Context, ch Channel, m Message, cmd, args string, reply Replier) {
	if _, ok := c.engine.Current(); NeedsIndex[cmd] && !ok {
		reply(text(MsgLoading))
		return
	}
	admin := func() bool {
		if ch.IsAdmin(m.SenderID) {
			return true
		}
		reply(text(MsgNotAdmin))
		return false
	}
	switch cmd {
	case "start", "help":
		reply(c.help(ch))
	case "ask":
		if args == "" {
			reply(text(MsgAskUsage))
			return
		}
		c.Ask(ctx, m, args, reply)
	case "unit":
		c.unit(ctx, m, args, reply)
	case "task":
		reply(c.task(args))
	case "notices":
		reply(c.noticeList())
	case "scope":
		c.scope(ctx, ch, m, args, reply)
	case "subscribe", "unsubscribe":
		// A group's digest is the group's: its administrators (on a
		// channel that can tell) and the bot's admins change it.
		if !c.manages(ctx, ch, m) {
			if _, ok := ch.(groupManager); ok {
				reply(text("只有群管理员可以订阅或退订每日提醒。"))
			} else {
				reply(text("只有机器人管理员可以为群订阅或退订每日提醒；单聊里每个人都可以订阅自己的提醒。"))
			}
			return
		}
		if cmd == "subscribe" {
			reply(text(c.Subscribe(m.Chat, m.ChatTitle, m.SenderID, args)))
		} else {
			reply(text(c.Unsubscribe(m.Chat)))
		}
	case "digest":
		d := c.DigestNow(m.Chat)
		reply(Reply{Digest: &d})
	case "reload":
		if admin() {
			reply(c.reload(ctx))
		}
	case "stats":
		if admin() {
			reply(c.stats())
		}
	case "export":
		reply(c.exportElsewhere(m.Chat, args))
	case "feedback":
		if admin() {
			reply(Reply{Doc: c.FeedbackDoc()})
		}
	default:
		if m.Private {
			reply(text(MsgUnknownCmd))
		}
	}
}

// convFor is the conversation key of a message's sender.
func convFor(m Message) convKey {
	return contextKey(string(m.Chat.key()), m.SenderID, m.Private)
}

// Ask answers question q of a message already admitted by the per-user
// limit, in the sender's conversation within the chat's scope; a message
// that replies to one of the bot's answers (m.ReplyTo) continues from it.
func (c *Core) Ask(ctx context.Context, m Message, q string, reply Replier) {
	if n := utf8.RuneCountInString(q); n > c.cfg.MaxQuestion {
		reply(text(fmt.Sprintf(MsgTooLong, c.cfg.MaxQuestion)))
		return
	}
	start := c.cfg.Now()
	actx, cancel := context.WithTimeout(ctx, c.AnswerTimeout())
	defer cancel()
	a, more, remember, err := c.Converse(actx, m.Chat, m.SenderID, m.Private, m.ReplyTo, q)
	if errors.Is(err, ErrLoading) {
		reply(text(MsgLoading))
		return
	}
	if err != nil && ctx.Err() != nil {
		// Shutting down: no "出错了". The channel keeps the message for the
		// next start (its inbox), which answers it.
		c.log.Warn("answer cut short by shutdown", "chat", m.Chat, "err", err)
		return
	}
	if err != nil {
		c.log.Error("answer failed", "chat", m.Chat, "err", err)
		reply(text(MsgError))
		return
	}
	c.answered.Add(1)
	c.cfg.Metrics.Question(m.Chat.Channel, c.cfg.Now().Sub(start), a.Found)
	if m.ID != "" {
		remember(m.ID)
	}
	r := Reply{Answer: &a}
	if k := convFor(m); a.Pages > 1 {
		c.listings.Add(k, &listing{page: a.Page, pages: a.Pages, more: more})
		r.More = more
	} else {
		c.listings.Remove(k)
	}
	r.AnswerID = c.keepLast(m, q, a)
	reply(r)
}

// nextPage sends the next page of the listing the sender is paging
// through; false when there is none.
func (c *Core) nextPage(ctx context.Context, m Message, reply Replier) bool {
	k := convFor(m)
	l, ok := c.listings.Get(k)
	if !ok || l.page >= l.pages {
		return false
	}
	actx, cancel := context.WithTimeout(ctx, c.AnswerTimeout())
	defer cancel()
	a, err := l.more(actx, l.page+1)
	if err != nil {
		c.log.Error("listing page failed", "chat", m.Chat, "err", err)
		reply(text(MsgExpired))
		return true
	}
	// A listing is never changed in place: two workers may read it.
	c.listings.Add(k, &listing{more: l.more, page: a.Page, pages: l.pages})
	reply(Reply{Answer: &a})
	return true
}

func (c *Core) unit(ctx context.Context, m Message, name string, reply Replier) {
	if name == "" {
		reply(text(MsgUnitUsage))
		return
	}
	a, ok, where := unitAnswer(c.store, c.engine, m.Chat, name, 1, c.log)
	if !ok {
		reply(text(fmt.Sprintf("%s没有找到单位“%s”的任务。", where, Clip(name, 40))))
		return
	}
	c.answered.Add(1)
	r := Reply{Answer: &a}
	if a.Pages > 1 {
		r.More = func(_ context.Context, page int) (retrieval.Answer, error) {
			a, _, _ := unitAnswer(c.store, c.engine, m.Chat, name, page, c.log)
			return a, nil
		}
		c.listings.Add(convFor(m), &listing{page: 1, pages: a.Pages, more: r.More})
	}
	r.AnswerID = c.keepLast(m, "/unit "+name, a)
	reply(r)
}

// task shows one task in full.
func (c *Core) task(args string) Reply {
	fields := strings.Fields(args)
	if len(fields) < 2 {
		return text(strings.Split(MsgTaskUsage, "\n")...)
	}
	notice, ref := strings.Join(fields[:len(fields)-1], " "), fields[len(fields)-1]
	n, t, ok := c.engine.FindTask(notice, ref)
	if !ok {
		return text(append([]string{fmt.Sprintf("没有找到任务“%s %s”。", Clip(notice, 40), Clip(ref, 20))}, strings.Split(MsgTaskUsage, "\n")...)...)
	}
	var lines []string
	if len(t.Sections) > 0 {
		lines = append(lines, strings.Join(t.Sections, " › "))
	}
	if len(t.LeadUnits) > 0 {
		lines = append(lines, "牵头单位："+strings.Join(t.LeadUnits, "、"))
	}
	if len(t.ResponsibleUnits) > 0 {
		lines = append(lines, "责任单位："+strings.Join(t.ResponsibleUnits, "、"))
	}
	lines = append(lines, t.Text)
	for _, d := range t.Deadlines {
		lines = append(lines, fmt.Sprintf("时间：%s（%s）", d.Phrase, d.Date))
	}
	return doc(n.Name()+" "+t.Ref, lines...)
}

func (c *Core) noticeList() Reply {
	ld, _ := c.engine.Current()
	var lines []string
	for _, n := range ld.Corpus.Notices {
		line := fmt.Sprintf("· %s — %d 项任务", n.Name(), len(n.Tasks))
		if n.Date != "" {
			line += "（" + n.Date + "）"
		}
		lines = append(lines, line)
	}
	return doc(fmt.Sprintf("已加载 %d 份通知，共 %d 项任务", len(ld.Corpus.Notices), ld.Stats.Tasks), lines...)
}

// help is /help: what the bot answers, the notices, the commands, and the
// channel's own notes.
func (c *Core) help(ch Channel) Reply {
	d := &Doc{Title: "任务分工查询机器人"}
	d.Lines = append(d.Lines, "我可以回答政府任务分工通知里的问题：哪个单位牵头、哪些单位负责、什么时候完成。")
	if ld, ok := c.engine.Current(); !ok {
		d.Lines = append(d.Lines, MsgLoading)
	} else {
		d.Lines = append(d.Lines, fmt.Sprintf("已加载 %d 份通知，%d 项任务（/notices 查看）。", len(ld.Corpus.Notices), ld.Stats.Tasks))
	}
	d.Lines = append(d.Lines, "可以这样问：哪个单位牵头步行街建设任务？市商务局牵头哪些任务？半年工作小结什么时候报送？",
		"命令：",
		"/unit 单位 — 单位的全部任务（发送“下一页”看后面的）",
		"/task 通知 任务号 — 任务全文",
		"/notices — 已加载的通知",
		"/scope 地区 — 限定本聊天的通知范围（/scope 全部 取消）",
		"/subscribe 08:30 [单位] — 订阅每日提醒；/unsubscribe 退订；/digest 现在查看",
		"/export [单位或文号] — 导出任务台账（Excel）",
		"/feedback — 最近被标为 👎 的回答（管理员）",
		"追问可以直接说：那它的配合单位呢？第二个呢？")
	if n, ok := ch.(helpNoter); ok {
		d.Lines = append(d.Lines, n.HelpNotes()...)
	}
	return Reply{Doc: d}
}

// groupManager is implemented by a channel that can ask its platform
// whether the sender runs a group (Telegram: the group's administrators).
type groupManager interface {
	CanManage(ctx context.Context, m Message) bool
}

// manages reports whether the sender may change a chat's scope or
// subscription: anyone in a private chat, the bot's admins, and a group's
// administrators on a channel that can tell.
func (c *Core) manages(ctx context.Context, ch Channel, m Message) bool {
	if m.Private || ch.IsAdmin(m.SenderID) {
		return true
	}
	gm, ok := ch.(groupManager)
	return ok && gm.CanManage(ctx, m)
}

// scope shows or changes a chat's scope. In a group only those who manage
// it (manages) may change it.
func (c *Core) scope(ctx context.Context, ch Channel, m Message, args string, reply Replier) {
	if args == "" {
		s := chatScope(c.store, c.engine, m.Chat, c.log)
		if s.Text == "" {
			reply(text("当前没有限定范围：回答来自全部已加载的通知。", "用法：/scope 广元（按地区、发文机关、标题或文号限定），/scope 全部 取消。"))
			return
		}
		reply(c.scopeDoc("当前范围", s))
		return
	}
	if !c.manages(ctx, ch, m) {
		if _, ok := ch.(groupManager); ok {
			reply(text("只有群管理员或机器人管理员可以修改范围。"))
		} else {
			reply(text("只有机器人管理员可以修改群的范围。"))
		}
		return
	}
	if IsAllScope(args) {
		if err := c.store.SetScope(m.Chat, ChatScope{}); err != nil {
			c.log.Error("clear scope", "chat", m.Chat, "err", err)
			reply(text(MsgError))
			return
		}
		c.contexts.forgetChat(string(m.Chat.key()))
		reply(text("已取消范围限定：回答来自全部已加载的通知。"))
		return
	}
	s := c.engine.MatchScope(args)
	if len(s.Docs) == 0 {
		reply(text(fmt.Sprintf("没有与“%s”匹配的通知，范围没有改变。发送 /notices 查看已加载的通知。", Clip(args, 40))))
		return
	}
	if err := c.store.SetScope(m.Chat, ChatScope{Text: s.Text, SetBy: m.SenderID}); err != nil {
		c.log.Error("set scope", "chat", m.Chat, "err", err)
		reply(text(MsgError))
		return
	}
	c.contexts.forgetChat(string(m.Chat.key()))
	reply(c.scopeDoc("范围已设为", s))
}

func (c *Core) scopeDoc(title string, s retrieval.Scope) Reply {
	d := &Doc{Title: fmt.Sprintf("%s：%s（%d 份通知）", title, s.Text, len(s.Docs))}
	ld, _ := c.engine.Current()
	for i, n := range ScopeNotices(ld.Corpus, s) {
		if i == 20 {
			d.Lines = append(d.Lines, fmt.Sprintf("……共 %d 份", len(s.Docs)))
			break
		}
		d.Lines = append(d.Lines, "· "+Clip(n.Name(), 50))
	}
	d.Lines = append(d.Lines, "发送 /scope 全部 取消限定。")
	return Reply{Doc: d}
}

// DigestNow is today's digest of a chat, as /digest shows it.
func (c *Core) DigestNow(chat ChatRef) Digest {
	ld, _ := c.engine.Current()
	opt := DigestOptions{Horizon: c.cfg.Digest.Horizon, Notices: scopeDocs(c.store, c.engine, chat)}
	if sub, err := c.store.Get(chat); err == nil {
		opt.Units = sub.Units
	}
	return BuildDigest(ld.Corpus, c.cfg.Now().In(c.cfg.Digest.TZ), opt)
}

// reload reloads the notices (waiting for a reload already running) and
// says what changed.
func (c *Core) reload(ctx context.Context) Reply {
	ld, err := c.reloadIndex(ctx)
	if err != nil {
		return text(ReloadFailed(err))
	}
	return Reply{Doc: ReloadDoc(ld)}
}

// ReloadFailed says that a reload failed, and why.
func ReloadFailed(err error) string {
	return "重新加载失败，仍在使用原来的通知。原因：" + Clip(err.Error(), 200)
}

// reloadIndex runs one reload, after any reload already running.
func (c *Core) reloadIndex(ctx context.Context) (retrieval.Loaded, error) {
	c.reloadMu.Lock()
	defer c.reloadMu.Unlock()
	ld, err := ReloadEngine(ctx, c.engine, c.log)
	if err != nil {
		c.log.Error("reload failed", "err", err)
	}
	return ld, err
}

// ReloadEngine runs one reload of e, after any reload already running. A
// panic in the engine becomes an error (its stack goes to log), so that
// /reload always answers and the old index keeps serving.
func ReloadEngine(ctx context.Context, e Engine, log *slog.Logger) (ld retrieval.Loaded, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("reload panicked", "panic", r, "stack", string(debug.Stack()))
			ld, err = retrieval.Loaded{}, fmt.Errorf("internal error while reloading: %v", r)
		}
	}()
	ld, err = e.Reload(ctx)
	for errors.Is(err, retrieval.ErrReloadRunning) && Sleep(ctx, 200*time.Millisecond) {
		ld, err = e.Reload(ctx)
	}
	return ld, err
}

// ReloadDoc says what a reload changed and which files it skipped.
func ReloadDoc(ld retrieval.Loaded) *Doc {
	s := ld.Stats
	d := &Doc{Title: "重新加载完成", Lines: []string{
		fmt.Sprintf("通知 %d 份，任务 %d 项", s.Notices, s.Tasks),
		fmt.Sprintf("新增 %d，修改 %d，删除 %d", len(s.Added), len(s.Changed), len(s.Removed)),
		fmt.Sprintf("向量：新计算 %d，复用 %d", s.Embedded, s.Reused),
	}}
	for _, l := range []struct {
		what  string
		names []string
	}{{"新增", s.Added}, {"修改", s.Changed}, {"删除", s.Removed}} {
		if len(l.names) > 0 && len(l.names) <= 10 {
			shown := make([]string, len(l.names))
			for i, n := range l.names {
				shown[i] = ShowName(n)
			}
			d.Lines = append(d.Lines, l.what+"："+strings.Join(shown, "、"))
		}
	}
	for _, f := range ld.Corpus.Report.Files {
		if f.Status != "loaded" {
			d.Lines = append(d.Lines, fmt.Sprintf("跳过 %s：%s", ShowName(f.Name), f.Reason))
		} else if len(f.Alerts) > 0 {
			line := fmt.Sprintf("%s：⚠ %s", ShowName(f.Name), Clip(f.Alerts[0], 160))
			if len(f.Alerts) > 1 {
				line += fmt.Sprintf("（另有 %d 处，详见 assignbot report）", len(f.Alerts)-1)
			}
			d.Lines = append(d.Lines, line)
		} else if len(f.Warnings) > 0 {
			d.Lines = append(d.Lines, fmt.Sprintf("%s：%d 条提示（乱码修复、页脚或广告删除等）", ShowName(f.Name), len(f.Warnings)))
		}
	}
	return d
}

func (c *Core) stats() Reply {
	ld, _ := c.engine.Current()
	up := c.cfg.Now().Sub(c.started).Round(time.Second)
	return doc("运行状态", fmt.Sprintf("通知：%d", len(ld.Corpus.Notices)), fmt.Sprintf("任务：%d", ld.Stats.Tasks),
		fmt.Sprintf("索引条目：%d", ld.Stats.Entries),
		fmt.Sprintf("已回答问题：%d", c.answered.Load()), fmt.Sprintf("待发送消息：%d", c.outbox.Pending()),
		fmt.Sprintf("运行时间：%s", up), "嵌入模型："+ld.Stats.Model, "渠道："+strings.Join(c.Channels(), "、"))
}

// Upload saves a notice an admin sent in a private chat and reloads. A
// channel without buttons cannot ask "save anyway?" or "replace?", so a
// file with no tasks, or a name already taken, is refused with what to do
// instead; nothing is ever replaced. fetch downloads the file (the
// channel caps its size).
func (c *Core) Upload(ctx context.Context, ch Channel, m Message, name string, fetch func(context.Context) ([]byte, error), reply Replier) {
	if !m.Private {
		return
	}
	if !ch.IsAdmin(m.SenderID) {
		reply(text("只有管理员可以上传通知。"))
		return
	}
	if c.cfg.CorpusDir == "" {
		reply(text("没有配置通知目录（CORPUS_DIR），无法保存上传的文件。"))
		return
	}
	safe, err := SafeFileName(name)
	if err != nil {
		reply(text("不能保存这个文件：" + err.Error()))
		return
	}
	data, err := fetch(ctx)
	if err != nil {
		c.log.Error("download failed", "chat", m.Chat, "err", err)
		reply(text("下载文件失败（文件太大或网络问题），请稍后再试。"))
		return
	}
	chk := c.ProbeUpload(ctx, safe, data)
	if !chk.Read {
		reply(text(fmt.Sprintf("不能读取 %s：%s。文件没有保存。", safe, chk.Reason)))
		return
	}
	if chk.Tasks == 0 && chk.Groups == 0 {
		reply(text(fmt.Sprintf("%s 里没有找到带牵头或责任单位的任务，没有保存。确实要加载它，请把文件放进服务器的通知目录再发送 /reload。", safe)))
		return
	}
	switch err := WriteNew(filepath.Join(c.cfg.CorpusDir, safe), data); {
	case errors.Is(err, fs.ErrExist):
		reply(text(fmt.Sprintf("通知目录里已有 %s，没有覆盖。请改名后再发送，或在服务器上替换后发送 /reload。", safe)))
		return
	case err != nil:
		c.log.Error("save upload failed", "chat", m.Chat, "err", err)
		reply(text(MsgError))
		return
	}
	c.log.Info("notice uploaded", "name", safe, "bytes", len(data), "tasks", chk.Tasks, "channel", m.Chat.Channel, "admin", m.SenderID)
	ld, err := c.reloadIndex(ctx)
	if err != nil {
		reply(text(fmt.Sprintf("已保存 %s，但还没有加载。", safe), ReloadFailed(err)))
		return
	}
	d := ReloadDoc(ld)
	line, _ := UploadOutcome(ld.Corpus, safe) // its alerts are among the reload's lines
	d.Lines = append([]string{line}, d.Lines...)
	reply(Reply{Doc: d})
}
