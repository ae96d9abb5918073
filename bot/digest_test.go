package bot

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	tg "github.com/go-telegram/bot"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var (
	sampleOnce   sync.Once
	sampleEngine *retrieval.Service
)

// samplesEngine is the core's view of one engine over the built-in samples.
func samplesEngine(tb testing.TB) *retrieval.Service {
	tb.Helper()
	sampleOnce.Do(func() {
		var err error
		e, err := retrieval.NewEngine(context.Background(), func(*corpus.Corpus) (*corpus.Corpus, error) {
			return corpus.LoadFS(corpus.Samples, ".")
		}, retrieval.Options{}, nil)
		if err != nil {
			tb.Fatal(err)
		}
		sampleEngine = retrieval.NewService(e)
	})
	return sampleEngine
}

// samplesCorpus is the corpus the samples engine loaded.
func samplesCorpus(tb testing.TB) *corpus.Corpus {
	tb.Helper()
	ld, ok := samplesEngine(tb).Current()
	if !ok {
		tb.Fatal("samples not loaded")
	}
	return ld.Corpus
}

var cst = time.FixedZone("CST", 8*3600)

// TestDigestGolden: the digest of fixed days on the samples.
func TestDigestGolden(t *testing.T) {
	t.Parallel()
	ix := samplesCorpus(t)
	for _, tc := range []struct {
		name  string
		day   string
		units []string
	}{
		{"half-year-summary", "2021-06-25", nil},
		{"quarterly-reports", "2020-04-10", nil},
		{"phase-ends", "2022-10-28", nil},
		{"unit-filter", "2022-09-26", []string{"市发展改革委"}},
		{"nothing-due", "2023-05-05", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			day, _ := time.ParseInLocation("2006-01-02", tc.day, cst)
			got := BuildDigest(ix, day, DigestOptions{Units: tc.units}).Text() + "\n"
			path := filepath.Join("testdata", "digest-"+tc.name+".golden.txt")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./bot -update)", err)
			}
			if got != string(want) {
				t.Errorf("digest differs from %s:\n%s", path, got)
			}
		})
	}
}

func TestDigestContent(t *testing.T) {
	t.Parallel()
	ix := samplesCorpus(t)
	day := time.Date(2021, 6, 25, 8, 59, 0, 0, cst)
	d := BuildDigest(ix, day, DigestOptions{})
	if len(d.Upcoming) == 0 || d.Upcoming[0].Date != "2021-06-30" || !strings.Contains(d.Upcoming[0].What, "半年工作小结") || d.Upcoming[0].Citation != "武政办〔2021〕22号 三(二)" {
		t.Errorf("2021-06-25: %+v", d.Upcoming)
	}
	// Passed within 3 days.
	d = BuildDigest(ix, time.Date(2021, 7, 2, 9, 0, 0, 0, cst), DigestOptions{})
	if len(d.Passed) == 0 || d.Passed[0].Days != -2 {
		t.Errorf("2021-07-02 passed: %+v", d.Passed)
	}
	// A unit filter keeps deadlines naming the unit and those naming none,
	// and drops deadlines bound to other units.
	d = BuildDigest(ix, time.Date(2022, 6, 27, 9, 0, 0, 0, cst), DigestOptions{Units: []string{"市农业农村局"}})
	for _, it := range d.Upcoming {
		if len(it.Units) > 0 && !containsStr(it.Units, "市农业农村局") {
			t.Errorf("unit filter kept %+v", it)
		}
	}
	// Notice changes since the chat's last digest.
	seen := NoticeHashes(ix)
	delete(seen, "000_d7acf221326b0e20.txt")
	seen["001_40f578ca70fc5b5d.txt"] = "old"
	seen["gone.txt"] = "x"
	d = BuildDigest(ix, day, DigestOptions{Seen: seen})
	if len(d.Added) != 1 || d.Added[0] != "武政办〔2021〕22号" || len(d.Changed) != 1 || len(d.Removed) != 1 || d.Removed[0] != "gone.txt" {
		t.Errorf("changes: %+v %+v %+v", d.Added, d.Changed, d.Removed)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// clock is an injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// recorder is the outbox sender of a "test" channel: it records
// deliveries and can fail.
type recorder struct {
	mu   sync.Mutex
	sent []string // "chat day-of-digest"
	fail *Result
}

// testEntries is a digest for the test channel: the chat and the HTML.
func testEntries(chat int64, html string) []OutboxEntry {
	payload, _ := json.Marshal(html)
	return []OutboxEntry{{Channel: "test", Chat: fmt.Sprint(chat), Kind: "digest", Payload: payload}}
}

// testDigest is the scheduler's renderer for the test channel.
func testDigest(chat ChatRef, d Digest) []OutboxEntry {
	payload, _ := json.Marshal(d.Render(func(s string) string { return "<b>" + s + "</b>" }, html.EscapeString))
	return []OutboxEntry{{Channel: chat.Channel, Chat: chat.ID, Kind: "digest", Payload: payload}}
}

// testChat is a chat of the test channel.
func testChat(id int64) ChatRef { return ChatRef{Channel: "test", ID: fmt.Sprint(id)} }

func (r *recorder) send(_ context.Context, e OutboxEntry) Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return *r.fail
	}
	var html string
	json.Unmarshal(e.Payload, &html)
	day := strings.SplitN(strings.SplitN(html, "· ", 2)[1], "<", 2)[0]
	r.sent = append(r.sent, fmt.Sprintf("%s %s", e.Chat, day))
	return Result{Outcome: Delivered}
}

