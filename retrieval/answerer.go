package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/assignbot/assignbot/prompts"
)

// Completer is a chat model: a system prompt and a user prompt in, text
// out. The go-openai adapter implements it; tests use a fake server.
type Completer interface {
	Complete(ctx context.Context, system, user string) (string, error)
}

// DefaultLLMTimeout bounds the model's part of one answer when the
// completer names no timeout of its own.
const DefaultLLMTimeout = 15 * time.Second

// ErrModelBusy is returned by a limited completer when every slot is
// taken; the answer is then the offline one, at once.
var ErrModelBusy = errors.New("model busy: every slot is taken")

// LimitCompleter lets at most n calls reach c at once. A call beyond that
// does not wait: it fails with ErrModelBusy, so a slow or hanging model
// holds at most n of the bot's workers and every other question gets the
// offline answer without waiting. timeout (LLM_TIMEOUT) bounds each call
// and is what the answerer honours (Timeout).
func LimitCompleter(c Completer, n int, timeout time.Duration) Completer {
	if timeout <= 0 {
		timeout = DefaultLLMTimeout
	}
	return &limitedCompleter{c: c, slots: make(chan struct{}, max(1, n)), timeout: timeout}
}

type limitedCompleter struct {
	c       Completer
	slots   chan struct{}
	timeout time.Duration
}

func (l *limitedCompleter) Complete(ctx context.Context, system, user string) (string, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		return "", ErrModelBusy
	}
	defer func() { <-l.slots }()
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	return l.c.Complete(ctx, system, user)
}

// Timeout is the model's timeout.
func (l *limitedCompleter) Timeout() time.Duration { return l.timeout }

// Answerer answers questions from an index, offline or with a model. With
// a model, the offline answer is still computed first: it supplies the
// sources, and it is what the user gets when the model fails.
type Answerer struct {
	ix      *Index
	llm     Completer // nil: offline
	Timeout time.Duration
	Log     *slog.Logger
}

// maxSources bounds what one prompt carries.
const maxSources = 8

// NewAnswerer returns an answerer; llm may be nil. The model's part of an
// answer (translation and writing together) is bounded by llm's own
// Timeout when it has one (LLM_TIMEOUT), else DefaultLLMTimeout.
func NewAnswerer(ix *Index, llm Completer) *Answerer {
	timeout := DefaultLLMTimeout
	if t, ok := llm.(interface{ Timeout() time.Duration }); ok && t.Timeout() > 0 {
		timeout = t.Timeout()
	}
	return &Answerer{ix: ix, llm: llm, Timeout: timeout, Log: slog.Default()}
}

// Index returns the index the answerer uses.
func (a *Answerer) Index() *Index { return a.ix }

// Answer answers one question.
func (a *Answerer) Answer(ctx context.Context, question string) (Answer, error) {
	return a.AnswerWith(ctx, question, AnswerOptions{})
}

// AnswerWith answers one question with options: the page of a unit
// listing (the 下一页 of a chat, --page of the command line), the notices
// of a chat's scope.
func (a *Answerer) AnswerWith(ctx context.Context, question string, opt AnswerOptions) (Answer, error) {
	start := time.Now()
	ans, err := a.answer(ctx, question, opt)
	ans.TookMS = time.Since(start).Milliseconds()
	return ans, err
}

func (a *Answerer) answer(ctx context.Context, question string, opt AnswerOptions) (Answer, error) {
	return a.answerQuery(ctx, a.ix.understand(question), opt)
}

