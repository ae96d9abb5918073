package extract

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

// FuzzLayout lays out pages of strings and rules written one a line —
// "T x y em text", "R x0 y0 x1 y1", "P" for a new page — and wants every
// character of the text it writes to come from a string on the pages: a
// layout joins, drops and rearranges, it never invents.
func FuzzLayout(f *testing.F) {
	f.Add("T 100 700 10 序号\nT 150 700 10 工作任务\nR 90 690 300 690\nR 90 710 300 710\nR 90 690 90 710\nR 140 690 140 710\nR 300 690 300 710\nT 100 680 10 1\nR 90 670 300 670\nR 90 670 90 690\nR 140 670 140 690\nR 300 670 300 690\nT 150 680 10 推进外贸")
	f.Add("T 250 800 10 某市人民政府文件\nT 120 700 10 1.推进外贸稳规模优结构，支持企业拓展多元\nT 100 685 10 市场。（牵头单位：市商务局）\nT 280 60 10 — 1 —\nP\nT 250 800 10 某市人民政府文件\nT 100 700 10 稳住外贸\nT 280 60 10 — 2 —")
	f.Add("T 100 700 10 盘活\nT 120 700 10 10\nT 133 700 10 家\nT 100.2 700.2 10 盘活\nR 0 0 0 0\nR 90 0 90 1000\nR 0 500 1000 500\nR 500 0 500 1000")
	f.Fuzz(func(t *testing.T, src string) {
		var pages []drawnPage
		var pg drawnPage
		have := map[rune]int{}
		for _, l := range strings.Split(src, "\n") {
			f := strings.SplitN(l, " ", 5)
			num := func(i int) float64 {
				if i >= len(f) {
					return 0
				}
				v, _ := strconv.ParseFloat(f[i], 64)
				return v
			}
			switch f[0] {
			case "P":
				pages = append(pages, pg)
				pg = drawnPage{}
			case "R":
				pg.rules = append(pg.rules, newRule(num(1), num(2), num(3), num(4)))
			case "T":
				if len(f) < 5 {
					continue
				}
				text := strings.ToValidUTF8(f[4], "\uFFFD")
				r := run(num(1), num(2), text)
				if em := num(3); em > 0 {
					r.em = em
				}
				pg.runs = append(pg.runs, r)
				for _, c := range text {
					have[c]++
				}
			}
		}
		pages = append(pages, pg)
		var items [][]pageItem
		for _, p := range pages {
			items = append(items, pageItems(p))
		}
		for _, c := range layoutPages(items) {
			switch c {
			case ' ', '\n', '|':
				continue
			case '｜':
				if have['|'] > 0 {
					have['|']--
					continue
				}
			}
			if have[c]--; have[c] < 0 && c != utf8.RuneError {
				t.Fatalf("%q written more often than drawn", c)
			}
		}
	})
}

// FuzzPDFText reads PDFs, and fails on a panic in this package's own
// layout code; the PDF library's panics on damaged files are reported
// as "damaged PDF" by pdfText, and budgets are errors.
func FuzzPDFText(f *testing.F) {
	f.Add(pdfgen.PDF{Pages: pdfgen.Notice}.Bytes())
	f.Add(pdfgen.PDF{Pages: pdfgen.Notice, Split: true, Wrap: 20}.Bytes())
	f.Add(pdfgen.WordTable("清单", [][]string{
		{"序号", "重点工作", "责任单位", "完成时限"},
		{"一、招商引资"},
		{"1", "盘活僵尸企业10家，盘活存量土地400亩。", "改革办", "全年"},
		{"2", "加快推进污水处理厂及污水管网提升项目。", "规划建设局", "2025年6月底前"},
	}, []float64{36, 120, 80, 60}).Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan string, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					if _, ok := p.(pdfStopped); ok {
						done <- ""
						return
					}
					if e, ok := p.(error); ok && errors.Is(e, errPDFBudget) {
						done <- ""
						return
					}
					stack := string(debug.Stack())
					for _, fn := range []string{"extract.layoutPages", "extract.pageItems", "extract.findDrawnTables", "extract.buildGrid",
						"extract.cellText", "extract.runLines", "extract.dropRunningLines", "extract.dropOverprint", "extract.(*pdfPath)", "extract.(*pdfExtractor).paint", "extract.(*drawnTable)"} {
						if strings.Contains(stack, fn) {
							done <- fmt.Sprintf("panic in %s: %v\n%s", fn, p, stack)
							return
						}
					}
				}
				done <- ""
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			readPDF(ctx, data)
		}()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("readPDF still running after 5 s\n%s", allStacks())
		}
	})
}

func allStacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}
