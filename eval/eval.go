// Package eval holds the development question set with its expected
// citations, so that `assignbot eval` runs with no files around.
package eval

import _ "embed"

// DevQuestions is the development set in JSON lines: id, cat, q and
// expect {cites [[doc-prefix, ref-suffix]…], mode any|all, has [[alt…]…], found}.
//
//go:embed questions.jsonl
var DevQuestions string
