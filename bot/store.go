package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Store keeps digest subscriptions and the outbox (outbox.go) in a bbolt
// file under DATA_DIR. Every change is one transaction, so subscriptions,
// "sent today" marks and messages not yet delivered survive restarts and
// crashes.
type Store struct {
	db     *bolt.DB
	commit groupCommit
	// maxAnswers is how many unvoted answers RecordAnswer keeps:
	// MaxAnswers, fewer in a test.
	maxAnswers int
}

var bucketSubs = []byte("subscriptions")

// ChatRef names a chat: its channel ("telegram", "dingtalk") and the
// channel's own id for it, as a string (a Telegram chat id in decimal, a
// DingTalk openConversationId). Subscriptions and scopes are stored under
// it.
type ChatRef struct {
	Channel string `json:"channel"`
	ID      string `json:"chat"`
}

// key is the store key of a chat: channel, colon, id.
func (c ChatRef) key() []byte { return []byte(c.Channel + ":" + c.ID) }

// Subscription is one chat's daily digest.
type Subscription struct {
	ChatRef
	Title     string            `json:"title,omitempty"`
	Time      string            `json:"time"` // HH:MM in TZ
	TZ        string            `json:"tz"`
	Units     []string          `json:"units,omitempty"` // canonical unit names; empty: everything
	Active    bool              `json:"active"`
	Inactive  string            `json:"inactive,omitempty"` // why the chat was given up
	Created   time.Time         `json:"created"`
	LastSent  string            `json:"last_sent,omitempty"` // YYYY-MM-DD of the last digest claimed
	Seen      map[string]string `json:"seen,omitempty"`      // notice file → hash at the last digest
	CreatedBy string            `json:"creator,omitempty"`   // the sender id on the chat's channel
}

// storeFile is the store's file name under DATA_DIR.
const storeFile = "assignbot.db"

// ErrStoreLocked means another process holds the store open: bbolt takes
// an exclusive lock on the file, so a second `assignbot serve` over the
// same DATA_DIR waits for it and then fails.
var ErrStoreLocked = errors.New("the store is locked by another running assignbot")

// ProbeStore checks, without changing anything, that the store under dir
// could be opened now: it reports false when there is no store yet (the
// first serve creates it), and ErrStoreLocked when a running instance
// holds it. A read-only open takes a shared lock, which a running serve's
// exclusive lock refuses.
func ProbeStore(dir string) (exists bool, err error) {
	path := filepath.Join(dir, storeFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 300 * time.Millisecond})
	if errors.Is(err, bolt.ErrTimeout) {
		return true, fmt.Errorf("%s: %w", path, ErrStoreLocked)
	}
	if err != nil {
		return true, fmt.Errorf("open store: %w", err)
	}
	return true, db.Close()
}

// OpenStore opens (creating) the store file in dir.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	db, err := bolt.Open(filepath.Join(dir, storeFile), 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open store %s: %w", filepath.Join(dir, storeFile), ErrStoreLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSubs, bucketOutbox, bucketScopes, bucketInbox, bucketCursors} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return migrateChatKeys(tx)
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, maxAnswers: MaxAnswers}
	s.commit.db = db
	return s, nil
}

// groupCommit runs small write transactions of many goroutines together:
// while one commit (and its fsync) runs, the next callers queue, and the
// next commit takes them all. Unlike bbolt's Batch it never waits for a
// timer, so a lone caller commits at once and a busy bot commits as often
// as the disk allows. Each caller gets its own error: when a combined
// transaction fails, its functions are run again one by one.
type groupCommit struct {
	db      *bolt.DB
	mu      sync.Mutex
	running bool
	pending []commitCall
}

type commitCall struct {
	fn   func(*bolt.Tx) error
	done chan error
}

// update runs fn in a write transaction shared with other callers. fn
// may run more than once (after a failed shared commit), so it must be
// idempotent within a transaction.
func (g *groupCommit) update(fn func(*bolt.Tx) error) error {
	call := commitCall{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, call)
	if !g.running {
		g.running = true
		go g.loop()
	}
	g.mu.Unlock()
	return <-call.done
}

