package wecom

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// End-to-end: the WeCom channel on assignbot's core, over the sample
// notices, against the fake gateway.

var cst = time.FixedZone("CST", 8*3600)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// samplesEngineIn is a retrieval service over a copy of the sample
// notices, and the folder of that copy.
func samplesEngineIn(tb testing.TB) (*retrieval.Service, string) {
	tb.Helper()
	dir := tb.TempDir()
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
		tb.Fatal(err)
	}
	e, err := retrieval.NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) { return corpus.Load(dir) },
		retrieval.Options{DataDir: tb.TempDir()}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return retrieval.NewService(e), dir
}

func samplesEngine(tb testing.TB) *retrieval.Service {
	tb.Helper()
	e, _ := samplesEngineIn(tb)
	return e
}

type running struct {
	core *bot.Core
	stop func()
}

// The TestCore tests, which run a whole core over an index, run one at a
// time: several together on two cores, under the race detector, outlast
// their waits.

// runCore starts a core over the store in dataDir with the WeCom channel
// on the fake (uploads saved into corpusDir), and waits for connection
// number conn.
func runCore(tb testing.TB, f *fakeWeCom, engine bot.Engine, dataDir, corpusDir string, clock *testClock, conn int, opts ...func(*Config)) running {
	tb.Helper()
	store, err := bot.OpenStore(dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := testConfig(f, nil)
	for _, o := range opts {
		o(&cfg)
	}
	core, err := bot.NewCore(bot.CoreConfig{Store: store, Now: clock.now, Logger: cfg.Logger, CorpusDir: corpusDir,
		Digest: bot.DigestConfig{TZ: cst, Every: 10 * time.Millisecond},
		Outbox: bot.OutboxConfig{Every: 10 * time.Millisecond, MinBackoff: 10 * time.Millisecond}}, engine)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := NewBot(cfg, core); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- core.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					tb.Errorf("core.Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				tb.Error("core.Run did not return")
			}
			store.Close()
		})
	}
	tb.Cleanup(stop)
	f.waitConnected(conn)
	return running{core: core, stop: stop}
}

func TestCoreAnswersPrivateQuestion(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-1", textMsg("m1", "user01", "", "哪个单位牵头步行街建设任务？"))
	s := f.waitSent(1)
	if s.Cmd != cmdRespond || s.ReqID != "req-1" {
		t.Fatalf("answer went by %s %s, want aibot_respond_msg on the callback's req_id", s.Cmd, s.ReqID)
	}
	if !strings.Contains(s.Content, "**市商务局**") || !strings.Contains(s.Content, "**来源**") || !strings.Contains(s.Content, MsgVoteByReply) {
		t.Errorf("answer markdown:\n%s", s.Content)
	}
}

// TestCoreGroupMentionAnsweredChatterIgnored: every callback that
// @-mentions the bot gets exactly one answer on its req_id; a group
// message without a mention gets none.
func TestCoreGroupMentionAnsweredChatterIgnored(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-chat", textMsg("m-chat", "user01", "wrkGroup1", "大家好，明天上午开会讨论步行街建设"))
	f.push("req-at", textMsg("m-at", "user01", "wrkGroup1", "@督查助手 哪个单位牵头步行街建设任务？"))
	f.push("req-at2", textMsg("m-at2", "user02", "wrkGroup1", "@督查助手 /notices"))
	first, second := f.waitSent(1), f.waitSent(2)
	time.Sleep(200 * time.Millisecond)
	answers := map[string]string{first.ReqID: first.Content, second.ReqID: second.Content}
	if n := f.sentCount(); n != 2 || first.Cmd != cmdRespond || second.Cmd != cmdRespond {
		t.Fatalf("%d messages sent (%v); want one answer to each mention and none to the chatter", n, f.allSent())
	}
	if !strings.Contains(answers["req-at"], "市商务局") || !strings.Contains(answers["req-at2"], "已加载") {
		t.Errorf("group answers: %v", answers)
	}
}

func TestCoreReloadAdminOnly(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-user", textMsg("m-user", "user01", "", "/reload"))
	if s := f.waitSent(1); !strings.Contains(s.Content, "只有管理员") {
		t.Errorf("reload by a non-admin:\n%s", s.Content)
	}
	f.push("req-admin", textMsg("m-admin", "admin01", "", "/reload"))
	if s := f.waitSent(2); !strings.Contains(s.Content, "重新加载完成") {
		t.Errorf("reload by an admin:\n%s", s.Content)
	}
}

