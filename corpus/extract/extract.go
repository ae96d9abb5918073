package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Doc is the text of one file, cleaned and split into lines, with what the
// reading found out about the file on the way.
type Doc struct {
	// Lines are the file's lines after clean-up (clean.go): site chrome,
	// footers, spam and pinyin removed, mojibake repaired. Table rows come
	// as "| a | b |" lines (pipe rows).
	Lines []string
	// Title is a web page's <title> as the page gives it ("" for other
	// formats): the caller decides whether it names the notice.
	Title string
	// Encoding is the character encoding the text was decoded from (EncUTF8
	// …), "" where the format fixes none (PDF).
	Encoding string
	// Warnings say what the clean-up removed or repaired, for the load
	// report.
	Warnings []string
}

// ErrNoText is returned for a file that reads without error but holds no
// text at all. Text then still fills in Doc.Encoding.
var ErrNoText = errors.New("no text in file")

// Text reads a file's bytes as the given format — "text", "markdown",
// "html", "docx", "pdf", "ofd" or "xlsx" — and returns its cleaned lines.
// A file that cannot be read gives an error whose text says why, in words
// fit for a load report. Reading a PDF stops when ctx is done (and after a
// budget of its own); ctx's cause is then the error.
func Text(ctx context.Context, format string, data []byte) (Doc, error) {
	text, title, enc, err := rawText(ctx, format, data)
	if err != nil {
		return Doc{}, err
	}
	if strings.TrimSpace(text) == "" {
		return Doc{Encoding: enc}, ErrNoText
	}
	raw := strings.Split(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\n")
	lines, st := cleanLines(joinHardWraps(raw))
	return Doc{Lines: lines, Title: title, Encoding: enc, Warnings: st.warnings()}, nil
}

// rawText turns a file's bytes into plain text by format.
func rawText(ctx context.Context, format string, data []byte) (text, title, enc string, err error) {
	switch format {
	case "docx":
		t, err := docxText(data)
		return t, "", EncUTF8, err
	case "html":
		if why := notText(data); why != "" {
			return "", "", "", errors.New(why)
		}
		text, enc = decodeHTML(data)
		title, body, err := htmlText(text)
		if err != nil {
			return "", "", enc, fmt.Errorf("html: %w", err)
		}
		return body, title, enc, nil
	case "pdf":
		t, err := pdfText(ctx, data)
		return t, "", "", err
	case "ofd":
		t, err := ofdText(data)
		return t, "", EncUTF8, err
	case "xlsx":
		t, err := xlsxText(data)
		return t, "", EncUTF8, err
	}
	if why := notText(data); why != "" {
		return "", "", "", errors.New(why)
	}
	if format == "markdown" {
		text, enc = Decode(data)
		return stripMarkdown(text), "", enc, nil
	}
	text, enc = Decode(data)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return text, "", enc, nil
}

// decodeHTML honours a page's declared charset, and falls back to Decode.
func decodeHTML(data []byte) (string, string) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if m := htmlCharset.FindSubmatch(head); m != nil && !utf8.Valid(data) {
		switch strings.ToLower(string(m[1])) {
		case "gbk", "gb2312", "gb18030", "x-gbk":
			return decodeWith(gbEncoder, data), EncGB18030
		case "big5", "big5-hkscs":
			return Decode(data)
		}
	}
	return Decode(data)
}

// stripMarkdown removes heading marks and emphasis, keeping the lines.
func stripMarkdown(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		t = strings.TrimLeft(t, "#>")
		t = strings.ReplaceAll(t, "**", "")
		t = strings.ReplaceAll(t, "__", "")
		if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
			t = t[2:]
		}
		lines[i] = strings.TrimSpace(t)
	}
	return strings.Join(lines, "\n")
}
