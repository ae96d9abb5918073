package t2s

import "testing"

func TestString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"TraditionalUnitName", "國家發展和改革委員會", "国家发展和改革委员会"},
		{"SimplifiedUnchanged", "国家发展和改革委员会", "国家发展和改革委员会"},
		{"MixedWithASCII", "縣（市、區）政府 2024年", "县（市、区）政府 2024年"},
		{"OutsideBMPKept", "𠀀財", "𠀀财"},
		{"Empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := String(tc.in); got != tc.want {
				t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRune(t *testing.T) {
	t.Parallel()
	if r, ok := Rune('發'); !ok || r != '发' {
		t.Errorf("Rune('發') = %q, %v; want '发', true", r, ok)
	}
	if r, ok := Rune('发'); ok || r != '发' {
		t.Errorf("Rune('发') = %q, %v; want '发', false", r, ok)
	}
	if r, ok := Rune(-1); ok || r != -1 {
		t.Errorf("Rune(-1) = %q, %v; want -1, false", r, ok)
	}
}
