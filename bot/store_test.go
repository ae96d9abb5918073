package bot

import (
	"errors"
	"testing"
)

func TestProbeStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if exists, err := ProbeStore(dir); exists || err != nil {
		t.Fatalf("no store yet: exists=%v err=%v", exists, err)
	}
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if exists, err := ProbeStore(dir); !exists || !errors.Is(err, ErrStoreLocked) {
		t.Errorf("store held open: exists=%v err=%v, want ErrStoreLocked", exists, err)
	}
	s.Close()
	if exists, err := ProbeStore(dir); !exists || err != nil {
		t.Errorf("store closed: exists=%v err=%v", exists, err)
	}
}
