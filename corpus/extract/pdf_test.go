package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

func TestPDFText(t *testing.T) {
	want := append(append([]string{}, pdfgen.Notice[0]...), pdfgen.Notice[1]...)
	for name, p := range map[string]pdfgen.PDF{
		"Plain":              {Pages: pdfgen.Notice},
		"FlateAndSplitLines": {Pages: pdfgen.Notice, Compress: true, Split: true},
		"WrappedParagraphs":  {Pages: pdfgen.Notice, Wrap: 20},
		"TextInFormXObject":  {Pages: pdfgen.Notice, InForm: true, Compress: true},
		"InheritedResources": {Pages: pdfgen.Notice, Inherit: true},
		"TurnedPage":         {Pages: pdfgen.Notice, Turned: true, Split: true},
	} {
		t.Run(name, func(t *testing.T) {
			text, err := pdfText(t.Context(), p.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(text); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestPDFRefused(t *testing.T) {
	good := pdfgen.PDF{Pages: pdfgen.Notice}.Bytes()
	encrypted := bytes.Replace(good, []byte("trailer\n<< "),
		[]byte("trailer\n<< /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> /ID [<01> <01>] "), 1)
	cyclic := bytes.Replace(good, []byte("/Kids ["), []byte("/Kids [2 0 R "), 1)
	// The first page's stream ends inside its last hex string.
	openHex := bytes.Replace(good, []byte("> Tj ET\n\nendstream"), []byte("0000000\n\nendstream"), 1)
	cases := []struct {
		name, reason string
		data         []byte
	}{
		{"Scanned", "no text layer", pdfgen.PDF{Pages: pdfgen.Notice, NoText: true}.Bytes()},
		{"Encrypted", "encrypted", encrypted},
		{"Truncated", "damaged PDF", good[:len(good)/2]},
		{"NotPDF", "not a PDF", []byte("hello, world")},
		{"CyclicPageTree", "", cyclic},
		{"StreamEndsInHexString", "ends inside a hex string", openHex},
		{"ContentBomb", "too large or complex", pdfgen.PDF{Pages: pdfgen.Notice, Compress: true, Padding: 40 << 20}.Bytes()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			text, err := pdfText(t.Context(), c.data)
			if took := time.Since(start); took > 12*time.Second { // bounded by pdfText's own 10 s deadline, also under -race
				t.Errorf("took %v", took)
			}
			if c.reason == "" { // must end, with or without text
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("err = %v (text %q), want %q", err, text, c.reason)
			}
		})
	}
}

// TestPDFCMapRanges: a bfrange whose destination crosses a byte boundary
// (<4EFE> + 3 = U+4F01) and the array form.
func TestPDFCMapRanges(t *testing.T) {
	m := parsePDFCMap([]byte(`/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfrange
<0101> <0105> <4EFE>
<0200> <0201> [<5E02> <0041>]
endbfrange
1 beginbfchar <0300> <D840DC00> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end`))
	if m == nil {
		t.Fatal("no map read")
	}
	raw := "\x01\x01\x01\x04\x02\x00\x02\x01\x03\x00\x09\x09"
	text, unknown := m.decode(raw)
	if want := "\u4EFE\u4F01市A\U00020000\uFFFD"; text != want || unknown != 1 {
		t.Errorf("decode = %q (%d unknown), want %q (1 unknown)", text, unknown, want)
	}
}

func BenchmarkPDFText(b *testing.B) {
	var pages [][]string
	for i := 0; i < 20; i++ {
		pages = append(pages, pdfgen.Notice...)
	}
	data := pdfgen.PDF{Pages: pages, Compress: true}.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pdfText(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPDFRealProducer reads a PDF that cairo wrote (testdata/formats/README.md):
// an Identity-H font with a ToUnicode map, every line in one text object,
// and a task wrapped at the margin, which comes back as one line.
func TestPDFRealProducer(t *testing.T) {
	data, err := os.ReadFile("testdata/formats/cairo-identity-h.pdf")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/formats/cairo-identity-h.txt")
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(lines(text), "\n"), strings.Join(lines(string(src)), "\n"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkPDFDrawnTable reads the three-page LibreOffice table export.
func BenchmarkPDFDrawnTable(b *testing.B) {
	data, err := os.ReadFile("testdata/formats/table.pdf")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pdfText(b.Context(), data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPDFReadStopsWorker: a read whose context ends stops its worker
// before it returns — in the PDF library's lexer, which our callback never
// sees while it reads operands that no operator ends, as in our own
// interpretation of the operators — instead of leaving it to run on to
// the end of the file or its own time budget.
func TestPDFReadStopsWorker(t *testing.T) {
	for _, tc := range []struct {
		name string
		pdf  pdfgen.PDF
	}{
		// About 3 s of lexing and not one operator.
		{"OperandsWithoutOperator", pdfgen.PDF{Pages: [][]string{{"x"}}, Draw: []string{strings.Repeat("1 ", 4<<20)}}},
		// About 3 s of operators, 22 MB inflated from 45 KB.
		{"ManyOperators", pdfgen.PDF{Pages: [][]string{{"x"}}, Draw: []string{strings.Repeat("1 0 0 1 0 0 cm\n", 1_500_000)}, Compress: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.pdf.Bytes()
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			_, err := pdfText(ctx, data)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the context's deadline", err)
			}
			// The worker leaves readPDF before it hands its result over.
			if s := allStacks(); strings.Contains(s, "extract.readPDF") {
				t.Errorf("a PDF worker still runs after its read returned:\n%s", s)
			}
		})
	}
}
