// Package dingtalk is assignbot's DingTalk (钉钉) channel: a robot of an
// internal enterprise app that receives messages in Stream mode (an
// outbound WebSocket, so an intranet host needs no public URL), answers
// through each message's sessionWebhook, and sends digests through the
// robot OpenAPI.
//
// It stands alone for now: it imports nothing of assignbot and nothing
// imports it. Its Incoming and Handler are the shape the channel-neutral
// core (issue 14) will own; when the core exists they become its message
// type and handler by a rename, and Channel becomes one implementation of
// the core's channel interface.
//
// # What the core needs from a channel
//
// Read off this package, the core's interface for a channel is:
//
//	type Channel interface {
//		Name() string                                  // "dingtalk", "telegram": the key prefix in the store
//		Run(ctx context.Context) error                 // start; receive until ctx ends (stop = cancel)
//		Reply(ctx context.Context, m Incoming, a Rendered) error   // answer a message in its chat
//		Send(ctx context.Context, to Target, a Rendered) error     // proactive: digests, reload notices
//		Download(ctx context.Context, f File) ([]byte, error)      // a file sent to the bot, size-capped
//		IsAdmin(senderID string) bool                  // may this sender run /reload and upload notices
//	}
//
// plus, where the platform allows it, an Editor with Edit(ctx, sent
// message, Rendered) error: Telegram edits a message in place for paging;
// a DingTalk robot's markdown message cannot be edited (only interactive
// cards can be updated, and this package sends none), so a DingTalk "next
// page" is a new message. What an answer looks like (Rendered here
// is Markdown) is the channel's business: the core hands it structured
// answers and each channel renders them, this one with RenderMarkdown.
//
// DingTalk facts the core must carry:
//   - A proactive message to a person goes to their staff id, not to the
//     conversation (Target, from Incoming.Target), so a private
//     subscription must store the staff id.
//   - A reply after the webhook expired (about 1.5 hours) costs an OpenAPI
//     call, which Reply makes by itself.
//   - Files (and voice) reach a robot only in a one-to-one chat with it;
//     in groups DingTalk does not deliver them, which /help should say.
//   - The callback tells nothing about group owners or group admins (its
//     isAdmin flag means an organization administrator), so "may subscribe
//     this group" must rest on the bot's own admin list or be open to all.
//
// # Configuration
//
// ConfigFromEnv reads DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (the
// app's AppKey and AppSecret), DINGTALK_ROBOT_CODE (default: the client
// id), DINGTALK_API_URL (default https://api.dingtalk.com; the stream
// gateway and every OpenAPI call go there, so tests and private
// deployments can point elsewhere) and DINGTALK_ADMIN_IDS (staff ids).
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
