package bot

import (
	"sync"
	"time"
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
