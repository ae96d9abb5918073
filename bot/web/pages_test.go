package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/corpus/ledger"
	"github.com/assignbot/assignbot/retrieval"
)

func TestOverview(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	code, body := get(t, newServer(t, ix, nil), "/")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	page := text(body)
	for _, n := range ix.Corpus.Notices {
		members := 0
		for _, g := range n.Groups {
			members += len(g.Members)
		}
		// One row per notice: its title links its page, then docno,
		// region, tasks and members.
		row := regexp.MustCompile(`(?s)<tr[^>]*>\s*<td><a href="/notice\?doc=` + regexp.QuoteMeta(url.QueryEscape(n.Doc)) + `">.*?</tr>`).FindString(body)
		if row == "" {
			t.Errorf("%s: no row linking its page", n.Doc)
			continue
		}
		cells := text(row)
		for _, want := range []string{n.Title, n.DocNumber, n.Region, strconv.Itoa(len(n.Tasks)), strconv.Itoa(members)} {
			if !strings.Contains(cells, want) {
				t.Errorf("%s: row lacks %q:\n%s", n.Doc, want, cells)
			}
		}
	}
	rep := ix.Corpus.Report
	if want := "通知 " + strconv.Itoa(rep.Notices) + " 份，任务 " + strconv.Itoa(rep.Tasks) + " 项，跳过文件 " + strconv.Itoa(rep.Skipped) + " 个"; !strings.Contains(page, want) {
		t.Errorf("no load report %q", want)
	}
	if !strings.Contains(page, "Telegram @testbot") {
		t.Error("no running channel")
	}
	// Every deadline that falls due in the next 30 days, and none after.
	today := testDay.Format(time.DateOnly)
	last := testDay.AddDate(0, 0, horizon).Format(time.DateOnly)
	after := testDay.AddDate(0, 0, horizon+1).Format(time.DateOnly)
	due := 0
	for _, n := range ix.Corpus.Notices {
		for _, d := range n.Deadlines {
			switch next := d.Next(today); {
			case next != "" && next <= last:
				due++
				if !strings.Contains(page, next) || !strings.Contains(page, d.Text) {
					t.Errorf("deadline %s %q (%s %s) not listed", next, d.Phrase, n.Name(), d.Ref)
				}
			case next == after:
				t.Errorf("deadline %s is listed, past the horizon", next)
			}
		}
	}
	if due == 0 {
		t.Fatal("the samples have no deadline in the 30 days from the test's day: pick another day")
	}
	if !strings.Contains(body, `href="/download?due=`+last+`"`) {
		t.Error("no download of the tasks due in the window")
	}
	if got := strings.Count(body, `<td class="date">`); got != due {
		t.Errorf("%d deadline rows, want %d", got, due)
	}
}

func TestNoticePage(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	s := newServer(t, ix, nil)
	for _, n := range ix.Corpus.Notices {
		t.Run(n.Doc, func(t *testing.T) {
			code, body := get(t, s, "/notice?doc="+url.QueryEscape(n.Doc))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if !strings.Contains(text(body), n.Title) {
				t.Error("no title")
			}
			rows := regexp.MustCompile(`(?s)<tr id="t(\d+)">(.*?)</tr>`).FindAllStringSubmatch(body, -1)
			if len(rows) != len(n.Tasks) {
				t.Fatalf("%d task rows, want %d", len(rows), len(n.Tasks))
			}
			for i, tk := range n.Tasks {
				cells := regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(rows[i][2], -1)
				if len(cells) != 5 {
					t.Fatalf("task %s: %d cells", tk.Ref, len(cells))
				}
				cell := func(j int) string { return strings.TrimSpace(text(cells[j][1])) }
				if cell(0) != tk.Ref || !strings.HasPrefix(cell(1), tk.Text) || cell(4) != dueText(tk.Deadlines) {
					t.Errorf("task %s: row %q | %q | %q", tk.Ref, cell(0), cell(1), cell(4))
				}
				squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
				if got := squeeze(cell(2)); got != squeeze(strings.Join(tk.LeadUnits, "、")) {
					t.Errorf("task %s: lead %v, want %v", tk.Ref, got, tk.LeadUnits)
				}
				if got := squeeze(cell(3)); got != squeeze(strings.Join(tk.ResponsibleUnits, "、")) {
					t.Errorf("task %s: responsible %v, want %v", tk.Ref, got, tk.ResponsibleUnits)
				}
			}
			page := text(body)
			if got := strings.Count(body, `<td class="when">`); got != len(n.Deadlines) {
				t.Errorf("%d dates in the timeline, want %d", got, len(n.Deadlines))
			}
			for _, d := range n.Deadlines {
				if !strings.Contains(page, d.Text) || !strings.Contains(page, d.Date) {
					t.Errorf("deadline %s %q missing", d.Date, d.Text)
				}
			}
			for _, g := range n.Groups {
				for _, m := range g.Members {
					if !strings.Contains(page, m.Name) || !strings.Contains(page, m.Title) {
						t.Errorf("roster %s: member %s %s missing", g.Name, m.Name, m.Title)
					}
				}
			}
		})
	}
	n := noticeByNumber(t, ix, "武政办〔2021〕22号")
	_, body := get(t, s, "/notice?doc="+url.QueryEscape(n.Doc))
	row := regexp.MustCompile(`(?s)<tr id="t\d+">\s*<td class="ref">二\(二\)3</td>.*?</tr>`).FindString(body)
	if row == "" || !strings.Contains(strings.SplitN(row, "</td>", 4)[2], "市商务局") {
		t.Errorf("the row of 二(二)3 does not show 市商务局 as lead:\n%s", row)
	}
	if code, _ := get(t, s, "/notice?doc=nosuch.txt"); code != http.StatusNotFound {
		t.Errorf("unknown notice: %d", code)
	}
}

