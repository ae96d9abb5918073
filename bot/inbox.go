package bot

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The inbox: the other half of "nothing lost around a restart". A chat
// platform forgets a message once the bot has told it the message was
// received — Telegram when the next getUpdates passes its update_id, the
// DingTalk gateway when the frame is acknowledged, Feishu when the event
// is answered, WeCom as soon as it has sent the callback. A channel therefore
// writes each message to the inbox before it tells the platform, and
// removes it once handled (its reply queued in the outbox). A message
// still in the inbox at start — the shutdown grace ended before a worker
// got to it, or the process was killed — is handled then, once.
//
// Entries live in the "inbox" bucket keyed channel NUL id. Beside them a
// channel may keep a cursor (Telegram's next offset) in the same
// transaction as the messages it covers, so a restart neither fetches
// again what the inbox holds nor skips what it does not.

var (
	bucketInbox   = []byte("inbox")
	bucketCursors = []byte("cursors")
)

// InboxEntry is one received message not yet handled.
type InboxEntry struct {
	Channel  string          `json:"channel"`
	ID       string          `json:"id"`      // the platform's id (Telegram's update_id, DingTalk's msgId)
	Payload  json.RawMessage `json:"payload"` // what the channel needs to handle it again
	Received time.Time       `json:"received"`
}

func inboxKey(channel, id string) []byte { return []byte(channel + "\x00" + id) }

// Receive stores entries and, when cursor is non-zero, the channel's
// cursor, in one transaction: after it returns the platform may be told
// the messages were received. entries all belong to channel.
func (s *Store) Receive(channel string, cursor int64, entries ...InboxEntry) error {
	return s.commit.update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketInbox)
		for _, e := range entries {
			e.Channel = channel
			v, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := bk.Put(inboxKey(channel, e.ID), v); err != nil {
				return err
			}
		}
		if cursor == 0 {
			return nil
		}
		return tx.Bucket(bucketCursors).Put([]byte(channel), binary.BigEndian.AppendUint64(nil, uint64(cursor)))
	})
}

// Handled removes a message from the inbox: its handling is over.
func (s *Store) Handled(channel, id string) error {
	return s.commit.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketInbox).Delete(inboxKey(channel, id)) })
}

// Unhandled lists channel's messages still in the inbox, oldest first.
func (s *Store) Unhandled(channel string) ([]InboxEntry, error) {
	var list []InboxEntry
	prefix := inboxKey(channel, "")
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketInbox).Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			var e InboxEntry
			if json.Unmarshal(v, &e) == nil {
				list = append(list, e)
			}
		}
		return nil
	})
	sort.SliceStable(list, func(i, j int) bool { return list[i].Received.Before(list[j].Received) })
	return list, err
}

// Cursor is the cursor channel last stored with Receive (0: none).
func (s *Store) Cursor(channel string) int64 {
	var n int64
	s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketCursors).Get([]byte(channel)); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n
}
