package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/corpus"
)

// Uploads. An admin sends a notice as a document in a private chat; it is
// downloaded through getFile, checked (size, type, a safe file name, that
// it parses), saved into CORPUS_DIR without overwriting an existing file
// unless the admin confirms, and loaded as by /reload.

// safeFileName returns a file name that cannot leave CORPUS_DIR, or an
// error saying why the name is refused.
func safeFileName(name string) (string, error) {
	name = strings.TrimSpace(name)
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
		if unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) {
			return "", errors.New("文件名含有不允许的字符")
		}
	}
	if len(name) > 200 {
		return "", errors.New("文件名太长")
	}
	if !corpus.SupportedExt(filepath.Ext(name)) {
		return "", fmt.Errorf("不支持的文件类型 %q（支持 .txt .md .html .htm .docx）", filepath.Ext(name))
	}
	return name, nil
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
	if _, err := os.Stat(filepath.Join(b.cfg.CorpusDir, name)); err == nil {
		id := b.uploads.put(pendingUpload{user: m.From.ID, fileID: d.FileID, name: name})
		b.reply(ctx, m, esc(fmt.Sprintf("通知目录里已有 %s。要覆盖吗？", name)), &models.InlineKeyboardMarkup{
			InlineKeyboard: [][]models.InlineKeyboardButton{{
				{Text: "覆盖", CallbackData: fmt.Sprintf("u:%d:y", id)},
				{Text: "取消", CallbackData: fmt.Sprintf("u:%d:n", id)},
			}}})
		return
	}
	b.saveUpload(ctx, updID, m, d.FileID, name)
}

func (b *Bot) onUploadDecision(ctx context.Context, updID int64, cq *models.CallbackQuery, msg *models.Message, id uint64, yes bool) {
	p, ok := b.uploads.take(id)
	if !ok || p.user != cq.From.ID || !b.isAdmin(cq.From.ID) {
		b.reply(ctx, msg, esc("这个上传请求已失效。"), nil)
		return
	}
	if !yes {
		b.reply(ctx, msg, esc(fmt.Sprintf("已取消，%s 保持不变。", p.name)), nil)
		return
	}
	b.saveUpload(ctx, updID, msg, p.fileID, p.name)
}

// saveUpload downloads, checks, saves and loads one notice.
func (b *Bot) saveUpload(ctx context.Context, updID int64, m *models.Message, fileID, name string) {
	data, err := b.download(ctx, fileID)
	if err != nil {
		b.log.Error("download failed", "chat", m.Chat.ID, "update", updID, "err", redact(err.Error(), b.cfg.Token))
		b.reply(ctx, m, esc("下载文件失败，请稍后再试。"), nil)
		return
	}
	// Check that it reads as a notice before it goes into the folder.
	probe := &corpus.Corpus{Directory: corpus.NewDirectory()}
	if n, fr := probe.ParseFile(name, data); n == nil {
		b.reply(ctx, m, esc("不能读取这个文件："+fr.Reason+"。文件没有保存。"), nil)
		return
	}
	if err := corpus.WriteFileAtomic(filepath.Join(b.cfg.CorpusDir, name), data); err != nil {
		b.log.Error("save upload failed", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc(msgError), nil)
		return
	}
	b.log.Info("notice uploaded", "name", name, "bytes", len(data), "admin", m.Chat.ID)
	b.reload(ctx, updID, m, name)
}

// download fetches a file through getFile and the file link, reading at
// most MaxUpload bytes.
func (b *Bot) download(ctx context.Context, fileID string) ([]byte, error) {
	f, err := b.tg.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, err
	}
	if f.FileSize > b.cfg.MaxUpload {
		return nil, fmt.Errorf("file too large: %d bytes", f.FileSize)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.tg.FileDownloadLink(f), nil)
	if err != nil {
		return nil, err
	}
	resp, err := b.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, errors.New(redact(err.Error(), b.cfg.Token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("file download: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, b.cfg.MaxUpload+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > b.cfg.MaxUpload {
		return nil, errors.New("file larger than the upload limit")
	}
	return data, nil
}
