package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

const (
	adminID = int64(1)
	userID  = int64(2)
	groupID = int64(-100)
)

type testBot struct {
	*Bot
	tg      *fakeTelegram
	corpus  string
	coreCfg bot.CoreConfig // the core's settings, for a restart over the same store
}

var updateSeq atomic.Int64

// newTestBot runs the real go-telegram/bot client against the fake server,
// over a copy of the sample notices.
func newTestBot(t testing.TB) *testBot {
	return newTestBotConfig(t, testConfig{})
}

func newTestBotConfig(t testing.TB, cfg testConfig) *testBot {
	t.Helper()
	return newTestBotWith(t, cfg, testOptions{})
}

// testConfig is a test bot's settings: the Telegram channel's and its
// core's; zero values take the defaults.
type testConfig struct {
	// The channel's.
	Workers       int
	WebhookURL    string
	WebhookSecret string
	WebhookListen string
	HTTPClient    *http.Client
	// The core's.
	Store      *bot.Store // nil: a new one
	Outbox     bot.OutboxConfig
	Digest     bot.DigestConfig
	PerMinute  int
	LLMTimeout time.Duration
	Now        func() time.Time
	Logger     *slog.Logger  // nil: quietLog
	Grace      time.Duration // the shutdown grace; 0: bot.ShutdownGrace
}

// testOptions change the engine under a test bot.
type testOptions struct {
	corpus string                                   // the corpus folder; "" for a copy of the samples
	llm    retrieval.Completer                      // a chat model; nil for offline answers
	wrap   func(retrieval.Source) retrieval.Source  // wraps the engine, to watch or slow it
	load   func(dir string) (*corpus.Corpus, error) // loads the corpus folder; nil for corpus.Load
}

func newTestBotWith(t testing.TB, cfg testConfig, opt testOptions) *testBot {
	t.Helper()
	dir := opt.corpus
	if dir == "" {
		dir = copySamples(t)
	}
	ctx := context.Background()
	load := opt.load
	if load == nil {
		load = func(dir string) (*corpus.Corpus, error) { return corpus.Load(dir) }
	}
	engine, err := retrieval.NewEngine(ctx, func(*corpus.Corpus) (*corpus.Corpus, error) { return load(dir) }, retrieval.Options{DataDir: t.TempDir()}, opt.llm)
	if err != nil {
		t.Fatal(err)
	}
	var src retrieval.Source = engine
	if opt.wrap != nil {
		src = opt.wrap(src)
	}
	f := newFakeTelegram(t)
	if cfg.Logger == nil {
		cfg.Logger = quietLog()
	}
	if cfg.Store == nil {
		store, err := bot.OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		cfg.Store = store
	}
	coreCfg := bot.CoreConfig{Store: cfg.Store, Outbox: cfg.Outbox, Digest: cfg.Digest, CorpusDir: dir,
		PerMinute: cfg.PerMinute, LLMTimeout: cfg.LLMTimeout, Now: cfg.Now, Logger: cfg.Logger, ShutdownGrace: cfg.Grace}
	b := startTestBot(t, f, cfg, coreCfg, retrieval.NewService(src))
	return &testBot{Bot: b, tg: f, corpus: dir, coreCfg: coreCfg}
}

