package dingtalk

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

// End-to-end: the DingTalk channel on assignbot's core, over the sample
// notices, against the fake gateway and OpenAPI.

var cst = time.FixedZone("CST", 8*3600)

// testClock is the core's clock, which the digest tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// samplesEngine is the core's view of a retrieval engine over a copy of
// the sample notices.
func samplesEngine(tb testing.TB) *retrieval.Service {
	tb.Helper()
	e, _ := samplesEngineIn(tb)
	return e
}

// samplesEngineIn is samplesEngine, and the folder of its notices.
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

// running is a core with the DingTalk channel, running until stop.
type running struct {
	core *bot.Core
	stop func()
}

// The TestCore tests, which run a whole core over an index, run one at a
// time: several together on two cores, under the race detector, outlast
// their waits.

// runCore starts a core over the store in dataDir with the DingTalk
// channel on the fake, and waits for the stream to connect (connection
// number conn).
func runCore(tb testing.TB, f *fakeDingTalk, engine bot.Engine, dataDir string, clock *testClock, conn int) running {
	tb.Helper()
	return runCoreIn(tb, f, engine, dataDir, "", clock, conn)
}

// runCoreIn is runCore with uploads saved into corpusDir.
func runCoreIn(tb testing.TB, f *fakeDingTalk, engine bot.Engine, dataDir, corpusDir string, clock *testClock, conn int) running {
	tb.Helper()
	store, err := bot.OpenStore(dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := testConfig(f, nil)
	cfg.MaxDownload = 1 << 20
	core, err := bot.NewCore(bot.CoreConfig{Store: store, Now: clock.now, Logger: cfg.Logger, CorpusDir: corpusDir,
		Digest: bot.DigestConfig{TZ: cst, Every: 10 * time.Millisecond}, Outbox: bot.OutboxConfig{Every: 10 * time.Millisecond}}, engine)
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

// waitHook waits for webhook reply number n (from 1) and returns its
// markdown text.
func (f *fakeDingTalk) waitHook(n int) string {
	f.tb.Helper()
	// Generous: a /reload under qemu emulation on a busy machine took over 10 s.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		if len(f.hookCalls) >= n {
			md, _ := f.hookCalls[n-1]["markdown"].(map[string]any)
			f.mu.Unlock()
			text, _ := md["text"].(string)
			return text
		}
		f.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	f.tb.Fatalf("webhook reply %d never came", n)
	return ""
}

func (f *fakeDingTalk) hooks() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.hookCalls) }

// groupDigests returns the digests sent to groups through the OpenAPI.
func (f *fakeDingTalk) groupDigests() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any{}, f.groupSends...)
}

func TestCoreAnswersPrivateQuestion(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f1", privateText("m1", "哪个单位牵头步行街建设任务？", f.hookURL("s1"))))
	text := f.waitHook(1)
	if !strings.Contains(text, "**市商务局**") || !strings.Contains(text, "**来源**") || strings.Contains(text, "<b>") {
		t.Errorf("answer markdown:\n%s", text)
	}
	if ack := f.waitAck("f1"); ack.Code != 200 {
		t.Errorf("ack %d", ack.Code)
	}
}

func TestCoreGroupMentionAnsweredChatterIgnored(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f-chat", groupText("m-chat", "大家好，明天上午开会讨论步行街建设", f.hookURL("s"), false)))
	f.waitAck("f-chat")
	f.push(robotFrame("f-at", groupText("m-at", " 哪个单位牵头步行街建设任务？", f.hookURL("s"), true)))
	if text := f.waitHook(1); !strings.Contains(text, "市商务局") {
		t.Errorf("group answer:\n%s", text)
	}
	time.Sleep(200 * time.Millisecond)
	if n := f.hooks(); n != 1 {
		t.Errorf("%d replies; the group chatter was answered too", n)
	}
}

func TestCoreReloadAdminOnly(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f-user", privateText("m-user", "/reload", f.hookURL("s"))))
	if text := f.waitHook(1); !strings.Contains(text, "只有管理员") {
		t.Errorf("reload by a non-admin:\n%s", text)
	}
	admin := privateText("m-admin", "/reload", f.hookURL("s"))
	admin["senderStaffId"] = "staff-admin"
	f.push(robotFrame("f-admin", admin))
	if text := f.waitHook(2); !strings.Contains(text, "重新加载完成") || !strings.Contains(text, "任务") {
		t.Errorf("reload by an admin:\n%s", text)
	}
}

