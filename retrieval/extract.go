package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/prompts"
)

// Model-assisted extraction. When the rules find no task in a notice, or
// leave paragraphs with unit markers unread, a configured chat model may
// propose tasks. Nothing it says is taken on trust: a proposed task's text
// must be a quote from the paragraph it names, and a unit is kept only when
// its name occurs verbatim in that text; the rest is dropped. Such tasks
// carry Extracted "model" and are cited as model-extracted. The result is
// cached by the file's content hash, model and prompt, so a notice is sent
// at most once. The offline default never needs any of this.

// extractVersion changes when extract.tmpl or the validation changes, so
// that cached proposals are asked again.
const extractVersion = "1"

// Extractor proposes tasks for notices the rules could not read.
type Extractor struct {
	Model    Completer
	Name     string // the model's name, part of the cache key
	CacheDir string // where proposals are kept; "" keeps none
	// MaxParagraphs bounds what one notice sends (default 120).
	MaxParagraphs int
}

// ExtractReport says what the model proposed and what was kept.
type ExtractReport struct {
	Notices  int // notices offered to the model
	Proposed int // tasks it proposed
	Kept     int // tasks kept after checking their quotes and units
	Cached   int // notices answered from the cache
	Errors   []string
}

type proposal struct {
	P    int      `json:"p"`
	Text string   `json:"text"`
	Lead []string `json:"lead"`
	Resp []string `json:"resp"`
}

type paragraph struct {
	ref, text string
	line      int
}

// Apply adds the model's checked tasks to every notice of c that needs
// them. A model failure costs that notice its proposals, nothing else.
func (x *Extractor) Apply(ctx context.Context, c *corpus.Corpus) ExtractReport {
	var rep ExtractReport
	hashes := map[string]string{}
	for _, f := range c.Report.Files {
		hashes[f.Name] = f.Hash
	}
	for i, n := range c.Notices {
		paras := x.paragraphs(n)
		if len(paras) == 0 || hasModelTasks(n) {
			continue
		}
		rep.Notices++
		key := x.cacheKey(hashes[n.Doc], paras)
		tasks, cached, err := x.load(key)
		if !cached {
			var props []proposal
			props, err = x.ask(ctx, n, paras)
			rep.Proposed += len(props)
			if err == nil {
				tasks = checkProposals(n, paras, props)
				x.save(key, tasks)
			}
		} else {
			rep.Cached++
		}
		if err != nil {
			slog.Warn("model extraction failed", "doc", n.Doc, "err", err)
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", n.Doc, err))
			continue
		}
		rep.Kept += len(tasks)
		if len(tasks) > 0 {
			// A copy: the parsed notice may be shared with the index being
			// served and with the parse cache being saved.
			cp := *n
			cp.Tasks = append(slices.Clip(n.Tasks), tasks...)
			c.Notices[i] = &cp
		}
	}
	return rep
}

func hasModelTasks(n *corpus.Notice) bool {
	for _, t := range n.Tasks {
		if t.Extracted == "model" {
			return true
		}
	}
	return false
}

// paragraphs are what a notice offers the model: all of it when the rules
// found nothing, else the paragraphs whose markers no rule read.
func (x *Extractor) paragraphs(n *corpus.Notice) []paragraph {
	max := x.MaxParagraphs
	if max <= 0 {
		max = 120
	}
	var out []paragraph
	switch {
	case len(n.Tasks) == 0 && len(n.Groups) == 0:
		for _, p := range n.Passages {
			for i, l := range strings.Split(p.Text, "\n") {
				if utf8.RuneCountInString(l) >= 8 && len(out) < max {
					ref := p.Ref
					if ref == "" {
						ref = fmt.Sprintf("第%d行", p.Line+i)
					}
					out = append(out, paragraph{ref: ref, text: l, line: p.Line + i})
				}
			}
		}
	default:
		for _, u := range n.Unread {
			if u.Paragraph != "" && len(out) < max {
				out = append(out, paragraph{ref: fmt.Sprintf("第%d行", u.Line), text: u.Paragraph, line: u.Line})
			}
		}
	}
	return out
}