// startTestBot makes a core over e and the Telegram bot on it, talking to
// the fake f.
func startTestBot(t testing.TB, f *fakeTelegram, cfg testConfig, coreCfg bot.CoreConfig, e bot.Engine) *Bot {
	t.Helper()
	core, err := bot.NewCore(coreCfg, e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(context.Background(), Config{Token: testToken, APIURL: f.srv.URL, Admins: map[int64]bool{adminID: true},
		PollTimeout: 2 * time.Second, Workers: cfg.Workers, HTTPClient: cfg.HTTPClient,
		WebhookURL: cfg.WebhookURL, WebhookSecret: cfg.WebhookSecret, WebhookListen: cfg.WebhookListen}, core)
	if err != nil {
		t.Fatal(err)
	}
	if b.Username() != "assign_bot" {
		t.Fatalf("username %q", b.Username())
	}
	return b
}

// copySamples copies the sample notices into a new folder.
func copySamples(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(corpus.Samples, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(corpus.Samples, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func message(chat int64, chatType models.ChatType, from int64, text string) *models.Update {
	id := updateSeq.Add(1)
	return &models.Update{ID: id, Message: &models.Message{ID: int(id), Date: int(time.Now().Unix()),
		From: &models.User{ID: from, FirstName: "u"}, Chat: models.Chat{ID: chat, Type: chatType}, Text: text}}
}

func private(from int64, text string) *models.Update {
	return message(from, models.ChatTypePrivate, from, text)
}

func group(from int64, text string) *models.Update {
	return message(groupID, models.ChatTypeSupergroup, from, text)
}

// send processes an update synchronously, delivers what it queued and
// returns what the bot sent.
func (tb *testBot) send(t *testing.T, upd *models.Update) []sentMessage {
	t.Helper()
	tb.tg.reset()
	tb.Process(context.Background(), upd)
	tb.settle(t)
	return tb.tg.sentMessages()
}

// settle delivers the outbox until it is empty (waiting out retry_after
// on the real clock), for at most 10 seconds.
func (tb *testBot) settle(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tb.outbox.Flush(context.Background())
		if tb.outbox.Pending() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still in the outbox", tb.outbox.Pending())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tickDigests runs the digest scheduler once and delivers what it queued.
func (tb *testBot) tickDigests(t testing.TB) {
	t.Helper()
	tb.core.Scheduler().Tick(context.Background())
	tb.settle(t)
}

func TestPrivateQuestion(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, private(userID, "哪个单位牵头步行街建设任务？"))
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	m := sent[0]
	if m.ChatID != userID || m.ParseMode != "HTML" || !strings.Contains(m.Text, "<b>市商务局</b>") || !strings.Contains(m.Text, "<b>来源</b>") ||
		!strings.Contains(m.Text, "武政办〔2021〕22号 二(二)3") || !strings.Contains(m.Markup, "展开 1") || !strings.Contains(m.ReplyTo, "message_id") {
		t.Errorf("answer: %+v", m)
	}
}

func TestStartAndHelp(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	for _, cmd := range []string{"/start", "/help"} {
		sent := tb.send(t, private(userID, cmd))
		if len(sent) != 1 || !strings.Contains(sent[0].Text, "已加载 5 份通知") || !strings.Contains(sent[0].Text, "可以这样问") {
			t.Errorf("%s: %+v", cmd, sent)
		}
	}
}

func TestGroupSilenceMentionAndReply(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	if sent := tb.send(t, group(userID, "今天下午三点开会，市商务局牵头哪些任务大家看一下")); len(sent) != 0 {
		t.Errorf("answered ordinary group talk: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "@assign_bot 哪个单位牵头步行街建设任务？")); len(sent) != 1 || !strings.Contains(sent[0].Text, "市商务局") || sent[0].ChatID != groupID {
		t.Errorf("mention: %+v", sent)
	}
	reply := group(userID, "老字号自主品牌建设由谁牵头？")
	reply.Message.ReplyToMessage = &models.Message{ID: 5, From: &models.User{ID: 999, IsBot: true}, Chat: models.Chat{ID: groupID}}
	if sent := tb.send(t, reply); len(sent) != 1 || !strings.Contains(sent[0].Text, "市商务局") {
		t.Errorf("reply to the bot: %+v", sent)
	}
	other := group(userID, "谢谢")
	other.Message.ReplyToMessage = &models.Message{ID: 6, From: &models.User{ID: 555}, Chat: models.Chat{ID: groupID}}
	if sent := tb.send(t, other); len(sent) != 0 {
		t.Errorf("answered a reply to someone else: %+v", sent)
	}
}

func TestCommandWithBotSuffix(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	if sent := tb.send(t, group(userID, "/ask@assign_bot 琴台美术馆建设由谁牵头？")); len(sent) != 1 || !strings.Contains(sent[0].Text, "市文化和旅游局") {
		t.Errorf("/ask@assign_bot: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "/ask@other_bot 琴台美术馆建设由谁牵头？")); len(sent) != 0 {
		t.Errorf("answered another bot's command: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "/ask")); len(sent) != 1 || !strings.Contains(sent[0].Text, "/ask 后面") {
		t.Errorf("bare /ask: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "/frobnicate")); len(sent) != 0 {
		t.Errorf("unknown command in a group: %+v", sent)
	}
	if sent := tb.send(t, private(userID, "/frobnicate")); len(sent) != 1 || !strings.Contains(sent[0].Text, "/help") {
		t.Errorf("unknown command in private: %+v", sent)
	}
}

func TestReloadAdminOnly(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	os.WriteFile(filepath.Join(tb.corpus, "new.txt"), []byte("关于印发新方案的通知\n一、工作任务\n1．建设科技馆。（牵头单位：市科技局）"), 0o644)
	sent := tb.send(t, private(userID, "/reload"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "只有管理员") {
		t.Fatalf("non-admin reload: %+v", sent)
	}
	if a, _ := tb.engine.Answer(context.Background(), "科技馆建设由谁牵头？"); a.Found {
		t.Fatal("non-admin reload changed the corpus")
	}
	sent = tb.send(t, private(adminID, "/reload"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "重新加载完成") || !strings.Contains(sent[0].Text, "新增 1") || !strings.Contains(sent[0].Text, "new.txt") {
		t.Fatalf("admin reload: %+v", sent)
	}
	if a, _ := tb.engine.Answer(context.Background(), "科技馆建设由谁牵头？"); !a.Found {
		t.Error("reload did not load the new notice")
	}
	if sent := tb.send(t, private(userID, "/stats")); !strings.Contains(sent[0].Text, "只有管理员") {
		t.Errorf("non-admin stats: %+v", sent)
	}
	if sent := tb.send(t, private(adminID, "/stats")); !strings.Contains(sent[0].Text, "任务：") {
		t.Errorf("admin stats: %+v", sent)
	}
}

func document(from int64, fileID, name string) *models.Update {
	u := private(from, "")
	u.Message.Document = &models.Document{FileID: fileID, FileUniqueID: fileID, FileName: name, FileSize: 100}
	return u
}

func TestUploadAdminOnly(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	notice := "关于印发上传方案的通知\n一、工作任务\n1．建设天文馆。（牵头单位：市科技局；责任单位：市财政局）\n2．建设水族馆。（责任单位：市农业农村局）"
	tb.tg.files["documents/f1"] = []byte(notice)

	sent := tb.send(t, document(userID, "f1", "upload.txt"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "只有管理员") {
		t.Fatalf("non-admin upload: %+v", sent)
	}
	if _, err := os.Stat(filepath.Join(tb.corpus, "upload.txt")); err == nil {
		t.Fatal("non-admin upload was saved")
	}

	sent = tb.send(t, document(adminID, "f1", "upload.txt"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "找到 2 项任务") {
		t.Fatalf("admin upload: %+v", sent)
	}
	if data, err := os.ReadFile(filepath.Join(tb.corpus, "upload.txt")); err != nil || string(data) != notice {
		t.Fatalf("saved upload: %v", err)
	}
	if a, _ := tb.engine.Answer(context.Background(), "天文馆建设由谁牵头？"); !a.Found || !strings.Contains(a.Text, "市科技局") {
		t.Errorf("uploaded notice not answerable: %s", a.Text)
	}

	// The same name again asks before overwriting; "取消" keeps the file.
	tb.tg.files["documents/f2"] = []byte(notice + "\n3．建设植物园。（牵头单位：市园林和林业局）")
	sent = tb.send(t, document(adminID, "f2", "upload.txt"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "要覆盖吗") || !strings.Contains(sent[0].Markup, "u:") {
		t.Fatalf("overwrite prompt: %+v", sent)
	}
	yes := strings.Split(strings.Split(sent[0].Markup, `"callback_data":"`)[1], `"`)[0]
	cb := &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb1", From: models.User{ID: adminID},
		Data: yes, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 7, Chat: models.Chat{ID: adminID, Type: models.ChatTypePrivate}}}}}
	sent = tb.send(t, cb)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "找到 3 项任务") {
		t.Fatalf("overwrite: %+v", sent)
	}

	for _, bad := range []string{"../escape.txt", "notes.exe", ".hidden.txt"} {
		tb.tg.files["documents/f3"] = []byte(notice)
		sent = tb.send(t, document(adminID, "f3", bad))
		if len(sent) != 1 || !strings.Contains(sent[0].Text, "不能保存") {
			t.Errorf("%s: %+v", bad, sent)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(tb.corpus), "escape.txt")); err == nil {
		t.Error("path traversal wrote outside the corpus folder")
	}
}

func TestRetryAfter429(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	tb.tg.fail429 = 1
	start := time.Now()
	sent := tb.send(t, private(userID, "/notices"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "已加载 5 份通知") {
		t.Fatalf("after 429: %+v", sent)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %s, before retry_after", d)
	}
}

func TestLongAnswerPagedUnderLimit(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, private(userID, "各区人民政府负责哪些任务？"))
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	m := sent[0]
	if !strings.Contains(m.Markup, "下一页") {
		t.Fatalf("a long listing without 下一页: %d units\n%s", utf16Len(m.Text), m.Markup)
	}
	data := strings.Split(strings.Split(m.Markup, `"callback_data":"`)[1], `"`)[0]
	tb.tg.reset()
	tb.Process(context.Background(), &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb2",
		From: models.User{ID: userID}, Data: data, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 8, Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate}}}}})
	tb.tg.mu.Lock()
	edits, cbs := len(tb.tg.edits), len(tb.tg.callbacks)
	tb.tg.mu.Unlock()
	if edits != 1 || cbs != 1 {
		t.Errorf("next page: %d edits, %d callback answers", edits, cbs)
	}
}

func TestSplitPages(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("市商务局牵头𠀋任务。\n", 1000) // includes a character outside the BMP
	pages := splitPages(esc(long), pageBudget)
	if len(pages) < 3 {
		t.Fatalf("%d pages", len(pages))
	}
	total := 0
	for _, p := range pages {
		if n := utf16Len(p); n > pageBudget {
			t.Errorf("page of %d units", n)
		}
		total += strings.Count(p, "任务。")
	}
	if total != 1000 {
		t.Errorf("lines lost: %d of 1000", total)
	}
	one := splitPages(esc(strings.Repeat("长", 9000)), pageBudget)
	for _, p := range one {
		if utf16Len(p) > pageBudget {
			t.Errorf("cut line page of %d units", utf16Len(p))
		}
	}
}

func TestHostileInput(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, private(userID, `<script>alert("x")</script> 哪个单位牵头步行街建设任务？ & <b>`))
	if len(sent) != 1 {
		t.Fatalf("sent %+v", sent)
	}
	sent = tb.send(t, private(userID, "<b>火星 & <i>探测</i>由谁负责？"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "&lt;") || strings.Contains(sent[0].Text, "<i>") {
		t.Errorf("hostile not-found reply: %+v", sent)
	}
	sent = tb.send(t, private(userID, strings.Repeat("步行街", 3000)))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "问题太长") {
		t.Errorf("9000-character question: %+v", sent)
	}
	// Stickers, photos and empty messages are ignored quietly.
	if sent := tb.send(t, private(userID, "")); len(sent) != 0 {
		t.Errorf("empty message answered: %+v", sent)
	}
	if sent := tb.send(t, &models.Update{ID: updateSeq.Add(1), EditedMessage: &models.Message{ID: 1, Text: "x"}}); len(sent) != 0 {
		t.Errorf("edit answered: %+v", sent)
	}
}

func TestRateLimitRepliesOnce(t *testing.T) {
	t.Parallel()
	tb := newTestBotConfig(t, testConfig{PerMinute: 4})
	var polite int
	for i := 0; i < 8; i++ {
		for _, m := range tb.send(t, private(userID, "琴台美术馆建设由谁牵头？")) {
			if strings.Contains(m.Text, "太频繁") {
				polite++
			}
		}
	}
	if polite != 1 {
		t.Errorf("%d slow-down replies, want 1", polite)
	}
}

// TestPollingLoop runs the bot's real long-polling loop against the fake
// server: an update queued at the server is answered, and cancelling the
// context stops the bot.
func TestPollingLoop(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	tb.tg.queue(private(userID, "琴台美术馆建设由谁牵头？"))
	select {
	case m := <-tb.tg.sentCh:
		if !strings.Contains(m.Text, "市文化和旅游局") {
			t.Errorf("answer %q", m.Text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer through the polling loop")
	}
	tb.tg.mu.Lock()
	cmds := tb.tg.commands
	tb.tg.mu.Unlock()
	if cmds != 2 {
		t.Errorf("setMyCommands called %d times, want 2 (private and group)", cmds)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("bot did not stop")
	}
}

func TestNoToken(t *testing.T) {
	t.Parallel()
	if _, err := New(context.Background(), Config{}, nil); err != ErrNoToken {
		t.Errorf("err %v", err)
	}
}

func TestGroupMigratedToSupergroup(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	var moved [2]int64
	tb.OnMigrate(func(o, n int64) { moved = [2]int64{o, n} })
	tb.tg.migrateTo = -1001234
	sent := tb.send(t, group(userID, "/notices"))
	if len(sent) != 1 || sent[0].ChatID != -1001234 || moved != [2]int64{groupID, -1001234} {
		t.Fatalf("sent %+v, moved %v", sent, moved)
	}
	// Later messages to the old id go to the new one directly.
	sent = tb.send(t, group(userID, "/notices"))
	if len(sent) != 1 || sent[0].ChatID != -1001234 {
		t.Errorf("after migration: %+v", sent)
	}
}

// TestWebhook: in webhook mode updates arrive as HTTP posts carrying the
// secret token; posts without it get 401 and are not processed.
func TestWebhook(t *testing.T) {
	t.Parallel()
	tb := newTestBotConfig(t, testConfig{WebhookSecret: "s3cret", WebhookURL: "https://bot.example/hook", WebhookListen: "127.0.0.1:0"})
	url := tb.runWebhook(t)
	if got := postUpdate(t, url, "wrong", private(userID, "琴台美术馆建设由谁牵头？")); got != http.StatusUnauthorized {
		t.Errorf("wrong secret: HTTP %d, want 401", got)
	}
	if got := postUpdate(t, url, "s3cret", private(userID, "/notices")); got != http.StatusOK {
		t.Errorf("right secret: HTTP %d", got)
	}
	select {
	case m := <-tb.tg.sentCh:
		if !strings.Contains(m.Text, "已加载 5 份通知") {
			t.Errorf("first reply %q: the update with the wrong secret was processed", m.Text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reply through the webhook")
	}
	select {
	case m := <-tb.tg.sentCh:
		t.Errorf("unexpected second reply %q", m.Text)
	case <-time.After(300 * time.Millisecond):
	}
	tb.tg.mu.Lock()
	secret := tb.tg.webhookSecret
	tb.tg.mu.Unlock()
	if secret != "s3cret" {
		t.Errorf("setWebhook registered secret %q", secret)
	}
}

// runWebhook runs the bot in webhook mode until the test ends and returns
// the webhook's URL.
func (tb *testBot) runWebhook(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		if addr, ok := tb.webhookAddr.Load().(string); ok {
			return "http://" + addr + "/"
		}
		if time.Now().After(deadline) {
			t.Fatal("the webhook server did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// postUpdate posts an update to a webhook with a secret header ("" for
// none) and returns the HTTP status.
func postUpdate(t *testing.T, url, secret string, upd *models.Update) int {
	t.Helper()
	body, _ := json.Marshal(upd)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// quietLog is the tests' logger: nothing is shown, and every line goes
// through the token scan of TestMain.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(leaks, nil)) }

// TestListingPagesFetchedOnDemand: a unit listing longer than a page comes
// one listing page at a time; 下一页 fetches the next page of the same
// listing (other tasks, the same total), from the context it was asked in.
func TestListingPagesFetchedOnDemand(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	for i, ask := range []string{"市商务局牵头哪些任务？", "/unit 市商务局"} {
		user := userID + int64(i)*7 // a user of their own: the per-user limit is not under test
		tb.tg.reset()
		sent := tb.send(t, private(user, ask))
		if len(sent) != 1 || !strings.Contains(sent[0].Markup, "下一页") {
			t.Fatalf("%s: %+v", ask, sent)
		}
		first := sent[0]
		data := strings.Split(strings.Split(first.Markup, `"callback_data":"`)[1], `"`)[0]
		tb.tg.reset()
		// Another question in between must not change what page 2 shows.
		tb.send(t, private(user, "老字号自主品牌建设由谁牵头？"))
		tb.Process(context.Background(), &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb3",
			From: models.User{ID: user}, Data: data, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
				Message: &models.Message{ID: 9, Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}}}}})
		tb.tg.mu.Lock()
		edits := append([]sentMessage(nil), tb.tg.edits...)
		tb.tg.mu.Unlock()
		if len(edits) != 1 {
			t.Fatalf("%s: %d edits", ask, len(edits))
		}
		second := edits[0].Text
		if second == first.Text || !strings.Contains(second, "市商务局") || !strings.Contains(edits[0].Markup, "上一页") {
			t.Errorf("%s: page 2 is not the next page of the listing:\n%s\n---\n%s", ask, first.Text, second)
		}
		line := func(s string) string { // the first listed task of a page
			for _, l := range strings.Split(s, "\n") {
				if strings.HasPrefix(l, "· ") {
					return l
				}
			}
			return ""
		}
		if line(first.Text) == "" || line(first.Text) == line(second) {
			t.Errorf("%s: page 2 starts with the same task as page 1: %q", ask, line(second))
		}
	}
}
