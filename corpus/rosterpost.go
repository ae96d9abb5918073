package corpus

import "strings"

// unbracketPost removes the brackets around a member's post or unit when
// they hold all of it: 李 震（市委宣传部） lists 李震 of 市委宣传部, and a
// reader that writes the post in brackets itself must not print
// （（市委宣传部））.
func unbracketPost(t string) string {
	t = strings.TrimSpace(t)
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}, {"（", ")"}, {"(", "）"}} {
		inner, ok := strings.CutPrefix(t, p[0])
		if !ok {
			continue
		}
		if inner, ok = strings.CutSuffix(inner, p[1]); ok && !strings.ContainsAny(inner, "（）()") {
			return strings.TrimSpace(inner)
		}
	}
	return t
}