// TestCoreDigestOnceAcrossRestart: a group subscribes; at its minute the
// digest is pushed to the group's chatid once, and a restart of the whole
// bot at that minute does not push it again.
func TestCoreDigestOnceAcrossRestart(t *testing.T) {
	f := newFakeWeCom(t)
	engine := samplesEngine(t)
	dataDir := t.TempDir()
	clock := &testClock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	r := runCore(t, f, engine, dataDir, "", clock, 1)
	f.push("req-nosub", textMsg("m-nosub", "user01", "wrkGroup1", "@督查助手 /subscribe 08:30"))
	if s := f.waitSent(1); !strings.Contains(s.Content, "只有机器人管理员") {
		t.Fatalf("subscribe by a member:\n%s", s.Content)
	}
	f.push("req-sub", textMsg("m-sub", "admin01", "wrkGroup1", "@督查助手 /subscribe 08:30"))
	if s := f.waitSent(2); !strings.Contains(s.Content, "已订阅每日提醒") {
		t.Fatalf("subscribe:\n%s", s.Content)
	}
	clock.set(time.Date(2021, 6, 25, 8, 30, 0, 0, cst))
	d := f.waitSent(3)
	if d.Cmd != cmdSend || d.ChatID != "wrkGroup1" || !strings.Contains(d.Content, "每日任务提醒 · 2021\\-06\\-25") && !strings.Contains(d.Content, "每日任务提醒 · 2021-06-25") {
		t.Fatalf("digest: %+v", d)
	}
	if !strings.Contains(d.Content, "半年工作小结") {
		t.Errorf("digest markdown:\n%s", d.Content)
	}
	time.Sleep(100 * time.Millisecond)
	before := f.sentCount()

	r.stop()
	clock.set(time.Date(2021, 6, 25, 8, 31, 0, 0, cst))
	runCore(t, f, engine, dataDir, "", clock, 2)
	time.Sleep(300 * time.Millisecond) // many scheduler ticks
	if n := f.sentCount(); n != before {
		t.Errorf("%d messages after the restart, want %d: %v", n, before, f.allSent()[before:])
	}
}

// TestCorePrivateDigestToUserID: a person subscribed in a one-to-one chat
// gets the digest pushed to their userid.
func TestCorePrivateDigestToUserID(t *testing.T) {
	f := newFakeWeCom(t)
	clock := &testClock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	runCore(t, f, samplesEngine(t), t.TempDir(), "", clock, 1)
	f.push("req-sub", textMsg("m-sub", "user01", "", "/subscribe 08:30"))
	if s := f.waitSent(1); !strings.Contains(s.Content, "已订阅每日提醒") {
		t.Fatalf("subscribe:\n%s", s.Content)
	}
	clock.set(time.Date(2021, 6, 25, 8, 30, 0, 0, cst))
	if d := f.waitSent(2); d.Cmd != cmdSend || d.ChatID != "user01" || !strings.Contains(d.Content, "每日任务提醒") {
		t.Errorf("private digest: %+v", d)
	}
}

func TestCoreAnswersAfterDroppedConnection(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-1", textMsg("m1", "user01", "", "/notices"))
	if s := f.waitSent(1); !strings.Contains(s.Content, "已加载") {
		t.Fatalf("notices:\n%s", s.Content)
	}
	f.drop()
	f.waitConnected(2)
	f.push("req-2", textMsg("m2", "user01", "", "哪个单位牵头步行街建设任务？"))
	if s := f.waitSent(2); s.ReqID != "req-2" || !strings.Contains(s.Content, "市商务局") {
		t.Errorf("answer after reconnecting: %+v", s)
	}
}

// TestCoreReplyRetriedAfterServerErrors: WeCom answers "system busy"
// twice; the outbox tries again and the answer is delivered exactly once,
// still on the callback's req_id.
func TestCoreReplyRetriedAfterServerErrors(t *testing.T) {
	f := newFakeWeCom(t)
	f.failReplies = 2
	clock := &testClock{t: time.Now()}
	runCore(t, f, samplesEngine(t), t.TempDir(), "", clock, 1)
	// The outbox retries on the core's clock: move it on.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				clock.set(clock.now().Add(time.Second))
			}
		}
	}()
	f.push("req-1", textMsg("m1", "user01", "", "哪个单位牵头步行街建设任务？"))
	s := f.waitSent(1)
	time.Sleep(200 * time.Millisecond)
	f.mu.Lock()
	refusals := append([]string{}, f.refusals...)
	f.mu.Unlock()
	if n := f.sentCount(); n != 1 || s.Cmd != cmdRespond || s.ReqID != "req-1" || len(refusals) != 2 {
		t.Errorf("%d delivered (%+v) after refusals %v; want one reply after two refusals", n, s, refusals)
	}
}