// hostile is a notice whose every field tries to run script in the page,
// with a unit marker no rule reads.
const hostile = `关于印发<script>alert("title")</script>方案的通知
一、工作任务
1．建设<img src=x onerror=alert(1)>步行街。（<b>市商务局</b>牵头，市财政局配合）
2．建设夜市"'><svg onload=alert(2)>。（由各区按<script>要求</script>负责）
`

func TestHostileNoticeIsEscaped(t *testing.T) {
	t.Parallel()
	ix := buildIndex(t, map[string]string{"zz<x>.txt": hostile})
	var n *corpus.Notice
	for _, x := range ix.Corpus.Notices {
		if strings.HasPrefix(x.Doc, "zz") {
			n = x
		}
	}
	if n == nil || len(n.Unread) == 0 || len(n.Tasks) == 0 {
		t.Fatalf("the hostile notice did not parse as expected: %+v", n)
	}
	s := newServer(t, ix, nil)
	for _, p := range []string{"/", "/notice?doc=" + url.QueryEscape(n.Doc), "/unit?name=" + url.QueryEscape("市财政局"),
		"/ask?q=" + url.QueryEscape("<script>alert(3)</script>夜市")} {
		code, body := get(t, s, p)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", p, code)
		}
		for _, bad := range []string{"<script", "<img", "<svg", "<b>", "<x>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: page contains %q unescaped", p, bad)
			}
		}
	}
	_, body := get(t, s, "/notice?doc="+url.QueryEscape(n.Doc))
	if !strings.Contains(body, html.EscapeString(`<script>alert("title")</script>`)) {
		t.Error("the title is not shown escaped")
	}
	// The marker no rule read is highlighted with its line and reason.
	u := n.Unread[0]
	mark := regexp.MustCompile(`(?s)<mark>(.*?)</mark>`).FindStringSubmatch(body)
	if mark == nil || html.UnescapeString(mark[1]) != "第"+strconv.Itoa(u.Line)+"行："+u.Text {
		t.Errorf("unread marker not highlighted: %v, want line %d %q", mark, u.Line, u.Text)
	}
	if !strings.Contains(text(body), u.Reason) {
		t.Errorf("no reason %q", u.Reason)
	}
	// And the overview flags the notice.
	_, body = get(t, s, "/")
	if !regexp.MustCompile(`<tr class="alert">\s*<td><a href="/notice\?doc=` + regexp.QuoteMeta(url.QueryEscape(n.Doc))).MatchString(body) {
		t.Error("the overview does not flag the notice with an unread marker")
	}
}

