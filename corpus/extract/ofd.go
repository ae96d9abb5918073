package extract

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// OFD (GB/T 33190, China's fixed-layout format) is a ZIP of XML: OFD.xml
// names each document's root (Doc_0/Document.xml), which lists the pages
// in order (Pages/Page_0/Content.xml); a page's text is in ofd:TextCode
// elements inside ofd:TextObject, its rules in ofd:PathObject. Every part
// is streamed through the zip size cap. The pages are laid out as PDF
// pages are (layout.go): lines, wrapped paragraphs, drawn tables.

const maxOFDPages = 2000

func ofdText(data []byte) (string, error) {
	zr, err := openZip("ofd", data)
	if err != nil {
		return "", err
	}
	root := findPart(zr, "OFD.xml")
	if root == nil {
		return "", errors.New("not an OFD document: no OFD.xml")
	}
	var docRoots []string
	if err := ofdWalk(root, func(dec *xml.Decoder, t xml.StartElement) error {
		if t.Name.Local == "DocRoot" {
			var s string
			if err := dec.DecodeElement(&s, &t); err != nil {
				return err
			}
			docRoots = append(docRoots, ofdPath("", s))
		}
		return nil
	}); err != nil {
		return "", err
	}
	var items [][]pageItem
	pages := 0
	for _, dr := range docRoots {
		doc := findPart(zr, dr)
		if doc == nil {
			return "", fmt.Errorf("damaged OFD: %s is missing", dr)
		}
		var locs []string
		if err := ofdWalk(doc, func(dec *xml.Decoder, t xml.StartElement) error {
			if t.Name.Local == "Page" {
				for _, a := range t.Attr {
					if a.Name.Local == "BaseLoc" {
						locs = append(locs, ofdPath(path.Dir(dr), a.Value))
					}
				}
			}
			return nil
		}); err != nil {
			return "", err
		}
		for _, loc := range locs {
			if pages++; pages > maxOFDPages {
				return "", fmt.Errorf("OFD has more than %d pages", maxOFDPages)
			}
			p := findPart(zr, loc)
			if p == nil {
				// BaseLoc may name the page folder rather than its Content.xml.
				p = findPart(zr, path.Join(loc, "Content.xml"))
			}
			if p == nil {
				return "", fmt.Errorf("damaged OFD: page %s is missing", loc)
			}
			pg, err := ofdPage(p)
			if err != nil {
				return "", err
			}
			items = append(items, pageItems(pg))
		}
	}
	text := layoutPages(items)
	if strings.TrimSpace(text) == "" {
		return "", errors.New("OFD has no text (a scanned image?): it needs OCR; add the .docx instead")
	}
	return text, nil
}

// ofdPath resolves a location in the package: absolute from the root when
// it starts with "/", else relative to dir.
func ofdPath(dir, loc string) string {
	loc = strings.TrimSpace(loc)
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, loc)), "/")
}

// ofdWalk streams one XML part, calling fn for each start element.
func ofdWalk(f *zip.File, fn func(*xml.Decoder, xml.StartElement) error) error {
	rc, err := openPart(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ofd xml %s: %w", f.Name, err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if err := fn(dec, t); err != nil {
				return fmt.Errorf("ofd xml %s: %w", f.Name, err)
			}
		}
	}
}

