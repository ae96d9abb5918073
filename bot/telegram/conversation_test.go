package telegram

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assignbot/assignbot/bot"
	"github.com/go-telegram/bot/models"
)

// clockAt is a settable clock for the context expiry.
type clockAt struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clockAt) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clockAt) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func oneText(t *testing.T, sent []sentMessage) string {
	t.Helper()
	if len(sent) == 0 {
		t.Fatal("the bot sent nothing")
	}
	return sent[0].Text
}

// TestThreeTurnDialog: a question, a follow-up about "it" and an item of
// the answer, in a private chat; another chat shares nothing; the context
// expires after 30 minutes of silence.
func TestThreeTurnDialog(t *testing.T) {
	t.Parallel()
	clock := &clockAt{t: time.Date(2021, 6, 25, 9, 0, 0, 0, time.UTC)}
	tb := newTestBotConfig(t, testConfig{Now: clock.now})

	first := oneText(t, tb.send(t, private(userID, "哪个单位牵头步行街建设任务？")))
	if !strings.Contains(first, "武政办〔2021〕22号 二(二)3") {
		t.Fatalf("first answer:\n%s", first)
	}
	second := oneText(t, tb.send(t, private(userID, "那它的配合单位呢？")))
	if !strings.HasPrefix(stripTags(second), "责任单位：") || !strings.Contains(second, "市自然资源和规划局") || !strings.Contains(second, "二(二)3") {
		t.Errorf("follow-up about its responsible units:\n%s", second)
	}
	third := oneText(t, tb.send(t, private(userID, "第二个呢")))
	if strings.Contains(third, "武政办〔2021〕22号 二(二)3") || !strings.Contains(third, "步行街") {
		t.Errorf("the second item in full:\n%s", third)
	}

	// Another chat has no context: the follow-up alone finds nothing.
	other := oneText(t, tb.send(t, private(userID+10, "那它的配合单位呢？")))
	if !strings.Contains(other, "没有找到") {
		t.Errorf("context leaked into another chat:\n%s", other)
	}

	// Thirty-one minutes of silence: the context is gone.
	clock.add(31 * time.Minute)
	late := oneText(t, tb.send(t, private(userID, "那它的配合单位呢？")))
	if !strings.Contains(late, "没有找到") {
		t.Errorf("context survived 31 minutes of silence:\n%s", late)
	}
}

// TestGroupContextPerPersonAndReply: in a group each person has their own
// context, and a reply to one of the bot's answers continues from it.
func TestGroupContextPerPersonAndReply(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	tb.send(t, group(userID, "/ask 哪个单位牵头步行街建设任务？"))
	tb.tg.mu.Lock()
	answerID := tb.tg.nextID // the id the fake gave the answer
	tb.tg.mu.Unlock()
	tb.send(t, group(adminID, "/ask 数字人民币试点由谁牵头？"))

	// The admin's follow-up is about the digital RMB, not the street.
	mine := oneText(t, tb.send(t, group(adminID, "/ask 那它的配合单位呢？")))
	if !strings.Contains(mine, "人行武汉分行营管部") || strings.Contains(mine, "二(二)3") {
		t.Errorf("the admin's follow-up:\n%s", mine)
	}
	// A reply to the street answer uses that answer's context.
	upd := group(adminID, "那它的配合单位呢？")
	upd.Message.ReplyToMessage = &models.Message{ID: answerID, From: &models.User{ID: 999, IsBot: true}, Chat: upd.Message.Chat}
	reply := oneText(t, tb.send(t, upd))
	if !strings.Contains(reply, "二(二)3") || !strings.Contains(reply, "市自然资源和规划局") {
		t.Errorf("reply to the street answer:\n%s", reply)
	}
}

