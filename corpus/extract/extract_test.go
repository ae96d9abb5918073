package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

// textFormats are the formats Text reads, as FuzzText picks them.
var textFormats = []string{"text", "markdown", "html", "docx", "pdf", "ofd", "xlsx"}

// FuzzText: whatever the bytes and whichever reader they are given to,
// Text never panics and ends; it gives either an error and no text, or
// lines that are trimmed and hold no line break.
func FuzzText(f *testing.F) {
	f.Add(uint8(0), []byte("关于印发工作方案的通知\n一、工作任务\n1．建设。（牵头单位：市商务局）\r\n网站标识码：1234"))
	f.Add(uint8(0), []byte{0xB9, 0xD8, 0xD3, 0xDA, 0x0A, 0xA1, 0xA2}) // GBK
	f.Add(uint8(1), []byte("# 通知\n**一、任务**\n- 1．建设。（责任单位：市商务局）"))
	f.Add(uint8(2), []byte(`<html><head><meta charset="gbk"><title>通知_某市人民政府</title></head><body><div class="nav">首页</div><table><tr><td>1</td><td>建设</td><td>市商务局</td></tr></table></body></html>`))
	f.Add(uint8(3), pdfgen.Docx(`<w:p><w:r><w:t>1．建设。（牵头单位：市商务局）</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`))
	f.Add(uint8(4), pdfgen.PDF{Pages: pdfgen.Notice, Compress: true}.Bytes())
	table := pdfgen.WordTable("清单", [][]string{{"序号", "重点工作", "责任单位"}, {"1", "盘活存量土地400亩。", "改革办"}}, []float64{36, 200, 110})
	f.Add(uint8(5), pdfgen.OFD(table))
	if xlsx, err := os.ReadFile("testdata/formats/table-calc.xlsx"); err == nil {
		f.Add(uint8(6), xlsx)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		format := textFormats[int(which)%len(textFormats)]
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		doc, err := Text(ctx, format, data)
		if err != nil {
			if doc.Lines != nil || doc.Title != "" || doc.Warnings != nil || (doc.Encoding != "" && !errors.Is(err, ErrNoText)) {
				t.Fatalf("%s: error %v with a document %+v", format, err, doc)
			}
			return
		}
		for i, l := range doc.Lines {
			if strings.ContainsAny(l, "\r\n") || strings.TrimFunc(l, isBlank) != l {
				t.Fatalf("%s: line %d %q is not one trimmed line", format, i, l)
			}
		}
	})
}

// BenchmarkText reads every real notice of the corpus package's samples
// and devset, as a load does.
func BenchmarkText(b *testing.B) {
	var files [][2]string // format, path
	for _, pattern := range []string{"../samples/*", "../testdata/devset/notices/*"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			format := map[string]string{".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}[filepath.Ext(p)]
			if format != "" {
				files = append(files, [2]string{format, p})
			}
		}
	}
	if len(files) < 30 {
		b.Fatalf("%d real notices found, want the samples and the devset", len(files))
	}
	datas := make([][]byte, len(files))
	var size int64
	for i, f := range files {
		data, err := os.ReadFile(f[1])
		if err != nil {
			b.Fatal(err)
		}
		datas[i], size = data, size+int64(len(data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	lines := 0
	for b.Loop() {
		lines = 0
		for i, f := range files {
			doc, err := Text(b.Context(), f[0], datas[i])
			if err != nil {
				b.Fatalf("%s: %v", f[1], err)
			}
			lines += len(doc.Lines)
		}
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(lines), "lines")
}
