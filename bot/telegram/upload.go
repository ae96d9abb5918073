package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

func (b *Bot) onDocument(ctx context.Context, updID int64, m *models.Message) {
	if !b.isAdmin(m.From.ID) {
		b.reply(ctx, m, esc("只有管理员可以上传通知。"), nil)
		return
	}
	if b.core.CorpusDir() == "" {
		b.reply(ctx, m, esc("没有配置通知目录（CORPUS_DIR），无法保存上传的文件。"), nil)
		return
	}
	d := m.Document
	name, err := bot.SafeFileName(d.FileName)
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
	chk := b.core.ProbeUpload(ctx, p.name, data)
	if !chk.Read {
		b.reply(ctx, m, esc(fmt.Sprintf("不能读取 %s：%s。文件没有保存。", p.name, chk.Reason)), nil)
		return
	}
	if chk.Tasks == 0 && chk.Groups == 0 && !p.empty {
		p.empty = true
		b.confirmUpload(ctx, m, p, fmt.Sprintf("%s 里没有找到带牵头或责任单位的任务。仍然保存吗？", p.name), "仍然保存")
		return
	}
	path := filepath.Join(b.core.CorpusDir(), p.name)
	if p.overwrite {
		err = corpus.WriteFileAtomic(path, data)
	} else {
		err = bot.WriteNew(path, data)
	}
	if errors.Is(err, fs.ErrExist) {
		p.overwrite = true
		b.confirmUpload(ctx, m, p, fmt.Sprintf("通知目录里已有 %s。要覆盖吗？", p.name), "覆盖")
		return
	}
	if err != nil {
		b.log.Error("save upload failed", "chat", m.Chat.ID, "update", updID, "err", err)
		b.reply(ctx, m, esc(bot.MsgError), nil)
		return
	}
	b.log.Info("notice uploaded", "name", p.name, "bytes", len(data), "tasks", chk.Tasks, "admin", m.Chat.ID)
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
