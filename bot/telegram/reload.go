package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
	"github.com/go-telegram/bot/models"
)

// reloadQueue holds reload requests waiting for the next run.
type reloadQueue struct {
	mu      sync.Mutex
	running bool
	waiting []reloadRequest
}

// reloadRequest is one request: where to answer, and the file this
// request saved ("" for /reload).
type reloadRequest struct {
	m        *models.Message
	updID    int64
	uploaded string
}

// requestReload queues a request. When no reload runs, this worker runs
// reloads until no request is waiting; otherwise it returns at once and
// the running worker serves the request with its next reload.
func (b *Bot) requestReload(ctx context.Context, req reloadRequest) {
	q := &b.reloads
	q.mu.Lock()
	q.waiting = append(q.waiting, req)
	if q.running {
		q.mu.Unlock()
		if req.uploaded != "" {
			b.reply(ctx, req.m, esc(fmt.Sprintf("已保存 %s，当前的加载完成后就加载它。", bot.ShowName(req.uploaded))), nil)
		} else {
			b.reply(ctx, req.m, esc("正在重新加载，完成后再加载一次并告诉你结果。"), nil)
		}
		return
	}
	q.running = true
	q.mu.Unlock()
	for {
		q.mu.Lock()
		batch := q.waiting
		q.waiting = nil
		if len(batch) == 0 || ctx.Err() != nil {
			q.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		b.runReload(ctx, batch)
	}
}

// runReload reloads once and answers every request of batch: one message
// per chat, a line per uploaded file, then the summary.
func (b *Bot) runReload(ctx context.Context, batch []reloadRequest) {
	ld, err := b.engine.Reload(ctx)
	// Another reload (the first load at start-up) may be running: wait for it.
	for errors.Is(err, retrieval.ErrReloadRunning) && sleep(ctx, 200*time.Millisecond) {
		ld, err = b.engine.Reload(ctx)
	}
	var chats []int64
	byChat := map[int64][]reloadRequest{}
	for _, r := range batch {
		if _, ok := byChat[r.m.Chat.ID]; !ok {
			chats = append(chats, r.m.Chat.ID)
		}
		byChat[r.m.Chat.ID] = append(byChat[r.m.Chat.ID], r)
	}
	for _, chat := range chats {
		reqs := byChat[chat]
		last := reqs[len(reqs)-1]
		if err != nil {
			b.log.Error("reload failed", "chat", chat, "update", last.updID, "err", err)
			var out strings.Builder
			for _, r := range reqs {
				if r.uploaded != "" {
					fmt.Fprintf(&out, "已保存 %s，但还没有加载。\n", bot.ShowName(r.uploaded))
				}
			}
			out.WriteString("重新加载失败，仍在使用原来的通知。原因：" + bot.Clip(err.Error(), 200))
			b.reply(ctx, last.m, esc(out.String()), nil)
			continue
		}
		var out strings.Builder
		for _, r := range reqs {
			if r.uploaded != "" {
				out.WriteString(uploadLine(ld.Corpus, r.uploaded) + "\n")
			}
		}
		out.WriteString(reloadSummary(ld))
		b.reply(ctx, last.m, out.String(), nil)
	}
}

// uploadLine says what became of one uploaded file in the new index.
func uploadLine(c *corpus.Corpus, name string) string {
	line, report := bot.UploadOutcome(c, name)
	out := esc(line)
	if report != nil {
		out += alertLines(*report)
	}
	return out
}

// reloadSummary says what the reload changed and which files it skipped.
func reloadSummary(ld retrieval.Loaded) string {
	s := ld.Stats
	var out strings.Builder
	fmt.Fprintf(&out, "<b>重新加载完成</b>\n通知 %d 份，任务 %d 项\n新增 %d，修改 %d，删除 %d\n向量：新计算 %d，复用 %d",
		s.Notices, s.Tasks, len(s.Added), len(s.Changed), len(s.Removed), s.Embedded, s.Reused)
	for _, l := range []struct {
		what  string
		names []string
	}{{"新增", s.Added}, {"修改", s.Changed}, {"删除", s.Removed}} {
		if len(l.names) > 0 && len(l.names) <= 10 {
			shown := make([]string, len(l.names))
			for i, n := range l.names {
				shown[i] = bot.ShowName(n)
			}
			fmt.Fprintf(&out, "\n%s：%s", l.what, esc(strings.Join(shown, "、")))
		}
	}
	for _, f := range ld.Corpus.Report.Files {
		if f.Status != "loaded" {
			fmt.Fprintf(&out, "\n跳过 %s：%s", esc(bot.ShowName(f.Name)), esc(f.Reason))
		} else if len(f.Alerts) > 0 {
			fmt.Fprintf(&out, "\n%s：%s", esc(bot.ShowName(f.Name)), alertLines(f))
		} else if len(f.Warnings) > 0 {
			fmt.Fprintf(&out, "\n%s：%d 条提示（乱码修复、页脚或广告删除等）", esc(bot.ShowName(f.Name)), len(f.Warnings))
		}
	}
	return out.String()
}

// alertLines names what loading a file could not read (corpus
// FileReport.Alerts): the first alert, and how many more there are.
func alertLines(f corpus.FileReport) string {
	if len(f.Alerts) == 0 {
		return ""
	}
	out := "\n⚠ " + esc(bot.Clip(f.Alerts[0], 160))
	if len(f.Alerts) > 1 {
		out += esc(fmt.Sprintf("（另有 %d 处，详见 assignbot report）", len(f.Alerts)-1))
	}
	return out
}
