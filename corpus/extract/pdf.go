package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// PDF text. github.com/ledongthuc/pdf (pure Go, no dependencies) parses
// the file's objects and content streams; the text is decoded and laid
// out here. Chinese office software shows text in Type0 fonts with
// Identity-H encoding, whose codes are glyph ids: only the font's
// ToUnicode CMap says what they read. The library's own CMap decoding
// adds a range offset to the last byte only, which garbles any range that
// crosses a byte boundary, so the CMap is applied here (pdfCMap). Fonts
// without a CMap but with a predefined Chinese encoding (UniGB-UCS2-H,
// GBK-EUC-H, B5pc-H …) are decoded from that encoding.
//
// Each string shown is kept with its place, and each line or thin
// rectangle drawn as a rule; layoutPages (layout.go) turns the pages back
// into lines and tables. Work is bounded: page and operator counts, and a
// time budget that also ends when the caller's context does.

const (
	maxPDFPages = 2000
	maxPDFOps   = 5_000_000
	// maxPDFContent bounds the inflated content streams of all pages.
	maxPDFContent = 64 << 20
	pdfTimeout    = 10 * time.Second
	// pdfStopGrace is how long a read that ran out of time waits for its
	// worker to stop.
	pdfStopGrace = time.Second
)

var errPDFBudget = errors.New("PDF too large or complex to read")

// pdfText extracts the text layer of a PDF, or says why there is none.
// The reading runs on a worker of its own, so that a library call that
// never returns costs a timeout, not the load; the worker checks ctx in its
// loops (pdfExtractor.check), and a read that runs out of time stops it and
// waits for it, so no worker outlives the read that started it.
func pdfText(ctx context.Context, data []byte) (text string, err error) {
	ctx, cancel := context.WithTimeoutCause(ctx, pdfTimeout, fmt.Errorf("%w: reading took more than %v", errPDFBudget, pdfTimeout))
	defer cancel()
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		// The result goes out once readPDFSafely has returned, its
		// panic (if any) recovered and its frames gone.
		var r result
		r.text, r.err = readPDFSafely(ctx, data)
		done <- r
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-ctx.Done():
	}
	// The worker stops at its next check of ctx, within moments; only a
	// call into the library that never returns keeps it longer.
	t := time.NewTimer(pdfStopGrace)
	defer t.Stop()
	select {
	case r := <-done: // stopped, or finished just as time ran out
		return r.text, r.err
	case <-t.C:
		if cause := context.Cause(ctx); !errors.Is(cause, errPDFBudget) {
			return "", cause // the caller's context ended first
		}
		// The same reason as the worker's own check gives: which of the
		// two comes first depends on the machine's speed, not the file.
		return "", fmt.Errorf("%w: took more than %v", errPDFBudget, pdfTimeout)
	}
}

// readPDFSafely is readPDF with its panics made errors: the library's on a
// damaged file, our budgets', and the unwinding of a worker whose ctx is
// done, whose reason is ctx's whatever the library made of its failed
// reads.
func readPDFSafely(ctx context.Context, data []byte) (text string, err error) {
	defer func() {
		p := recover()
		if (p != nil || err != nil) && ctx.Err() != nil {
			text, err = "", context.Cause(ctx)
			return
		}
		if p != nil {
			text = ""
			if e, ok := p.(error); ok && errors.Is(e, errPDFBudget) {
				err = e
			} else {
				err = fmt.Errorf("damaged PDF: %v", p)
			}
		}
	}()
	return readPDF(ctx, data)
}

// ctxReaderAt is the file as the PDF library reads it. Once ctx is done
// every read fails, so that the library's own loops — the lexer reading
// a run of operands that no operator ends, which our callback never
// sees — come to an end; the library reports the failure as damage,
// which the worker then puts down to ctx.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// pdfStopped is the panic with which a worker whose ctx is done unwinds
// from deep in the content stream's interpretation.
type pdfStopped struct{ cause error }

