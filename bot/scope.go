package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
	bolt "go.etcd.io/bbolt"

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

// scopeOf returns a Telegram chat's scope matched against the current index.
func (b *Bot) scopeOf(chatID int64) retrieval.Scope {
	return chatScope(b.store, b.engine, tgChat(chatID), b.log)
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
	return engine.Index().MatchScope(text)
}

// isAllScope reports the words that remove a scope.
func isAllScope(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "全部", "所有", "all", "清除", "取消", "none", "*":
		return true
	}
	return false
}

func (b *Bot) scope(ctx context.Context, m *models.Message, args string) {
	if b.store == nil {
		b.reply(ctx, m, esc("这个机器人没有配置数据目录，不能设置范围。"), nil)
		return
	}
	if args == "" {
		s := b.scopeOf(m.Chat.ID)
		if s.Text == "" {
			b.reply(ctx, m, esc("当前没有限定范围：回答来自全部已加载的通知。\n用法：/scope 广元（按地区、发文机关、标题或文号限定），/scope 全部 取消。"), nil)
			return
		}
		b.reply(ctx, m, b.scopeHTML("当前范围", s), nil)
		return
	}
	if !b.canManage(ctx, m) {
		b.reply(ctx, m, esc("只有群管理员或机器人管理员可以修改范围。"), nil)
		return
	}
	if isAllScope(args) {
		if err := b.store.SetScope(tgChat(m.Chat.ID), ChatScope{}); err != nil {
			b.log.Error("clear scope", "chat", m.Chat.ID, "err", err)
			b.reply(ctx, m, esc(msgError), nil)
			return
		}
		b.contexts.forgetChat(string(tgChat(m.Chat.ID).key()))
		b.reply(ctx, m, esc("已取消范围限定：回答来自全部已加载的通知。"), nil)
		return
	}
	s := b.engine.Index().MatchScope(args)
	if len(s.Docs) == 0 {
		b.reply(ctx, m, esc(fmt.Sprintf("没有与“%s”匹配的通知，范围没有改变。发送 /notices 查看已加载的通知。", clip(args, 40))), nil)
		return
	}
	if err := b.store.SetScope(tgChat(m.Chat.ID), ChatScope{Text: s.Text, SetBy: strconv.FormatInt(m.From.ID, 10)}); err != nil {
		b.log.Error("set scope", "chat", m.Chat.ID, "err", err)
		b.reply(ctx, m, esc(msgError), nil)
		return
	}
	b.contexts.forgetChat(string(tgChat(m.Chat.ID).key()))
	b.reply(ctx, m, b.scopeHTML("范围已设为", s), nil)
}

// scopeHTML lists the notices in a scope.
func (b *Bot) scopeHTML(title string, s retrieval.Scope) string {
	var out strings.Builder
	fmt.Fprintf(&out, "<b>%s：%s</b>（%d 份通知）\n", esc(title), esc(s.Text), len(s.Docs))
	for i, n := range b.engine.Index().ScopeNotices(s) {
		if i == 20 {
			fmt.Fprintf(&out, "……共 %d 份\n", len(s.Docs))
			break
		}
		fmt.Fprintf(&out, "· %s\n", esc(clip(n.Name(), 50)))
	}
	out.WriteString("发送 /scope 全部 取消限定。")
	return out.String()
}

// scopeDocs returns the notices of a chat's scope for its digest: nil for
// a chat without a scope (every notice).
func scopeDocs(store *Store, ix *retrieval.Index, chat ChatRef) []string {
	if store == nil {
		return nil
	}
	text, err := store.Scope(chat)
	if err != nil || text == "" {
		return nil
	}
	docs := ix.MatchScope(text).Docs
	if docs == nil {
		docs = []string{} // a scope that matches nothing: nothing
	}
	return docs
}

// inScope reports whether a notice file is in a scope (nil: every notice).
func inScope(scope []string, doc string) bool {
	return scope == nil || slices.Contains(scope, doc)
}

// scopedUnitAnswer lists a unit's tasks within a Telegram chat's scope.
func (b *Bot) scopedUnitAnswer(chatID int64, name string, page int) (a retrieval.Answer, ok bool, where string) {
	return unitAnswer(b.store, b.engine, tgChat(chatID), name, page, b.log)
}

// unitAnswer lists a unit's tasks within the chat's scope; where says the
// scope for a not-found reply ("在当前范围（广元）内").
func unitAnswer(store *Store, engine Engine, chat ChatRef, name string, page int, log *slog.Logger) (a retrieval.Answer, ok bool, where string) {
	s := chatScope(store, engine, chat, log)
	if s.Text == "" {
		a, ok = engine.Index().UnitAnswerWith(name, false, retrieval.AnswerOptions{Page: page})
		return a, ok, ""
	}
	where = "在当前范围（" + s.Text + "）内"
	if len(s.Docs) == 0 {
		return a, false, where
	}
	a, ok = engine.Index().UnitAnswerWith(name, false, retrieval.AnswerOptions{Notices: s.Docs, Page: page})
	return a, ok, where
}
