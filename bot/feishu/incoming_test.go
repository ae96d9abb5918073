package feishu

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assignbot/assignbot/retrieval"
)

func TestParseIncoming(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		event     map[string]any
		botID     string
		addressed bool
		text      string
	}{
		{"Private", msgEvent("e", "om", "ou_u", "", "问题", false, false), testBotID, true, "问题"},
		{"GroupMentionBot", msgEvent("e", "om", "ou_u", "oc_g", "问题", true, false), testBotID, true, "问题"},
		{"GroupMentionOtherOnly", msgEvent("e", "om", "ou_u", "oc_g", "问题", false, true), testBotID, false, "问题 @王科长"},
		{"GroupBothMentioned", msgEvent("e", "om", "ou_u", "oc_g", "问题", true, true), testBotID, true, "问题 @王科长"},
		{"GroupNoMention", msgEvent("e", "om", "ou_u", "oc_g", "大家好", false, false), testBotID, false, "大家好"},
		{"BotUnknownAnyMentionCounts", msgEvent("e", "om", "ou_u", "oc_g", "问题", false, true), "", true, "问题"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, _ := json.Marshal(tc.event)
			m, err := parseIncoming(raw)
			if err != nil {
				t.Fatal(err)
			}
			addressed, text := m.addressedTo(tc.botID)
			if addressed != tc.addressed || text != tc.text || m.SenderID != "ou_u" || m.MessageID != "om" {
				t.Errorf("addressed %v text %q sender %q", addressed, text, m.SenderID)
			}
		})
	}
	if _, err := parseIncoming([]byte(`{"schema":"2.0","header":{"event_type":"im.chat.updated_v1"},"event":{}}`)); err != errNotMessage {
		t.Errorf("another event: %v", err)
	}
	bot := msgEvent("e", "om", "ou_u", "", "x", false, false)
	bot["event"].(map[string]any)["sender"].(map[string]any)["sender_type"] = "app"
	raw, _ := json.Marshal(bot)
	if _, err := parseIncoming(raw); err != errNotMessage {
		t.Errorf("a bot's message: %v", err)
	}
}

func TestPostText(t *testing.T) {
	t.Parallel()
	got := postText(`{"title":"请教","content":[[{"tag":"at","user_id":"@_user_1"},{"tag":"text","text":" 哪个单位牵头"}],[{"tag":"text","text":"步行街？"}]]}`)
	if got != "请教\n@@_user_1  哪个单位牵头\n步行街？" {
		t.Errorf("post text %q", got)
	}
}

func TestRenderAnswerBoldUnits(t *testing.T) {
	t.Parallel()
	a := retrieval.Answer{Question: "谁牵头", Text: "市商务局牵头，市经济和信息化局配合。",
		Citations: []retrieval.Citation{{Label: "武政办〔2021〕22号 二(一)1", Text: "建设步行街", LeadUnits: []string{"市商务局"}, ResponsibleUnits: []string{"市经济和信息化局"}}}}
	p := RenderAnswer(a)
	if got := p.Text(); !strings.Contains(got, "**市商务局**牵头，**市经济和信息化局**配合。") || !strings.Contains(got, "**来源**") {
		t.Errorf("answer:\n%s", got)
	}
	var content map[string]any
	if err := json.Unmarshal([]byte(p.Content()), &content); err != nil || content["zh_cn"] == nil {
		t.Errorf("content %s: %v", p.Content(), err)
	}
}

func TestSplitPost(t *testing.T) {
	t.Parallel()
	p := Post{Title: "标题"}
	for range 100 {
		p.Paras = append(p.Paras, plain(strings.Repeat("任务", 50)))
	}
	p.Paras = append(p.Paras, plain(strings.Repeat("长", 5000)))
	parts := split(p, 2000)
	var total int
	for i, part := range parts {
		if n := len(part.Content()); n > 2000+2000/2 {
			t.Errorf("part %d: %d bytes", i, n)
		}
		if !strings.HasPrefix(part.Title, "标题（") {
			t.Errorf("part %d title %q", i, part.Title)
		}
		for _, para := range part.Paras {
			for _, r := range para {
				total += len(r.Text)
			}
		}
	}
	if total != 100*300+15000 {
		t.Errorf("%d bytes of text after splitting, want %d", total, 100*300+15000)
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg := Config{AppID: "cli_1", AppSecret: "s", Domain: "https://open.larksuite.com/"}.WithDefaults()
	if !cfg.Enabled() || cfg.Domain != "https://open.larksuite.com" {
		t.Errorf("config %+v", cfg)
	}
	if def := (Config{AppID: "x"}).WithDefaults(); def.Enabled() || def.Domain != DefaultDomain {
		t.Errorf("defaults %+v", def)
	}
}