func readPDF(ctx context.Context, data []byte) (string, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\n\r "), []byte("%PDF-")) {
		return "", errors.New("not a PDF file (no %PDF header)")
	}
	r, err := pdf.NewReader(ctxReaderAt{ctx, bytes.NewReader(data)}, int64(len(data)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
			return "", errors.New("PDF is encrypted (password protected): save an unprotected copy or the .docx and add that")
		}
		return "", fmt.Errorf("damaged PDF: %w", err)
	}
	pages := pdfPages(r.Trailer().Key("Root").Key("Pages"))
	if len(pages) == 0 {
		return "", errors.New("damaged PDF: no pages found")
	}
	ex := &pdfExtractor{ctx: ctx, fontCache: map[string]*pdfFont{}}
	var items [][]pageItem
	for _, p := range pages {
		ex.page(p)
		upright(ex.runs, ex.rules)
		items = append(items, pageItems(drawnPage{runs: ex.runs, rules: ex.rules}))
		ex.runs, ex.rules = nil, nil
		ex.check()
	}
	text := layoutPages(items)
	if ex.shown == 0 || strings.TrimSpace(text) == "" {
		return "", errors.New("PDF has no text layer (a scanned image?): it needs OCR; add the .docx or a PDF with text instead")
	}
	if ex.unknown*4 > ex.shown {
		return "", errors.New("PDF text cannot be decoded (its fonts carry no Unicode map); add the .docx instead")
	}
	return text, nil
}

// pdfPages lists the page dictionaries in order, walking the page tree
// with bounded depth and count, so a cyclic tree cannot loop.
func pdfPages(root pdf.Value) []pdf.Value {
	var pages []pdf.Value
	visits := 0
	var walk func(n pdf.Value, depth int)
	walk = func(n pdf.Value, depth int) {
		visits++
		if depth > 64 || visits > 4*maxPDFPages {
			return
		}
		switch n.Key("Type").Name() {
		case "Page":
			if len(pages) >= maxPDFPages {
				panic(fmt.Errorf("%w: more than %d pages", errPDFBudget, maxPDFPages))
			}
			pages = append(pages, n)
		default: // Pages, or a node that forgot its type
			kids := n.Key("Kids")
			for i := 0; i < kids.Len(); i++ {
				walk(kids.Index(i), depth+1)
			}
		}
	}
	walk(root, 0)
	return pages
}

func args0Name(args []pdf.Value) string {
	if len(args) == 0 {
		return ""
	}
	return args[0].Name()
}

// pdfMatrix is an affine transform [a b c d e f].
type pdfMatrix [6]float64

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	return pdfMatrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type pdfExtractor struct {
	ctx     context.Context // done: stop reading (check)
	ops     int
	shown   int   // characters shown
	content int64 // bytes of content streams inflated so far
	unknown int   // characters no map could decode

	fontCache map[string]*pdfFont
	font      *pdfFont
	size      float64
	leading   float64
	ctm, tm   pdfMatrix
	tlm       pdfMatrix
	stack     []pdfMatrix
	runs      []glyphRun // the page's strings so far
	rules     []rule     // and its rules
	path      pdfPath
	// Text spacing: Tc and Tw in unscaled text units, Tz as a factor.
	charSpace, wordSpace, hscale float64
}

// check unwinds the worker (pdfStopped) once its ctx is done.
func (ex *pdfExtractor) check() {
	if ex.ctx.Err() != nil {
		panic(pdfStopped{context.Cause(ex.ctx)})
	}
}

func (ex *pdfExtractor) page(p pdf.Value) {
	ex.font, ex.size, ex.leading = nil, 12, 0
	ex.charSpace, ex.wordSpace, ex.hscale = 0, 0, 1
	ex.ctm, ex.tm, ex.tlm, ex.stack, ex.path = pdfIdentity, pdfIdentity, pdfIdentity, nil, pdfPath{}
	ex.run(p.Key("Contents"), pdf.Page{V: p}.Resources(), 0) // resources may be inherited
}

// fontsOf returns the fonts of a resource dictionary by name. Pages share
// their fonts, so each font's maps are read once: a font dictionary's text
// (its references unresolved) identifies it.
func (ex *pdfExtractor) fontsOf(res pdf.Value) map[string]*pdfFont {
	fonts := map[string]*pdfFont{}
	dict := res.Key("Font")
	for _, name := range dict.Keys() {
		f := dict.Key(name)
		key := f.String()
		if ex.fontCache[key] == nil {
			ex.fontCache[key] = &pdfFont{newPDFDecoder(f), newPDFWidths(f), f.Key("Subtype").Name() == "Type0"}
		}
		fonts[name] = ex.fontCache[key]
	}
	return fonts
}

