package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestProbeUploadTimeout: a check past the probe timeout is a refusal
// that says so, and the prober is told to stop (its context ends).
func TestProbeUploadTimeout(t *testing.T) {
	t.Parallel()
	stopped := make(chan error, 1)
	c, err := NewCore(CoreConfig{Store: openTestStore(t), ProbeTimeout: 50 * time.Millisecond,
		Probe: func(ctx context.Context, name string, data []byte) (UploadCheck, error) {
			<-ctx.Done()
			stopped <- ctx.Err()
			return UploadCheck{}, ctx.Err()
		}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	chk := c.ProbeUpload(context.Background(), "slow.pdf", nil)
	if chk.Read || !strings.Contains(chk.Reason, "读取超过 50ms 仍未完成") {
		t.Errorf("check %+v", chk)
	}
	select {
	case err := <-stopped:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("the prober's context ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the prober was never told to stop")
	}
}

// TestCheckUpload: an upload is read as loading reads it.
func TestCheckUpload(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, file, text string
		want             UploadCheck
	}{
		{"TwoTasks", "plan.txt", "关于印发工作方案的通知\n一、工作任务\n1．建设步行街。（牵头单位：市商务局）\n2．建设夜市。（牵头单位：市财政局）",
			UploadCheck{Read: true, Tasks: 2}},
		{"NoTasks", "note.txt", "关于召开会议的通知\n请准时参加。", UploadCheck{Read: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckUpload(context.Background(), tt.file, []byte(tt.text)); got != tt.want {
				t.Errorf("CheckUpload = %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := CheckUpload(context.Background(), "plan.doc", []byte("x")); got.Read || got.Reason == "" {
		t.Errorf("an unsupported file: %+v", got)
	}
}