func TestUnitPage(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	s := newServer(t, ix, nil)
	dir := ix.Corpus.Directory
	for _, name := range []string{"市商务局", "市发改委", "市经信局"} {
		t.Run(name, func(t *testing.T) {
			canon, ok := ix.ResolveUnit(name)
			if !ok {
				t.Fatalf("%s is not a unit of the samples", name)
			}
			code, body := get(t, s, "/unit?name="+url.QueryEscape(name))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			page := text(body)
			if !strings.Contains(page, canon) {
				t.Errorf("no canonical name %s", canon)
			}
			// Every written form, every notice and every task ref.
			for _, ut := range ix.UnitTasks(canon) {
				e := ut.Entry
				for _, u := range append(append([]string{}, e.Lead...), e.Resp...) {
					if dir.Canonical(u) == canon && !strings.Contains(page, u) {
						t.Errorf("written form %q (%s %s) missing", u, e.Notice.Name(), e.Ref)
					}
				}
				if !strings.Contains(page, e.Notice.Name()) {
					t.Errorf("notice %s missing", e.Notice.Name())
				}
				link := html.EscapeString(taskLink(e.Notice, e.Task.Ref))
				if !strings.Contains(body, `href="`+link+`"`) {
					t.Errorf("no link %s to task %s", link, e.Ref)
				}
			}
			leads, resps := 0, 0
			for _, ut := range dedupeUnitTasks(ix.UnitTasks(canon)) {
				if ut.Lead {
					leads++
				} else {
					resps++
				}
			}
			if want := "牵头 " + strconv.Itoa(leads) + " 项，责任 " + strconv.Itoa(resps) + " 项"; !strings.Contains(page, want) {
				t.Errorf("no count %q", want)
			}
		})
	}
	t.Run("List", func(t *testing.T) {
		_, body := get(t, s, "/unit")
		for _, u := range ix.Units() {
			if !strings.Contains(body, `href="`+html.EscapeString(unitLinkFor(u))+`"`) {
				t.Errorf("unit %s not listed", u)
			}
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		code, body := get(t, s, "/unit?name="+url.QueryEscape("火星管理局"))
		if code != http.StatusNotFound || !strings.Contains(text(body), "没有找到单位“火星管理局”") {
			t.Errorf("status %d", code)
		}
	})
}

func TestAskPage(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	s := newServer(t, ix, nil)
	for _, q := range []string{"哪个单位牵头步行街建设任务？", "市商务局牵头哪些任务"} {
		t.Run(q, func(t *testing.T) {
			want, err := retrieval.NewAnswerer(ix, nil).ConverseWith(context.Background(), nil, q, retrieval.AnswerOptions{Page: 1})
			if err != nil || !want.Found || len(want.Citations) == 0 {
				t.Fatalf("the answerer: %v %+v", err, want)
			}
			code, body := get(t, s, "/ask?q="+url.QueryEscape(q))
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			m := regexp.MustCompile(`(?s)<div class="answer-text">(.*?)</div>`).FindStringSubmatch(body)
			if m == nil || html.UnescapeString(m[1]) != want.Text {
				t.Errorf("answer differs from the chat's:\n%v\nwant\n%s", m, want.Text)
			}
			// Each citation links the task's row in its notice page.
			for _, c := range want.Citations {
				n := findNotice(ix.Corpus, c.Doc)
				link := taskLink(n, c.Ref)
				if !strings.Contains(body, `<a href="`+html.EscapeString(link)+`">`+html.EscapeString(c.Label)+`</a>`) {
					t.Errorf("citation %s: no link %s", c.Label, link)
					continue
				}
				path, frag, _ := strings.Cut(link, "#")
				if frag == "" {
					t.Errorf("citation %s links no task row", c.Label)
					continue
				}
				_, page := get(t, s, path)
				row := regexp.MustCompile(`(?s)<tr id="` + frag + `">\s*<td class="ref">(.*?)</td>`).FindStringSubmatch(page)
				if row == nil || html.UnescapeString(row[1]) != c.Ref {
					t.Errorf("citation %s: row #%s is %v", c.Label, frag, row)
				}
			}
			if want.Pages > 1 && !strings.Contains(body, ">下一页</a>") {
				t.Error("a paged listing has no next page link")
			}
		})
	}
	t.Run("Page2", func(t *testing.T) {
		q := "市商务局牵头哪些任务"
		want, _ := retrieval.NewAnswerer(ix, nil).ConverseWith(context.Background(), nil, q, retrieval.AnswerOptions{Page: 2})
		if want.Pages < 2 {
			t.Skip("the listing has one page")
		}
		_, body := get(t, s, "/ask?q="+url.QueryEscape(q)+"&page=2")
		if !strings.Contains(text(body), "第2/"+strconv.Itoa(want.Pages)+"页") || !strings.Contains(body, ">上一页</a>") {
			t.Error("page 2 not shown")
		}
	})
	t.Run("Empty", func(t *testing.T) {
		code, body := get(t, s, "/ask")
		if code != http.StatusOK || !strings.Contains(body, `name="q"`) || strings.Contains(body, `class="answer-text"`) {
			t.Errorf("status %d", code)
		}
	})
	t.Run("TooLong", func(t *testing.T) {
		code, _ := get(t, s, "/ask?q="+strings.Repeat("问", maxQuestion+1))
		if code != http.StatusBadRequest {
			t.Errorf("status %d", code)
		}
	})
}

type fakeFeedback []Feedback

func (f fakeFeedback) LatestDown(_ context.Context, limit int) ([]Feedback, error) {
	return f[:min(limit, len(f))], nil
}

func TestFeedbackPage(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	_, body := get(t, newServer(t, ix, nil), "/feedback")
	if !strings.Contains(text(body), "尚未记录反馈") {
		t.Error("no empty state without a feedback source")
	}
	_, body = get(t, newServer(t, ix, fakeFeedback{}), "/feedback")
	if !strings.Contains(text(body), "还没有被标为 👎 的回答") {
		t.Error("no empty state for no feedback")
	}
	n := noticeByNumber(t, ix, "武政办〔2021〕22号")
	c := retrieval.Citation{Doc: n.Doc, Ref: "二(二)3", Label: "武政办〔2021〕22号 二(二)3"}
	fb := fakeFeedback{
		{Time: testDay, Channel: "telegram", Chat: "督办群", Question: "<b>谁</b>牵头步行街", Answer: "市商务局", Citations: []retrieval.Citation{c}},
		{Time: testDay.Add(-time.Hour), Channel: "dingtalk", Chat: "办公室", Question: "夜市归谁管", Answer: "没有找到相关任务"},
	}
	_, body = get(t, newServer(t, ix, fb), "/feedback")
	page := text(body)
	if strings.Contains(body, "<b>谁") || !strings.Contains(page, "<b>谁</b>牵头步行街") {
		t.Error("question not shown escaped")
	}
	if i, j := strings.Index(page, "牵头步行街"), strings.Index(page, "夜市归谁管"); i < 0 || j < i {
		t.Error("not newest first")
	}
	if !strings.Contains(body, `href="`+html.EscapeString(taskLink(n, "二(二)3"))+`"`) {
		t.Error("the citation does not link its task")
	}
}

func TestLoading(t *testing.T) {
	t.Parallel()
	s := newServer(t, nil, nil)
	for _, p := range []string{"/", "/ask?q=x", "/download"} {
		if code, body := get(t, s, p); code != http.StatusServiceUnavailable || !strings.Contains(body, "通知正在加载") {
			t.Errorf("%s: status %d", p, code)
		}
	}
}

// workbook downloads a 台账 and opens it.
func workbook(t *testing.T, s http.Handler, path string) (*excelize.File, http.Header) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", path, w.Code, w.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, w.Header()
}