// TestCoreDigestOnceAcrossRestart: a group subscribes; at its minute the
// digest goes to the group through the OpenAPI, once, and a restart of
// the whole bot at that minute does not send it again.
func TestCoreDigestOnceAcrossRestart(t *testing.T) {
	f := newFakeDingTalk(t)
	engine := samplesEngine(t)
	dataDir := t.TempDir()
	clock := &testClock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	r := runCore(t, f, engine, dataDir, clock, 1)
	f.push(robotFrame("f-nosub", groupText("m-nosub", " /subscribe 08:30", f.hookURL("s"), true)))
	if text := f.waitHook(1); !strings.Contains(text, "只有机器人管理员") {
		t.Fatalf("subscribe by a member:\n%s", text)
	}
	sub := groupText("m-sub", " /subscribe 08:30", f.hookURL("s"), true)
	sub["senderStaffId"] = "staff-admin"
	f.push(robotFrame("f-sub", sub))
	if text := f.waitHook(2); !strings.Contains(text, "已订阅每日提醒") || !strings.Contains(text, "今天 08:30") {
		t.Fatalf("subscribe:\n%s", text)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(f.groupDigests()); n != 0 {
		t.Fatalf("%d digests before the minute", n)
	}
	clock.set(time.Date(2021, 6, 25, 8, 30, 0, 0, cst))
	deadline := time.Now().Add(10 * time.Second)
	for len(f.groupDigests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	sends := f.groupDigests()
	if len(sends) != 1 || sends[0]["openConversationId"] != "cidGroup123==" || sends[0]["msgKey"] != "sampleMarkdown" {
		t.Fatalf("digest sends: %v", sends)
	}
	var param struct{ Title, Text string }
	json.Unmarshal([]byte(sends[0]["msgParam"].(string)), &param)
	if !strings.Contains(param.Text, "每日任务提醒 · 2021-06-25") || !strings.Contains(param.Text, "半年工作小结") {
		t.Errorf("digest markdown:\n%s", param.Text)
	}

	r.stop()
	clock.set(time.Date(2021, 6, 25, 8, 31, 0, 0, cst))
	runCore(t, f, engine, dataDir, clock, 2)
	time.Sleep(300 * time.Millisecond) // many scheduler ticks
	if n := len(f.groupDigests()); n != 1 {
		t.Errorf("%d digests after the restart, want 1", n)
	}
}

func TestCoreAnswersAfterDroppedConnection(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f1", privateText("m1", "/notices", f.hookURL("s"))))
	if text := f.waitHook(1); !strings.Contains(text, "已加载") {
		t.Fatalf("notices:\n%s", text)
	}
	f.drop()
	f.waitConnected(2)
	f.push(robotFrame("f2", privateText("m2", "哪个单位牵头步行街建设任务？", f.hookURL("s"))))
	if text := f.waitHook(2); !strings.Contains(text, "市商务局") {
		t.Errorf("answer after reconnecting:\n%s", text)
	}
}

// privateFile is a file sent to the robot in a one-to-one chat.
func privateFile(msgID, code, name, staff, hook string) map[string]any {
	m := privateText(msgID, "", hook)
	delete(m, "text")
	m["msgtype"], m["senderStaffId"] = "file", staff
	m["content"] = map[string]any{"downloadCode": code, "fileName": name}
	return m
}

// TestCoreAdminUpload: an admin's file in a one-to-one chat is
// downloaded, saved and loaded; a non-admin's is refused; a name taken
// is never replaced.
func TestCoreAdminUpload(t *testing.T) {
	f := newFakeDingTalk(t)
	engine, dir := samplesEngineIn(t)
	runCoreIn(t, f, engine, t.TempDir(), dir, &testClock{t: time.Now()}, 1)
	notice := "关于印发测试工作任务分工的通知\n\n一、重点任务\n1. 建设城市智慧停车平台。（牵头单位：市交通运输局；责任单位：市公安局）\n"
	f.mu.Lock()
	f.files["code-1"] = []byte(notice)
	f.mu.Unlock()

	f.push(robotFrame("f-user", privateFile("m-user", "code-1", "停车.txt", "staff-001", f.hookURL("s"))))
	if text := f.waitHook(1); !strings.Contains(text, "只有管理员") {
		t.Fatalf("upload by a non-admin:\n%s", text)
	}
	f.push(robotFrame("f-admin", privateFile("m-admin", "code-1", "停车.txt", "staff-admin", f.hookURL("s"))))
	text := f.waitHook(2)
	if !strings.Contains(text, "已保存并加载 停车.txt：找到 1 项任务") || !strings.Contains(text, "重新加载完成") {
		t.Fatalf("upload by an admin:\n%s", text)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "停车.txt")); err != nil || string(data) != notice {
		t.Fatalf("saved file: %q, %v", data, err)
	}
	f.push(robotFrame("f-again", privateFile("m-again", "code-1", "停车.txt", "staff-admin", f.hookURL("s"))))
	if text := f.waitHook(3); !strings.Contains(text, "已有 停车.txt，没有覆盖") {
		t.Errorf("same name again:\n%s", text)
	}
	f.push(robotFrame("f-q", privateText("m-q", "哪个单位牵头智慧停车平台？", f.hookURL("s"))))
	if text := f.waitHook(4); !strings.Contains(text, "市交通运输局") {
		t.Errorf("question on the uploaded notice:\n%s", text)
	}
}

// TestCoreListingNextPage: a robot message cannot be edited, so a long
// unit listing goes on with “下一页”, a new message with the next page.
func TestCoreListingNextPage(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f1", privateText("m1", "/unit 市商务局", f.hookURL("s"))))
	first := f.waitHook(1)
	if !strings.Contains(first, "第 1/") || !strings.Contains(first, "下一页") {
		t.Fatalf("first page:\n%s", first)
	}
	f.push(robotFrame("f2", privateText("m2", "下一页", f.hookURL("s"))))
	second := f.waitHook(2)
	if !strings.Contains(second, "第 2/") || second == first || !strings.Contains(second, "市商务局") {
		t.Errorf("second page:\n%s", second)
	}
}

// TestCorePrivateDigestToStaffID: a person subscribed in a one-to-one
// chat gets the digest as a one-to-one robot message to their staff id.
func TestCorePrivateDigestToStaffID(t *testing.T) {
	f := newFakeDingTalk(t)
	clock := &testClock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	runCore(t, f, samplesEngine(t), t.TempDir(), clock, 1)
	f.push(robotFrame("f-sub", privateText("m-sub", "/subscribe 08:30", f.hookURL("s"))))
	if text := f.waitHook(1); !strings.Contains(text, "已订阅每日提醒") {
		t.Fatalf("subscribe:\n%s", text)
	}
	clock.set(time.Date(2021, 6, 25, 8, 30, 0, 0, cst))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		n := len(f.otoSends)
		f.mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.otoSends) != 1 || len(f.groupSends) != 0 {
		t.Fatalf("%d private sends, %d group sends", len(f.otoSends), len(f.groupSends))
	}
	users, _ := f.otoSends[0]["userIds"].([]any)
	if len(users) != 1 || users[0] != "staff-001" || !strings.Contains(f.otoSends[0]["msgParam"].(string), "每日任务提醒 · 2021-06-25") {
		t.Errorf("private digest: %v", f.otoSends[0])
	}
}

