package telegram

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/xuri/excelize/v2"
)

// vote sends a callback for button data on message 8 of from's chat and
// returns the toast the bot answered with.
func (tb *testBot) vote(t *testing.T, from int64, data string) string {
	t.Helper()
	tb.tg.reset()
	tb.Process(context.Background(), &models.Update{ID: updateSeq.Add(1), CallbackQuery: &models.CallbackQuery{ID: "cb-vote",
		From: models.User{ID: from}, Data: data, Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: 8, Chat: models.Chat{ID: groupID, Type: models.ChatTypeSupergroup}}}}})
	tb.settle(t)
	tb.tg.mu.Lock()
	defer tb.tg.mu.Unlock()
	if len(tb.tg.callbacks) != 1 {
		t.Fatalf("press %s: %d callback answers", data, len(tb.tg.callbacks))
	}
	if len(tb.tg.toasts) == 0 {
		return ""
	}
	return tb.tg.toasts[0]
}

// buttonData is the callback data of the button whose text starts with label.
func buttonData(t *testing.T, markup, label string) string {
	t.Helper()
	_, after, ok := strings.Cut(markup, `"text":"`+label)
	if !ok {
		t.Fatalf("no %q button in %s", label, markup)
	}
	data := strings.Split(strings.Split(after, `"callback_data":"`)[1], `"`)[0]
	if len(data) > 64 {
		t.Fatalf("callback data %q over 64 bytes", data)
	}
	return data
}

// TestVoteButtons: an answer carries 👍/👎 beside 展开; a press is stored
// and acknowledged quietly, once per person however often pressed; two
// people are two votes; /feedback lists the 👎 for an admin only.
func TestVoteButtons(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, group(userID, "/ask 哪个单位牵头步行街建设任务？"))
	if len(sent) != 1 || !strings.Contains(sent[0].Markup, "展开 1") {
		t.Fatalf("answer: %+v", sent)
	}
	down := buttonData(t, sent[0].Markup, "👎")
	up := buttonData(t, sent[0].Markup, "👍")
	if toast := tb.vote(t, userID, down); toast != "已记录，谢谢" {
		t.Errorf("toast %q", toast)
	}
	if n := len(tb.tg.sentMessages()); n != 0 {
		t.Errorf("a vote sent %d messages; it should be acknowledged quietly", n)
	}
	tb.vote(t, userID, down)
	tb.vote(t, 3, down)
	tb.vote(t, 4, up)
	votes, err := tb.core.Store().Votes()
	if err != nil || len(votes) != 3 {
		t.Fatalf("%d votes (%v), want 3: one per person", len(votes), err)
	}
	for _, v := range votes {
		if v.Question != "哪个单位牵头步行街建设任务？" || v.Chat.ID != "-100" || len(v.Citations) == 0 || !strings.Contains(v.Citations[0].Label, "武政办〔2021〕22号") || v.Citations[0].Ref == "" {
			t.Errorf("vote without its answer: %+v", v)
		}
	}
	if sent := tb.send(t, private(userID, "/feedback")); len(sent) != 1 || !strings.Contains(sent[0].Text, "只有管理员") {
		t.Errorf("/feedback by a user: %+v", sent)
	}
	sent = tb.send(t, private(adminID, "/feedback"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "最近的 👎（2 条") || !strings.Contains(sent[0].Text, "哪个单位牵头步行街建设任务？") ||
		!strings.Contains(sent[0].Text, "武政办〔2021〕22号") || !strings.Contains(sent[0].Text, "telegram -100") {
		t.Errorf("/feedback by an admin: %+v", sent)
	}
	if toast := tb.vote(t, userID, "f:zzzzzz:d"); !strings.Contains(toast, "无法评价") {
		t.Errorf("vote on an unknown answer: %q", toast)
	}
}

// TestExportSendsWorkbook: /export sends the 台账 as a file; the workbook
// read back has the task's row with its lead unit as written; a unit and
// a 文号 narrow it; an unknown name is told, not sent.
func TestExportSendsWorkbook(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	rows := func(args string) (sentDocument, [][]string) {
		t.Helper()
		tb.send(t, private(userID, strings.TrimSpace("/export "+args)))
		tb.tg.mu.Lock()
		docs := append([]sentDocument(nil), tb.tg.docs...)
		tb.tg.mu.Unlock()
		if len(docs) != 1 {
			t.Fatalf("/export %s: %d documents", args, len(docs))
		}
		f, err := excelize.OpenReader(bytes.NewReader(docs[0].Data))
		if err != nil {
			t.Fatalf("/export %s: not a workbook: %v", args, err)
		}
		defer f.Close()
		r, err := f.GetRows("任务台账")
		if err != nil {
			t.Fatal(err)
		}
		return docs[0], r
	}
	// The columns: 序号, 通知, 文号, 任务编号, 任务内容, 牵头单位, ...
	find := func(r [][]string, doc, ref string) []string {
		for _, row := range r {
			if len(row) > 5 && row[2] == doc && row[3] == ref {
				return row
			}
		}
		return nil
	}
	doc, all := rows("")
	if row := find(all, "武政办〔2021〕22号", "二(二)3"); row == nil || row[5] != "市商务局" {
		t.Errorf("row of 武政办〔2021〕22号 二(二)3: %q", row)
	}
	if !strings.HasSuffix(doc.Name, ".xlsx") || doc.ChatID != userID || !strings.Contains(doc.Caption, "任务台账") {
		t.Errorf("document %s to %d, caption %q", doc.Name, doc.ChatID, doc.Caption)
	}
	doc, unit := rows("市商务局")
	if len(unit) >= len(all) || find(unit, "武政办〔2021〕22号", "二(二)3") == nil || !strings.Contains(doc.Name, "市商务局") {
		t.Errorf("/export 市商务局: %d of %d rows, %s", len(unit), len(all), doc.Name)
	}
	_, notice := rows("武政办〔2021〕22号")
	for _, row := range notice[1:] {
		if len(row) > 2 && row[2] != "" && row[2] != "武政办〔2021〕22号" {
			t.Errorf("/export 武政办〔2021〕22号 has a row of %s", row[2])
			break
		}
	}
	if len(notice) >= len(all) || find(notice, "武政办〔2021〕22号", "二(二)3") == nil {
		t.Errorf("/export 武政办〔2021〕22号: %d of %d rows", len(notice), len(all))
	}
	sent := tb.send(t, private(userID, "/export 不存在的单位"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "没有找到") || len(tb.tg.docs) != 0 {
		t.Errorf("/export of an unknown name: %+v", sent)
	}
}

func TestHelpNamesExportAndFeedback(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	sent := tb.send(t, private(userID, "/help"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "/export") || !strings.Contains(sent[0].Text, "/feedback") {
		t.Errorf("/help: %+v", sent)
	}
}

// TestExportOverUploadLimit: a workbook over the upload limit is not
// sent; the reply states the limit and how to narrow the export.
func TestExportOverUploadLimit(t *testing.T) {
	t.Parallel()
	tb := newTestBot(t)
	tb.maxSend = 1000
	sent := tb.send(t, private(userID, "/export"))
	if len(sent) != 1 || !strings.Contains(sent[0].Text, "50 MB") || !strings.Contains(sent[0].Text, "/export 单位") || len(tb.tg.docs) != 0 {
		t.Errorf("/export over the limit: %+v, %d documents", sent, len(tb.tg.docs))
	}
}
