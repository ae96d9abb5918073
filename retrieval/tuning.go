package retrieval

import "time"

// The numbers that decide what an answer finds and cites, in one place.
// Each was set on the development sets (retrieval/eval) and moves their
// scores: change one only with those tests run, and say in the commit what
// moved.

// Search: how the keyword and vector halves are fused and routed.
const (
	// rrfK is the constant of reciprocal-rank fusion.
	rrfK = 60

	// vectorDepth and keywordDepth are how many results of each half
	// take part in fusion.
	vectorDepth  = 50
	keywordDepth = 200

	// routeNotices is the most notices whose vectors a question's vector
	// half compares: those of the keyword half's best keywordDepth
	// entries, so at most that many. Routing also by coverage (the
	// entries holding most of the question's terms) was tried: it changed
	// no answer of the dev sets and cost twice the vectors.
	routeNotices = keywordDepth

	// globalPassBudget bounds the global pass over every vector that a
	// remote embedder's searches add to the routed one: chromem-go's
	// brute-force scan costs about 0.5 ms per thousand vectors on two
	// cores, so past about 100k entries the pass sees only part of the
	// archive in its time.
	globalPassBudget = 60 * time.Millisecond

	// coverageWeight is the share of a hit's score that is its coverage
	// of the question (the IDF-weighted share of its content terms the
	// entry holds); the rest is its fused rank, scaled to the best. An
	// entry about everything asked ranks above one that repeats a common
	// word.
	coverageWeight = 0.5

	// k1 and bm25b are BM25's term-frequency saturation and length
	// normalization, at their usual values.
	k1, bm25b = 1.2, 0.75

	// minIDF is the weight under which a query term is ignored: one that
	// stands in about three quarters of the entries or more.
	minIDF = 0.3

	// seedEntries is how many entries of the rarest terms the keyword
	// half scores before its MaxScore pass, for a first threshold.
	seedEntries = 4 * keywordDepth
)

// Answers: what counts as found, and which hits are cited together.
const (
	// minCoverage is how much of a question's content an entry must
	// contain for assignbot to say it found something. Below it, the
	// honest answer is that the notices do not say.
	minCoverage = 0.45

	// selectOtherNotice is how close to the best hit a hit in another
	// notice must come to be cited beside it: a reader keeps a second
	// notice's task only when it is about the same thing.
	selectOtherNotice = 0.9

	// selectSameNotice is how close a second hit of a notice already
	// cited must come: nearly as close as the best, or the answer lists
	// the notice's neighbours of the task asked about.
	selectSameNotice = 0.97

	// passageCoverage is how close to the best passage another passage
	// must come to be quoted beside it.
	passageCoverage = 0.7

	// minOwnCover is how much of what a question asks beyond its
	// notice's name a cited entry must say itself.
	minOwnCover = 0.5

	// evidenceCoverage is how close to the best-covered evidence another
	// must come in the whole question's words to be cited beside it.
	evidenceCoverage = 0.9
)

// Follow-ups and groups.
const (
	// moreCitations is how many more tasks a "还有吗" shows at once, and
	// moreCoverage how far under minCoverage those may fall: the person
	// asked for more, so nearer misses count.
	moreCitations = 5
	moreCoverage  = 0.8

	// otherGroupCoverage is how close to the best group another must come
	// to be answered beside it when the question names no group.
	otherGroupCoverage = 0.9

	// groupCoverage is how much of a named group's distinguishing words a
	// loaded group's name must hold to be the one named.
	groupCoverage = 0.8
)

// Notice names: which notices a question's words name.
const (
	// abbreviationScore is the score of a notice whose title a short name
	// abbreviates, character by character (职教联席会 for 职业教育工作部际
	// 联席会议).
	abbreviationScore = 0.9

	// minTitleScore is the share of a name's words a notice's title and
	// metadata must hold to be named at all, and otherTitleScore how
	// close to the best notice another must come to be named too (then
	// the question is asked "您指的是哪一份？").
	minTitleScore   = 0.5
	otherTitleScore = 0.9
)
