package bot

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

// limiter is a per-user token bucket: perMinute messages a minute, with a
// burst of a quarter of that (at least 5). It remembers whether the user
// was already told to slow down, so a flood gets one polite reply.
type limiter struct {
	mu        sync.Mutex
	perMinute float64
	burst     float64
	now       func() time.Time
	users     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	warned bool
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	burst := float64(max(5, perMinute/4))
	return &limiter{perMinute: float64(perMinute), burst: burst, now: now, users: map[string]*bucket{}}
}

// allow takes a token for user. When it refuses, warn says whether this is
// the first refusal since the user was last allowed.
// user is the channel and the sender's id on it ("telegram:42").
func (l *limiter) allow(user string) (ok, warn bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.users[user]
	if b == nil {
		if len(l.users) > 100000 {
			l.users = map[string]*bucket{} // forget idle users rather than grow without bound
		}
		b = &bucket{tokens: l.burst, last: now}
		l.users[user] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Minutes()*l.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.warned = false
		return true, false
	}
	warn = !b.warned
	b.warned = true
	return false, warn
}

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
