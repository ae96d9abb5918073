// Package prompts holds the prompts assignbot sends to a language model,
// as text/template files embedded in the binary, one typed data struct per
// template. It has no logic and depends on nothing of ours.
package prompts

import (
	"bytes"
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

var tmpl = template.Must(template.ParseFS(files, "*.tmpl"))

// Source is one retrieved task or passage offered to the model, numbered
// for citing as [N].
type Source struct {
	N           int
	Label       string // 武政办〔2021〕22号 二(二)3
	Lead        string // 、-joined, or empty
	Responsible string
	Text        string
}

// Answer is the data of answer.tmpl.
type Answer struct {
	Question string
	English  bool
	Sources  []Source
}

// Extract is the data of extract.tmpl: paragraphs of one notice in which
// the parser's rules found no task, numbered for the model to refer to.
type Extract struct {
	Title      string
	Paragraphs []Paragraph
}

// Paragraph is one numbered paragraph offered to the model.
type Paragraph struct {
	N    int
	Text string
}

// Translate is the data of translate.tmpl.
type Translate struct {
	Question string
}

// Render executes the named template (answer.tmpl, translate.tmpl) and
// returns the system and user prompts, split at the line "---".
func Render(name string, data any) (system, user string, err error) {
	var b bytes.Buffer
	if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", "", err
	}
	parts := bytes.SplitN(b.Bytes(), []byte("\n---\n"), 2)
	if len(parts) == 1 {
		return "", string(bytes.TrimSpace(parts[0])), nil
	}
	return string(bytes.TrimSpace(parts[0])), string(bytes.TrimSpace(parts[1])), nil
}
