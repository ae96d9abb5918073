package bot

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/assignbot/assignbot/corpus"
	"github.com/assignbot/assignbot/retrieval"
)

// Chat scope: /scope TEXT limits a chat to the notices whose region,
// issuer, title or document number match TEXT; /scope alone shows it;
// /scope 全部 removes it. The text is stored (bucket "scopes") and matched
// again at every question, so notices loaded later join the scope.

var bucketScopes = []byte("scopes")

// ChatScope is a chat's stored scope.
type ChatScope struct {
	Text  string `json:"text"`
	SetBy string `json:"setter,omitempty"` // the sender id on the chat's channel
}

// Scope returns a chat's scope text; "" when it has none.
func (s *Store) Scope(chat ChatRef) (string, error) {
	var cs ChatScope
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketScopes)
		if b == nil {
			return nil
		}
		v := b.Get(chat.key())
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &cs)
	})
	return cs.Text, err
}

// SetScope stores a chat's scope; an empty text removes it.
func (s *Store) SetScope(chat ChatRef, cs ChatScope) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketScopes)
		if err != nil {
			return err
		}
		if cs.Text == "" {
			return b.Delete(chat.key())
		}
		v, err := json.Marshal(cs)
		if err != nil {
			return err
		}
		return b.Put(chat.key(), v)
	})
}

// chatScope returns a chat's scope matched against the current index.
func chatScope(store *Store, engine Engine, chat ChatRef, log *slog.Logger) retrieval.Scope {
	if store == nil {
		return retrieval.Scope{}
	}
	text, err := store.Scope(chat)
	if err != nil {
		log.Error("read scope", "chat", chat, "err", err)
	}
	if text == "" {
		return retrieval.Scope{}
	}
	return engine.MatchScope(text)
}

// IsAllScope reports the words that remove a scope.
func IsAllScope(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "全部", "所有", "all", "清除", "取消", "none", "*":
		return true
	}
	return false
}

// scopeDocs returns the notices of a chat's scope for its digest: nil for
// a chat without a scope (every notice).
func scopeDocs(store *Store, engine Engine, chat ChatRef) []string {
	if store == nil {
		return nil
	}
	text, err := store.Scope(chat)
	if err != nil || text == "" {
		return nil
	}
	docs := engine.MatchScope(text).Docs
	if docs == nil {
		docs = []string{} // a scope that matches nothing: nothing
	}
	return docs
}

// inScope reports whether a notice file is in a scope (nil: every notice).
func inScope(scope []string, doc string) bool {
	return scope == nil || slices.Contains(scope, doc)
}

// unitAnswer lists a unit's tasks within the chat's scope; where says the
// scope for a not-found reply ("在当前范围（广元）内").
func unitAnswer(store *Store, engine Engine, chat ChatRef, name string, page int, log *slog.Logger) (a retrieval.Answer, ok bool, where string) {
	s := chatScope(store, engine, chat, log)
	if s.Text == "" {
		a, ok = engine.UnitListing(name, retrieval.AnswerOptions{Page: page})
		return a, ok, ""
	}
	where = "在当前范围（" + s.Text + "）内"
	if len(s.Docs) == 0 {
		return a, false, where
	}
	a, ok = engine.UnitListing(name, retrieval.AnswerOptions{Notices: s.Docs, Page: page})
	return a, ok, where
}

// ScopeNotices returns the notices of c in scope s, in the corpus's order.
func ScopeNotices(c *corpus.Corpus, s retrieval.Scope) []*corpus.Notice {
	var out []*corpus.Notice
	if c == nil {
		return nil
	}
	for _, n := range c.Notices {
		if slices.Contains(s.Docs, n.Doc) {
			out = append(out, n)
		}
	}
	return out
}
