// Package bot is assignbot's channel-neutral chat core, and the interface
// a chat platform implements to run on it.
//
// The core (Core: core.go, dispatch.go) owns what every chat platform
// shares: the bbolt store of subscriptions and scopes, keyed by channel
// and string chat id (ChatRef), migrated from the int64 keys of older
// stores (migrate.go); the outbox every reply and digest passes through;
// the digest scheduler with its exactly-once claim; the follow-up
// conversations; the per-user limit; and a dispatcher that answers a
// Message (channel, chat, private or group, sender, addressed?, text) with
// a Reply — an answer, a digest or a short Doc — as data. Each channel
// renders a Reply in its own markup; no channel parses another's. The
// core declares the small interface it needs of retrieval (Engine:
// answers, unit listings, task lookup, scopes, unit names, the loaded
// corpus with its counts, reloads); retrieval.Service implements it, and
// nothing under bot holds a search index (*retrieval.Index). Digests are
// built from plain corpus data (BuildDigest takes a *corpus.Corpus).
//
// A chat platform plugs in by implementing Channel (Name, Run, Send,
// RenderDigest, IsAdmin) and calling Core.Add. The packages:
//
//	bot                the core; imports retrieval (answer types) and corpus, no chat platform
//	bot/telegram       telegram.Bot, a Channel (go-telegram/bot) → imports bot
//	bot/dingtalk       dingtalk.Bot, a Channel (dingtalk-stream-sdk-go) → imports bot
//	cmd/assignbot      serve: one Core, every channel with credentials added
//
// Adding WeCom or Feishu means one new subpackage (bot/wecom) with a type
// that implements Channel, turns what it receives into Messages for
// Core.Handle and renders Replies, plus the lines in serve that start it;
// nothing in the core or the other channels changes. Telegram sends its
// questions (Core.Ask) and commands (Core.Command) through the core's
// dispatcher and renders the Replies in HTML, answers with inline buttons
// for their pages (Reply.More) and citations; it keeps only what only it
// has — the buttons' callbacks, uploads with a confirmation and batched
// reloads, /subscriptions, supergroup moves, polling and webhook — and
// tells the core who runs a group (CanManage).
package bot
