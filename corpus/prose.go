package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Assignments in prose whose grammar makes the roles certain. A State
// Council division-of-labour notice writes each item as a sentence:
// 关于……的问题，由发展改革委会同农业部、财政部等部门研究提出落实意见; a
// covering notice names the one host unit of a motion: 议案由市工业和信息化局
// 负责主办. Only these shapes are read — 由X会同Y (X leads, Y takes part)
// and 由X主办 / 由X牵头 (X leads), and a State Council request 请X……
// (X answers for it) or 请X会同Y…… (X leads) — and only when every name
// reads as a unit; a subject of 要 (各地要……) is never read.

var (
	// proseWithRe is 由X会同Y[等部门] followed by a verb.
	proseWithRe = regexp.MustCompile(`由([^，。；;,:()（）“”"]{2,30}?)会同([^，。；;:()（）“”"]{2,200}?)(?:等有关部门|等相关部门|等部门和单位|等部门|等单位|等)?(?:研究|负责|提出|落实|制定|组织|共同|抓紧|做好|开展|推进|办理)`)
	// proseHostRe is 由X[负责]主办 or 由X牵头[负责].
	proseHostRe = regexp.MustCompile(`由([^，。；;,:()（）“”"]{2,30}?)(?:负责)?(?:主办|牵头)`)
)

// proseRoleMarkers reads the clauses of folded text that assign units by
// 由X会同Y or 由X主办, the first such clause of the text, as written in
// text.
func proseRoleMarkers(text, norm string) []marker {
	if !strings.Contains(norm, "由") && !strings.Contains(norm, "请") {
		return nil
	}
	if m := proseWithRe.FindStringSubmatchIndex(norm); m != nil {
		lead := proseUnits(norm[m[2]:m[3]])
		resp := proseUnits(norm[m[4]:m[5]])
		if lead != nil && resp != nil {
			return []marker{{start: m[0], end: m[1], ownLine: true,
				lead: asWritten(text, norm, lead), resp: asWritten(text, norm, resp)}}
		}
	}
	if mk, ok := proseRequest(text, norm); ok {
		return []marker{mk}
	}
	if m := proseHostRe.FindStringSubmatchIndex(norm); m != nil {
		if lead := proseUnits(norm[m[2]:m[3]]); len(lead) == 1 {
			return []marker{{start: m[0], end: m[1], ownLine: true, lead: asWritten(text, norm, lead)}}
		}
	}
	return nil
}

// proseUnits splits a list of names from a sentence, or returns nil when
// one of them does not read as a unit.
func proseUnits(s string) []string {
	us := writtenUnits(splitUnits(dropEtc(strings.TrimSpace(s))))
	if len(us) == 0 {
		return nil
	}
	for _, u := range us {
		if !looksLikeUnit(u) || strings.HasPrefix(u, "由") || utf8.RuneCountInString(u) > 20 {
			return nil
		}
	}
	return us
}

// proseRequest reads the first request of folded text: 请X、Y等部门在…前完成
// (X and Y answer for it) or 请X会同Y…… (X leads, Y takes part). X is the
// longest run of names after 请 that reads as units only.
func proseRequest(text, norm string) (marker, bool) {
	for off := 0; ; {
		i := strings.Index(norm[off:], "请")
		if i < 0 {
			return marker{}, false
		}
		at := off + i + len("请")
		off = at
		if i > 0 {
			// 请 opens a sentence or a clause, not a word (申请, 提请).
			r, _ := utf8.DecodeLastRuneInString(norm[:at-len("请")])
			if !strings.ContainsRune("。；;，,:", r) {
				continue
			}
		}
		lead := leadingUnits(norm[at:])
		if lead == "" {
			continue
		}
		rest := norm[at+len(lead):]
		units := proseUnits(lead)
		if with, ok := strings.CutPrefix(rest, "会同"); ok {
			if y := leadingUnits(with); y != "" {
				return marker{ownLine: true, lead: asWritten(text, norm, units), resp: asWritten(text, norm, proseUnits(y))}, true
			}
			continue
		}
		return marker{ownLine: true, resp: asWritten(text, norm, units)}, true
	}
}

// requestVerbs end the names after 请 or 会同: what the units are asked
// to do starts at the first of them (请财政部落实…, 请X会同有关部门按照…).
var requestVerbs = []string{"会同", "在", "按照", "按", "根据", "依据", "落实", "负责", "牵头", "组织", "研究", "制定", "抓紧", "尽快", "进一步", "加强", "做好", "对", "于", "要", "会商", "联合", "指导", "督促", "认真", "切实", "及时"}

// leadingUnits is the list of units s starts with, up to the first verb
// or stop, or "" when that start is not units only.
func leadingUnits(s string) string {
	end := len(s)
	if i := strings.IndexAny(s, "，,。；;:"); i >= 0 {
		end = i
	}
	for _, v := range requestVerbs {
		if i := strings.Index(s[:end], v); i > 0 {
			end = i
		}
	}
	head := strings.TrimSpace(s[:end])
	if head == "" || proseUnits(head) == nil {
		return ""
	}
	return head
}
