package telegram

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// TestSubscribeAndDigestEndToEnd: a group admin subscribes by command
// through the fake Bot API, and the digest arrives at the set minute.
func TestSubscribeAndDigestEndToEnd(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2021, 6, 25, 8, 0, 0, 0, cst)}
	store, err := bot.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tb := newTestBotConfig(t, testConfig{Store: store, Now: c.now, Digest: bot.DigestConfig{TZ: cst}})
	tb.tg.admins = map[int64]bool{userID: true} // a group administrator, not a bot admin

	sent := tb.send(t, group(userID, "/subscribe@assign_bot 09:00"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "已订阅每日提醒") || !strings.Contains(sent[0].Text, "今天 09:00") {
		t.Fatalf("subscribe: %+v", sent)
	}
	if sent := tb.send(t, group(int64(77), "/unsubscribe")); len(sent) != 1 || !strings.Contains(sent[0].Text, "只有群管理员") {
		t.Errorf("non-admin unsubscribe: %+v", sent)
	}

	tb.tg.reset()
	c.set(time.Date(2021, 6, 25, 8, 59, 0, 0, cst))
	tb.tickDigests(t)
	if n := len(tb.tg.sentMessages()); n != 0 {
		t.Fatalf("digest before 09:00: %d messages", n)
	}
	c.set(time.Date(2021, 6, 25, 9, 0, 0, 0, cst))
	tb.tickDigests(t)
	got := tb.tg.sentMessages()
	if len(got) != 1 || got[0].ChatID != groupID || !strings.Contains(got[0].Text, "每日任务提醒 · 2021-06-25") || !strings.Contains(got[0].Text, "半年工作小结") {
		t.Fatalf("digest at 09:00: %+v", got)
	}
	tb.tickDigests(t)
	if n := len(tb.tg.sentMessages()); n != 1 {
		t.Errorf("digest sent %d times", n)
	}

	// /digest shows today's digest to anyone; /subscriptions is for bot admins.
	if sent := tb.send(t, group(int64(77), "/digest")); len(sent) != 1 || !strings.Contains(sent[0].Text, "半年工作小结") {
		t.Errorf("/digest: %+v", sent)
	}
	if sent := tb.send(t, private(adminID, "/subscriptions")); len(sent) != 1 || !strings.Contains(sent[0].Text, fmt.Sprint(groupID)) {
		t.Errorf("/subscriptions: %+v", sent)
	}
	if sent := tb.send(t, private(userID, "/subscriptions")); !strings.Contains(sent[0].Text, "只有管理员") {
		t.Errorf("non-admin /subscriptions: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "/subscribe 08:30 火星局")); len(sent) != 1 || !strings.Contains(sent[0].Text, "没有找到这些单位") {
		t.Errorf("unknown unit: %+v", sent)
	}
	if sent := tb.send(t, group(userID, "/unsubscribe")); len(sent) != 1 || !strings.Contains(sent[0].Text, "已退订") {
		t.Errorf("unsubscribe: %+v", sent)
	}
}
