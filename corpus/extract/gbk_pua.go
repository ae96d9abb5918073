package extract

// GB18030 assigns the user-defined areas of GBK to the private-use area.
// Mojibake from a shifted GBK decode is full of such characters, and
// x/text's encoder writes them as four-byte sequences, so the repair maps
// them back to their two-byte GBK codes itself (GB18030-2000, two-byte part).

// puaToGBK returns the two-byte GBK code of a private-use character, or 0.
func puaToGBK(r rune) uint16 {
	switch {
	case r >= 0xE000 && r <= 0xE233: // AAA1–AFFE
		o := r - 0xE000
		return uint16(0xAA+o/94)<<8 | uint16(0xA1+o%94)
	case r >= 0xE234 && r <= 0xE4C5: // F8A1–FEFE
		o := r - 0xE234
		return uint16(0xF8+o/94)<<8 | uint16(0xA1+o%94)
	case r >= 0xE4C6 && r <= 0xE765: // A140–A7A0, trail bytes skip 0x7F
		o := r - 0xE4C6
		t := 0x40 + o%96
		if t >= 0x7F {
			t++
		}
		return uint16(0xA1+o/96)<<8 | uint16(t)
	}
	for _, run := range puaRuns {
		if r >= run.from && r < run.from+rune(run.n) {
			return run.code + uint16(r-run.from)
		}
	}
	return 0
}

// puaRuns lists the scattered assignments U+E766–U+E864 as runs of
// consecutive code points with consecutive codes.
var puaRuns = []struct {
	from rune
	code uint16
	n    int
}{
	{0xE766, 0xA2AB, 6},
	{0xE76D, 0xA2E4, 1},
	{0xE76E, 0xA2EF, 2},
	{0xE770, 0xA2FD, 2},
	{0xE772, 0xA4F4, 11},
	{0xE77D, 0xA5F7, 8},
	{0xE785, 0xA6B9, 8},
	{0xE78D, 0xA6D9, 7},
	{0xE794, 0xA6EC, 2},
	{0xE796, 0xA6F3, 1},
	{0xE797, 0xA6F6, 9},
	{0xE7A0, 0xA7C2, 15},
	{0xE7AF, 0xA7F2, 13},
	{0xE7BC, 0xA896, 11},
	{0xE7C7, 0xA8BC, 1},
	{0xE7C9, 0xA8C1, 4},
	{0xE7CD, 0xA8EA, 21},
	{0xE7E2, 0xA958, 1},
	{0xE7E3, 0xA95B, 1},
	{0xE7E4, 0xA95D, 3},
	{0xE7F4, 0xA997, 13},
	{0xE801, 0xA9F0, 15},
	{0xE810, 0xD7FA, 5},
	{0xE816, 0xFE51, 3},
	{0xE81E, 0xFE59, 1},
	{0xE826, 0xFE61, 1},
	{0xE82B, 0xFE66, 2},
	{0xE831, 0xFE6C, 2},
	{0xE83B, 0xFE76, 1},
	{0xE843, 0xFE7E, 1},
	{0xE854, 0xFE90, 2},
	{0xE864, 0xFEA0, 1},
}
