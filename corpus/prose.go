package corpus

import (
	"regexp"
	"strings"
)

// Assignments in prose whose grammar makes the roles certain. A State
// Council division-of-labour notice writes each item as a sentence:
// 关于……的问题，由发展改革委会同农业部、财政部等部门研究提出落实意见; a
// covering notice names the one host unit of a motion: 议案由市工业和信息化局
// 负责主办. Only these shapes are read — 由X会同Y (X leads, Y takes part)
// and 由X主办 / 由X牵头 (X leads) — and only when every name reads as a
// unit; a subject of 要 (各地要……) is never read as a lead.

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
	if !strings.Contains(norm, "由") {
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
		if !looksLikeUnit(u) || strings.HasPrefix(u, "由") {
			return nil
		}
	}
	return us
}