// TestCoreVoteByReply: an answer asks for 有用/没用; the reply is stored
// as that person's vote on it, once however often they say it, and
// /feedback shows the 👎 to an admin only.
func TestCoreVoteByReply(t *testing.T) {
	f := newFakeDingTalk(t)
	r := runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f1", privateText("m1", "哪个单位牵头步行街建设任务？", f.hookURL("s1"))))
	if text := f.waitHook(1); !strings.Contains(text, MsgVoteByReply) {
		t.Fatalf("answer without the vote line:\n%s", text)
	}
	f.push(robotFrame("f2", privateText("m2", "没用", f.hookURL("s1"))))
	if text := f.waitHook(2); !strings.Contains(text, bot.MsgVoted) {
		t.Fatalf("vote reply:\n%s", text)
	}
	f.push(robotFrame("f3", privateText("m3", "没用。", f.hookURL("s1"))))
	f.waitHook(3)
	down, err := r.core.Store().LatestDown(10)
	if err != nil || len(down) != 1 || down[0].Question != "哪个单位牵头步行街建设任务？" || len(down[0].Citations) == 0 ||
		down[0].Chat.Channel != "dingtalk" {
		t.Fatalf("stored votes %+v, %v; want one 👎 with the question and citations", down, err)
	}
	f.push(robotFrame("f4", privateText("m4", "/feedback", f.hookURL("s1"))))
	if text := f.waitHook(4); !strings.Contains(text, "只有管理员") {
		t.Errorf("/feedback by a non-admin:\n%s", text)
	}
	admin := privateText("m5", "/feedback", f.hookURL("s1"))
	admin["senderStaffId"] = "staff-admin"
	f.push(robotFrame("f5", admin))
	if text := f.waitHook(5); !strings.Contains(text, "哪个单位牵头步行街建设任务？") || !strings.Contains(text, "dingtalk") {
		t.Errorf("/feedback by an admin:\n%s", text)
	}
}

