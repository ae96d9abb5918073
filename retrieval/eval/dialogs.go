package eval

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/assignbot/assignbot/retrieval"
)

// Dialogs is the conversation test set in JSON lines: two- and three-turn
// chats over the samples and the devset notices, some in a scoped chat,
// colloquial and English turns among them.
//
//go:embed dialogs.jsonl
var Dialogs string

// ChatDialogs is the chat-style dialog set of issue 24: 2–4 turns written
// from the notices alone by someone who had not read the code.
//
//go:embed dialogs-chat.jsonl
var ChatDialogs string

// Dialog is one chat: an optional scope (as /scope or ask --scope) and
// its turns, each with what a right answer shows.
type Dialog struct {
	ID    string `json:"id"`
	Scope string `json:"scope,omitempty"`
	Turns []Turn `json:"turns"`
}

// Turn is one question of a dialog.
type Turn struct {
	Q      string `json:"q"`
	Expect Expect `json:"expect"`
}

// ReadDialogs parses a dialog set in JSON lines.
func ReadDialogs(r io.Reader) ([]Dialog, error) {
	var ds []Dialog
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var d Dialog
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("dialogs line %d: %w", n, err)
		}
		ds = append(ds, d)
	}
	return ds, sc.Err()
}

// TurnResult is one answered turn and why it fails ("" when it passes),
// with the citations a reader would keep (Precision).
type TurnResult struct {
	Q, Answer, Why string
	Kept, Cited    int
}

// RunDialog plays a dialog as `ask` does: one conversation, the scope
// matched against the index.
func RunDialog(ctx context.Context, ans *retrieval.Answerer, d Dialog) ([]TurnResult, error) {
	conv := &retrieval.Conversation{}
	if d.Scope != "" {
		conv.Scope = ans.Index().MatchScope(d.Scope)
	}
	var out []TurnResult
	for _, t := range d.Turns {
		a, err := ans.Converse(ctx, conv, t.Q)
		if err != nil {
			return out, err
		}
		k, n := Precision(t.Expect, a)
		out = append(out, TurnResult{Q: t.Q, Answer: a.Text, Why: JudgeExpect(t.Expect, a), Kept: k, Cited: n})
	}
	return out, nil
}
