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
// size cap. A TextObject, or a change of baseline (the Y of a TextCode)
// within one, starts a new line.

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

// ofdPage writes a page's text: one line per TextObject, and a new line
// where a TextCode's baseline (Y) differs from the previous one's.
func ofdPage(f *zip.File, b *strings.Builder) error {
	lastY, haveY := 0.0, false
	err := ofdWalk(f, func(dec *xml.Decoder, t xml.StartElement) error {
		switch t.Name.Local {
		case "TextObject":
			if haveY {
				b.WriteByte('\n')
			}
			haveY = false
		case "TextCode":
			y, hasY := 0.0, false
			for _, a := range t.Attr {
				if a.Name.Local == "Y" {
					if v, err := strconv.ParseFloat(strings.TrimSpace(a.Value), 64); err == nil {
						y, hasY = v, true
					}
				}
			}
			var s string
			if err := dec.DecodeElement(&s, &t); err != nil {
				return err
			}
			if haveY && hasY && math.Abs(y-lastY) > 0.5 {
				b.WriteByte('\n')
			}
			b.WriteString(s)
			if hasY {
				lastY = y
			}
			haveY = true
		}
		return nil
	})
	if haveY {
		b.WriteByte('\n')
	}
	return err
}
