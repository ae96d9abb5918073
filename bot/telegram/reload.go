package telegram

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/go-telegram/bot/models"

	"github.com/assignbot/assignbot/bot"
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
	// Another reload (the first load at start-up) may be running: wait for it.
	ld, err := bot.ReloadEngine(ctx, b.engine, b.log)
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
			out.WriteString(bot.ReloadFailed(err))
			b.reply(ctx, last.m, esc(out.String()), nil)
			continue
		}
		// The core's summary; an upload's alerts are among its lines.
		var out strings.Builder
		for _, r := range reqs {
			if r.uploaded != "" {
				line, _ := bot.UploadOutcome(ld.Corpus, r.uploaded)
				out.WriteString(esc(line) + "\n")
			}
		}
		out.WriteString(docHTML(bot.ReloadDoc(ld)))
		b.reply(ctx, last.m, out.String(), nil)
	}
}