func TestDownload(t *testing.T) {
	t.Parallel()
	ix := samplesIndex(t)
	s := newServer(t, ix, nil)
	n := noticeByNumber(t, ix, "武政办〔2021〕22号")
	for _, p := range []string{"/download?doc=" + url.QueryEscape(n.Doc), "/download?doc=" + url.QueryEscape(n.DocNumber),
		"/download?unit=" + url.QueryEscape("市商务局"), "/download"} {
		t.Run(p, func(t *testing.T) {
			f, h := workbook(t, s, p)
			if h.Get("Content-Type") != ledger.ContentType {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
			cd := h.Get("Content-Disposition")
			if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("台账")) {
				t.Errorf("Content-Disposition %q", cd)
			}
			rows, err := f.GetRows(ledger.SheetTasks)
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			header := -1
			for i, r := range rows {
				if len(r) > 0 && r[0] == "序号" {
					header = i
					for j, c := range r {
						col[c] = j
					}
					break
				}
			}
			if header < 0 {
				t.Fatalf("no header row in %v", rows[:min(3, len(rows))])
			}
			found := false
			for _, r := range rows[header+1:] {
				if len(r) > col["牵头单位"] && r[col["文号"]] == "武政办〔2021〕22号" && r[col["任务编号"]] == "二(二)3" {
					found = true
					if r[col["牵头单位"]] != "市商务局" {
						t.Errorf("二(二)3 lead %q, want 市商务局", r[col["牵头单位"]])
					}
				}
			}
			if !found {
				t.Error("no row for 武政办〔2021〕22号 二(二)3")
			}
		})
	}
	t.Run("UnknownUnit", func(t *testing.T) {
		if code, _ := get(t, s, "/download?unit="+url.QueryEscape("火星管理局")); code != http.StatusNotFound {
			t.Errorf("status %d", code)
		}
	})
	t.Run("DueBefore", func(t *testing.T) {
		last := testDay.AddDate(0, 0, horizon).Format(time.DateOnly)
		f, _ := workbook(t, s, "/download?due="+last)
		sel, err := ledger.Select(ix.Corpus, ledger.Filter{DueBefore: last})
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(ledger.SheetTasks)
		if len(sel.Rows) == 0 || len(rows) < len(sel.Rows) {
			t.Errorf("%d rows in the sheet, %d selected", len(rows), len(sel.Rows))
		}
	})
	t.Run("BadDate", func(t *testing.T) {
		if code, _ := get(t, s, "/download?due=tomorrow"); code != http.StatusBadRequest {
			t.Errorf("status %d", code)
		}
	})
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	got := contentDisposition("台账_市商务局 (1);x_20210625.xlsx")
	want := `attachment; filename="taizhang.xlsx"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6_%E5%B8%82%E5%95%86%E5%8A%A1%E5%B1%80%20%281%29%3Bx_20210625.xlsx`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