func (r *recorder) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.sent) }

// scheduler is a digest scheduler over its own store and outbox; tick
// runs the scheduler once and delivers what it queued.
type scheduler struct {
	*Scheduler
	outbox *Outbox
}

func (s scheduler) tick(ctx context.Context) {
	s.Tick(ctx)
	s.outbox.Flush(ctx)
}

func newScheduler(t *testing.T, dir string, c *clock, r *recorder, cfg DigestConfig) (scheduler, *Store) {
	t.Helper()
	store, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if cfg.TZ == nil {
		cfg.TZ = cst
	}
	ob := NewOutbox(store, OutboxConfig{}, c.now, quietLog())
	ob.Handle("test", r.send)
	ob.OnGone(func(channel, chat string, err error) {
		store.Deactivate(ChatRef{Channel: channel, ID: chat}, err.Error())
	})
	return scheduler{NewScheduler(store, samplesEngine(t), ob, testDigest, c.now, cfg, quietLog()), ob}, store
}

func subscribeAt(t *testing.T, store *Store, chat ChatRef, at, tz string, units ...string) {
	t.Helper()
	if err := store.Put(Subscription{ChatRef: chat, Time: at, TZ: tz, Units: units, Active: true, Seen: NoticeHashes(samplesCorpus(t))}); err != nil {
		t.Fatal(err)
	}
}

func TestSchedulerTimeZonesAndMidnight(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2021, 6, 24, 16, 4, 0, 0, time.UTC)} // 00:04 on the 25th in Shanghai
	r := &recorder{}
	s, store := newScheduler(t, t.TempDir(), c, r, DigestConfig{SendEmpty: true})
	subscribeAt(t, store, testChat(1), "00:05", "Asia/Shanghai")
	subscribeAt(t, store, testChat(2), "12:05", "America/New_York")
	ctx := context.Background()
	s.tick(ctx)
	if r.count() != 0 {
		t.Fatalf("sent before time: %v", r.sent)
	}
	c.set(time.Date(2021, 6, 24, 16, 5, 0, 0, time.UTC)) // 00:05 in Shanghai, 12:05 on the 24th in New York
	s.tick(ctx)
	if want := []string{"1 2021-06-25", "2 2021-06-24"}; strings.Join(r.sent, ",") != strings.Join(want, ",") {
		t.Errorf("sent %v, want %v", r.sent, want)
	}
	s.tick(ctx)
	if r.count() != 2 {
		t.Errorf("sent twice on one day: %v", r.sent)
	}
	c.set(time.Date(2021, 6, 25, 16, 4, 0, 0, time.UTC)) // 00:04 on the 26th in Shanghai, 12:04 on the 25th in New York
	s.tick(ctx)
	if r.count() != 2 {
		t.Errorf("sent before time on the next day: %v", r.sent)
	}
	c.set(time.Date(2021, 6, 25, 16, 5, 0, 0, time.UTC))
	s.tick(ctx)
	if want := "1 2021-06-25,2 2021-06-24,1 2021-06-26,2 2021-06-25"; strings.Join(r.sent, ",") != want {
		t.Errorf("next day: %v, want %s", r.sent, want)
	}
}

