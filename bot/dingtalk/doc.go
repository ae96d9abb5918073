// Package dingtalk is assignbot's DingTalk (钉钉) channel: a robot of an
// internal enterprise app that receives messages in Stream mode (an
// outbound WebSocket, so an intranet host needs no public URL), answers
// through each message's sessionWebhook, and sends digests through the
// robot OpenAPI.
//
// Bot (adapter.go) is the channel on assignbot's core: it implements
// bot.Channel, turns each robot message into a bot.Message for
// bot.Core.Handle, renders the core's replies as DingTalk markdown
// (RenderAnswer, RenderDigest, RenderMarkdown), and queues them in the
// core's outbox, whose sender for "dingtalk" answers through the
// message's sessionWebhook and falls back to the OpenAPI. Channel
// (channel.go) is the transport underneath: stream, workers, sending.
//
// DingTalk facts the core and this package carry:
//   - A proactive message to a person goes to their staff id, not to the
//     conversation, so a private chat is stored as "user:<staff id>"
//     (chatOf) and digests to it go to that person.
//   - A reply after the webhook expired (about 1.5 hours) costs an OpenAPI
//     call, which Reply makes by itself.
//   - A robot's markdown message cannot be edited (only interactive cards
//     can be updated, and this package sends none), so a listing's next
//     page is a new message, asked for with “下一页”.
//   - Files (and voice) reach a robot only in a one-to-one chat with it:
//     an admin's file there is downloaded (Download) and handed to
//     bot.Core.Upload; /help says so.
//   - The callback tells nothing about group owners or group admins (its
//     isAdmin flag means an organization administrator), so changing a
//     group's scope or subscription rests on DINGTALK_ADMIN_IDS.
//
// # Configuration
//
// The package reads no environment: cmd/assignbot fills Config from
// DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the app's AppKey and
// AppSecret), DINGTALK_ROBOT_CODE (default: the client id),
// DINGTALK_API_URL (default https://api.dingtalk.com; the stream gateway
// and every OpenAPI call go there, so tests and private deployments can
// point elsewhere) and DINGTALK_ADMIN_IDS (staff ids).
// The secret, access tokens, stream tickets and webhook URLs are never
// logged; the SDK's own logger, which would print the handshake with the
// secret at debug level, is left at its silent default.
//
// # Delivery
//
// Every frame is acknowledged as soon as it is read: robot messages are
// queued for Config.Workers workers, because the gateway delivers again a
// message it does not see acknowledged in time. A full queue answers code
// 500 so the gateway delivers the message later; a message id seen among
// the last few thousand is acknowledged and skipped. The connection is
// watched with WebSocket pings and reopened with jittered backoff; see
// stream.go for why the SDK's own loop is not used.
package dingtalk
