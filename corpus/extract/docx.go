package extract

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// docxText extracts the paragraphs of a Word document (word/document.xml),
// streaming its XML: each w:p becomes a line, w:tab a tab and w:br a line
// break. A table (w:tbl) becomes one "| cell | cell |" line per row with a
// blank line before and after (pipe.go); a cell's paragraphs are joined
// with spaces and a table nested in a cell is flattened into it.
func docxText(data []byte) (string, error) {
	zr, err := openZip("docx", data)
	if err != nil {
		return "", err
	}
	doc := findPart(zr, "word/document.xml")
	if doc == nil {
		return "", errors.New("not a Word document: the .docx has no word/document.xml")
	}
	rc, err := openPart(doc)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var b strings.Builder
	var (
		inText bool
		skip   int      // depth inside an element whose text is skipped
		depth  int      // table nesting depth
		row    []string // cells of the current top-level row
		cell   *strings.Builder
	)
	write := func(s string) {
		if cell != nil {
			cell.WriteString(s)
			return
		}
		b.WriteString(s)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx xml: %w", err)
		}
		if skip > 0 { // inside mc:Fallback
			switch tok.(type) {
			case xml.StartElement:
				skip++
			case xml.EndElement:
				skip--
			}
			continue
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Fallback":
				// A text box or shape is written twice, for new Word and
				// (in mc:Fallback) for old: read it once.
				skip = 1
			case "t":
				inText = true
			case "tab":
				write("\t")
			case "br", "cr":
				if cell != nil {
					write(" ")
				} else {
					write("\n")
				}
			case "tbl":
				depth++
				if depth == 1 {
					b.WriteString("\n\n")
				}
			case "tr":
				if depth == 1 {
					row = row[:0]
				}
			case "tc":
				if depth == 1 {
					cell = &strings.Builder{}
				} else {
					write(" ")
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cell != nil {
					write(" ")
				} else {
					b.WriteByte('\n')
				}
			case "tc":
				if depth == 1 && cell != nil {
					row = append(row, cell.String())
					cell = nil
				}
			case "tr":
				if r := pipeRow(row); depth == 1 && r != "" {
					b.WriteString(r)
					b.WriteByte('\n')
				}
			case "tbl":
				if depth == 1 {
					b.WriteString("\n")
				}
				depth = max(depth-1, 0)
			}
		case xml.CharData:
			if inText {
				write(string(t))
			}
		}
	}
	return b.String(), nil
}
