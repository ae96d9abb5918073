package telegram

import (
	"container/list"
	"context"
	"sync"

	"github.com/assignbot/assignbot/retrieval"
)

// pageCache keeps the pages of recent long answers for the 下一页 button and
// the citations for 展开, keyed by a short id; the oldest are dropped.
type pageCache struct {
	mu    sync.Mutex
	max   int
	seq   uint64
	order *list.List
	items map[uint64]*list.Element
}

type pagedAnswer struct {
	id        uint64
	pages     []string
	citations []citationText
	// A unit listing keeps only its first page; more fetches page n (from
	// 1) of its listPages when asked.
	more      func(context.Context, int) (retrieval.Answer, error)
	listPages int
	// answerID is the core's id of the answer, for 👍/👎 ("": none).
	answerID string
}

// total is how many pages the answer has.
func (p *pagedAnswer) total() int {
	if p.more != nil {
		return p.listPages
	}
	return len(p.pages)
}

type citationText struct {
	label, text, lead, resp string
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), items: map[uint64]*list.Element{}}
}

func (c *pageCache) put(p *pagedAnswer) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	p.id = c.seq
	c.items[p.id] = c.order.PushFront(p)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*pagedAnswer).id)
	}
	return p.id
}

func (c *pageCache) get(id uint64) (*pagedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*pagedAnswer), true
}

// uploadCache keeps uploads waiting for an admin's "overwrite" decision.
type uploadCache struct {
	mu      sync.Mutex
	max     int
	seq     uint64
	pending map[uint64]pendingUpload
}

type pendingUpload struct {
	user      int64
	fileID    string
	name      string
	empty     bool // the admin confirmed a file without tasks
	overwrite bool // the admin is asked, or confirmed, to replace a file
}

func newUploadCache(max int) *uploadCache {
	return &uploadCache{max: max, pending: map[uint64]pendingUpload{}}
}

func (c *uploadCache) put(p pendingUpload) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	if len(c.pending) >= c.max {
		for k := range c.pending {
			delete(c.pending, k)
			break
		}
	}
	c.pending[c.seq] = p
	return c.seq
}

func (c *uploadCache) take(id uint64) (pendingUpload, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pending[id]
	delete(c.pending, id)
	return p, ok
}
