package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// An upload is parsed before it is saved, and a file that hangs the
// parser must not keep a goroutine busy for ever after the admin was told
// it was refused: nothing stops a parse in the middle. serve therefore
// parses each upload in a child process of its own binary, which the probe
// timeout kills.

// probeCommand is the hidden subcommand the child runs: the file's name is
// its argument, its bytes come on stdin and the bot.UploadCheck goes to
// stdout as JSON.
const probeCommand = "probe-upload"

func cmdProbeUpload(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"usage: assignbot " + probeCommand + " NAME < FILE"}
	}
	data, err := io.ReadAll(stdin)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(bot.CheckUpload(args[0], data))
}

// childProbe returns a bot.Prober that runs argv (a program and its first
// arguments) with probeCommand and the file's name, and kills it when ctx
// ends. Without a program to run (os.Executable failed) it is the
// in-process probe.
func childProbe(argv ...string) bot.Prober {
	if len(argv) == 0 || argv[0] == "" {
		return bot.InProcessProbe
	}
	return func(ctx context.Context, name string, data []byte) (bot.UploadCheck, error) {
		cmd := exec.CommandContext(ctx, argv[0], append(argv[1:len(argv):len(argv)], probeCommand, name)...)
		cmd.Stdin = bytes.NewReader(data)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		// The child may leave a grandchild holding its output open; Wait
		// gives up on it this long after the kill.
		cmd.WaitDelay = time.Second
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return bot.UploadCheck{}, ctx.Err()
			}
			return bot.UploadCheck{}, fmt.Errorf("%s: %w: %s", probeCommand, err, bytes.TrimSpace(errOut.Bytes()))
		}
		var chk bot.UploadCheck
		if err := json.Unmarshal(out.Bytes(), &chk); err != nil {
			return bot.UploadCheck{}, fmt.Errorf("%s: %w", probeCommand, err)
		}
		return chk, nil
	}
}

// selfProbe is childProbe over this binary. A test binary is not
// assignbot (it would run its tests), so serve under test probes in
// process.
func selfProbe() bot.Prober {
	exe, err := os.Executable()
	if err != nil || testing.Testing() {
		return bot.InProcessProbe
	}
	return childProbe(exe)
}