// run interprets a content stream with its resources; a form XObject it
// draws (Do) is run in turn, to a bounded depth, as some producers put a
// page's text inside one.
func (ex *pdfExtractor) run(contents, res pdf.Value, depth int) {
	if contents.IsNull() {
		return
	}
	fonts := ex.fontsOf(res)
	ex.checkContentSize(contents)
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		ex.ops++
		if ex.ops > maxPDFOps {
			panic(fmt.Errorf("%w: more than %d drawing operations", errPDFBudget, maxPDFOps))
		}
		if ex.ops%4096 == 0 {
			ex.check()
		}
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(ex.stack) < 64 {
				ex.stack = append(ex.stack, ex.ctm)
			}
		case "Q":
			if n := len(ex.stack); n > 0 {
				ex.ctm, ex.stack = ex.stack[n-1], ex.stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				ex.ctm = pdfMatrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(ex.ctm)
			}
		case "BT":
			ex.tm, ex.tlm = pdfIdentity, pdfIdentity
		case "Tf":
			if len(args) == 2 {
				ex.font, ex.size = fonts[args[0].Name()], num(1)
			}
		case "Do":
			xo := res.Key("XObject").Key(args0Name(args))
			if depth < 8 && xo.Key("Subtype").Name() == "Form" {
				saved, savedStack := ex.ctm, len(ex.stack)
				if m := xo.Key("Matrix"); m.Len() == 6 {
					ex.ctm = pdfMatrix{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(),
						m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.mul(ex.ctm)
				}
				xres := xo.Key("Resources")
				if xres.IsNull() {
					xres = res
				}
				ex.run(xo, xres, depth+1)
				ex.ctm, ex.stack = saved, ex.stack[:min(savedStack, len(ex.stack))]
			}
		case "m", "l", "h", "re":
			ex.path.add(op, args, ex.ctm)
		case "S", "s", "b", "b*", "B", "B*":
			ex.paint(true)
		case "f", "F", "f*":
			ex.paint(false)
		case "n":
			ex.path = pdfPath{}
		case "TL":
			ex.leading = num(0)
		case "Td":
			ex.moveLine(num(0), num(1))
		case "TD":
			ex.leading = -num(1)
			ex.moveLine(num(0), num(1))
		case "Tm":
			if len(args) == 6 {
				ex.tm = pdfMatrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				ex.tlm = ex.tm
			}
		case "T*":
			ex.moveLine(0, -ex.leading)
		case "Tj":
			if len(args) == 1 {
				ex.show(args[0].RawString())
			}
		case "Tc":
			ex.charSpace = num(0)
		case "Tw":
			ex.wordSpace = num(0)
		case "Tz":
			ex.hscale = num(0) / 100
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				ex.wordSpace, ex.charSpace = num(0), num(1)
			}
			ex.moveLine(0, -ex.leading)
			if len(args) > 0 {
				ex.show(args[len(args)-1].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					if x := a.Index(i); x.Kind() == pdf.String {
						ex.show(x.RawString())
					} else {
						ex.advance(-x.Float64() / 1000 * ex.size * ex.hscale)
					}
				}
			}
		}
	})
}

// checkContentSize inflates a page's content streams once through a cap
// before they are interpreted: a stream that inflates without bound (a
// compression bomb) is refused here instead of being tokenized for ever.
// So is a stream that ends inside a hex string (<0041…): the library's
// lexer reads on past its end for ever.
func (ex *pdfExtractor) checkContentSize(contents pdf.Value) {
	streams := []pdf.Value{contents}
	if contents.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < contents.Len(); i++ {
			streams = append(streams, contents.Index(i))
		}
	}
	for _, s := range streams {
		rc := s.Reader()
		var tail hexTail
		n, _ := io.Copy(checkedWriter{&tail, ex}, io.LimitReader(rc, maxPDFContent-ex.content+1))
		rc.Close()
		if ex.content += n; ex.content > maxPDFContent {
			panic(fmt.Errorf("%w: its pages draw more than %d MB", errPDFBudget, maxPDFContent>>20))
		}
		if tail.open() {
			panic(errors.New("a content stream ends inside a hex string"))
		}
	}
}

