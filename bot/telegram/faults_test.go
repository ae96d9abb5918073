package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/retrieval"
)

// The bot under faults and hostile use.

// runBot runs the bot's polling loop until the test ends.
func (tb *testBot) runBot(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor waits for a sent message containing want.
func (tb *testBot) waitFor(t *testing.T, want string, timeout time.Duration) sentMessage {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m := <-tb.tg.sentCh:
			if strings.Contains(m.Text, want) {
				return m
			}
		case <-deadline:
			t.Fatalf("no message with %q within %s", want, timeout)
			return sentMessage{}
		}
	}
}

// TestUndecodableUpdateSkipped: one update the library cannot decode is
// skipped, logged once with its id, and later questions are answered.
func TestUndecodableUpdateSkipped(t *testing.T) {
	t.Parallel()
	log, logs := captureLog()
	tb := newTestBotConfig(t, testConfig{Logger: log})
	// message_id must be a number: models.Update cannot decode this one.
	tb.tg.updates <- json.RawMessage(`{"update_id":777001,"message":{"message_id":"x","date":0,"chat":{"id":2,"type":"private"},"text":"hi"}}`)
	tb.tg.queue(private(userID, "琴台美术馆建设由谁牵头？"))
	tb.runBot(t)
	tb.waitFor(t, "市文化和旅游局", 10*time.Second)
	if n := strings.Count(logs.String(), "update=777001"); n != 1 {
		t.Errorf("the skipped update is named in %d log lines, want 1:\n%s", n, logs)
	}
}

// hangingModel never answers until its context ends.
type hangingModel struct{ calls atomic.Int64 }

func (h *hangingModel) Complete(ctx context.Context, _, _ string) (string, error) {
	h.calls.Add(1)
	<-ctx.Done()
	return "", ctx.Err()
}

// TestHangingModelDoesNotStarveCommands: with the model hanging, commands
// and questions beyond the model's slots are answered at once, and the
// questions holding a slot get the offline answer when LLM_TIMEOUT passes.
func TestHangingModelDoesNotStarveCommands(t *testing.T) {
	t.Parallel()
	model := &hangingModel{}
	const timeout = 2 * time.Second
	tb := newTestBotWith(t, testConfig{Workers: 4, LLMTimeout: timeout, PerMinute: 1000},
		testOptions{llm: retrieval.LimitCompleter(model, 2, timeout)})
	tb.runBot(t)
	start := time.Now()
	for u := range 6 {
		tb.tg.queue(private(int64(100+u), "哪个单位牵头步行街建设任务？"))
	}
	// /help comes once the model's two slots are taken.
	for wait := time.Now().Add(10 * time.Second); model.calls.Load() < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(wait) {
			t.Fatalf("%d model calls after 10s, want 2", model.calls.Load())
		}
	}
	tb.tg.queue(private(555, "/help"))
	// Order of arrival: the 4 questions beyond the 2 model slots and /help
	// come before the 2 questions that wait for the model's timeout.
	var order []string
	deadline := time.After(timeout + 10*time.Second)
	for len(order) < 7 {
		select {
		case m := <-tb.tg.sentCh:
			switch {
			case strings.Contains(m.Text, "可以这样问"):
				order = append(order, "help")
			case strings.Contains(m.Text, "市商务局"):
				order = append(order, "answer")
			}
		case <-deadline:
			t.Fatalf("after %s: %v", time.Since(start), order)
		}
	}
	if got := strings.Join(order[5:], ","); got != "answer,answer" {
		t.Errorf("arrival order %v: /help or offline answers waited for the model", order)
	}
	if took := time.Since(start); took < timeout {
		t.Errorf("all answered in %s, before the model's timeout %s: the hanging model was not called", took, timeout)
	}
	if n := model.calls.Load(); n != 2 {
		t.Errorf("%d model calls, want 2 (the limit)", n)
	}
	// LLM_TIMEOUT above the old hard-coded 30 s is honoured.
	if a := retrieval.NewAnswerer(nil, retrieval.LimitCompleter(model, 1, 45*time.Second)); a.Timeout != 45*time.Second {
		t.Errorf("answerer timeout %s, want LLM_TIMEOUT 45s", a.Timeout)
	}
}

