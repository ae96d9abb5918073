// Package wecom is assignbot's WeCom (企业微信) channel: a 智能机器人 (AI
// bot) in long-connection mode. The bot opens one outbound WebSocket to
// wss://openws.work.weixin.qq.com, so an intranet host needs no public
// address, open port or callback encryption.
//
// The protocol, as the official SDKs (WecomTeam/aibot-node-sdk) and the
// 智能机器人长连接 page of developer.work.weixin.qq.com describe it, is JSON
// frames {cmd, headers:{req_id}, body} over the WebSocket:
//   - aibot_subscribe {bot_id, secret} first; the server answers a frame
//     without cmd, {headers:{req_id}, errcode, errmsg}, as it answers every
//     request (ping, aibot_respond_msg, aibot_send_msg) with the request's
//     req_id.
//   - ping every 30 s; two unanswered pings mean a dead connection.
//   - aibot_msg_callback brings a message (msgid, chattype single|group,
//     chatid for groups, from.userid, msgtype text|voice|mixed|file|…);
//     aibot_event_callback an event (enter_chat, …, and disconnected_event
//     when another connection of the same bot took over).
//   - aibot_respond_msg with the callback's req_id answers it (here a
//     finished stream message, markdown content); aibot_send_msg {chatid,
//     msgtype:markdown} pushes to a chat: a group by chatid, a person by
//     userid.
//
// No Go library of it is served, so conn.go is a small client on
// gorilla/websocket: one reader, one writer lock, requests matched to
// their answers by req_id.
//
// Bot (adapter.go) is the channel on assignbot's core, as bot/dingtalk's
// Bot is: it turns each callback into a bot.Message for bot.Core.Handle
// and queues rendered replies in the core's outbox, whose sender for
// "wecom" answers through aibot_respond_msg while the callback's req_id
// lives and pushes with aibot_send_msg after that (and for digests and
// the later parts of a long answer).
//
// WeCom facts this package carries:
//   - One long connection per bot: a new one makes the server send the old
//     one disconnected_event and close it. The bot then logs that another
//     instance took over and stops reconnecting rather than fight it.
//   - In a group the robot gets only messages that @-mention it, and the
//     text keeps the "@名字"; it is cut out here. A group message without
//     any mention is treated as chatter and ignored.
//   - A file reaches the robot as a URL valid for five minutes and an AES
//     key (AES-256-CBC); an admin's file in a one-to-one chat is downloaded,
//     decrypted and handed to bot.Core.Upload.
//   - A message is at most 4000 bytes here: the stream reply takes 20480,
//     but a markdown push is documented at 4096 for group robots, and a
//     part may go either way.
//   - There is no acknowledgement of a callback; the reply is its answer.
//     A message id seen among the last few thousand is skipped.
//   - Every send goes over the connection, so once the channel stops
//     (shutdown) nothing more is sent: what the outbox still holds waits
//     for the next start, and a reply whose req_id expired meanwhile is
//     pushed instead. A reply cut off before WeCom's answer arrived may
//     show twice.
//   - enter_chat (someone opened the robot's chat, once a day at most) is
//     greeted with aibot_respond_welcome_msg, which WeCom takes within 5 s.
//
// # Configuration
//
// The package reads no environment: cmd/assignbot fills Config from
// WECOM_BOT_ID and WECOM_BOT_SECRET (the robot's 长连接 credentials),
// WECOM_WS_URL (default DefaultWSURL; a private deployment or a test fake
// elsewhere) and WECOM_ADMIN_IDS (userids). The
// secret and file keys are never logged.
package wecom