// TestCoreExportPointsElsewhere: the robot's session webhook cannot carry
// a file, so /export says what it chose and where to download it.
func TestCoreExportPointsElsewhere(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, samplesEngine(t), t.TempDir(), &testClock{t: time.Now()}, 1)
	f.push(robotFrame("f1", privateText("m1", "/export 市商务局", f.hookURL("s1"))))
	text := f.waitHook(1)
	if !strings.Contains(text, "不能发送文件") || !strings.Contains(text, "WEB\\_ADDR") || !strings.Contains(text, "assignbot export --unit 市商务局") {
		t.Errorf("/export on DingTalk:\n%s", text)
	}
	f.push(robotFrame("f2", privateText("m2", "/export 不存在的单位", f.hookURL("s1"))))
	if text := f.waitHook(2); !strings.Contains(text, "没有找到") {
		t.Errorf("/export of an unknown name:\n%s", text)
	}
}

// panickyEngine panics on a reload, and on a question holding "boom".
type panickyEngine struct{ bot.Engine }

func (panickyEngine) Reload(context.Context) (retrieval.Loaded, error) {
	panic("deliberate reload failure")
}

func (p panickyEngine) ConverseWith(ctx context.Context, c *retrieval.Conversation, q string, opt retrieval.AnswerOptions) (retrieval.Answer, error) {
	if strings.Contains(q, "boom") {
		panic("deliberate answer failure")
	}
	return p.Engine.ConverseWith(ctx, c, q, opt)
}

// TestCorePanicsCostOneMessage: an engine that panics on /reload and on
// one question leaves the bot running: the admin is told the reload
// failed, the question gets the friendly error, the next one its answer.
func TestCorePanicsCostOneMessage(t *testing.T) {
	f := newFakeDingTalk(t)
	runCore(t, f, panickyEngine{samplesEngine(t)}, t.TempDir(), &testClock{t: time.Now()}, 1)
	admin := privateText("m-admin", "/reload", f.hookURL("s"))
	admin["senderStaffId"] = "staff-admin"
	f.push(robotFrame("f-admin", admin))
	if text := f.waitHook(1); !strings.Contains(text, "重新加载失败") || !strings.Contains(text, "仍在使用原来的通知") {
		t.Errorf("reload that panics:\n%s", text)
	}
	f.push(robotFrame("f-boom", privateText("m-boom", "boom 谁牵头？", f.hookURL("s"))))
	if text := f.waitHook(2); !strings.Contains(text, bot.MsgError) {
		t.Errorf("question that panics:\n%s", text)
	}
	f.push(robotFrame("f-q", privateText("m-q", "琴台美术馆建设由谁牵头？", f.hookURL("s"))))
	if text := f.waitHook(3); !strings.Contains(text, "市文化和旅游局") {
		t.Errorf("question after the panics:\n%s", text)
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
// acknowledged to the gateway and being answered when the bot stops gets
// no reply then (not even 出错了), stays in the inbox, and is answered
// once at the next start; the gateway delivering it again is ignored.
func TestCoreMessageCutByShutdownAnsweredAfterRestart(t *testing.T) {
	f := newFakeDingTalk(t)
	data := t.TempDir()
	h := &heldEngine{Engine: samplesEngine(t), entered: make(chan struct{}, 1)}
	h.hold.Store(true)
	clock := &testClock{t: time.Now()}
	first := runCore(t, f, h, data, clock, 1)
	msg := privateText("m-cut", "哪个单位牵头步行街建设任务？", f.hookURL("s"))
	f.push(robotFrame("f-cut", msg))
	if ack := f.waitAck("f-cut"); ack.Code != 200 {
		t.Fatalf("ack %d", ack.Code)
	}
	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the question was never being answered")
	}
	first.stop()
	if n := f.hooks(); n != 0 {
		t.Fatalf("%d replies while stopping", n)
	}
	h.hold.Store(false)
	second := runCore(t, f, h, data, clock, 2)
	if text := f.waitHook(1); !strings.Contains(text, "市商务局") {
		t.Errorf("answer after the restart:\n%s", text)
	}
	f.push(robotFrame("f-again", msg)) // the gateway delivers it again
	f.waitAck("f-again")
	time.Sleep(300 * time.Millisecond)
	if n := f.hooks(); n != 1 {
		t.Errorf("%d replies after the restart, want 1", n)
	}
	if left, _ := second.core.Store().Unhandled(ChannelName); len(left) != 0 {
		t.Errorf("still in the inbox: %+v", left)
	}
}
