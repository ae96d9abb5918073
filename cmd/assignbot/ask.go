package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/assignbot/assignbot/retrieval"
)

func cmdAsk(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	asJSON := fs.Bool("json", false, "print answers as JSON (one object per line)")
	page := fs.Int("page", 1, "page of a unit listing to show (0: every task)")
	scope := fs.String("scope", "", "answer only from the notices whose region, issuer, title or docno match this (广元, 武政办〔2021〕22号)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	ans, err := cfg.answerer(ctx, stderr)
	if err != nil {
		return err
	}
	// The questions of one run are one conversation: follow-ups such as
	// 那它的配合单位呢 are read against the answer before.
	conv := &retrieval.Conversation{}
	if *scope != "" {
		conv.Scope = ans.Index().MatchScope(*scope)
		if len(conv.Scope.Docs) == 0 {
			fmt.Fprintf(stderr, "没有与“%s”匹配的通知；所有问题都会回答“没有找到”。\n", *scope)
		}
	}
	say := func(q string) error {
		a, err := ans.ConverseWith(ctx, conv, q, retrieval.AnswerOptions{Page: *page})
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			return enc.Encode(a)
		}
		_, err = fmt.Fprintln(stdout, a.Text)
		return err
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	switch {
	case question == "-":
		// One question per line in, one answer per line out.
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			q := strings.TrimSpace(sc.Text())
			if q == "" {
				continue
			}
			if !*asJSON {
				a, err := ans.ConverseWith(ctx, conv, q, retrieval.AnswerOptions{Page: *page})
				if err != nil {
					return err
				}
				fmt.Fprintln(stdout, strings.ReplaceAll(a.Text, "\n", " ｜ "))
				continue
			}
			if err := say(q); err != nil {
				return err
			}
		}
		return sc.Err()
	case question != "":
		return say(question)
	}
	// Interactive: a prompt on the terminal until EOF or 'exit'.
	in := bufio.NewScanner(stdin)
	for {
		fmt.Fprint(stdout, "问题> ")
		if !in.Scan() {
			fmt.Fprintln(stdout)
			return in.Err()
		}
		q := strings.TrimSpace(in.Text())
		if q == "exit" || q == "quit" {
			return nil
		}
		if q == "" {
			continue
		}
		if err := say(q); err != nil {
			fmt.Fprintln(stderr, "出错了：", err)
		}
		fmt.Fprintln(stdout)
		if ctx.Err() != nil {
			return nil
		}
	}
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