// checkedWriter checks the worker's ctx before each chunk a stream
// inflates to: inflating a bomb up to the cap takes a while.
type checkedWriter struct {
	w  io.Writer
	ex *pdfExtractor
}

func (c checkedWriter) Write(p []byte) (int, error) {
	c.ex.check()
	return c.w.Write(p)
}

// hexTail follows a content stream as the library's lexer reads hex
// strings, to tell whether the stream ends inside one: after "<" (not
// "<<") the lexer takes characters in pairs, spaces skipped, until a ">"
// in first place (the end) or a pair that is not hex (an error).
type hexTail struct {
	state byte // 0 outside, 1 after "<", 2 in a string, 3 halfway through a pair
	first byte
}

func (h *hexTail) open() bool { return h.state != 0 }

func (h *hexTail) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		c := p[0]
		p = p[1:]
		switch h.state {
		case 0:
			// Outside a string, skip to the next "<" at once: most of a
			// stream (and all of a bomb's padding) is here.
			if c != '<' {
				i := bytes.IndexByte(p, '<')
				if i < 0 {
					return n, nil
				}
				p = p[i+1:]
			}
			h.state = 1
			continue
		case 1:
			if c == '<' { // "<<" opens a dictionary
				h.state = 0
				continue
			}
			h.state = 2
		}
		if isCMapSpace(c) {
			continue
		}
		switch {
		case h.state == 2 && c == '>':
			h.state = 0
		case h.state == 2:
			h.first, h.state = c, 3
		case unhex(h.first) < 0 || unhex(c) < 0:
			h.state = 0
		default:
			h.state = 2
		}
	}
	return n, nil
}

func (ex *pdfExtractor) moveLine(tx, ty float64) {
	ex.tlm = pdfMatrix{1, 0, 0, 1, tx, ty}.mul(ex.tlm)
	ex.tm = ex.tlm
}

// show keeps one string of codes with its place on the page: where it
// starts, how far it runs along its baseline, and which way that points
// (quarter turns; see upright).
func (ex *pdfExtractor) show(raw string) {
	if ex.font == nil {
		ex.font = &pdfFont{dec: pdfFallback{}}
	}
	text, unknown := ex.font.dec.decode(raw)
	m := ex.tm.mul(ex.ctm)
	em := ex.size * math.Hypot(m[2], m[3]) // the text's height on the page
	if em <= 0 {
		em = 1
	}
	// The pen moves by the glyphs' widths plus Tc for each code and Tw
	// for each single-byte space, all scaled by Tz (PDF 9.4.4).
	codes, spaces := len(raw), strings.Count(raw, " ")
	if ex.font.twoByte {
		codes, spaces = len(raw)/2, 0
	}
	tx := (ex.font.advance(raw, text)*ex.size + ex.charSpace*float64(codes) + ex.wordSpace*float64(spaces)) * ex.hscale
	length := tx * math.Hypot(m[0], m[1])
	turn := int8(math.Round(math.Atan2(m[1], m[0])/(math.Pi/2))) & 3
	ex.runs = append(ex.runs, glyphRun{x0: m[4], x1: m[4] + length, y: m[5], em: em, text: text, turn: turn})
	ex.advance(tx)
	ex.shown += utf8.RuneCountInString(text)
	ex.unknown += unknown
}

// advance moves the text matrix along the baseline by tx text units.
func (ex *pdfExtractor) advance(tx float64) {
	ex.tm[4] += tx * ex.tm[0]
	ex.tm[5] += tx * ex.tm[1]
}

// upright turns a page whose text mostly runs up, down or upside down
// (a landscape table drawn on a portrait page and turned by /Rotate) so
// that it reads left to right; its rules turn with it.
func upright(runs []glyphRun, rules []rule) {
	var count [4]int
	for _, r := range runs {
		count[r.turn] += utf8.RuneCountInString(r.text)
	}
	turn := 0
	for t := range count {
		if count[t] > count[turn] {
			turn = t
		}
	}
	if turn == 0 {
		return
	}
	// Rotate by -turn quarter turns.
	rot := func(x, y float64) (float64, float64) {
		for range turn {
			x, y = y, -x
		}
		return x, y
	}
	for i := range runs {
		r := &runs[i]
		length := r.x1 - r.x0
		r.x0, r.y = rot(r.x0, r.y)
		r.x1 = r.x0 + length
		r.turn = (r.turn - int8(turn)) & 3
	}
	for i, r := range rules {
		ax, ay := rot(r.x0, r.y0)
		bx, by := rot(r.x1, r.y1)
		rules[i] = newRule(ax, ay, bx, by)
	}
}

