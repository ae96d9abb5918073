package feishu

import (
	"context"
	"encoding/json"
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

// End-to-end: the Feishu channel on assignbot's core, over the sample
// notices, against the fake long connection and REST API.

var cst = time.FixedZone("CST", 8*3600)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

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

func runCore(tb testing.TB, f *fakeFeishu, engine bot.Engine, dataDir, corpusDir string, clock *testClock, conn int, opts ...func(*Config)) running {
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
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "哪个单位牵头步行街建设任务？", false, false), 1)
	if code := f.waitAck("f1"); code != 200 {
		t.Errorf("ack %d", code)
	}
	d := f.waitSent(1)
	if d.Op != "reply" || d.To != "om_1" || d.UUID == "" {
		t.Fatalf("answer went as %+v", d)
	}
	if !strings.Contains(d.Text, "**市商务局**") || !strings.Contains(d.Text, "**来源**") || !strings.Contains(d.Text, MsgVoteByReply) ||
		strings.Contains(d.Text, "\\") || !strings.Contains(d.Title, "步行街") {
		t.Errorf("answer: %s\n%s", d.Title, d.Text)
	}
}

// TestCoreGroupMentionAnsweredChatterIgnored: a group message that
// @-mentions the bot is answered; one that mentions only someone else,
// and one with no mention, are not. Every event is acknowledged.
func TestCoreGroupMentionAnsweredChatterIgnored(t *testing.T) {
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f-chat", msgEvent("ev-chat", "om_chat", "ou_user", "oc_group", "大家好，明天上午开会讨论步行街建设", false, false), 1)
	f.push("f-other", msgEvent("ev-other", "om_other", "ou_user", "oc_group", "哪个单位牵头步行街建设任务？", false, true), 1)
	f.push("f-at", msgEvent("ev-at", "om_at", "ou_user", "oc_group", "哪个单位牵头步行街建设任务？", true, false), 1)
	for _, id := range []string{"f-chat", "f-other", "f-at"} {
		if code := f.waitAck(id); code != 200 {
			t.Errorf("%s: ack %d", id, code)
		}
	}
	d := f.waitSent(1)
	time.Sleep(300 * time.Millisecond)
	if all := f.allSent(); len(all) != 1 || d.To != "om_at" || !strings.Contains(d.Text, "市商务局") {
		t.Errorf("sent %+v; want one answer, to the mention", all)
	}
}

func TestCoreReloadAdminOnly(t *testing.T) {
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f-user", msgEvent("ev-user", "om_u", "ou_user", "", "/reload", false, false), 1)
	if d := f.waitSent(1); !strings.Contains(d.Text, "只有管理员") {
		t.Errorf("reload by a non-admin:\n%s", d.Text)
	}
	f.push("f-admin", msgEvent("ev-admin", "om_a", "ou_admin", "", "/reload", false, false), 1)
	if d := f.waitSent(2); !strings.Contains(d.Text, "重新加载完成") {
		t.Errorf("reload by an admin:\n%s", d.Text)
	}
}

// TestCoreDigestOnceAcrossRestart: a group subscribes; at its minute the
// digest is posted to the group's chat_id once, and a restart of the
// whole bot at that minute does not post it again.
func TestCoreDigestOnceAcrossRestart(t *testing.T) {
	f := newFakeFeishu(t)
	engine := samplesEngine(t)
	dataDir := t.TempDir()
	clock := &testClock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	r := runCore(t, f, engine, dataDir, "", clock, 1)
	f.push("f-nosub", msgEvent("ev-nosub", "om_nosub", "ou_user", "oc_group", "/subscribe 08:30", true, false), 1)
	if d := f.waitSent(1); !strings.Contains(d.Text, "只有机器人管理员") {
		t.Fatalf("subscribe by a member:\n%s", d.Text)
	}
	f.push("f-sub", msgEvent("ev-sub", "om_sub", "ou_admin", "oc_group", "/subscribe 08:30", true, false), 1)
	if d := f.waitSent(2); !strings.Contains(d.Text, "已订阅每日提醒") {
		t.Fatalf("subscribe:\n%s", d.Text)
	}
	clock.set(time.Date(2021, 6, 25, 8, 30, 0, 0, cst))
	d := f.waitSent(3)
	if d.Op != "send" || d.To != "oc_group" || d.Title != "每日任务提醒 · 2021-06-25" || !strings.Contains(d.Text, "半年工作小结") {
		t.Fatalf("digest: %+v", d)
	}
	time.Sleep(100 * time.Millisecond)
	before := len(f.allSent())

	r.stop()
	clock.set(time.Date(2021, 6, 25, 8, 31, 0, 0, cst))
	runCore(t, f, engine, dataDir, "", clock, 2)
	time.Sleep(300 * time.Millisecond)
	if all := f.allSent(); len(all) != before {
		t.Errorf("%d messages after the restart, want %d: %+v", len(all), before, all[before:])
	}
}