func (x *Extractor) ask(ctx context.Context, n *corpus.Notice, paras []paragraph) ([]proposal, error) {
	data := prompts.Extract{Title: n.Title}
	for i, p := range paras {
		data.Paragraphs = append(data.Paragraphs, prompts.Paragraph{N: i + 1, Text: p.text})
	}
	system, user, err := prompts.Render("extract.tmpl", data)
	if err != nil {
		return nil, err
	}
	out, err := x.Model.Complete(ctx, system, user)
	if err != nil {
		return nil, err
	}
	return parseProposals(out)
}

// parseProposals reads the model's JSON, which it may wrap in a code fence
// or words.
func parseProposals(out string) ([]proposal, error) {
	i, j := strings.Index(out, "{"), strings.LastIndex(out, "}")
	if i < 0 || j < i {
		return nil, errors.New("model returned no JSON object")
	}
	var v struct {
		Tasks []proposal `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(out[i:j+1]), &v); err != nil {
		return nil, fmt.Errorf("model JSON: %w", err)
	}
	return v.Tasks, nil
}

// checkProposals keeps what the notice bears out: a text quoted from its
// paragraph, units whose names occur in that text as written.
func checkProposals(n *corpus.Notice, paras []paragraph, props []proposal) []*corpus.Task {
	var out []*corpus.Task
	perRef := map[string]int{}
	for _, p := range props {
		if p.P < 1 || p.P > len(paras) {
			continue
		}
		para := paras[p.P-1]
		text := strings.TrimSpace(p.Text)
		if text == "" || !strings.Contains(compact(para.text), compact(text)) {
			continue // not a quote
		}
		lead, resp := verbatim(text, p.Lead), verbatim(text, p.Resp)
		if len(lead)+len(resp) == 0 {
			continue
		}
		perRef[para.ref]++
		ref := para.ref
		if perRef[para.ref] > 1 {
			ref = fmt.Sprintf("%s-%d", para.ref, perRef[para.ref])
		}
		out = append(out, &corpus.Task{
			Doc: n.Doc, Title: n.Title, Ref: ref, Text: text, Line: para.line,
			Sections: []string{}, LeadUnits: lead, ResponsibleUnits: withoutNames(resp, lead),
			Clauses: []corpus.Clause{}, Deadlines: []corpus.Deadline{}, Extracted: "model",
		})
	}
	return out
}

// verbatim keeps the names that occur in text exactly (after folding width
// and script): a model may not rename, complete or invent a unit.
func verbatim(text string, names []string) []string {
	folded := compact(text)
	out := []string{}
	for _, u := range names {
		u = strings.TrimSpace(u)
		if utf8.RuneCountInString(u) >= 2 && strings.Contains(folded, compact(u)) && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

func compact(s string) string { return strings.Join(strings.Fields(corpus.Normalize(s)), "") }

func withoutNames(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func (x *Extractor) cacheKey(fileHash string, paras []paragraph) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", extractVersion, x.Name, fileHash)
	for _, p := range paras {
		fmt.Fprintf(h, "%s\x00", p.text)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (x *Extractor) path(key string) string {
	return filepath.Join(x.CacheDir, "extract", key+".json")
}

func (x *Extractor) load(key string) ([]*corpus.Task, bool, error) {
	if x.CacheDir == "" {
		return nil, false, nil
	}
	b, err := os.ReadFile(x.path(key))
	if err != nil {
		return nil, false, nil
	}
	var tasks []*corpus.Task
	if err := json.Unmarshal(b, &tasks); err != nil {
		return nil, false, nil // a damaged entry is asked again
	}
	return tasks, true, nil
}

func (x *Extractor) save(key string, tasks []*corpus.Task) {
	if x.CacheDir == "" {
		return
	}
	if tasks == nil {
		tasks = []*corpus.Task{}
	}
	b, _ := json.Marshal(tasks)
	if err := os.MkdirAll(filepath.Dir(x.path(key)), 0o755); err == nil {
		err = corpus.WriteFileAtomic(x.path(key), b)
		if err != nil {
			slog.Warn("model extraction not cached", "err", err)
		}
	}
}