// answerQuery answers a question understood: offline, then written by the
// model when one is configured.
func (a *Answerer) answerQuery(ctx context.Context, q Query, opt AnswerOptions) (Answer, error) {
	offline, err := a.ix.answerQuery(ctx, q, opt)
	if err != nil || a.llm == nil {
		return offline, err
	}
	// One deadline for all the model's work: past it, the offline answer.
	ctx, cancel := context.WithTimeout(ctx, a.Timeout)
	defer cancel()
	if offline.Lang == "en" {
		// Retrieve with a proper translation rather than the glossary.
		if zh, err := a.translate(ctx, q.Question); err == nil && hasHan(zh) {
			zq := a.ix.understand(zh)
			if zq.Docs == nil {
				zq.Docs, zq.Where = q.Docs, q.Where
			}
			if again, err := a.ix.answerQuery(ctx, zq, opt); err == nil && again.Found {
				again.Question, again.Lang = q.Question, "en"
				offline = again
			}
		} else if err != nil && !errors.Is(err, ErrModelBusy) {
			a.Log.Warn("translate question", "err", err)
		}
	}
	// Unit listings are complete structured data: a model could only cut
	// them. Not-found stays not-found: there is nothing to write from.
	if !offline.Found || offline.Intent == IntentUnit {
		return offline, nil
	}
	written, err := a.write(ctx, offline)
	if errors.Is(err, ErrModelBusy) {
		return offline, nil // expected under load: every model slot is taken
	}
	if err != nil {
		a.Log.Warn("model answer failed; answering offline", "err", err)
		return offline, nil
	}
	return written, nil
}

func (a *Answerer) translate(ctx context.Context, question string) (string, error) {
	system, user, err := prompts.Render("translate.tmpl", prompts.Translate{Question: question})
	if err != nil {
		return "", err
	}
	out, err := a.llm.Complete(ctx, system, user)
	return strings.TrimSpace(out), err
}

// citeRe matches a citation the model emits: [3], ［3］, [3, 5].
var citeRe = regexp.MustCompile(`[\[［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］]`)

// write has the model write the answer from the offline answer's sources
// and checks every citation it emits against them.
func (a *Answerer) write(ctx context.Context, offline Answer) (Answer, error) {
	sources := offline.Citations
	if len(sources) > maxSources {
		sources = sources[:maxSources]
	}
	data := prompts.Answer{Question: offline.Question, English: offline.Lang == "en"}
	for i, c := range sources {
		data.Sources = append(data.Sources, prompts.Source{N: i + 1, Label: c.Label,
			Lead: strings.Join(c.LeadUnits, "、"), Responsible: strings.Join(c.ResponsibleUnits, "、"), Text: clip(c.Text, 600)})
	}
	system, user, err := prompts.Render("answer.tmpl", data)
	if err != nil {
		return offline, err
	}
	out, err := a.llm.Complete(ctx, system, user)
	if err != nil {
		return offline, err
	}
	text, used, unknown := checkCitations(out, len(sources))
	if strings.TrimSpace(text) == "" {
		return offline, fmt.Errorf("model returned no text")
	}
	if len(used) == 0 {
		return offline, fmt.Errorf("model cited no source")
	}
	ans := offline
	ans.Source = "llm"
	ans.Citations = nil
	var b strings.Builder
	b.WriteString(strings.TrimSpace(text))
	if unknown > 0 {
		ans.Incomplete = true
		if offline.Lang == "en" {
			b.WriteString("\n(Some citations could not be verified and were removed; the answer may be incomplete.)")
		} else {
			b.WriteString("\n（模型给出的部分引用无法核实，已删除；回答可能不完整。）")
		}
	}
	if offline.Lang == "en" {
		b.WriteString("\nSources:")
	} else {
		b.WriteString("\n来源：")
	}
	for _, n := range used {
		ans.Citations = append(ans.Citations, sources[n-1])
		fmt.Fprintf(&b, "\n[%d] %s", n, sources[n-1].Label)
	}
	ans.Text = b.String()
	return ans, nil
}

// checkCitations keeps the citations [N] of known sources (1…n) and
// removes the others. It returns the cleaned text, the sources used in
// order of first use, and how many citations were removed.
func checkCitations(text string, n int) (string, []int, int) {
	var used []int
	seen := map[int]bool{}
	unknown := 0
	out := citeRe.ReplaceAllStringFunc(text, func(m string) string {
		inner := citeRe.FindStringSubmatch(m)[1]
		var keep []string
		for _, f := range regexp.MustCompile(`\d+`).FindAllString(inner, -1) {
			k, _ := strconv.Atoi(f)
			if k < 1 || k > n {
				unknown++
				continue
			}
			keep = append(keep, f)
			if !seen[k] {
				seen[k] = true
				used = append(used, k)
			}
		}
		if len(keep) == 0 {
			return ""
		}
		return "[" + strings.Join(keep, ",") + "]"
	})
	return out, used, unknown
}