// loadingEngine is an engine whose first index is not built yet.
type loadingEngine struct{}

func (loadingEngine) Answer(context.Context, string) (retrieval.Answer, error) {
	return retrieval.Answer{}, bot.ErrLoading
}
func (loadingEngine) Reload(context.Context) (*retrieval.Index, error) {
	return nil, retrieval.ErrReloadRunning
}
func (loadingEngine) ConverseWith(context.Context, *retrieval.Conversation, string, retrieval.AnswerOptions) (retrieval.Answer, error) {
	return retrieval.Answer{}, bot.ErrLoading
}
func (loadingEngine) Index() *retrieval.Index { return nil }

// TestAnswersWhileFirstLoadRuns: while the first index loads, every message
// gets a short answer at once instead of none.
func TestAnswersWhileFirstLoadRuns(t *testing.T) {
	t.Parallel()
	tb := newTestBotWith(t, testConfig{}, testOptions{wrap: func(retrieval.Source) retrieval.Source { return loadingEngine{} }})
	for _, text := range []string{"琴台美术馆建设由谁牵头？", "/unit 市商务局", "/notices", "/help"} {
		start := time.Now()
		sent := tb.send(t, private(userID, text))
		if len(sent) != 1 || !strings.Contains(sent[0].Text, "正在加载") {
			t.Errorf("%s while loading: %+v", text, sent)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s took %s", text, d)
		}
	}
}

// gatedEngine holds Reload until released, and can hold Index.
type gatedEngine struct {
	retrieval.Source
	entered   chan struct{} // a reload started
	release   chan struct{} // let it go on
	once      sync.Once
	holdIndex atomic.Bool
	indexIn   chan struct{}
	indexOut  chan struct{}
}

func (g *gatedEngine) Reload(ctx context.Context) (*retrieval.Index, error) {
	g.once.Do(func() {
		close(g.entered)
		<-g.release
	})
	return g.Source.Reload(ctx)
}

func (g *gatedEngine) Index() *retrieval.Index {
	if g.holdIndex.CompareAndSwap(true, false) {
		close(g.indexIn)
		<-g.indexOut
	}
	return g.Source.Index()
}

func newGated(e retrieval.Source) *gatedEngine {
	return &gatedEngine{Source: e, entered: make(chan struct{}), release: make(chan struct{}),
		indexIn: make(chan struct{}), indexOut: make(chan struct{})}
}

// TestQuestionsAnsweredDuringReload: questions are answered from the current
// index while a reload runs.
func TestQuestionsAnsweredDuringReload(t *testing.T) {
	t.Parallel()
	var g *gatedEngine
	tb := newTestBotWith(t, testConfig{}, testOptions{wrap: func(e retrieval.Source) retrieval.Source { g = newGated(e); return g }})
	done := make(chan struct{})
	go func() {
		tb.Process(context.Background(), private(adminID, "/reload"))
		close(done)
	}()
	<-g.entered
	if sent := tb.send(t, private(userID, "琴台美术馆建设由谁牵头？")); len(sent) != 1 || !strings.Contains(sent[0].Text, "市文化和旅游局") {
		t.Errorf("during a reload: %+v", sent)
	}
	close(g.release)
	<-done
}

// upload sends a document update and returns the replies.
func (tb *testBot) upload(t *testing.T, from int64, fileID, name, content string) []sentMessage {
	t.Helper()
	tb.tg.mu.Lock()
	tb.tg.files["documents/"+fileID] = []byte(content)
	tb.tg.mu.Unlock()
	return tb.send(t, document(from, fileID, name))
}

// press presses the inline button whose text contains label under m.
func (tb *testBot) press(t *testing.T, from int64, m sentMessage, label string) []sentMessage {
	t.Helper()
	var kb inlineKeyboard
	json.Unmarshal([]byte(m.Markup), &kb)
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return tb.send(t, &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb", From: models.User{ID: from},
					Data: b.CallbackData, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
						Message: &models.Message{ID: 7, Chat: models.Chat{ID: from, Type: models.ChatTypePrivate}}}}})
			}
		}
	}
	t.Fatalf("no button %q in %q", label, m.Markup)
	return nil
}

