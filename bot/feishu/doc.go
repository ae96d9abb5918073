// Package feishu is assignbot's Feishu (飞书) and Lark channel: a bot of a
// self-built app that receives im.message.receive_v1 events over the
// open platform's long connection (an outbound WebSocket, so an intranet
// host needs no public address), replies through
// im/v1/messages/:message_id/reply and posts digests through im/v1/messages
// with receive_id_type=chat_id, with a tenant access token.
//
// It is built on github.com/larksuite/oapi-sdk-go/v3 v3.13.0: the
// long connection's frame types and the event's types (stream.go says
// why its own ws.Client is not used), and the im/v1 service for the REST
// calls (api.go says why its token cache is not).
//
// Bot (adapter.go) is the channel on assignbot's core, as bot/dingtalk's
// Bot is: it turns each message into a bot.Message for bot.Core.Handle,
// renders the core's replies as Feishu rich text (post: unit names in
// bold, nothing to escape), and queues them in the core's outbox, whose
// sender for "feishu" replies to the message. Every request carries a
// uuid, Feishu's idempotency key, so that a send repeated after a lost
// answer posts nothing twice.
//
// Feishu facts this package carries:
//   - Events are answered within 3 s or pushed again; every event is
//     answered as soon as it is queued, and an event id (or message id)
//     seen among the last few thousand is answered and skipped.
//   - In a group a bot gets the messages that @-mention it (all messages
//     only with the 获取群组中所有消息 permission). A message counts when it
//     mentions the bot's own open_id (/open-apis/bot/v3/info); the text has
//     @_user_N where the mentions were.
//   - A one-to-one chat has a chat_id too, so a private chat is stored by
//     it and its digest posted to it.
//   - A file sent to the bot is fetched through the message-resource API;
//     an admin's, in a one-to-one chat, goes to bot.Core.Upload.
//   - A rich-text message takes 30 KB; answers are cut into parts of at
//     most Config.MaxMessage bytes of text.
//
// # Configuration
//
// The package reads no environment: cmd/assignbot fills Config from
// FEISHU_APP_ID and FEISHU_APP_SECRET (the app's credentials),
// FEISHU_DOMAIN (default https://open.feishu.cn; https://open.larksuite.com
// for Lark, or a private deployment or test fake) and FEISHU_ADMIN_IDS
// (open_ids). The secret, access tokens and the
// long connection's URL (it carries an access key) are never logged.
package feishu