// pdfPath is the path being built: its straight segments and rectangles,
// in page space. Curves are not kept: table rules are straight.
type pdfPath struct {
	segs   []rule // from, to (not ordered)
	rects  []rule
	cx, cy float64 // the current point
	sx, sy float64 // where the subpath started
	starts []int   // where each subpath's segments start
}

func (p *pdfPath) add(op string, args []pdf.Value, ctm pdfMatrix) {
	if len(p.segs)+len(p.rects) > maxPageRules {
		return
	}
	pt := func(i int) (float64, float64) {
		if i+1 >= len(args) {
			return p.cx, p.cy
		}
		x, y := args[i].Float64(), args[i+1].Float64()
		return ctm[0]*x + ctm[2]*y + ctm[4], ctm[1]*x + ctm[3]*y + ctm[5]
	}
	switch op {
	case "m":
		p.starts = append(p.starts, len(p.segs))
		p.cx, p.cy = pt(0)
		p.sx, p.sy = p.cx, p.cy
	case "l":
		x, y := pt(0)
		p.segs = append(p.segs, rule{p.cx, p.cy, x, y})
		p.cx, p.cy = x, y
	case "h":
		p.segs = append(p.segs, rule{p.cx, p.cy, p.sx, p.sy})
		p.cx, p.cy = p.sx, p.sy
	case "re":
		if len(args) == 4 {
			x, y := pt(0)
			w, h := args[2].Float64(), args[3].Float64()
			x2, y2 := ctm[0]*w+ctm[2]*h, ctm[1]*w+ctm[3]*h
			p.rects = append(p.rects, newRule(x, y, x+x2, y+y2))
			p.cx, p.cy = x, y
			p.sx, p.sy = x, y
		}
	}
}

// paint ends the path: a stroke draws its segments and the edges of its
// rectangles as rules; a fill draws each rectangle (and the box of its
// segments, a polygon cell border) as one, which is a rule when thin.
func (ex *pdfExtractor) paint(stroke bool) {
	p := &ex.path
	if len(ex.rules) < maxPageRules {
		if stroke {
			for _, s := range p.segs {
				ex.rules = append(ex.rules, newRule(s.x0, s.y0, s.x1, s.y1))
			}
			for _, r := range p.rects {
				ex.rules = append(ex.rules, rule{r.x0, r.y0, r.x1, r.y0}, rule{r.x0, r.y1, r.x1, r.y1},
					rule{r.x0, r.y0, r.x0, r.y1}, rule{r.x1, r.y0, r.x1, r.y1})
			}
		} else {
			ex.rules = append(ex.rules, p.rects...)
			for k, from := range p.starts {
				to := len(p.segs)
				if k+1 < len(p.starts) {
					to = p.starts[k+1]
				}
				if from >= to {
					continue
				}
				box := p.segs[from]
				for _, s := range p.segs[from:to] {
					box = newRule(min(box.x0, s.x0, s.x1), min(box.y0, s.y0, s.y1), max(box.x1, s.x0, s.x1), max(box.y1, s.y0, s.y1))
				}
				ex.rules = append(ex.rules, box)
			}
		}
	}
	*p = pdfPath{}
}

// pdfFont is a font of a page: how its codes read and how wide they are.
type pdfFont struct {
	dec     pdfDecoder
	widths  *pdfWidths
	twoByte bool // a Type0 font: (mostly) two bytes a code
}

// pdfWidths are a font's glyph widths in thousandths of an em, by code
// (simple fonts) or by CID (Type0 fonts with Identity encoding, where the
// two-byte code is the CID).
type pdfWidths struct {
	twoByte bool
	dflt    float64
	w       map[uint32]float64
}

