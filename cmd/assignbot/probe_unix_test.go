//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// TestChildProbe: serve's upload check reads what its child prints, reports
// a failing child, and kills a child that outlives the probe timeout.
func TestChildProbe(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	t.Run("ReadsTheChildsCheck", func(t *testing.T) {
		probe := childProbe("/bin/sh", "-c", `cat >/dev/null; printf '{"read":true,"tasks":2,"groups":1}'`)
		chk, err := probe(context.Background(), "a.txt", []byte("x"))
		if err != nil || chk != (bot.UploadCheck{Read: true, Tasks: 2, Groups: 1}) {
			t.Errorf("check %+v, %v", chk, err)
		}
	})
	t.Run("ChildFails", func(t *testing.T) {
		probe := childProbe("/bin/sh", "-c", `echo broken >&2; exit 3`)
		if _, err := probe(context.Background(), "a.txt", nil); err == nil || !strings.Contains(err.Error(), "broken") {
			t.Errorf("a failing child: %v", err)
		}
	})
	t.Run("TimeoutKillsTheChild", func(t *testing.T) {
		pidFile := filepath.Join(t.TempDir(), "pid")
		probe := childProbe("/bin/sh", "-c", `echo $$ > `+pidFile+`; exec sleep 30`)
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := probe(ctx, "slow.pdf", nil); err == nil {
			t.Fatal("a probe past its timeout returned no error")
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("the probe returned after %s", took)
		}
		b, err := os.ReadFile(pidFile)
		if err != nil {
			t.Fatalf("the child never ran: %v", err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid <= 0 {
			t.Fatalf("pid %q", b)
		}
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("the child %d still runs after the probe timed out", pid)
		}
	})
}