func (g *groupCommit) loop() {
	for {
		g.mu.Lock()
		calls := g.pending
		g.pending = nil
		if len(calls) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		err := g.db.Update(func(tx *bolt.Tx) error {
			for _, c := range calls {
				if err := c.fn(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil || len(calls) == 1 {
			for _, c := range calls {
				c.done <- err
			}
			continue
		}
		for _, c := range calls {
			c.done <- g.db.Update(c.fn)
		}
	}
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// getSub reads a chat's subscription inside a transaction.
func getSub(tx *bolt.Tx, chat ChatRef) (Subscription, error) {
	var sub Subscription
	v := tx.Bucket(bucketSubs).Get(chat.key())
	if v == nil {
		return sub, ErrNoSubscription
	}
	return sub, json.Unmarshal(v, &sub)
}

// Put saves a subscription.
func (s *Store) Put(sub Subscription) error {
	return s.db.Update(func(tx *bolt.Tx) error { return putSub(tx, sub) })
}

func putSub(tx *bolt.Tx, sub Subscription) error {
	b, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSubs).Put(sub.key(), b)
}

// ErrNoSubscription is returned for a chat without one.
var ErrNoSubscription = errors.New("no subscription")

// Get returns a chat's subscription.
func (s *Store) Get(chat ChatRef) (Subscription, error) {
	var sub Subscription
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		sub, err = getSub(tx, chat)
		return err
	})
	return sub, err
}

// Delete removes a chat's subscription.
func (s *Store) Delete(chat ChatRef) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSubs).Get(chat.key()) == nil {
			return ErrNoSubscription
		}
		return tx.Bucket(bucketSubs).Delete(chat.key())
	})
}

// List returns every subscription, by channel and chat id.
func (s *Store) List() ([]Subscription, error) {
	var subs []Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(_, v []byte) error {
			var sub Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			subs = append(subs, sub)
			return nil
		})
	})
	sort.Slice(subs, func(i, j int) bool { return string(subs[i].key()) < string(subs[j].key()) })
	return subs, err
}

// ClaimDigest claims a chat's digest of day and queues its messages in one
// transaction: either the day stays unclaimed and nothing is queued, or the
// day is claimed, what the chat has seen is recorded, and the digest waits
// in the outbox, which delivers it even across a crash. It reports false
// when the day was claimed already or the subscription is inactive.
func (s *Store) ClaimDigest(chat ChatRef, day string, seen map[string]string, entries []OutboxEntry, now time.Time) (bool, error) {
	claimed := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		sub, err := getSub(tx, chat)
		if err != nil {
			return err
		}
		if !sub.Active || sub.LastSent >= day {
			return nil
		}
		sub.LastSent, sub.Seen = day, seen
		if err := putSub(tx, sub); err != nil {
			return err
		}
		claimed = true
		return putEntries(tx, now, entries)
	})
	return claimed, err
}

// Deactivate gives up on a chat that blocked the bot or disappeared.
func (s *Store) Deactivate(chat ChatRef, why string) error {
	return s.update(chat, func(sub *Subscription) { sub.Active, sub.Inactive = false, why })
}

// Move carries a subscription to a chat's new id (a Telegram group that
// became a supergroup).
func (s *Store) Move(oldChat, newChat ChatRef) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		sub, err := getSub(tx, oldChat)
		if errors.Is(err, ErrNoSubscription) {
			return nil
		}
		if err != nil {
			return err
		}
		sub.ChatRef = newChat
		if err := tx.Bucket(bucketSubs).Delete(oldChat.key()); err != nil {
			return err
		}
		return putSub(tx, sub)
	})
}

func (s *Store) update(chat ChatRef, f func(*Subscription)) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		sub, err := getSub(tx, chat)
		if err != nil {
			return err
		}
		f(&sub)
		return putSub(tx, sub)
	})
}