func newPDFWidths(font pdf.Value) *pdfWidths {
	if font.Key("Subtype").Name() == "Type0" {
		if !strings.HasPrefix(font.Key("Encoding").Name(), "Identity") {
			return nil // a predefined CMap: codes are not CIDs
		}
		d := font.Key("DescendantFonts").Index(0)
		ws := &pdfWidths{twoByte: true, dflt: 1000, w: map[uint32]float64{}}
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			ws.dflt = dw.Float64()
		}
		// W: c [w1 w2 …] assigns from c on; c1 c2 w assigns c1…c2.
		arr := d.Key("W")
		for i := 0; i < arr.Len() && len(ws.w) < 1<<16; {
			c := uint32(arr.Index(i).Int64())
			if i+1 < arr.Len() && arr.Index(i+1).Kind() == pdf.Array {
				list := arr.Index(i + 1)
				for j := 0; j < list.Len() && j < 1<<16; j++ {
					ws.w[c+uint32(j)] = list.Index(j).Float64()
				}
				i += 2
				continue
			}
			if i+2 >= arr.Len() {
				break
			}
			hi, w := uint32(arr.Index(i+1).Int64()), arr.Index(i+2).Float64()
			for k := c; k <= hi && k-c < 1<<16; k++ {
				ws.w[k] = w
			}
			i += 3
		}
		return ws
	}
	first, list := font.Key("FirstChar").Int64(), font.Key("Widths")
	if list.Len() == 0 {
		return nil
	}
	ws := &pdfWidths{w: map[uint32]float64{}}
	for i := 0; i < list.Len() && i < 256; i++ {
		ws.w[uint32(first)+uint32(i)] = list.Index(i).Float64()
	}
	if fd := font.Key("FontDescriptor").Key("MissingWidth"); fd.Kind() == pdf.Integer || fd.Kind() == pdf.Real {
		ws.dflt = fd.Float64()
	}
	return ws
}

// advance is how far a shown string moves the pen, in ems: from the
// font's widths where it has them, else a full em for CJK and half for
// the rest. Only gaps and baselines are judged, so an estimate will do.
func (f *pdfFont) advance(raw, text string) float64 {
	if ws := f.widths; ws != nil {
		total := 0.0
		step := 1
		if ws.twoByte {
			step = 2
		}
		for i := 0; i+step <= len(raw); i += step {
			w, ok := ws.w[codeOf(raw[i:i+step])]
			if !ok {
				w = ws.dflt
			}
			total += w
		}
		if total > 0 {
			return total / 1000
		}
	}
	adv := 0.0
	for _, r := range text {
		if r < 0x2E80 {
			adv += 0.5
		} else {
			adv++
		}
	}
	return adv
}

// A pdfDecoder turns a shown string's codes into text, counting the codes
// it could not map.
type pdfDecoder interface {
	decode(raw string) (text string, unknown int)
}

// newPDFDecoder picks the decoder for a font dictionary.
func newPDFDecoder(font pdf.Value) pdfDecoder {
	if tu := font.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if m := readPDFCMap(tu); m != nil {
			return m
		}
	}
	enc := font.Key("Encoding")
	if font.Key("Subtype").Name() == "Type0" {
		switch name := enc.Name(); {
		case strings.HasPrefix(name, "UniGB-UCS2"), strings.HasPrefix(name, "UniGB-UTF16"),
			strings.HasPrefix(name, "UniCNS-UCS2"), strings.HasPrefix(name, "UniCNS-UTF16"):
			return pdfUTF16{}
		case strings.HasPrefix(name, "GB"):
			return pdfMultiByte{gb: true}
		case strings.HasPrefix(name, "B5"), strings.HasPrefix(name, "ETen"), strings.HasPrefix(name, "HKscs"):
			return pdfMultiByte{}
		}
		return pdfUnmapped{} // Identity-H without a map: glyph ids only
	}
	f := pdf.Font{V: font}
	return pdfSimple{f.Encoder()}
}

type pdfSimple struct{ enc pdf.TextEncoding }

func (s pdfSimple) decode(raw string) (string, int) { return s.enc.Decode(raw), 0 }

type pdfFallback struct{}

func (pdfFallback) decode(raw string) (string, int) { return raw, 0 }