// TestUploadRefusedAndEmptyFiles: a file that does not read is refused at
// once with the reason; a file without tasks is saved only after the admin
// says so.
func TestUploadRefusedAndEmptyFiles(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	start := time.Now()
	sent := tb.upload(t, adminID, "blank", "blank.txt", " \n\n  ")
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "不能读取") || !strings.Contains(sent[0].Text, "没有保存") {
		t.Errorf("unreadable upload: %+v", sent)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("refusing took %s", d)
	}
	if _, err := os.Stat(filepath.Join(tb.corpus, "blank.txt")); err == nil {
		t.Error("an unreadable upload was saved")
	}

	prose := "关于做好会议服务的说明\n会议在三楼召开，请大家准时参加。"
	sent = tb.upload(t, adminID, "prose", "prose.txt", prose)
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "没有找到") || !strings.Contains(sent[0].Text, "仍然保存吗") {
		t.Fatalf("upload without tasks: %+v", sent)
	}
	if _, err := os.Stat(filepath.Join(tb.corpus, "prose.txt")); err == nil {
		t.Fatal("a file without tasks was saved before the admin confirmed")
	}
	if got := tb.press(t, adminID, sent[0], "取消"); len(got) != 1 || !strings.Contains(got[0].Text, "没有保存") {
		t.Errorf("cancel: %+v", got)
	}
	sent = tb.upload(t, adminID, "prose", "prose.txt", prose)
	got := tb.press(t, adminID, sent[0], "仍然保存")
	if len(got) != 1 || !strings.Contains(got[0].Text, "已保存并加载 prose.txt：找到 0 项任务") {
		t.Errorf("confirmed: %+v", got)
	}
	if _, err := os.Stat(filepath.Join(tb.corpus, "prose.txt")); err != nil {
		t.Errorf("confirmed upload not saved: %v", err)
	}
}

func noticeWith(task string) string {
	return "关于印发" + task + "方案的通知\n一、工作任务\n1．" + task + "。（牵头单位：市科技局）\n"
}

// TestUploadsTogetherAllLoaded: three documents sent together are all saved
// and loaded, each with its own result line; none is told to try again.
func TestUploadsTogetherAllLoaded(t *testing.T) {
	t.Parallel()
	var g *gatedEngine
	tb := newTestBotWith(t, testConfig{}, testOptions{wrap: func(e retrieval.Source) retrieval.Source { g = newGated(e); return g }})
	names := []string{"a.txt", "b.txt", "c.txt"}
	tasks := []string{"建设天文馆", "建设水族馆", "建设植物园"}
	for i, name := range names {
		tb.tg.files["documents/"+name] = []byte(noticeWith(tasks[i]))
	}
	first := make(chan struct{})
	go func() {
		tb.Process(context.Background(), document(adminID, names[0], names[0]))
		close(first)
	}()
	<-g.entered // the first upload's reload runs
	for _, name := range names[1:] {
		tb.Process(context.Background(), document(adminID, name, name))
	}
	close(g.release)
	<-first
	tb.settle(t)
	var all strings.Builder
	for _, m := range tb.tg.sentMessages() {
		all.WriteString(m.Text + "\n")
		if strings.Contains(m.Text, "稍后再试") {
			t.Errorf("told to try again: %q", m.Text)
		}
	}
	for i, name := range names {
		if !strings.Contains(all.String(), "已保存并加载 "+name+"：找到 1 项任务") {
			t.Errorf("no result line for %s in:\n%s", name, all.String())
		}
		if a, _ := tb.engine.Answer(context.Background(), tasks[i]+"由谁牵头？"); !a.Found || !strings.Contains(a.Text, "市科技局") {
			t.Errorf("%s not loaded: %s", name, a.Text)
		}
	}
}

