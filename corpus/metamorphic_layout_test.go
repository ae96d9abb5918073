package corpus

import (
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestMetamorphicLayout writes every real notice the ways the same notice
// reaches a folder from other offices and tools — full-width or half-width
// punctuation, Traditional characters, GB18030 bytes, an HTML page, lines
// hard-wrapped as text copied out of a PDF, Windows line ends — and checks
// that every task keeps its units. Units are compared folded (width,
// Traditional/Simplified), since a Traditional notice's units are written
// in Traditional.
func TestMetamorphicLayout(t *testing.T) {
	text := func(f func(string) string) func(string, []byte) (string, []byte) {
		return func(name string, b []byte) (string, []byte) { return name, []byte(f(string(b))) }
	}
	transforms := []struct {
		name  string
		f     func(name string, b []byte) (string, []byte)
		floor float64
		bytes bool // rewrites characters or bytes: mojibake pages are left alone
	}{
		{"full-width punctuation", text(fullWidthPunct), 0.98, false},
		{"half-width punctuation", text(halfWidthPunct), 0.98, false},
		{"Traditional characters", text(toTraditional), 0.98, true},
		{"GB18030 bytes", toGB18030, 0.98, true},
		{"an HTML page", toHTMLPage, 0.98, false},
		{"hard-wrapped at 28 characters (a 公文 page)", text(func(s string) string { return hardWrap(s, 56) }), 0.98, false},
		{"hard-wrapped at 36 characters", text(func(s string) string { return hardWrap(s, 72) }), 0.98, false},
		{"CRLF line ends", text(func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }), 0.98, false},
	}
	files := realNoticeFiles(t)
	baseCorpus := loadRewritten(t, files, nil)
	base := foldedUnits(baseCorpus)
	// A page holding mojibake (GBK decoded as something else once) is
	// repaired from its exact characters: a rewrite of its characters or
	// bytes destroys what the repair reads, which no office would do.
	mojibake := map[string]bool{}
	for _, fr := range baseCorpus.Report.Files {
		for _, w := range fr.Warnings {
			if strings.Contains(w, "mojibake") {
				mojibake[fr.Name] = true
			}
		}
	}
	total := 0
	for _, m := range base {
		total += len(m)
	}
	for _, tr := range transforms {
		t.Run(tr.name, func(t *testing.T) {
			rewritten := map[string][]byte{}
			changed := 0
			for name, b := range files {
				if ext := filepath.Ext(name); (ext == ".txt" || ext == ".md" || ext == ".html" || ext == ".htm") && !(tr.bytes && mojibake[name]) {
					n2, b2 := tr.f(name, b)
					if n2 != name || string(b2) != string(b) {
						changed++
					}
					name, b = n2, b2
				}
				rewritten[name] = b
			}
			if changed < 5 {
				t.Fatalf("the rewrite changed only %d notices: it tests nothing", changed)
			}
			got := foldedUnits(loadRewritten(t, rewritten, nil))
			held := 0
			for doc, refs := range base {
				for ref, want := range refs {
					if got[doc][ref] == want {
						held++
					} else {
						t.Logf("%s %s: %q, was %q", doc, ref, got[doc][ref], want)
					}
				}
			}
			share := float64(held) / float64(total)
			t.Logf("%s: %d/%d tasks keep their units (%.1f%%)", tr.name, held, total, 100*share)
			if share < tr.floor {
				t.Errorf("%s: only %.1f%% of tasks keep their units, want ≥ %.0f%%", tr.name, 100*share, 100*tr.floor)
			}
		})
	}
}

// foldedUnits is unitsByRef keyed by the file's stem (a rewrite may change
// the extension), refs and units folded by Normalize.
func foldedUnits(c *Corpus) map[string]map[string]string {
	out := map[string]map[string]string{}
	for doc, refs := range unitsByRef(c) {
		m := map[string]string{}
		for ref, u := range refs {
			m[Normalize(ref)] = Normalize(u)
		}
		out[strings.TrimSuffix(doc, filepath.Ext(doc))] = m
	}
	return out
}

var (
	halfPunct = strings.NewReplacer(":", "：", ";", "；", ",", "，", "(", "（", ")", "）")
	fullPunct = strings.NewReplacer("：", ":", "；", ";", "，", ",", "（", "(", "）", ")")
	// digitPunct keeps 1,000 and 8:30 as they are.
	digitPunct = regexp.MustCompile(`\d[,:]\d`)
)

// fullWidthPunct writes a notice's colons, semicolons, commas and brackets
// full-width, as most offices do, except between digits.
func fullWidthPunct(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.Contains(l, "<") || strings.Contains(l, "://") {
			continue // markup and addresses keep their ASCII
		}
		keep := digitPunct.FindAllStringIndex(l, -1)
		var b strings.Builder
		last := 0
		for _, k := range keep {
			b.WriteString(halfPunct.Replace(l[last:k[0]]))
			b.WriteString(l[k[0]:k[1]])
			last = k[1]
		}
		b.WriteString(halfPunct.Replace(l[last:]))
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// halfWidthPunct writes them half-width, as text typed on an English
// keyboard or normalized by a web page does.
func halfWidthPunct(s string) string { return fullPunct.Replace(s) }

// simplifiedToTraditional inverts the folding table: the first Traditional
// character of the BMP that folds to each Simplified one.
var simplifiedToTraditional = func() map[rune]rune {
	m := map[rune]rune{}
	for r := rune(0x3400); r < 0xA000; r++ {
		s := []rune(ToSimplified(string(r)))
		if len(s) == 1 && s[0] != r {
			if _, ok := m[s[0]]; !ok {
				m[s[0]] = r
			}
		}
	}
	return m
}()

// toTraditional writes a notice in Traditional characters, as Hong Kong,
// Macao and Taiwan reposts do.
func toTraditional(s string) string {
	return strings.Map(func(r rune) rune {
		if t, ok := simplifiedToTraditional[r]; ok {
			return t
		}
		return r
	}, s)
}

// toGB18030 saves a text notice in GB18030, as Chinese Windows tools do.
func toGB18030(name string, b []byte) (string, []byte) {
	if filepath.Ext(name) != ".txt" || !utf8.Valid(b) {
		return name, b
	}
	out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
	if err != nil {
		return name, b
	}
	return name, out
}

// toHTMLPage saves a text notice as a plain government web page: a
// paragraph a line inside an article, with a site header and footer.
func toHTMLPage(name string, b []byte) (string, []byte) {
	if filepath.Ext(name) != ".txt" {
		return name, b
	}
	var p strings.Builder
	p.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>政府信息公开</title></head><body>\n")
	p.WriteString("<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a></div>\n<div class=\"article\">\n")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		p.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
	}
	p.WriteString("</div>\n<div class=\"footer\">主办单位：某市人民政府办公室 网站标识码：1234567890</div>\n</body></html>\n")
	return strings.TrimSuffix(name, ".txt") + ".html", []byte(p.String())
}

// hardWrap breaks every prose line wider than width columns (a Chinese
// character is two) where the next character would not fit, as text copied
// out of a PDF keeps the page's line breaks. Table rows stay whole.
func hardWrap(s string, width int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if displayWidth(l) <= width || strings.Contains(l, "|") || strings.Contains(l, "<") {
			out = append(out, l)
			continue
		}
		var line strings.Builder
		w := 0
		for _, r := range l {
			if rw := displayWidth(string(r)); w+rw > width {
				out = append(out, line.String())
				line.Reset()
				w = 0
			}
			line.WriteRune(r)
			w += displayWidth(string(r))
		}
		out = append(out, line.String())
	}
	return strings.Join(out, "\n")
}
