// Command assignbot answers questions about Chinese government
// task-assignment notices: which unit leads a task, what a unit is
// responsible for, when work is due.
//
//	assignbot tasks [--corpus DIR] [--json] [--unit NAME] [--doc PREFIX]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // digest time zones work on machines without a zone database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "assignbot:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

const usage = `usage: assignbot <command> [flags]

commands:
  serve    run the Telegram bot (TELEGRAM_BOT_TOKEN) and/or the admin page (WEB_ADDR, WEB_TOKEN)
  ask      answer a question (no question: interactive; '-': one per line from stdin)
  tasks    list the parsed tasks with their lead and responsible units
  export   write the 台账 workbook (.xlsx) of the tasks, by unit and rosters
  digest   print the daily digest (--date YYYY-MM-DD, --units …)
  index    build or refresh the search index under DATA_DIR
  eval     run a question set and score the answers
  report   show what loading the corpus read, skipped and repaired
  doctor   check the configuration of a server: channels, folders, store, model, token, time zone
  version  print the version, commit and build date

Run 'assignbot <command> -h' for the flags of a command.
Configuration: flags, then environment, then a .env file (see .env.example).`

// run is main without the process: arguments, environment and streams come
// in, an error comes out.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{usage}
	}
	loadDotEnv(getenv)
	switch args[0] {
	case "tasks":
		return cmdTasks(ctx, args[1:], getenv, stdout)
	case "export":
		return cmdExport(ctx, args[1:], getenv, stdout)
	case "report":
		return cmdReport(ctx, args[1:], getenv, stdout)
	case "ask":
		return cmdAsk(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "index":
		return cmdIndex(ctx, args[1:], getenv, stdout, stderr)
	case "eval":
		return cmdEval(ctx, args[1:], getenv, stdout, stderr)
	case "serve":
		return cmdServe(ctx, args[1:], getenv, stdout, stderr)
	case "digest":
		return cmdDigest(ctx, args[1:], getenv, stdout, stderr)
	case "doctor":
		return cmdDoctor(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-version":
		return cmdVersion(stdout)
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q\n\n%s", args[0], usage)}
}