// TestScopeCommand: /scope sets a chat's scope (admins only in groups),
// answers stay inside it and say what lies outside, the scope survives a
// restart, and /scope 全部 clears it.
func TestScopeCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	store, err := bot.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTestBotConfig(t, testConfig{Store: store})

	if got := oneText(t, tb.send(t, group(userID, "/scope 广元"))); !strings.Contains(got, "只有群管理员") {
		t.Errorf("a member changed the scope: %s", got)
	}
	set := oneText(t, tb.send(t, group(adminID, "/scope@assign_bot 广元")))
	if !strings.Contains(set, "范围已设为：广元") || !strings.Contains(set, "1 份通知") || !strings.Contains(set, "四川省培育发展新消费三年行动方案") {
		t.Fatalf("set scope:\n%s", set)
	}
	street := oneText(t, tb.send(t, group(userID, "/ask 哪个单位牵头步行街建设任务？")))
	if strings.Contains(street, "武政办") || !strings.Contains(street, "市文化广电旅游局") {
		t.Errorf("scoped answer cites other notices:\n%s", street)
	}
	outside := oneText(t, tb.send(t, group(userID, "/ask 数字人民币试点由谁牵头？")))
	if !strings.Contains(outside, "在当前范围（广元）内没有找到；其他通知中有 1 项") || strings.Contains(outside, "市地方金融局") {
		t.Errorf("out-of-scope answer:\n%s", outside)
	}

	if got := oneText(t, tb.send(t, group(userID, "/unit 市商务局"))); strings.Contains(got, "武政办") || !strings.Contains(got, "市商务局") {
		t.Errorf("/unit in a scoped chat:\n%s", got)
	}

	// A restart: a new bot over the same store file.
	store.Close()
	store2, err := bot.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store2.Close() })
	tb2 := newTestBotConfig(t, testConfig{Store: store2})
	if got := oneText(t, tb2.send(t, group(userID, "/scope"))); !strings.Contains(got, "当前范围：广元") {
		t.Errorf("scope after restart: %s", got)
	}
	again := oneText(t, tb2.send(t, group(userID, "/ask 哪个单位牵头步行街建设任务？")))
	if strings.Contains(again, "武政办") {
		t.Errorf("scope lost in the restart:\n%s", again)
	}

	if got := oneText(t, tb2.send(t, group(adminID, "/scope 全部"))); !strings.Contains(got, "已取消") {
		t.Errorf("clear: %s", got)
	}
	all := oneText(t, tb2.send(t, group(userID, "/ask 哪个单位牵头步行街建设任务？")))
	if !strings.Contains(all, "武政办〔2021〕22号 二(二)3") {
		t.Errorf("answer after clearing the scope:\n%s", all)
	}
	if got := oneText(t, tb2.send(t, private(userID, "/scope 不存在的地方"))); !strings.Contains(got, "没有与") {
		t.Errorf("unknown scope: %s", got)
	}
}

// TestScopedDigest: a scoped chat's digest covers only its notices.
func TestScopedDigest(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	ld, _ := tb.engine.Current()
	day := time.Date(2022, 6, 20, 0, 0, 0, 0, time.UTC) // 001 and 002 both have work due on 6-30
	all := bot.BuildDigest(ld.Corpus, day, bot.DigestOptions{Horizon: 30, Past: 30})
	items := append(append([]bot.DueItem{}, all.Upcoming...), all.Passed...)
	scope := tb.engine.MatchScope("武政办〔2022〕29号").Docs
	outside := 0
	for _, it := range items {
		if !slices.Contains(scope, it.Doc) {
			outside++
		}
	}
	if len(scope) != 1 || outside == 0 {
		t.Fatalf("fixture: scope %v, %d of %d items outside it", scope, outside, len(items))
	}
	scoped := bot.BuildDigest(ld.Corpus, day, bot.DigestOptions{Horizon: 30, Past: 30, Notices: scope})
	for _, it := range append(scoped.Upcoming, scoped.Passed...) {
		if !slices.Contains(scope, it.Doc) {
			t.Errorf("scoped digest has %s %s", it.Doc, it.What)
		}
	}
	if len(scoped.Upcoming)+len(scoped.Passed) == 0 {
		t.Error("scoped digest is empty")
	}
}
