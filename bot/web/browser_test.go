package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assignbot/assignbot/retrieval"
)

// chromium finds a Chromium or Chrome binary: CHROME_PATH, then the usual
// names (Debian's package is chromium).
func chromium() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives a real headless Chromium through the page as an
// admin would: the sign-in, the overview, a notice, a unit, a question
// and its citation, the sign-out. It checks what is on the screen (the
// DOM's rendered text, what is visible, the page width on a phone) and
// writes a screenshot of each page under the test's temp dir, or under
// WEB_SCREENSHOTS when that is set.
func TestBrowser(t *testing.T) {
	t.Parallel()
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium binary found (apt-get install chromium, or set CHROME_PATH): skipping the real-browser test")
	}
	ix := samplesIndex(t)
	srv := httptest.NewServer(newServer(t, ix, nil))
	defer srv.Close()
	shots := os.Getenv("WEB_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1100, 800), chromedp.Flag("lang", "zh-CN"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	shot := func(name string) {
		t.Helper()
		png := read(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot()) // the screen a person sees, as PNG
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// A stranger sees the sign-in form and nothing else.
	do("open", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`#token`)))
	title := read(t, ctx, "title", chromedp.Title())
	body := read(t, ctx, "body", chromedp.Text(css(`body`)))
	if !strings.Contains(title, "登录") || strings.Contains(body, "武政办") || strings.Contains(body, "总览") {
		t.Fatalf("before signing in: title %q, body %q", title, body)
	}
	do("wrong token", chromedp.SendKeys(css(`#token`), "not-the-token-0000"),
		chromedp.Click(css(`form.login button`)), chromedp.WaitVisible(css(`p.error`)))
	if msg := read(t, ctx, "error", chromedp.Text(css(`p.error`))); msg != "口令不正确" {
		t.Errorf("wrong token says %q", msg)
	}
	shot("login")

	// Sign in: the overview with every notice.
	do("sign in", chromedp.SetValue(css(`#token`), testToken),
		chromedp.Click(css(`form.login button`)), chromedp.WaitVisible(css(`table.notices`)))
	body = read(t, ctx, "overview", chromedp.Text(css(`main`)))
	for _, n := range ix.Corpus.Notices {
		if !strings.Contains(body, n.Title) {
			t.Errorf("overview: no notice %q", n.Title)
		}
	}
	for _, want := range []string{"最近一次加载", "未来30天的时限", "下载全部台账"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview: no %q", want)
		}
	}
	shot("overview")

	// A notice, by clicking its title: the row of 二(二)3 names its lead.
	n := noticeByNumber(t, ix, "武政办〔2021〕22号")
	link := "/notice?doc=" + url.QueryEscape(n.Doc)
	do("notice", chromedp.Click(css(`a[href="`+link+`"]`)), chromedp.WaitVisible(css(`table.tasks`)))
	loc := read(t, ctx, "location", chromedp.Location())
	row := read(t, ctx, "row", chromedp.Text(`//tr[td[@class="ref"]="二(二)3"]`))
	if !strings.HasSuffix(loc, link) || !strings.Contains(row, "市商务局") || !strings.Contains(row, "步行街") {
		t.Errorf("notice page %s: row of 二(二)3 %q", loc, row)
	}
	shot("notice")

	// A unit, through the unit form: every written form of its name,
	// Traditional ones too.
	do("unit", chromedp.Click(css(`nav a[href="/unit"]`)), chromedp.WaitVisible(css(`form.search input`)),
		chromedp.SendKeys(css(`form.search input`), "市商务局"), chromedp.Click(css(`form.search button`)),
		chromedp.WaitVisible(css(`ul.facts`)))
	body = read(t, ctx, "unit", chromedp.Text(css(`main`)))
	for _, want := range []string{"市商务局", "市商務局", "通知中的写法", "牵头（", "下载本单位台账"} {
		if !strings.Contains(body, want) {
			t.Errorf("unit page: no %q", want)
		}
	}
	shot("unit")

	// A question, and its first citation leads to the task's row.
	q := "哪个单位牵头步行街建设任务？"
	want, err := retrieval.NewAnswerer(ix, nil).ConverseWith(context.Background(), nil, q, retrieval.AnswerOptions{Page: 1})
	if err != nil || len(want.Citations) == 0 {
		t.Fatalf("the answerer: %v %+v", err, want)
	}
	do("ask", chromedp.Click(css(`nav a[href="/ask"]`)), chromedp.WaitVisible(css(`form.search input`)),
		chromedp.SendKeys(css(`form.search input`), q), chromedp.Click(css(`form.search button`)),
		chromedp.WaitVisible(css(`.answer-text`)))
	if answer := read(t, ctx, "answer", chromedp.Text(css(`.answer-text`))); strings.TrimSpace(answer) != strings.TrimSpace(want.Text) {
		t.Errorf("ask: the page shows\n%s\nthe chat says\n%s", answer, want.Text)
	}
	shot("ask")
	do("citation", chromedp.Click(css(`ol.citations a`)), chromedp.WaitVisible(css(`table.tasks`)))
	target := read(t, ctx, "target", chromedp.Evaluate[string](`(document.querySelector(':target')||{}).innerText||""`))
	if c := want.Citations[0]; !strings.HasPrefix(strings.TrimSpace(target), c.Ref) {
		t.Errorf("citation %s leads to row %q", c.Label, target)
	}

	// On a phone the page fits the screen's width (tables scroll inside).
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`table.notices`)))
	if !read(t, ctx, "width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)) {
		t.Error("the overview is wider than a phone's screen")
	}
	shot("overview-phone")

	// Sign out: back to the form, and the pages are closed again.
	do("sign out", chromedp.EmulateViewport(1100, 800), chromedp.Click(css(`nav form button`)),
		chromedp.WaitVisible(css(`#token`)), chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(css(`#token`)))
	if body := read(t, ctx, "after sign-out", chromedp.Text(css(`body`))); strings.Contains(body, "二(二)3") {
		t.Error("after signing out the notice is still shown")
	}
	t.Logf("screenshots in %s", shots)
}

// read runs an action that yields a value and fails the test on error.
func read[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}