func TestCoreAnswersAfterDroppedConnection(t *testing.T) {
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "/notices", false, false), 1)
	if d := f.waitSent(1); !strings.Contains(d.Text, "已加载") {
		t.Fatalf("notices:\n%s", d.Text)
	}
	f.drop()
	f.waitConnected(2)
	f.push("f2", msgEvent("ev2", "om_2", "ou_user", "", "哪个单位牵头步行街建设任务？", false, false), 1)
	if d := f.waitSent(2); d.To != "om_2" || !strings.Contains(d.Text, "市商务局") {
		t.Errorf("answer after reconnecting: %+v", d)
	}
}

// TestCoreReplyRetriedAfterServerErrors: the reply API answers 500 twice;
// the outbox tries again and the answer is delivered exactly once, with
// one uuid.
func TestCoreReplyRetriedAfterServerErrors(t *testing.T) {
	f := newFakeFeishu(t)
	f.failReplies = 2
	clock := &testClock{t: time.Now()}
	runCore(t, f, samplesEngine(t), t.TempDir(), "", clock, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() { // the outbox retries on the core's clock: move it on
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				clock.set(clock.now().Add(time.Second))
			}
		}
	}()
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "哪个单位牵头步行街建设任务？", false, false), 1)
	d := f.waitSent(1)
	time.Sleep(200 * time.Millisecond)
	f.mu.Lock()
	left := f.failReplies
	f.mu.Unlock()
	if all := f.allSent(); len(all) != 1 || d.Op != "reply" || left != 0 {
		t.Errorf("sent %+v with %d failures left; want one reply after two failures", all, left)
	}
}

// TestCoreWithdrawnMessagePostedToChat: the answer to a message withdrawn
// meanwhile is posted to its chat.
func TestCoreWithdrawnMessagePostedToChat(t *testing.T) {
	f := newFakeFeishu(t)
	f.withdrawn["om_gone"] = true
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f1", msgEvent("ev1", "om_gone", "ou_user", "oc_group", "哪个单位牵头步行街建设任务？", true, false), 1)
	if d := f.waitSent(1); d.Op != "send" || d.To != "oc_group" || !strings.Contains(d.Text, "市商务局") {
		t.Errorf("answer to a withdrawn message: %+v", d)
	}
}

// TestCoreLongAnswerSplit: an answer longer than Config.MaxMessage goes
// out as several replies, each within the limit, in order.
func TestCoreLongAnswerSplit(t *testing.T) {
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1, func(c *Config) { c.MaxMessage = 1500 })
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "/unit 市商务局", false, false), 1)
	f.waitSent(1)
	time.Sleep(300 * time.Millisecond)
	all := f.allSent()
	if len(all) < 2 {
		t.Fatalf("a 30-task page in %d message(s); want it split", len(all))
	}
	for i, d := range all {
		if d.Op != "reply" || d.To != "om_1" || len(d.Content) > 3000 || !strings.Contains(d.Title, "/") {
			t.Errorf("part %d: %s %s %d bytes, title %q", i+1, d.Op, d.To, len(d.Content), d.Title)
		}
	}
	if !strings.Contains(all[len(all)-1].Text, "下一页") {
		t.Errorf("last part does not say how to go on:\n%s", all[len(all)-1].Text)
	}
}

func TestCoreListingNextPage(t *testing.T) {
	f := newFakeFeishu(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "/unit 市商务局", false, false), 1)
	if d := f.waitSent(1); !strings.Contains(d.Text, "第 1/") {
		t.Fatalf("first page:\n%s", d.Text)
	}
	f.push("f2", msgEvent("ev2", "om_2", "ou_user", "", "下一页", false, false), 1)
	if d := f.waitSent(2); d.To != "om_2" || !strings.Contains(d.Text, "第 2/") {
		t.Errorf("second page: %+v", d)
	}
}

// fileEvent is a file sent to the bot in a one-to-one chat.
func fileEvent(f *fakeFeishu, eventID, msgID, sender, key, name string, data []byte) map[string]any {
	f.mu.Lock()
	f.files[msgID+"/"+key] = data
	f.mu.Unlock()
	ev := msgEvent(eventID, msgID, sender, "", "", false, false)
	content, _ := json.Marshal(map[string]string{"file_key": key, "file_name": name})
	msg := ev["event"].(map[string]any)["message"].(map[string]any)
	msg["message_type"], msg["content"] = "file", string(content)
	return ev
}

