package wecom

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseIncoming(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		body      map[string]any
		text      string
		addressed bool
		chat      string
	}{
		{"PrivateText", textMsg("m", "u1", "", " 问题 "), "问题", true, ""},
		{"GroupLeadingMention", textMsg("m", "u1", "g1", "@督查助手 哪个单位牵头？"), "哪个单位牵头？", true, "g1"},
		{"GroupMentionInside", textMsg("m", "u1", "g1", "请问@督查助手 哪个单位牵头？"), "请问 哪个单位牵头？", true, "g1"},
		{"GroupMentionThenCommand", textMsg("m", "u1", "g1", "@督查助手 /unit 市商务局"), "/unit 市商务局", true, "g1"},
		{"GroupNoMention", textMsg("m", "u1", "g1", "大家好"), "大家好", false, "g1"},
		{"Voice", map[string]any{"msgid": "m", "chattype": "single", "from": map[string]string{"userid": "u1"},
			"msgtype": "voice", "voice": map[string]string{"content": "市商务局牵头哪些任务"}}, "市商务局牵头哪些任务", true, ""},
		{"Mixed", map[string]any{"msgid": "m", "chattype": "single", "from": map[string]string{"userid": "u1"}, "msgtype": "mixed",
			"mixed": map[string]any{"msg_item": []map[string]any{{"msgtype": "text", "text": map[string]string{"content": "这张图里"}},
				{"msgtype": "image", "image": map[string]string{"url": "x"}}}}}, "这张图里", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, _ := json.Marshal(tc.body)
			m, err := parseIncoming(raw, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tc.text || m.Addressed != tc.addressed || m.ChatID != tc.chat || m.SenderID != "u1" {
				t.Errorf("got text %q addressed %v chat %q sender %q", m.Text, m.Addressed, m.ChatID, m.SenderID)
			}
		})
	}
}

func TestDecryptFile(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, n := range []int{0, 1, 31, 32, 33, 1000} {
		plain := []byte(strings.Repeat("通", n))
		got, err := decryptFile(encryptFile(plain, key), "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
		if err != nil || string(got) != string(plain) {
			t.Errorf("%d runes: %v", n, err)
		}
	}
	if _, err := decryptFile([]byte("not blocks"), "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="); err == nil {
		t.Error("partial block: no error")
	}
	if _, err := decryptFile(encryptFile([]byte("x"), key), "c2hvcnQ="); err == nil {
		t.Error("short key: no error")
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		parts int
	}{
		{"Short", "一\n\n二", 100, 1},
		{"BetweenParagraphs", strings.Repeat("段落文字\n\n", 50), 100, 8},
		{"LongParagraphCutAtRune", strings.Repeat("长", 100), 31, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := split(tc.text, tc.limit)
			if len(parts) != tc.parts {
				t.Errorf("%d parts, want %d", len(parts), tc.parts)
			}
			for _, p := range parts {
				if len(p) > tc.limit || !strings.HasPrefix(p, strings.TrimLeft(p, "\n")) || !utf8Valid(p) {
					t.Errorf("part %q", p)
				}
			}
			if strings.Join(parts, "") == "" {
				t.Error("empty")
			}
		})
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg := Config{BotID: "aib1", Secret: "s"}.WithDefaults()
	if !cfg.Enabled() || cfg.WSURL != DefaultWSURL {
		t.Errorf("config %+v", cfg)
	}
	if (Config{BotID: "x"}).WithDefaults().Enabled() {
		t.Error("enabled without a secret")
	}
	if _, err := New(Config{BotID: "x"}, nil); err != ErrNoCredentials {
		t.Errorf("New without secret: %v", err)
	}
}