type pdfUnmapped struct{}

func (pdfUnmapped) decode(raw string) (string, int) {
	return strings.Repeat("\uFFFD", len(raw)/2), len(raw) / 2
}

type pdfUTF16 struct{}

func (pdfUTF16) decode(raw string) (string, int) { return utf16BE(raw), 0 }

type pdfMultiByte struct{ gb bool }

func (m pdfMultiByte) decode(raw string) (string, int) {
	if m.gb {
		return decodeWith(simplifiedchinese.GB18030, []byte(raw)), 0
	}
	return decodeWith(traditionalchinese.Big5, []byte(raw)), 0
}

func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

// pdfCMap is a ToUnicode CMap: code space ranges tell how many bytes a
// code has; bfchar and bfrange entries map codes to UTF-16 text.
type pdfCMap struct {
	spaces []pdfCodeSpace
	chars  map[uint32]string
	ranges []pdfRange
}

type pdfCodeSpace struct {
	n      int
	lo, hi uint32
}

type pdfRange struct {
	n      int
	lo, hi uint32
	dst    []uint16 // UTF-16 of the first code; later codes add to the last unit
	dsts   []string // or one text per code (the array form)
}

func codeOf(s string) uint32 {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

// readPDFCMap reads a ToUnicode CMap. Its PostScript is read with a small
// tokenizer of its own rather than the library's interpreter, which needs
// the PostScript resource machinery (findresource, begin) to behave.
func readPDFCMap(strm pdf.Value) (m *pdfCMap) {
	defer func() {
		if recover() != nil {
			m = nil // a damaged map: fall back to the font's encoding
		}
	}()
	rc := strm.Reader()
	defer rc.Close()
	src, err := io.ReadAll(io.LimitReader(rc, 4<<20))
	if err != nil && len(src) == 0 {
		return nil
	}
	return parsePDFCMap(src)
}

func parsePDFCMap(src []byte) *pdfCMap {
	m := &pdfCMap{chars: map[uint32]string{}}
	var ops []cmapOperand // operands since the last begin… keyword
	inArray := false
	for _, tok := range cmapTokens(src) {
		switch {
		case tok.kind == '[':
			inArray = true
			ops = append(ops, cmapOperand{array: true})
		case tok.kind == ']':
			inArray = false
		case tok.kind == 's' && inArray && len(ops) > 0:
			ops[len(ops)-1].items = append(ops[len(ops)-1].items, tok.text)
		case tok.kind == 's':
			ops = append(ops, cmapOperand{str: tok.text})
		case tok.kind == 'k' && strings.HasPrefix(tok.text, "begin"):
			ops = ops[:0]
		case tok.text == "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, hi := ops[i].str, ops[i+1].str
				if len(lo) > 0 && len(lo) == len(hi) && len(lo) <= 4 {
					m.spaces = append(m.spaces, pdfCodeSpace{len(lo), codeOf(lo), codeOf(hi)})
				}
			}
		case tok.text == "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				if src := ops[i].str; len(src) > 0 && len(src) <= 4 {
					m.chars[codeOf(src)<<2|uint32(len(src)-1)] = utf16BE(ops[i+1].str)
				}
			}
		case tok.text == "endbfrange":
			for i := 0; i+2 < len(ops); i += 3 {
				lo, hi, dst := ops[i].str, ops[i+1].str, ops[i+2]
				if len(lo) == 0 || len(lo) != len(hi) || len(lo) > 4 {
					continue
				}
				r := pdfRange{n: len(lo), lo: codeOf(lo), hi: codeOf(hi)}
				if dst.array {
					for _, it := range dst.items {
						r.dsts = append(r.dsts, utf16BE(it))
					}
					if r.dsts == nil {
						r.dsts = []string{}
					}
				} else {
					for j := 0; j+1 < len(dst.str); j += 2 {
						r.dst = append(r.dst, uint16(dst.str[j])<<8|uint16(dst.str[j+1]))
					}
				}
				m.ranges = append(m.ranges, r)
			}
		}
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	if len(m.spaces) == 0 {
		m.spaces = []pdfCodeSpace{{2, 0, 0xFFFF}}
	}
	return m
}

type cmapOperand struct {
	str   string
	array bool
	items []string
}

