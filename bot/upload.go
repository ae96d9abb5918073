package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/assignbot/assignbot/corpus"
)

// Uploads. An admin sends a notice as a document in a private chat; it is
// checked (a safe file name, size, type), downloaded through getFile,
// parsed before it is saved (a file that does not read is refused with
// the reason; one with no tasks is saved only after the admin confirms),
// saved into CORPUS_DIR without ever replacing a file unless the admin
// confirms, and loaded by the next reload (reload.go), which takes every
// file saved meanwhile.

// ProbeTimeout bounds how long checking an upload may take before the
// admin is told it was refused, unless CoreConfig.ProbeTimeout says
// otherwise.
const ProbeTimeout = 5 * time.Second

// SafeFileName returns a file name that cannot leave CORPUS_DIR or
// disguise itself, or an error saying why the name is refused. Format
// characters (Unicode category Cf: bidi overrides, zero-width spaces)
// are removed: invoice<U+202E>cod.txt would show as invoicetxt.doc.
func SafeFileName(name string) (string, error) {
	name = strings.TrimSpace(StripFormat(name))
	if name == "" {
		return "", errors.New("文件没有名字")
	}
	if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") || name != filepath.Base(name) {
		return "", errors.New("文件名不能包含路径")
	}
	if strings.HasPrefix(name, ".") {
		return "", errors.New("文件名不能以点开头")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || strings.ContainsRune(`<>:"|?*`, r) {
			return "", errors.New("文件名含有不允许的字符")
		}
	}
	if len(name) > 200 {
		return "", errors.New("文件名太长")
	}
	if !corpus.SupportedExt(filepath.Ext(name)) {
		return "", fmt.Errorf("不支持的文件类型 %q（支持 %s；.doc/.wps 请另存为 .docx 或 .pdf）", filepath.Ext(name), strings.Join(corpus.SupportedExts(), " "))
	}
	return name, nil
}

// StripFormat removes format characters (Cf).
func StripFormat(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// ShowName is a file name as the bot shows it: format characters removed
// and other invisible controls made visible, whatever the name on disk.
func ShowName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) {
			return '?'
		}
		return r
	}, s)
}

// UploadCheck is what parsing an upload found: whether it reads as a
// notice (else why not), and its tasks and roster groups.
type UploadCheck struct {
	Read   bool
	Reason string
	Tasks  int
	Groups int
}

// CheckUpload parses an upload as loading would, giving up when ctx ends.
func CheckUpload(ctx context.Context, name string, data []byte) UploadCheck {
	c := &corpus.Corpus{Directory: corpus.NewDirectory()}
	n, fr := c.ParseFileContext(ctx, name, data)
	if n == nil {
		return UploadCheck{Reason: fr.Reason}
	}
	return UploadCheck{Read: true, Tasks: len(n.Tasks), Groups: len(n.Groups)}
}

// Prober checks an upload until ctx ends; CoreConfig.Probe lets a test
// put a slow one in.
type Prober func(ctx context.Context, name string, data []byte) (UploadCheck, error)

// InProcessProbe runs CheckUpload in a worker and returns when it is done
// or ctx ends; the worker's parse gives up with ctx (a PDF read ends at
// once), so a check that times out does not run on.
func InProcessProbe(ctx context.Context, name string, data []byte) (UploadCheck, error) {
	done := make(chan UploadCheck, 1)
	go func() { done <- CheckUpload(ctx, name, data) }()
	select {
	case chk := <-done:
		return chk, nil
	case <-ctx.Done():
		return UploadCheck{}, ctx.Err()
	}
}

// ProbeUpload checks an upload with the core's Prober within the probe
// timeout, whose end stops the check; one that did not finish, or failed,
// is a refusal with the reason.
func (c *Core) ProbeUpload(ctx context.Context, name string, data []byte) UploadCheck {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.ProbeTimeout)
	defer cancel()
	chk, err := c.cfg.Probe(ctx, name, data)
	switch {
	case err == nil:
		return chk
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		c.log.Warn("upload check timed out", "name", name, "bytes", len(data))
		return UploadCheck{Reason: fmt.Sprintf("读取超过 %s 仍未完成", c.cfg.ProbeTimeout)}
	default:
		c.log.Error("upload check failed", "name", name, "bytes", len(data), "err", err)
		return UploadCheck{Reason: "检查文件时出错"}
	}
}

// WriteNew writes a new file at path, complete or not at all, and fails
// with fs.ErrExist when path exists, however close two uploads of one
// name arrive: the file is written aside and hard-linked into place,
// which never replaces anything.
func WriteNew(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// No hard links on this file system: create exclusively instead.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