// TestCoreExpiredReplyPushed: a callback WeCom no longer takes answers
// for (its req_id expired) gets its answer pushed to the chat instead.
func TestCoreExpiredReplyPushed(t *testing.T) {
	f := newFakeWeCom(t)
	f.expired["req-old"] = true
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-old", textMsg("m1", "user01", "wrkGroup1", "@督查助手 哪个单位牵头步行街建设任务？"))
	if s := f.waitSent(1); s.Cmd != cmdSend || s.ChatID != "wrkGroup1" || !strings.Contains(s.Content, "市商务局") {
		t.Errorf("expired reply: %+v", s)
	}
}

// TestCoreLongAnswerSplit: an answer longer than one message goes out in
// parts of at most Config.MaxMessage bytes (here 1500), the first
// answering the callback and the rest pushed to the chat, in order.
func TestCoreLongAnswerSplit(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1, func(c *Config) { c.MaxMessage = 1500 })
	f.push("req-1", textMsg("m1", "user01", "", "/unit 市商务局"))
	first := f.waitSent(1)
	time.Sleep(300 * time.Millisecond)
	all := f.allSent()
	if len(all) < 2 {
		t.Fatalf("a 30-task page in %d message(s); want it split", len(all))
	}
	if first.Cmd != cmdRespond {
		t.Errorf("first part by %s", first.Cmd)
	}
	for i, s := range all {
		if len(s.Content) > 1500 {
			t.Errorf("part %d: %d bytes", i+1, len(s.Content))
		}
		if i > 0 && (s.Cmd != cmdSend || s.ChatID != "user01") {
			t.Errorf("part %d: %+v", i+1, s)
		}
	}
	if last := all[len(all)-1].Content; !strings.Contains(last, "下一页") {
		t.Errorf("last part does not say how to go on:\n%s", last)
	}
}

// TestCoreListingNextPage: “下一页” brings the next page of a listing as a
// new message.
func TestCoreListingNextPage(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("req-1", textMsg("m1", "user01", "", "/unit 市商务局"))
	f.waitSent(1)
	time.Sleep(300 * time.Millisecond)
	n := f.sentCount()
	if !strings.Contains(f.allSent()[n-1].Content, "第 1/") {
		t.Fatalf("first page ends:\n%s", f.allSent()[n-1].Content)
	}
	f.push("req-2", textMsg("m2", "user01", "", "下一页"))
	s := f.waitSent(n + 1)
	if s.ReqID != "req-2" {
		t.Errorf("next page not an answer to its message: %+v", s)
	}
	time.Sleep(300 * time.Millisecond)
	var text strings.Builder
	for _, s := range f.allSent()[n:] {
		text.WriteString(s.Content)
	}
	if !strings.Contains(text.String(), "第 2/") {
		t.Errorf("second page:\n%s", text.String())
	}
}

// encryptFile encrypts as WeCom does: AES-256-CBC, IV the key's first 16
// bytes, PKCS#7 padding to a multiple of 32.
func encryptFile(data, key []byte) []byte {
	pad := 32 - len(data)%32
	plain := append(append([]byte{}, data...), []byte(strings.Repeat(string(rune(pad)), pad))...)
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(out, plain)
	return out
}

// fileMsg is a file sent to the bot in a one-to-one chat.
func fileMsg(f *fakeWeCom, msgID, user, code, name string, data []byte) map[string]any {
	key := []byte("0123456789abcdef0123456789abcdef")
	f.mu.Lock()
	f.files[code], f.names[code] = encryptFile(data, key), name
	f.mu.Unlock()
	return map[string]any{"msgid": msgID, "aibotid": testBotID, "chattype": "single", "from": map[string]string{"userid": user},
		"msgtype": "file", "file": map[string]string{"url": f.srv.URL + "/files/" + code + "?sig=presigned-secret", "aeskey": base64.StdEncoding.EncodeToString(key)}}
}

// TestCoreAdminUpload: an admin's file in a one-to-one chat is
// downloaded, decrypted, saved and loaded; a non-admin's is refused
// without being fetched; a name taken is never replaced.
func TestCoreAdminUpload(t *testing.T) {
	f := newFakeWeCom(t)
	engine, dir := samplesEngineIn(t)
	runCore(t, f, engine, t.TempDir(), dir, &testClock{t: time.Now()}, 1)
	notice := "关于印发测试工作任务分工的通知\n\n一、重点任务\n1. 建设城市智慧停车平台。（牵头单位：市交通运输局；责任单位：市公安局）\n"

	f.push("req-user", fileMsg(f, "m-user", "user01", "c1", "停车.txt", []byte(notice)))
	if s := f.waitSent(1); !strings.Contains(s.Content, "只有管理员") {
		t.Fatalf("upload by a non-admin:\n%s", s.Content)
	}
	f.push("req-admin", fileMsg(f, "m-admin", "admin01", "c2", "停车.txt", []byte(notice)))
	if s := f.waitSent(2); !strings.Contains(s.Content, "已保存并加载 停车.txt：找到 1 项任务") {
		t.Fatalf("upload by an admin:\n%s", s.Content)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "停车.txt")); err != nil || string(data) != notice {
		t.Fatalf("saved file: %q, %v", data, err)
	}
	f.push("req-again", fileMsg(f, "m-again", "admin01", "c3", "停车.txt", []byte(notice)))
	if s := f.waitSent(3); !strings.Contains(s.Content, "已有 停车.txt，没有覆盖") {
		t.Errorf("same name again:\n%s", s.Content)
	}
	f.push("req-q", textMsg("m-q", "user01", "", "哪个单位牵头智慧停车平台？"))
	if s := f.waitSent(4); !strings.Contains(s.Content, "市交通运输局") {
		t.Errorf("question on the uploaded notice:\n%s", s.Content)
	}
}

