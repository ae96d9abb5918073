package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// Before there were channels the store knew only Telegram: subscriptions
// and scopes were keyed by the chat id in decimal ("-100123"), and their
// records held int64 ids (chat_id, created_by, set_by). migrateChatKeys
// rewrites every such record under its channel key ("telegram:-100123")
// with string ids, in the transaction that opens the store, so a store
// written by an older assignbot loses nothing and a migrated one is left
// as it is. The outbox was channel-keyed from the start.

// legacyTelegram is the channel every key without one belongs to.
const legacyTelegram = "telegram"

func migrateChatKeys(tx *bolt.Tx) error {
	for _, m := range []struct {
		bucket  []byte
		rewrite func(id string, v []byte) ([]byte, error)
	}{{bucketSubs, migrateSub}, {bucketScopes, migrateScope}} {
		bk := tx.Bucket(m.bucket)
		var old [][]byte
		bk.ForEach(func(k, _ []byte) error {
			if !bytes.Contains(k, []byte(":")) {
				old = append(old, append([]byte{}, k...))
			}
			return nil
		})
		for _, k := range old {
			if _, err := strconv.ParseInt(string(k), 10, 64); err != nil {
				return fmt.Errorf("migrate %s: key %q is neither a chat id nor channel:chat", m.bucket, k)
			}
			v, err := m.rewrite(string(k), bk.Get(k))
			if err != nil {
				return fmt.Errorf("migrate %s %s: %w", m.bucket, k, err)
			}
			if err := bk.Put(ChatRef{Channel: legacyTelegram, ID: string(k)}.key(), v); err != nil {
				return err
			}
			if err := bk.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateSub rewrites a subscription record with int64 ids.
func migrateSub(id string, v []byte) ([]byte, error) {
	var sub Subscription
	var legacy struct {
		CreatedBy int64 `json:"created_by"`
	}
	if err := json.Unmarshal(v, &sub); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(v, &legacy); err != nil {
		return nil, err
	}
	sub.ChatRef = ChatRef{Channel: legacyTelegram, ID: id}
	if legacy.CreatedBy != 0 {
		sub.CreatedBy = strconv.FormatInt(legacy.CreatedBy, 10)
	}
	return json.Marshal(sub)
}

// migrateScope rewrites a scope record with an int64 set_by.
func migrateScope(_ string, v []byte) ([]byte, error) {
	var cs ChatScope
	var legacy struct {
		SetBy int64 `json:"set_by"`
	}
	if err := json.Unmarshal(v, &cs); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(v, &legacy); err != nil {
		return nil, err
	}
	if legacy.SetBy != 0 {
		cs.SetBy = strconv.FormatInt(legacy.SetBy, 10)
	}
	return json.Marshal(cs)
}
