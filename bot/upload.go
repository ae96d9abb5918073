package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/corpus"
)

// Uploads. An admin sends a notice as a document in a private chat; it is
// checked (a safe file name, size, type), downloaded through getFile,
// parsed before it is saved (a file that does not read is refused with
// the reason; one with no tasks is saved only after the admin confirms),
// saved into CORPUS_DIR without ever replacing a file unless the admin
// confirms, and loaded by the next reload (reload.go), which takes every
// file saved meanwhile.

// probeTimeout bounds how long checking an upload may take before the
// admin is told it was refused.
const probeTimeout = 5 * time.Second

// safeFileName returns a file name that cannot leave CORPUS_DIR or
// disguise itself, or an error saying why the name is refused. Format
// characters (Unicode category Cf: bidi overrides, zero-width spaces)
// are removed: invoice<U+202E>cod.txt would show as invoicetxt.doc.
func safeFileName(name string) (string, error) {
	name = strings.TrimSpace(stripFormat(name))
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

// stripFormat removes format characters (Cf).
func stripFormat(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// showName is a file name as the bot shows it: format characters removed
// and other invisible controls made visible, whatever the name on disk.
func showName(s string) string {
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

func (b *Bot) onDocument(ctx context.Context, updID int64, m *models.Message) {
	if !b.isAdmin(m.From.ID) {
		b.reply(ctx, m, esc("只有管理员可以上传通知。"), nil)
		return
	}
	if b.cfg.CorpusDir == "" {
		b.reply(ctx, m, esc("没有配置通知目录（CORPUS_DIR），无法保存上传的文件。"), nil)
		return
	}
	d := m.Document
	name, err := safeFileName(d.FileName)
	if err != nil {
		b.reply(ctx, m, esc("不能保存这个文件："+err.Error()), nil)
		return
	}
	if d.FileSize > b.cfg.MaxUpload {
		b.reply(ctx, m, esc(fmt.Sprintf("文件太大（%d 字节，上限 %d 字节）。", d.FileSize, b.cfg.MaxUpload)), nil)
		return
	}
	b.storeUpload(ctx, updID, m, pendingUpload{user: m.From.ID, fileID: d.FileID, name: name})
}

func (b *Bot) onUploadDecision(ctx context.Context, updID int64, cq *models.CallbackQuery, msg *models.Message, id uint64, yes bool) {
	p, ok := b.uploads.take(id)
	if !ok || p.user != cq.From.ID || !b.isAdmin(cq.From.ID) {
		b.reply(ctx, msg, esc("这个上传请求已失效。"), nil)
		return
	}
	if !yes {
		if p.overwrite {
			b.reply(ctx, msg, esc(fmt.Sprintf("已取消，%s 保持不变。", p.name)), nil)
		} else {
			b.reply(ctx, msg, esc(fmt.Sprintf("已取消，%s 没有保存。", p.name)), nil)
		}
		return
	}
	b.storeUpload(ctx, updID, msg, p)
}

// storeUpload downloads, checks and saves one upload, asking the admin
// first where it must: a file with no tasks, a name already taken.
// p.empty and p.overwrite carry what the admin already confirmed.
func (b *Bot) storeUpload(ctx context.Context, updID int64, m *models.Message, p pendingUpload) {
	data, err := b.download(ctx, p.fileID)
	if err != nil {
		b.log.Error("download failed", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc("下载文件失败，请稍后再试。"), nil)
		return
	}
	n, reason := b.probe(p.name, data)
	if n == nil {
		b.reply(ctx, m, esc(fmt.Sprintf("不能读取 %s：%s。文件没有保存。", p.name, reason)), nil)
		return
	}
	if len(n.Tasks) == 0 && len(n.Groups) == 0 && !p.empty {
		p.empty = true
		b.confirmUpload(ctx, m, p, fmt.Sprintf("%s 里没有找到带牵头或责任单位的任务。仍然保存吗？", p.name), "仍然保存")
		return
	}
	path := filepath.Join(b.cfg.CorpusDir, p.name)
	if p.overwrite {
		err = corpus.WriteFileAtomic(path, data)
	} else {
		err = writeNew(path, data)
	}
	if errors.Is(err, fs.ErrExist) {
		p.overwrite = true
		b.confirmUpload(ctx, m, p, fmt.Sprintf("通知目录里已有 %s。要覆盖吗？", p.name), "覆盖")
		return
	}
	if err != nil {
		b.log.Error("save upload failed", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc(msgError), nil)
		return
	}
	b.log.Info("notice uploaded", "name", p.name, "bytes", len(data), "tasks", len(n.Tasks), "admin", m.Chat.ID)
	b.requestReload(ctx, reloadRequest{m: m, updID: updID, uploaded: p.name})
}

// confirmUpload asks the admin a yes/no question about a pending upload.
func (b *Bot) confirmUpload(ctx context.Context, m *models.Message, p pendingUpload, question, yes string) {
	id := b.uploads.put(p)
	b.reply(ctx, m, esc(question), &inlineKeyboard{InlineKeyboard: [][]inlineButton{{
		{Text: yes, CallbackData: fmt.Sprintf("u:%d:y", id)},
		{Text: "取消", CallbackData: fmt.Sprintf("u:%d:n", id)},
	}}})
}

// probe parses an upload as loading would, within probeTimeout. It
// returns the notice, or nil and the reason it cannot be read.
func (b *Bot) probe(name string, data []byte) (*corpus.Notice, string) {
	return probeUpload(b.log, name, data)
}

// probeUpload parses an upload as loading would, within probeTimeout.
func probeUpload(log *slog.Logger, name string, data []byte) (*corpus.Notice, string) {
	type result struct {
		n  *corpus.Notice
		fr corpus.FileReport
	}
	done := make(chan result, 1)
	go func() {
		c := &corpus.Corpus{Directory: corpus.NewDirectory()}
		n, fr := c.ParseFile(name, data)
		done <- result{n, fr}
	}()
	t := time.NewTimer(probeTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		if r.n == nil {
			return nil, r.fr.Reason
		}
		return r.n, ""
	case <-t.C:
		log.Warn("upload check timed out", "name", name, "bytes", len(data))
		return nil, fmt.Sprintf("读取超过 %s 仍未完成", probeTimeout)
	}
}

// writeNew writes a new file at path, complete or not at all, and fails
// with fs.ErrExist when path exists, however close two uploads of one
// name arrive: the file is written aside and hard-linked into place,
// which never replaces anything.
func writeNew(path string, data []byte) error {
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

// download fetches a file through getFile and the file link, reading at
// most MaxUpload bytes.
func (b *Bot) download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := b.tg.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, b.apiErr(err)
	}
	if f.FileSize > b.cfg.MaxUpload {
		return nil, fmt.Errorf("file too large: %d bytes", f.FileSize)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, b.apiErr(err)
	}
	resp, err := b.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, b.apiErr(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("file download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, b.cfg.MaxUpload+1))
	if err != nil {
		return nil, b.apiErr(err)
	}
	if int64(len(data)) > b.cfg.MaxUpload {
		return nil, errors.New("file larger than the upload limit")
	}
	return data, nil
}