// TestCoreAdminUpload: an admin's file in a one-to-one chat is fetched
// through the message-resource API, saved and loaded; a non-admin's is
// refused; a name taken is never replaced.
func TestCoreAdminUpload(t *testing.T) {
	f := newFakeFeishu(t)
	engine, dir := samplesEngineIn(t)
	runCore(t, f, engine, t.TempDir(), dir, &testClock{t: time.Now()}, 1)
	notice := "关于印发测试工作任务分工的通知\n\n一、重点任务\n1. 建设城市智慧停车平台。（牵头单位：市交通运输局；责任单位：市公安局）\n"
	f.push("f-user", fileEvent(f, "ev-user", "om_u", "ou_user", "file_k1", "停车.txt", []byte(notice)), 1)
	if d := f.waitSent(1); !strings.Contains(d.Text, "只有管理员") {
		t.Fatalf("upload by a non-admin:\n%s", d.Text)
	}
	f.push("f-admin", fileEvent(f, "ev-admin", "om_a", "ou_admin", "file_k2", "停车.txt", []byte(notice)), 1)
	if d := f.waitSent(2); !strings.Contains(d.Text, "已保存并加载 停车.txt：找到 1 项任务") {
		t.Fatalf("upload by an admin:\n%s", d.Text)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "停车.txt")); err != nil || string(data) != notice {
		t.Fatalf("saved file: %q, %v", data, err)
	}
	f.push("f-again", fileEvent(f, "ev-again", "om_b", "ou_admin", "file_k3", "停车.txt", []byte(notice)), 1)
	if d := f.waitSent(3); !strings.Contains(d.Text, "已有 停车.txt，没有覆盖") {
		t.Errorf("same name again:\n%s", d.Text)
	}
	f.push("f-q", msgEvent("ev-q", "om_q", "ou_user", "", "哪个单位牵头智慧停车平台？", false, false), 1)
	if d := f.waitSent(4); !strings.Contains(d.Text, "市交通运输局") {
		t.Errorf("question on the uploaded notice:\n%s", d.Text)
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
// whose event was acknowledged and that was being answered when the bot
// stopped gets no reply then (not even 出错了), stays in the inbox, and is
// answered once at the next start; Feishu pushing the event again is
// acknowledged and ignored.
func TestCoreMessageCutByShutdownAnsweredAfterRestart(t *testing.T) {
	f := newFakeFeishu(t)
	data := t.TempDir()
	h := &heldEngine{Engine: samplesEngine(t), entered: make(chan struct{}, 1)}
	h.hold.Store(true)
	clock := &testClock{t: time.Now()}
	first := runCore(t, f, h, data, "", clock, 1)
	ev := msgEvent("ev-cut", "om_cut", "ou_user", "", "哪个单位牵头步行街建设任务？", false, false)
	f.push("f-cut", ev, 1)
	if code := f.waitAck("f-cut"); code != 200 {
		t.Fatalf("ack %d", code)
	}
	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the question was never being answered")
	}
	first.stop()
	if sent := f.allSent(); len(sent) != 0 {
		t.Fatalf("%d replies while stopping: %+v", len(sent), sent)
	}
	h.hold.Store(false)
	second := runCore(t, f, h, data, "", clock, 2)
	if d := f.waitSent(1); d.Op != "reply" || d.To != "om_cut" || !strings.Contains(d.Text, "市商务局") {
		t.Errorf("answer after the restart: %+v", d)
	}
	f.push("f-again", ev, 1) // Feishu pushes the event again
	if code := f.waitAck("f-again"); code != 200 {
		t.Errorf("ack of the event pushed again: %d", code)
	}
	time.Sleep(300 * time.Millisecond)
	if sent := f.allSent(); len(sent) != 1 {
		t.Errorf("%d replies after the restart, want 1: %+v", len(sent), sent)
	}
	if left, _ := second.core.Store().Unhandled(ChannelName); len(left) != 0 {
		t.Errorf("still in the inbox: %+v", left)
	}
}

// TestCoreMetricsConnectionAndCommands: the channel reports its
// connection to the core's metrics (what /healthz judges), and commands
// are counted under "feishu".
func TestCoreMetricsConnectionAndCommands(t *testing.T) {
	f := newFakeFeishu(t)
	r := runCore(t, f, samplesEngine(t), t.TempDir(), "", &testClock{t: time.Now()}, 1)
	m := r.core.Metrics()
	waitFor(t, "connected", func() bool { return m.IsConnected(ChannelName) })
	f.push("f1", msgEvent("ev1", "om_1", "ou_user", "", "/notices", false, false), 1)
	f.waitSent(1)
	var b strings.Builder
	m.WriteText(&b, bot.Gauges{})
	for _, want := range []string{`assignbot_commands_total{channel="feishu",command="notices"} 1`, `assignbot_channel_connected{channel="feishu"} 1`} {
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
