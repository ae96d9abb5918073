package bot

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrateInt64ChatKeys opens a store written the way assignbot wrote
// it before channels (keys and ids int64, JSON as it was then) and finds
// every subscription, scope and queued message under its Telegram key,
// with nothing lost; opening it again changes nothing.
func TestMigrateInt64ChatKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, "assignbot.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]map[string]string{
		"subscriptions": {
			"-100123": `{"chat_id":-100123,"title":"市政府办公室","time":"08:30","tz":"Asia/Shanghai","units":["市商务局"],"active":true,` +
				`"created":"2021-06-01T08:00:00+08:00","last_sent":"2021-06-24","seen":{"a.txt":"h1"},"created_by":42}`,
			"7": `{"chat_id":7,"time":"09:00","tz":"Asia/Shanghai","active":false,"inactive":"Forbidden: bot was blocked","created":"2021-06-02T08:00:00+08:00","created_by":7}`,
		},
		"scopes": {"-100123": `{"text":"广元","set_by":42}`},
		"outbox": {"telegram\x00-100123\x00\x00\x00\x00\x00\x00\x00\x00\x01": `{"channel":"telegram","chat":"-100123","kind":"digest","payload":{"chat_id":-100123,"text":"x"}}`},
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for bucket, kv := range old {
			b, err := tx.CreateBucket([]byte(bucket))
			if err != nil {
				return err
			}
			for k, v := range kv {
				if err := b.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	want := Subscription{ChatRef: ChatRef{Channel: "telegram", ID: "-100123"}, Title: "市政府办公室", Time: "08:30", TZ: "Asia/Shanghai",
		Units: []string{"市商务局"}, Active: true, Created: time.Date(2021, 6, 1, 8, 0, 0, 0, time.FixedZone("", 8*3600)),
		LastSent: "2021-06-24", Seen: map[string]string{"a.txt": "h1"}, CreatedBy: "42"}
	for round := range 2 { // the second open finds a migrated store
		store, err := OpenStore(dir)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		got, err := store.Get(tgChat(-100123))
		if err != nil || !got.Created.Equal(want.Created) {
			t.Fatalf("open %d: %+v, %v", round, got, err)
		}
		got.Created = want.Created
		if !reflect.DeepEqual(got, want) {
			t.Errorf("open %d:\n got %+v\nwant %+v", round, got, want)
		}
		blocked, err := store.Get(tgChat(7))
		if err != nil || blocked.Active || blocked.Inactive != "Forbidden: bot was blocked" || blocked.CreatedBy != "7" {
			t.Errorf("open %d: inactive subscription %+v, %v", round, blocked, err)
		}
		if subs, _ := store.List(); len(subs) != 2 {
			t.Errorf("open %d: %d subscriptions, want 2", round, len(subs))
		}
		if s, err := store.Scope(tgChat(-100123)); s != "广元" || err != nil {
			t.Errorf("open %d: scope %q, %v", round, s, err)
		}
		if n := NewOutbox(store, OutboxConfig{}, nil, quietLog()).Pending(); n != 1 {
			t.Errorf("open %d: %d queued messages, want 1", round, n)
		}
		store.db.View(func(tx *bolt.Tx) error {
			for _, b := range []string{"subscriptions", "scopes"} {
				tx.Bucket([]byte(b)).ForEach(func(k, _ []byte) error {
					if !strings.HasPrefix(string(k), "telegram:") {
						t.Errorf("open %d: old key %q left in %s", round, k, b)
					}
					return nil
				})
			}
			return nil
		})
		store.Close()
	}
}
