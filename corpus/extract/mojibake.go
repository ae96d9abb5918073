package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Mojibake repair.
//
// Some pages were GBK text decoded one byte off: every two-byte character is
// read from the second byte of one character and the first byte of the
// next, so （一）地區 becomes ?。ㄒ唬┑貐 — rare ideographs, box drawing,
// bopomofo and private-use characters. An ASCII byte ends the damage (it can
// only be one character), so a damaged run lies between ASCII characters.
// The repair re-encodes the run as GB18030, shifts it by one byte, decodes
// it again and keeps the result only if it reads clearly better.

// mojibakeFix records one repaired or unrepairable run, for the load report.
type mojibakeFix struct {
	Before, After string
	Repaired      bool
}

var gbEncoder = simplifiedchinese.GB18030

// repairMojibake repairs the damaged runs of one line. Runs that cannot be
// repaired are cut out, so that they never reach an answer; each is
// reported.
func repairMojibake(line string) (string, []mojibakeFix) {
	if !hasStrongRune(line) {
		return line, nil
	}
	var out strings.Builder
	var fixes []mojibakeFix
	rs := []rune(line)
	for i := 0; i < len(rs); {
		if !inRun(rs[i]) {
			out.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && inRun(rs[j]) {
			j++
		}
		run := string(rs[i:j])
		if !suspectRun(run) {
			out.WriteString(run)
			i = j
			continue
		}
		// A full-width character folded to ASCII after the damage (（３） → 3)
		// does not end the run: bridge it when what follows is still damaged.
		for j+1 < len(rs) && hasFullWidth(rs[j]) && inRun(rs[j+1]) {
			k := j + 1
			for k < len(rs) && inRun(rs[k]) {
				k++
			}
			tail := string(rs[j+1 : k])
			if !suspectRun(tail) && !strings.HasSuffix(tail, "?") {
				break
			}
			run += string(rs[j]+0xFEE0) + tail
			j = k
		}
		var next rune = -1
		if j < len(rs) {
			next = rs[j]
		}
		fixed, usedNext, ok := shiftRepair(run, next)
		if ok {
			out.WriteString(fixed)
			fixes = append(fixes, mojibakeFix{Before: run, After: fixed, Repaired: true})
			if usedNext {
				j++
			}
		} else {
			fixes = append(fixes, mojibakeFix{Before: run})
		}
		i = j
	}
	return out.String(), fixes
}

// encodeGBK encodes s as two-byte GBK codes (ASCII as one byte), mapping
// private-use characters back to GBK's user-defined areas.
func encodeGBK(s string) ([]byte, bool) {
	enc := gbEncoder.NewEncoder()
	var b []byte
	var one [4]byte
	for _, r := range s {
		if code := puaToGBK(r); code != 0 {
			b = append(b, byte(code>>8), byte(code))
			continue
		}
		n := utf8.EncodeRune(one[:], r)
		out, err := enc.Bytes(one[:n])
		if err != nil || len(out) > 2 {
			return nil, false // not a GBK character: not a shifted GBK run
		}
		b = append(b, out...)
	}
	return b, true
}

// hasFullWidth reports whether r is an ASCII character with a full-width
// form (U+FF01–U+FF5E).
func hasFullWidth(r rune) bool { return r > ' ' && r < 0x7F }

// inRun reports whether r can be part of a damaged run: anything but ASCII,
// except '?', which stands for a byte the decoder could not read.
func inRun(r rune) bool { return r >= 0x80 || r == '?' }

// hasStrongRune reports a character that only damage produces (see
// suspectRun); a line without one needs no repair. It is the cheap first
// test every line goes through.
func hasStrongRune(s string) bool {
	for _, r := range s {
		if isStrong(r) {
			return true
		}
	}
	return false
}

func isStrong(r rune) bool {
	return r == utf8.RuneError || (r >= 0xE000 && r <= 0xF8FF) || isOddScript(r)
}

func hasSuspectRune(s string) bool {
	for _, r := range s {
		if isSuspect(r) {
			return true
		}
	}
	return false
}

// isSuspect reports whether r is unlikely in a Chinese government notice
// unless the text is damaged.
func isSuspect(r rune) bool {
	if r < 0x80 || r == '?' {
		return false
	}
	return runeScore(r) < 0
}

// suspectRun reports whether a run reads as damage: it holds a character
// no notice uses (private use, box drawing, bopomofo, kana, Greek, U+FFFD)
// and at least one more unlikely character. Rare ideographs alone are not
// enough: names and places use them (硚口, 橄榄).
func suspectRun(run string) bool {
	strong, weak := 0, 0
	for _, r := range run {
		switch {
		case isStrong(r):
			strong++
		case isSuspect(r):
			weak++
		}
	}
	return strong >= 1 && strong+weak >= 2
}

// shiftRepair tries to undo a one-byte shift. next is the ASCII character
// after the run (or -1): when the shifted bytes are one short, it was the
// second byte of the last character. It reports whether next was used.
func shiftRepair(run string, next rune) (fixed string, usedNext, ok bool) {
	b, ok := encodeGBK(strings.TrimLeft(run, "?"))
	if !ok || len(b) < 2 {
		return "", false, false
	}
	b = b[1:] // realign: drop the stray trailing byte of the lost character
	if len(b)%2 == 1 && next >= 0x40 && next < 0x7F && next != '?' {
		b = append(b, byte(next))
		usedNext = true
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	if err != nil {
		return "", false, false
	}
	fixed = strings.TrimRightFunc(string(dec), func(r rune) bool {
		return r == utf8.RuneError || r == '?' || unicode.IsSpace(r)
	})
	if fixed == "" {
		return "", false, false
	}
	before := textScore(run) / float64(utf8.RuneCountInString(run))
	after := textScore(fixed) / float64(utf8.RuneCountInString(fixed))
	if after < 0.6 || after < before+0.5 || hasSuspectRune(fixed) {
		return "", false, false
	}
	return fixed, usedNext, true
}