// TestSchedulerExactlyOnceAcrossRestart: a restart right after sending does
// not send again the same day; a restart after missing the time sends once
// (catch-up).
func TestSchedulerExactlyOnceAcrossRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := &clock{t: time.Date(2021, 6, 25, 8, 30, 0, 0, cst)}
	r := &recorder{}
	s, store := newScheduler(t, dir, c, r, DigestConfig{})
	subscribeAt(t, store, testChat(7), "08:30", "Asia/Shanghai")
	s.tick(context.Background())
	store.Close() // "crash"
	c.set(time.Date(2021, 6, 25, 8, 31, 0, 0, cst))
	s2, _ := newScheduler(t, dir, c, r, DigestConfig{})
	s2.tick(context.Background())
	if r.count() != 1 {
		t.Fatalf("sent %d digests on one day across a restart", r.count())
	}

	// Down over the next day's time, back at 10:00: one catch-up digest.
	c.set(time.Date(2021, 6, 26, 10, 0, 0, 0, cst))
	s2.tick(context.Background())
	s2.tick(context.Background())
	if r.count() != 2 || r.sent[1] != "7 2021-06-26" {
		t.Errorf("catch-up: %v", r.sent)
	}
}

func TestSchedulerEmptyDigest(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2023, 5, 5, 9, 0, 0, 0, cst)}
	r := &recorder{}
	s, store := newScheduler(t, t.TempDir(), c, r, DigestConfig{})
	subscribeAt(t, store, testChat(3), "08:30", "Asia/Shanghai")
	s.tick(context.Background())
	if r.count() != 0 {
		t.Errorf("empty digest sent: %v", r.sent)
	}
	r2 := &recorder{}
	s2, store2 := newScheduler(t, t.TempDir(), c, r2, DigestConfig{SendEmpty: true})
	subscribeAt(t, store2, testChat(3), "08:30", "Asia/Shanghai")
	s2.tick(context.Background())
	if r2.count() != 1 {
		t.Errorf("DIGEST_SEND_EMPTY: %v", r2.sent)
	}
}

func TestSchedulerBlockedAndFailingChats(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2021, 6, 25, 9, 0, 0, 0, cst)}
	r := &recorder{fail: &Result{Outcome: Gone, Err: fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden)}}
	s, store := newScheduler(t, t.TempDir(), c, r, DigestConfig{})
	subscribeAt(t, store, testChat(4), "08:30", "Asia/Shanghai")
	s.tick(context.Background())
	if sub, _ := store.Get(testChat(4)); sub.Active || sub.Inactive == "" {
		t.Errorf("blocked chat still active: %+v", sub)
	}
	if n := s.outbox.Pending(); n != 0 {
		t.Errorf("%d messages left for a chat that is gone", n)
	}

	// A passing failure keeps the digest in the outbox: it is sent once
	// the chat can be reached, and only once.
	r2 := &recorder{fail: &Result{Outcome: Retry, Err: errors.New("connection reset")}}
	s2, store2 := newScheduler(t, t.TempDir(), c, r2, DigestConfig{})
	subscribeAt(t, store2, testChat(5), "08:30", "Asia/Shanghai")
	s2.tick(context.Background())
	if sub, _ := store2.Get(testChat(5)); !sub.Active || sub.LastSent != "2021-06-25" || s2.outbox.Pending() != 1 {
		t.Errorf("after a passing failure: %+v, %d pending", sub, s2.outbox.Pending())
	}
	r2.mu.Lock()
	r2.fail = nil
	r2.mu.Unlock()
	c.set(c.now().Add(2 * time.Second)) // past the first backoff
	s2.tick(context.Background())
	s2.tick(context.Background())
	if r2.count() != 1 {
		t.Errorf("not delivered exactly once after a passing failure: %v", r2.sent)
	}
}

func TestStoreMoveOnMigration(t *testing.T) {
	t.Parallel()
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	store.Put(Subscription{ChatRef: tgChat(-5), Time: "08:30", Active: true})
	if err := store.Move(tgChat(-5), tgChat(-1005)); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(tgChat(-5)); !errors.Is(err, ErrNoSubscription) {
		t.Errorf("old id still subscribed: %v", err)
	}
	if sub, err := store.Get(tgChat(-1005)); err != nil || sub.ChatRef != tgChat(-1005) {
		t.Errorf("new id: %+v %v", sub, err)
	}
}

// TestDigestRecurringDeadline: a deadline that comes back every year is
// due each year, not once in the notice's year.
func TestDigestRecurringDeadline(t *testing.T) {
	t.Parallel()
	dl := corpus.Deadline{Kind: "due", Date: "2019-02-28", Every: "year", Phrase: "每年2月底前"}
	day := time.Date(2023, 2, 25, 0, 0, 0, 0, time.UTC)
	got, err := dueOn(dl, day)
	if err != nil || got.Format("2006-01-02") != "2023-02-28" {
		t.Errorf("next occurrence %v %v, want 2023-02-28", got, err)
	}
}
