package web

import (
	"context"
	"errors"
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

const testToken = "test-token-0123456789abcdef"

// engine is the real answerer over an index, as serve's engine is; the
// page sees it through a retrieval.Service, as in serve.
type engine struct {
	ix *retrieval.Index
	a  *retrieval.Answerer
}

func (e *engine) Index() *retrieval.Index { return e.ix }

func (e *engine) Answer(ctx context.Context, q string) (retrieval.Answer, error) {
	return e.ConverseWith(ctx, nil, q, retrieval.AnswerOptions{})
}

func (e *engine) ConverseWith(ctx context.Context, c *retrieval.Conversation, q string, opt retrieval.AnswerOptions) (retrieval.Answer, error) {
	if e.a == nil {
		return retrieval.Answer{}, errors.New("loading")
	}
	return e.a.ConverseWith(ctx, c, q, opt)
}

func (e *engine) Reload(context.Context) (*retrieval.Index, error) { return e.ix, nil }

// service is the page's view of an engine over ix (nil: still loading).
func service(ix *retrieval.Index) *retrieval.Service {
	e := &engine{ix: ix}
	if ix != nil {
		e.a = retrieval.NewAnswerer(ix, nil)
	}
	return retrieval.NewService(e)
}

var (
	samplesOnce sync.Once
	samplesIx   *retrieval.Index
	samplesErr  error
)

// samplesIndex is the index of the five built-in samples, built once.
func samplesIndex(tb testing.TB) *retrieval.Index {
	tb.Helper()
	samplesOnce.Do(func() {
		c, err := corpus.LoadFS(corpus.Samples, ".")
		if err != nil {
			samplesErr = err
			return
		}
		samplesIx, samplesErr = retrieval.Build(context.Background(), c, retrieval.Options{})
	})
	if samplesErr != nil {
		tb.Fatal(samplesErr)
	}
	return samplesIx
}

// buildIndex indexes the samples plus extra files.
func buildIndex(tb testing.TB, extra map[string]string) *retrieval.Index {
	tb.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(corpus.Samples, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(corpus.Samples, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	for name, text := range extra {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	c, err := corpus.LoadFS(m, ".")
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := retrieval.Build(context.Background(), c, retrieval.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// testDay is the clock of the tests: the day the samples' digests are
// demonstrated on.
var testDay = time.Date(2021, 6, 25, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func newServer(tb testing.TB, ix *retrieval.Index, fb FeedbackSource) *Server {
	tb.Helper()
	s, err := New(Config{Token: testToken, Engine: service(ix), Feedback: fb, Now: func() time.Time { return testDay },
		Channels: []string{"Telegram @testbot"}})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// get fetches a path with the bearer token and returns status and body.
func get(tb testing.TB, h http.Handler, path string) (int, string) {
	tb.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// text is the page's visible text, tags removed and entities decoded, for
// checks that should not depend on markup.
func text(page string) string {
	page = regexp.MustCompile(`(?s)<style>.*?</style>`).ReplaceAllString(page, "")
	page = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, " ")
	return html.UnescapeString(page)
}

func noticeByNumber(tb testing.TB, ix *retrieval.Index, number string) *corpus.Notice {
	tb.Helper()
	for _, n := range ix.Corpus.Notices {
		if n.DocNumber == number {
			return n
		}
	}
	tb.Fatalf("no notice %s", number)
	return nil
}

func TestNewNeedsToken(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{Engine: service(nil)}); !errors.Is(err, ErrNoToken) {
		t.Errorf("no token: %v, want ErrNoToken", err)
	}
	if _, err := New(Config{Token: "short", Engine: service(nil)}); err == nil {
		t.Error("a 5-character token was accepted")
	}
}

// routes are every page and download, with arguments that have data.
func routes(ix *retrieval.Index) []string {
	n := ix.Corpus.Notices[0]
	return []string{
		"/", "/notice?doc=" + url.QueryEscape(n.Doc), "/unit", "/unit?name=" + url.QueryEscape("市商务局"),
		"/ask?q=" + url.QueryEscape("哪个单位牵头步行街建设任务？"), "/feedback", "/download",
		"/download?unit=" + url.QueryEscape("市商务局"), "/download?doc=" + url.QueryEscape(n.Doc), "/nosuch",
	}
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	s := newServer(t, ix, nil)
	// A session id of a server that restarted, or a guessed one.
	stale := &http.Cookie{Name: cookieName, Value: strings.Repeat("ab", 32)}
	cases := []struct {
		name string
		set  func(r *http.Request)
	}{
		{"NoCredentials", func(*http.Request) {}},
		{"WrongBearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken+"x") }},
		{"TokenPrefixBearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testToken[:20]) }},
		{"EmptyBearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") }},
		{"BasicScheme", func(r *http.Request) { r.Header.Set("Authorization", "Basic "+testToken) }},
		{"StaleCookie", func(r *http.Request) { r.AddCookie(stale) }},
		{"TokenAsCookie", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: cookieName, Value: testToken}) }},
	}
	for _, c := range cases {
		for _, p := range routes(ix) {
			t.Run(c.name+p, func(t *testing.T) {
				r := httptest.NewRequest("GET", p, nil)
				c.set(r)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401", w.Code)
				}
				body := w.Body.String()
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q: a download without credentials", ct)
				}
				for _, secret := range []string{"武政办", "市商务局", "步行街", ix.Corpus.Notices[0].Title} {
					if strings.Contains(text(body), secret) {
						t.Errorf("the 401 page shows %q", secret)
					}
				}
				if !strings.Contains(body, `name="token"`) {
					t.Error("the 401 page has no sign-in form")
				}
			})
		}
	}
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	s := newServer(t, samplesIndex(t), nil)
	post := func(path string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	withCookie := func(path string, c *http.Cookie) int {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}

	if w := post("/login", url.Values{"token": {"wrong-token-0123456789"}}); w.Code != http.StatusUnauthorized || len(w.Result().Cookies()) > 0 {
		t.Fatalf("wrong token: status %d, cookies %v", w.Code, w.Result().Cookies())
	}
	w := post("/login", url.Values{"token": {testToken}, "next": {"/unit?name=x"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/unit?name=x" {
		t.Fatalf("sign-in: status %d, location %q", w.Code, w.Header().Get("Location"))
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure || c.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, not Secure over plain HTTP", c)
	}
	if strings.Contains(c.Value, testToken) || len(c.Value) < 32 {
		t.Errorf("cookie value %q: want a random session id, never the token", c.Value)
	}
	if code := withCookie("/", c); code != http.StatusOK {
		t.Fatalf("signed in: overview status %d", code)
	}
	w = post("/logout", nil, c)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: status %d", w.Code)
	}
	if out := w.Result().Cookies(); len(out) != 1 || out[0].MaxAge >= 0 {
		t.Errorf("sign-out cookies %v: want the cookie cleared", out)
	}
	if code := withCookie("/", c); code != http.StatusUnauthorized {
		t.Errorf("after sign-out the old cookie gives %d, want 401", code)
	}

	t.Run("SecureBehindTLS", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {testToken}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-Proto", "https")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if cs := w.Result().Cookies(); len(cs) != 1 || !cs[0].Secure {
			t.Errorf("cookies %v: want Secure behind TLS", cs)
		}
	})
	t.Run("NextStaysOnSite", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/login"} {
			w := post("/login", url.Values{"token": {testToken}, "next": {next}})
			if loc := w.Header().Get("Location"); loc != "/" {
				t.Errorf("next %q redirects to %q, want /", next, loc)
			}
		}
	})
	t.Run("CrossSitePost", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {testToken}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", "https://evil.example")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusForbidden || len(w.Result().Cookies()) > 0 {
			t.Errorf("cross-site sign-in: status %d, cookies %v", w.Code, w.Result().Cookies())
		}
	})
	t.Run("GuessingIsSlowedDown", func(t *testing.T) {
		s := newServer(t, samplesIndex(t), nil)
		post := func(tok string) int {
			r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {tok}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			return w.Code
		}
		for i := range maxFailures {
			post("guess-" + strconv.Itoa(i) + "-0123456789")
		}
		if code := post(testToken); code != http.StatusTooManyRequests {
			t.Errorf("after %d wrong tokens the right one gives %d, want 429 until the minute passes", maxFailures, code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := newServer(t, samplesIndex(t), nil)
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	h := w.Header()
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", h)
	}
	body := w.Body.String()
	for _, bad := range []string{"<script", "http://", "https://", "@import", "url("} {
		if strings.Contains(body, bad) {
			t.Errorf("the page loads or runs something: %q", bad)
		}
	}
	// The one style block is what the policy's hash allows.
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(h.Get("Content-Security-Policy"), hashCSS(m[1])) {
		t.Error("the style block's hash is not in the Content-Security-Policy")
	}
}

func TestSessionExpires(t *testing.T) {
	t.Parallel()
	now := testDay
	s, err := New(Config{Token: testToken, Engine: service(samplesIndex(t)), Now: func() time.Time { return now }, SessionTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"token": {testToken}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	cs := w.Result().Cookies()
	if len(cs) != 1 || cs[0].MaxAge != 3600 {
		t.Fatalf("cookies %v", cs)
	}
	status := func() int {
		r := httptest.NewRequest("GET", "/feedback", nil)
		r.AddCookie(cs[0])
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	now = now.Add(59 * time.Minute)
	if code := status(); code != http.StatusOK {
		t.Fatalf("within the hour: %d", code)
	}
	now = now.Add(2 * time.Minute)
	if code := status(); code != http.StatusUnauthorized {
		t.Errorf("after the hour: %d, want 401", code)
	}
}

var _ Engine = (*retrieval.Service)(nil) // the page sees what the chat channels see