// TestCoreWelcomeOnEnterChat: someone opening the robot's chat (the
// enter_chat event) is greeted on the event's req_id, with no other
// message.
func TestCoreWelcomeOnEnterChat(t *testing.T) {
	f := newFakeWeCom(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.pushCmd(cmdEvent, "req-enter", map[string]any{"msgid": "ev-1", "aibotid": testBotID, "chattype": "single",
		"from": map[string]string{"userid": "user01"}, "msgtype": "event", "event": map[string]string{"eventtype": "enter_chat"}})
	s := f.waitSent(1)
	time.Sleep(100 * time.Millisecond)
	if s.Cmd != cmdWelcome || s.ReqID != "req-enter" || s.Content != MsgWelcome || f.sentCount() != 1 {
		t.Errorf("welcome: %+v (%d sent)", s, f.sentCount())
	}
}

// heldEngine holds every answer until its context ends while hold is set.
type heldEngine struct {
	bot.Engine
	hold    atomic.Bool
	entered chan struct{}
}

func (h *heldEngine) ConverseWith(ctx context.Context, c *retrieval.Conversation, q string, opt retrieval.AnswerOptions) (retrieval.Answer, error) {
	if h.hold.Load() {
		select {
		case h.entered <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return retrieval.Answer{}, ctx.Err()
	}
	return h.Engine.ConverseWith(ctx, c, q, opt)
}

// TestCoreMessageCutByShutdownAnsweredAfterRestart: a question
// WeCom delivered and the bot was answering when it stopped gets no reply
// then (not even 出错了), stays in the inbox, and is answered once at the
// next start; the same msgid pushed again is ignored.
func TestCoreMessageCutByShutdownAnsweredAfterRestart(t *testing.T) {
	f := newFakeWeCom(t)
	data := t.TempDir()
	h := &heldEngine{Engine: samplesEngine(t), entered: make(chan struct{}, 1)}
	h.hold.Store(true)
	clock := &testClock{t: time.Now()}
	first := runCore(t, f, h, data, "", clock, 1)
	msg := textMsg("m-cut", "user01", "", "哪个单位牵头步行街建设任务？")
	f.push("req-cut", msg)
	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the question was never being answered")
	}
	first.stop()
	if n := f.sentCount(); n != 0 {
		t.Fatalf("%d replies while stopping: %v", n, f.allSent())
	}
	h.hold.Store(false)
	second := runCore(t, f, h, data, "", clock, 2)
	if s := f.waitSent(1); !strings.Contains(s.Content, "市商务局") {
		t.Errorf("answer after the restart:\n%s", s.Content)
	}
	f.push("req-again", msg) // the same message once more
	time.Sleep(300 * time.Millisecond)
	if n := f.sentCount(); n != 1 {
		t.Errorf("%d replies after the restart, want 1: %v", n, f.allSent())
	}
	if left, _ := second.core.Store().Unhandled(ChannelName); len(left) != 0 {
		t.Errorf("still in the inbox: %+v", left)
	}
}

// TestCoreMetricsConnectionAndCommands: the channel reports its
// connection to the core's metrics (what /healthz judges), and commands
// are counted under "wecom".
func TestCoreMetricsConnectionAndCommands(t *testing.T) {
	f := newFakeWeCom(t)
	r := runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	m := r.core.Metrics()
	waitFor(t, "connected", func() bool { return m.IsConnected(ChannelName) })
	f.push("req-1", textMsg("m1", "user01", "", "/notices"))
	f.waitSent(1)
	var b strings.Builder
	m.WriteText(&b, bot.Gauges{})
	for _, want := range []string{`assignbot_commands_total{channel="wecom",command="notices"} 1`, `assignbot_channel_connected{channel="wecom"} 1`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, b.String())
		}
	}
	r.stop()
	if m.IsConnected(ChannelName) {
		t.Error("still connected after stopping")
	}
}

// waitFor waits up to 5 s for cond.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	tb.Fatalf("never %s", what)
}
