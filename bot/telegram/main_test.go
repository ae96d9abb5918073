package telegram

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
)

// leaks scans every log line the bot's tests produce for the bot token,
// plain or URL-escaped; TestMain fails the run if it saw one.
var leaks = &leakScanner{}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(leaks, nil)))
	code := m.Run()
	if n, first := leaks.found(); n > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the bot token reached the log %d times; first:\n%s\n", n, first)
		code = 1
	}
	os.Exit(code)
}

type leakScanner struct {
	mu    sync.Mutex
	n     int
	first string
}

func (l *leakScanner) Write(p []byte) (int, error) {
	for _, form := range secretForms(testToken) {
		if bytes.Contains(p, []byte(form)) {
			l.mu.Lock()
			if l.n == 0 {
				l.first = string(p)
			}
			l.n++
			l.mu.Unlock()
			break
		}
	}
	return len(p), nil
}

func (l *leakScanner) found() (int, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.first
}

// logBuffer keeps a test's log lines (and passes them to the token scan).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	leaks.Write(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLog returns a logger whose lines the test can read.
func captureLog() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, nil)), b
}