// ofdPage reads a page's strings and rules. A TextCode's baseline is its
// TextObject's Boundary origin plus its own Y, so a writer that puts every
// line in its own TextObject and one that puts every character in its own
// come out alike. A PathObject's straight segments (AbstractData M, L, C,
// from its Boundary origin) are its rules. OFD's y grows downwards, so it
// is turned round for layoutPages, and its millimetres become points, the
// unit the layout's rule sizes and tolerances are given in.
func ofdPage(f *zip.File) (drawnPage, error) {
	const mmPt = 72 / 25.4
	var (
		pg           drawnPage
		bx, by, size float64 = 0, 0, 3.5
	)
	boundary := func(t xml.StartElement) (x, y float64) {
		for _, a := range t.Attr {
			if a.Name.Local == "Boundary" {
				if v := ofdNumbers(a.Value); len(v) >= 2 {
					return v[0], v[1]
				}
			}
		}
		return 0, 0
	}
	err := ofdWalk(f, func(dec *xml.Decoder, t xml.StartElement) error {
		switch t.Name.Local {
		case "TextObject":
			bx, by = boundary(t)
			size = 3.5
			for _, a := range t.Attr {
				if a.Name.Local == "Size" {
					if v := ofdNumbers(a.Value); len(v) == 1 && v[0] > 0 {
						size = v[0]
					}
				}
			}
		case "PathObject":
			px, py := boundary(t)
			var path struct {
				Data string `xml:"AbstractData"`
			}
			if err := dec.DecodeElement(&path, &t); err != nil {
				return err
			}
			if len(pg.rules) < maxPageRules {
				for _, r := range ofdRules(path.Data, px, py) {
					pg.rules = append(pg.rules, rule{r.x0 * mmPt, r.y0 * mmPt, r.x1 * mmPt, r.y1 * mmPt})
				}
			}
		case "TextCode":
			x, y, deltaX := 0.0, 0.0, ""
			for _, a := range t.Attr {
				if a.Name.Local == "DeltaX" {
					deltaX = a.Value
				}
				if v := ofdNumbers(a.Value); len(v) == 1 {
					switch a.Name.Local {
					case "X":
						x = v[0]
					case "Y":
						y = v[0]
					}
				}
			}
			var s string
			if err := dec.DecodeElement(&s, &t); err != nil {
				return err
			}
			x, y = bx+x, by+y
			pg.runs = append(pg.runs, glyphRun{x0: x * mmPt, x1: (x + ofdWidth(s, deltaX, size)) * mmPt, y: -y * mmPt, em: size * mmPt, text: s})
		}
		return nil
	})
	return pg, err
}

// ofdRules reads the straight segments of a path's AbstractData (M x y,
// L x y, C to close; S starts like M), offset by its Boundary origin.
func ofdRules(data string, ox, oy float64) []rule {
	var rules []rule
	f := strings.Fields(data)
	var cx, cy, sx, sy float64
	for i := 0; i < len(f) && len(rules) < maxPageRules; i++ {
		num := func(k int) (float64, bool) {
			if i+k >= len(f) {
				return 0, false
			}
			v, err := strconv.ParseFloat(f[i+k], 64)
			return v, err == nil
		}
		switch f[i] {
		case "M", "S", "L":
			x, okx := num(1)
			y, oky := num(2)
			if !okx || !oky {
				return rules
			}
			x, y = ox+x, oy+y
			if f[i] == "L" {
				rules = append(rules, newRule(cx, -cy, x, -y))
			} else {
				sx, sy = x, y
			}
			cx, cy = x, y
			i += 2
		case "C":
			rules = append(rules, newRule(cx, -cy, sx, -sy))
			cx, cy = sx, sy
		}
	}
	return rules
}

// ofdWidth is how far a TextCode's text runs: the DeltaX steps between
// its characters where given ("g 3 4.2" is three steps of 4.2), and the
// last character's width; an estimate (a full size for Chinese, half for
// the rest) where not.
func ofdWidth(s, deltaX string, size float64) float64 {
	n := utf8.RuneCountInString(s)
	w, steps := 0.0, 0
	f := strings.Fields(deltaX)
	for i := 0; i < len(f) && steps < n-1; i++ {
		if f[i] == "g" && i+2 < len(f) {
			count, err1 := strconv.Atoi(f[i+1])
			v, err2 := strconv.ParseFloat(f[i+2], 64)
			if err1 != nil || err2 != nil || count < 0 {
				break
			}
			count = min(count, n-1-steps)
			w, steps, i = w+float64(count)*v, steps+count, i+2
			continue
		}
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			break
		}
		w, steps = w+v, steps+1
	}
	rest := s
	if steps > 0 {
		rest = string([]rune(s)[steps:])
	}
	for _, r := range rest {
		if r < 0x2E80 {
			w += 0.5 * size
		} else {
			w += size
		}
	}
	return w
}

// ofdNumbers reads a space-separated list of numbers ("10 20.5 100 8").
func ofdNumbers(s string) []float64 {
	var v []float64
	for _, f := range strings.Fields(s) {
		n, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}