// TestUploadSameNameTogether: two uploads of one name arriving together: one
// is saved, the other asks before replacing it.
func TestUploadSameNameTogether(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	tb.tg.files["documents/one"] = []byte(noticeWith("建设天文馆"))
	tb.tg.files["documents/two"] = []byte(noticeWith("建设水族馆"))
	tb.tg.holdDownloads = 2 // both downloads in flight before either is saved
	var wg sync.WaitGroup
	for _, id := range []string{"one", "two"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tb.Process(context.Background(), document(adminID, id, "same.txt"))
		}()
	}
	wg.Wait()
	tb.settle(t)
	asked := 0
	for _, m := range tb.tg.sentMessages() {
		if strings.Contains(m.Text, "要覆盖吗") {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("%d overwrite questions, want 1: %+v", asked, tb.tg.sentMessages())
	}
	data, _ := os.ReadFile(filepath.Join(tb.corpus, "same.txt"))
	if got := string(data); got != noticeWith("建设天文馆") && got != noticeWith("建设水族馆") {
		t.Errorf("saved file %q", got)
	}
}

// TestUploadNameFormatCharacters: format characters (bidi overrides,
// zero-width spaces) are removed from file names, in what is saved and what
// is shown.
func TestUploadNameFormatCharacters(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	for _, tc := range []struct{ name, saved string }{
		{"invoice\u202Ecod.txt", "invoicecod.txt"},
		{"no\u200Btice\u2066.txt", "notice.txt"},
	} {
		sent := tb.upload(t, adminID, "f", tc.name, noticeWith("建设科技馆"))
		if _, err := os.Stat(filepath.Join(tb.corpus, tc.saved)); err != nil {
			t.Errorf("%q not saved as %s: %v", tc.name, tc.saved, err)
		}
		for _, m := range sent {
			if regexp.MustCompile(`\p{Cf}`).MatchString(m.Text) {
				t.Errorf("reply shows a format character: %q", m.Text)
			}
			if !strings.Contains(m.Text, tc.saved) {
				t.Errorf("reply does not name %s: %q", tc.saved, m.Text)
			}
		}
	}
	entries, _ := os.ReadDir(tb.corpus)
	for _, e := range entries {
		if regexp.MustCompile(`\p{Cf}`).MatchString(e.Name()) {
			t.Errorf("saved with a format character: %q", e.Name())
		}
	}
}

// TestWebhookWithoutSecret: without WEBHOOK_SECRET the bot generates one,
// registers it and says so (never showing it); requests without it get 401
// and do nothing.
func TestWebhookWithoutSecret(t *testing.T) {
	t.Parallel()
	log, logs := captureLog()
	tb := newTestBotConfig(t, testConfig{Logger: log, WebhookURL: "https://bot.example/hook", WebhookListen: "127.0.0.1:0"})
	url := tb.runWebhook(t)
	// The server listens before setWebhook registers its secret: wait for
	// the registration rather than read the fake at once (a slow machine,
	// or an emulated one, sees the gap).
	var secret string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		tb.tg.mu.Lock()
		secret = tb.tg.webhookSecret
		tb.tg.mu.Unlock()
		if secret != "" || time.Now().After(deadline) {
			break
		}
	}
	if len(secret) < 32 {
		t.Fatalf("registered secret %q", secret)
	}
	// A forged admin command without the header, and with a wrong one.
	for _, forged := range []string{"", "guess"} {
		if got := postUpdate(t, url, forged, private(adminID, "/subscriptions")); got != http.StatusUnauthorized {
			t.Errorf("secret %q: HTTP %d, want 401", forged, got)
		}
	}
	if got := postUpdate(t, url, secret, private(userID, "/notices")); got != http.StatusOK {
		t.Errorf("right secret: HTTP %d", got)
	}
	m := tb.waitFor(t, "份通知", 10*time.Second)
	if strings.Contains(m.Text, "订阅") {
		t.Errorf("a forged update was processed: %q", m.Text)
	}
	select {
	case m := <-tb.tg.sentCh:
		t.Errorf("unexpected reply %q", m.Text)
	case <-time.After(300 * time.Millisecond):
	}
	if strings.Contains(logs.String(), secret) {
		t.Error("the webhook secret reached the log")
	}
	if !strings.Contains(logs.String(), "setWebhook") {
		t.Errorf("no log line says the secret was registered:\n%s", logs)
	}
}