type cmapToken struct {
	kind byte // 's' string, 'k' keyword or number, '[' or ']'
	text string
}

// cmapTokens splits a CMap into the tokens readPDFCMap needs: strings
// (hex and literal), array brackets and bare words. Names and dictionaries
// are skipped.
func cmapTokens(src []byte) []cmapToken {
	var toks []cmapToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '%':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(src) && src[i+1] == '<', c == '>' && i+1 < len(src) && src[i+1] == '>':
			i += 2
		case c == '<':
			j := i + 1
			var hex []byte
			for j < len(src) && src[j] != '>' {
				if h := unhex(src[j]); h >= 0 {
					hex = append(hex, byte(h))
				}
				j++
			}
			if len(hex)%2 == 1 {
				hex = append(hex, 0)
			}
			b := make([]byte, len(hex)/2)
			for k := range b {
				b[k] = hex[2*k]<<4 | hex[2*k+1]
			}
			toks = append(toks, cmapToken{'s', string(b)})
			i = j + 1
		case c == '(':
			var b []byte
			depth := 1
			i++
			for i < len(src) && depth > 0 {
				switch ch := src[i]; {
				case ch == '\\' && i+1 < len(src):
					i++
					switch e := src[i]; e {
					case 'n':
						b = append(b, '\n')
					case 'r':
						b = append(b, '\r')
					case 't':
						b = append(b, '\t')
					default:
						if e >= '0' && e <= '7' {
							v := 0
							for k := 0; k < 3 && i < len(src) && src[i] >= '0' && src[i] <= '7'; k++ {
								v = v*8 + int(src[i]-'0')
								i++
							}
							b = append(b, byte(v))
							continue
						}
						b = append(b, e)
					}
				case ch == '(':
					depth++
					b = append(b, ch)
				case ch == ')':
					if depth--; depth > 0 {
						b = append(b, ch)
					}
				default:
					b = append(b, ch)
				}
				i++
			}
			toks = append(toks, cmapToken{'s', string(b)})
		case c == '[' || c == ']':
			toks = append(toks, cmapToken{c, ""})
			i++
		case c == '/' || isCMapSpace(c) || c == '>' || c == ')' || c == '{' || c == '}':
			i++
			if c == '/' {
				for i < len(src) && !isCMapDelim(src[i]) {
					i++
				}
			}
		default:
			j := i
			for j < len(src) && !isCMapDelim(src[j]) {
				j++
			}
			toks = append(toks, cmapToken{'k', string(src[i:j])})
			i = j
		}
	}
	return toks
}

func isCMapSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0
}

func isCMapDelim(c byte) bool {
	return isCMapSpace(c) || strings.IndexByte("()<>[]{}/%", c) >= 0
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (m *pdfCMap) decode(raw string) (string, int) {
	var b strings.Builder
	unknown := 0
	for len(raw) > 0 {
		n := 0
		for _, s := range m.spaces {
			if s.n <= len(raw) {
				if c := codeOf(raw[:s.n]); c >= s.lo && c <= s.hi {
					n = s.n
					break
				}
			}
		}
		if n == 0 {
			n = min(len(raw), m.spaces[0].n)
		}
		code := codeOf(raw[:n])
		raw = raw[n:]
		if t, ok := m.lookup(code, n); ok {
			b.WriteString(t)
		} else {
			b.WriteRune('\uFFFD')
			unknown++
		}
	}
	return b.String(), unknown
}

func (m *pdfCMap) lookup(code uint32, n int) (string, bool) {
	if t, ok := m.chars[code<<2|uint32(n-1)]; ok {
		return t, true
	}
	for _, r := range m.ranges {
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		k := code - r.lo
		if r.dsts != nil {
			if int(k) < len(r.dsts) {
				return r.dsts[k], true
			}
			return "", false
		}
		if len(r.dst) == 0 {
			return "", false
		}
		u := append([]uint16(nil), r.dst...)
		if len(u) == 2 && utf16.IsSurrogate(rune(u[0])) {
			return string(utf16.DecodeRune(rune(u[0]), rune(u[1])) + rune(k)), true
		}
		u[len(u)-1] += uint16(k)
		return string(utf16.Decode(u)), true
	}
	return "", false
}
