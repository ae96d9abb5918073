package extract

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus/t2s"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Encoding names reported in the load report.
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 (BOM)"
	EncUTF16   = "UTF-16"
	EncGB18030 = "GB18030"
	EncBig5    = "Big5"
)

// Decode turns the bytes of a notice into text. UTF-8 (with or without a
// BOM) and UTF-16 with a BOM are taken as they are; anything else is decoded
// both as GB18030 (a superset of GBK and GB2312) and as Big5, and the reading
// with more common Chinese characters wins. Invalid bytes become U+FFFD; the
// caller counts them, nothing panics and nothing is dropped.
func Decode(b []byte) (text, enc string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(bytes.ToValidUTF8(b[3:], []byte("\uFFFD"))), EncUTF8BOM
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(b); err == nil {
			return string(out), EncUTF16
		}
	case utf8.Valid(b):
		return string(b), EncUTF8
	}
	gb := decodeWith(simplifiedchinese.GB18030, b)
	big := decodeWith(traditionalchinese.Big5, b)
	if textScore(big) > textScore(gb) {
		return big, EncBig5
	}
	// A file that is mostly UTF-8 with a few broken bytes reads better as
	// UTF-8 with replacement characters than as GB18030 mojibake.
	if u := string(bytes.ToValidUTF8(b, []byte("\uFFFD"))); textScore(u) > textScore(gb) {
		return u, EncUTF8
	}
	return gb, EncGB18030
}

func decodeWith(e encoding.Encoding, b []byte) string {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		// x/text decoders replace invalid input rather than fail; keep
		// whatever came out if one ever does.
		return string(bytes.ToValidUTF8(out, []byte("\uFFFD")))
	}
	return string(out)
}

// textScore rates how much a string looks like ordinary Chinese prose:
// common characters score, replacement characters, private-use characters
// and rare ideographs cost. It picks between decodings and judges mojibake
// repairs.
func textScore(s string) float64 {
	score := 0.0
	for _, r := range s {
		score += runeScore(r)
	}
	return score
}

func runeScore(r rune) float64 {
	switch {
	case r == utf8.RuneError:
		return -3
	case r >= 0xE000 && r <= 0xF8FF: // private use: GB18030 user area
		return -3
	case r < 0x80:
		if r == '?' {
			return -1
		}
		return 0.2
	case isCommonHan(r):
		return 1
	case unicode.Is(unicode.Han, r):
		return -1
	case isCJKPunct(r):
		return 0.5
	case isOddScript(r):
		return -2
	default:
		return 0
	}
}

// isOddScript reports scripts that Chinese notices do not use but that a
// wrong decoding produces: box drawing, bopomofo, kana, Greek, Cyrillic.
func isOddScript(r rune) bool {
	if r < 0x370 {
		return false
	}
	return (r >= 0x2500 && r <= 0x257F) || (r >= 0x3100 && r <= 0x312F) ||
		(r >= 0x3040 && r <= 0x30FF) || (r >= 0xFF61 && r <= 0xFF9F) ||
		(r < 0x2000 && unicode.In(r, unicode.Greek, unicode.Cyrillic))
}

func isCJKPunct(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '（', '）', '〔', '〕', '〈', '〉', '《', '》',
		'“', '”', '‘', '’', '—', '…', '！', '？', '【', '】', '·', '％', '\u3000':
		return true
	}
	return false
}

// commonHan is the set of the 3,755 level-1 characters of GB2312 — the
// characters of everyday written Chinese — read from the GB2312 code table
// (rows 16–55) through x/text's decoder, so no table is shipped twice.
var commonHan = func() map[rune]bool {
	m := make(map[rune]bool, 3800)
	dec := simplifiedchinese.GBK.NewDecoder()
	buf := make([]byte, 0, 2*94*40)
	for hi := 0xB0; hi <= 0xD7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			buf = append(buf, byte(hi), byte(lo))
		}
	}
	out, _ := dec.Bytes(buf)
	for _, r := range string(out) {
		if unicode.Is(unicode.Han, r) {
			m[r] = true
		}
	}
	return m
}()

// isCommonHan reports whether r, or its Simplified form, is a common
// character. Traditional text therefore scores like Simplified text.
func isCommonHan(r rune) bool {
	if commonHan[r] {
		return true
	}
	if s, ok := t2s.Rune(r); ok {
		return commonHan[s]
	}
	return false
}

// notText says why bytes named as text are not text — NUL bytes outside
// UTF-16, or a decoding that reads like noise — or returns "". It looks at
// the first 64 KB only, so a large binary file costs little.
func notText(b []byte) string {
	head := b
	if len(head) > 64<<10 {
		head = head[:64<<10]
		for i := 0; i < 3 && len(head) > 0 && !utf8.RuneStart(head[len(head)-1]); i++ {
			head = head[:len(head)-1] // keep the last character whole
		}
	}
	utf16 := bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
	if !utf16 && bytes.IndexByte(head, 0) >= 0 {
		return "binary file, not text (it has NUL bytes)"
	}
	text, _ := Decode(head)
	runes, ctrl := 0, 0
	for _, r := range text {
		runes++
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			ctrl++
		}
	}
	if runes >= 64 && (float64(ctrl) > 0.05*float64(runes) || textScore(text) < -0.2*float64(runes)) {
		return "binary file, not text (it does not decode as UTF-8, GB18030 or Big5 text)"
	}
	return ""
}