// TestTokenNeverLogged: a proxy's error page echoes the request path, token
// and all; the token is in no log line.
func TestTokenNeverLogged(t *testing.T) {
	t.Parallel()
	log, logs := captureLog()
	tb := newTestBotConfig(t, testConfig{Logger: log})
	tb.tg.mu.Lock()
	tb.tg.down = true
	tb.tg.mu.Unlock()
	tb.Process(context.Background(), private(userID, "/notices"))
	tb.outbox.Flush(context.Background())
	// The poller meets the same proxy.
	tb.tg.mu.Lock()
	tb.tg.downAll = true
	tb.tg.mu.Unlock()
	if _, err := tb.getUpdates(context.Background(), 0); err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("getUpdates error %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "502") {
		t.Fatalf("the failure was not logged:\n%s", out)
	}
	for _, form := range secretForms(testToken) {
		if strings.Contains(out, form) {
			t.Errorf("token (%q) in the log:\n%s", form, out)
		}
	}
}

// TestHideSecrets: the error type hides the token in every form and keeps
// Unwrap.
func TestHideSecrets(t *testing.T) {
	t.Parallel()
	inner := fmt.Errorf("%w, POST /bot%s/sendMessage and /bot%s/x", tg.ErrorBadRequest, testToken, url.PathEscape(testToken))
	err := fmt.Errorf("send: %w", hideSecrets(inner, testToken))
	if strings.Contains(err.Error(), "TEST-token") || !strings.Contains(err.Error(), "/bot***/sendMessage") {
		t.Errorf("text %q", err)
	}
	if !errors.Is(err, tg.ErrorBadRequest) {
		t.Error("errors.Is lost through the wrapper")
	}
	var tooMany *tg.TooManyRequestsError
	if !errors.As(hideSecrets(&tg.TooManyRequestsError{RetryAfter: 3}, testToken), &tooMany) || tooMany.RetryAfter != 3 {
		t.Error("errors.As lost through the wrapper")
	}
}

// TestOneLimitForEverything: one limit covers questions, commands and button
// presses; a flood of 90 gets the burst answered and one slow-down reply.
func TestOneLimitForEverything(t *testing.T) {
	t.Parallel()
	frozen := time.Date(2026, 3, 2, 9, 0, 0, 0, cst) // no token comes back while the flood runs
	tb := newTestBotConfig(t, testConfig{PerMinute: 12, Now: func() time.Time { return frozen }})
	first := tb.send(t, private(userID, "各区人民政府负责哪些任务？"))
	kinds := []func() *models.Update{
		func() *models.Update { return private(userID, "/unit 市商务局") },
		func() *models.Update { return private(userID, "/notices") },
		func() *models.Update { return private(userID, "琴台美术馆建设由谁牵头？") },
		func() *models.Update { return private(userID, "/help") },
		func() *models.Update {
			var kb inlineKeyboard
			json.Unmarshal([]byte(first[0].Markup), &kb)
			return &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb", From: models.User{ID: userID},
				Data: kb.InlineKeyboard[0][0].CallbackData, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
					Message: &models.Message{ID: 8, Chat: models.Chat{ID: userID, Type: models.ChatTypePrivate}}}}}
		},
	}
	tb.tg.reset()
	for i := range 90 {
		tb.Process(context.Background(), kinds[i%len(kinds)]())
	}
	tb.settle(t)
	tb.tg.mu.Lock()
	replies, edits := len(tb.tg.sent), len(tb.tg.edits)
	slow := 0
	for _, m := range tb.tg.sent {
		if strings.Contains(m.Text, "太频繁") {
			slow++
		}
	}
	for _, text := range tb.tg.toasts {
		if strings.Contains(text, "太频繁") {
			slow++ // told on the button pressed
		}
	}
	tb.tg.mu.Unlock()
	burst := 5 - 1 // the burst at 12 a minute is max(5, 12/4); the first question took one
	if replies+edits > burst+1 || slow != 1 {
		t.Errorf("90 messages: %d replies and %d edits (%d slow-down), want at most %d and exactly 1 slow-down", replies, edits, slow, burst+1)
	}
	// Someone else is not affected.
	if sent := tb.send(t, private(userID+1, "/notices")); len(sent) != 1 || !strings.Contains(sent[0].Text, "份通知") {
		t.Errorf("another user: %+v", sent)
	}
}

