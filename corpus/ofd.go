package corpus

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
)

// OFD (GB/T 33190, China's fixed-layout format) is a ZIP of XML: OFD.xml
// names each document's root (Doc_0/Document.xml), which lists the pages
// in order (Pages/Page_0/Content.xml); a page's text is in ofd:TextCode
// elements inside ofd:TextObject. Every part is streamed through the zip
// size cap. A change of baseline starts a new line (ofdPage).

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
	var b strings.Builder
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
			if err := ofdPage(p, &b); err != nil {
				return "", err
			}
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", errors.New("OFD has no text (a scanned image?): it needs OCR; add the .docx instead")
	}
	return b.String(), nil
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

// ofdPage writes a page's text in drawing order. A TextCode's baseline is
// its TextObject's Boundary origin plus its own Y: a change of baseline
// starts a new line, so a writer that puts every line in its own
// TextObject and one that puts every character in its own come out alike;
// a wide gap on one baseline (a table's next cell) becomes a space, and a
// paragraph wrapped at the margin is joined back (layout.go).
func ofdPage(f *zip.File, b *strings.Builder) error {
	var (
		lines        []drawnLine
		lastY        float64
		bx, by, size float64 = 0, 0, 3.5
	)
	err := ofdWalk(f, func(dec *xml.Decoder, t xml.StartElement) error {
		switch t.Name.Local {
		case "TextObject":
			bx, by, size = 0, 0, 3.5
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "Boundary":
					if v := ofdNumbers(a.Value); len(v) >= 2 {
						bx, by = v[0], v[1]
					}
				case "Size":
					if v := ofdNumbers(a.Value); len(v) == 1 && v[0] > 0 {
						size = v[0]
					}
				}
			}
		case "TextCode":
			x, y := 0.0, 0.0
			for _, a := range t.Attr {
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
			if len(lines) == 0 || math.Abs(y-lastY) > 0.5*size {
				lines = append(lines, drawnLine{x0: x, y: y, em: size})
			} else if l := &lines[len(lines)-1]; x > l.x1+1.5*size {
				l.text.WriteByte(' ')
			}
			l := &lines[len(lines)-1]
			l.text.WriteString(s)
			lastY = y
			w := 0.0
			for _, r := range s {
				if r < 0x2E80 {
					w += 0.5
				} else {
					w++
				}
			}
			l.x1 = math.Max(l.x1, x+w*size)
		}
		return nil
	})
	writeDrawnLines(b, lines)
	return err
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