// TestInlineButtonsOneAction: every keyboard the bot sends has exactly one
// action per button (the fake Bot API checks each markup and fails the test
// otherwise).
func TestInlineButtonsOneAction(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, private(userID, "各区人民政府负责哪些任务？"))
	if len(sent) != 1 || !strings.Contains(sent[0].Markup, "callback_data") || strings.Contains(sent[0].Markup, "copy_text") {
		t.Errorf("answer markup %q", sent[0].Markup)
	}
	tb.upload(t, adminID, "u1", "u.txt", noticeWith("建设科技馆"))
	sent = tb.upload(t, adminID, "u2", "u.txt", noticeWith("建设天文馆"))
	if len(sent) != 1 || strings.Contains(sent[0].Markup, "copy_text") {
		t.Errorf("overwrite markup %q", sent[0].Markup)
	}
	var bad strings.Builder
	ft := &recordingTB{TB: t, log: &bad}
	checkMarkup(ft, `{"inline_keyboard":[[{"text":"x","callback_data":"p:1:1","copy_text":{"text":""}}]]}`)
	if bad.Len() == 0 {
		t.Error("the fake Bot API accepts a button with two action fields")
	}
}

// recordingTB records errors instead of failing.
type recordingTB struct {
	testing.TB
	log *strings.Builder
}

func (r *recordingTB) Errorf(format string, args ...any) { fmt.Fprintf(r.log, format, args...) }
func (r *recordingTB) Helper()                           {}

// TestRunWaitsForScheduler: the core's Run returns only after the
// goroutines it started have ended, here the digest scheduler in the
// middle of a tick.
func TestRunWaitsForScheduler(t *testing.T) {
	t.Parallel()
	var g *gatedEngine
	c := &clock{t: time.Date(2021, 6, 25, 9, 0, 0, 0, cst)}
	tb := newTestBotWith(t, testConfig{Now: c.now, Digest: bot.DigestConfig{TZ: cst}}, testOptions{wrap: func(e retrieval.Source) retrieval.Source { g = newGated(e); return g }})
	subscribeAt(t, tb.store, tgChat(groupID), "08:30", "Asia/Shanghai")
	g.holdIndex.Store(true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.core.Run(ctx) }()
	select {
	case <-g.indexIn: // the scheduler is building a digest
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler did not run")
	}
	cancel()
	select {
	case <-done:
		t.Error("Run returned while the scheduler was still running")
	case <-time.After(300 * time.Millisecond):
	}
	close(g.indexOut)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
}

// An upload whose markers the parser cannot read is loaded, and the reply
// names what it could not read; a roster-only notice needs no confirmation.
func TestUploadNamesWhatWasNotRead(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	notice := "关于印发工作方案的通知\n一、工作任务\n1．建设步行街。（牵头单位：市商务局）\n2．建设夜市。（由各区按要求负责）"
	sent := tb.upload(t, adminID, "half", "half.txt", notice)
	all := ""
	for _, s := range sent {
		all += s.Text + "\n"
	}
	if !strings.Contains(all, "已保存并加载 half.txt：找到 1 项任务") || !strings.Contains(all, "⚠ 第4行：括注写了单位，但没有规则能读出") {
		t.Errorf("upload reply does not name the unread marker:\n%s", all)
	}
	roster := "关于成立领导小组的通知\n二、组成人员\n组 长:孙益锋 区委常委、副区长\n成 员:方国友 区机关事务管理中心主任"
	sent = tb.upload(t, adminID, "roster", "roster.txt", roster)
	if len(sent) == 0 || strings.Contains(sent[0].Text, "仍然保存吗") || !strings.Contains(sent[len(sent)-1].Text, "领导小组成员 2 人") {
		t.Errorf("roster upload: %+v", sent)
	}
}
