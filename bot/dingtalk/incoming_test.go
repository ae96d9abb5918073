package dingtalk

import (
	"encoding/json"
	"testing"

	"github.com/open-dingtalk/dingtalk-stream-sdk-go/chatbot"
)

// TestParseIncomingMessageTypes decodes callbacks as the SDK does and
// checks what each message type leaves for the core.
func TestParseIncomingMessageTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     string
		wantText string
		wantFile *File
	}{
		{"Text", `{"msgtype":"text","text":{"content":"  问题 "}}`, "问题", nil},
		{"RichTextJoinsTextParts", `{"msgtype":"richText","content":{"richText":[{"text":"数字政府"},{"pictureDownloadCode":"p1","type":"picture"},{"text":"谁牵头？"}]}}`, "数字政府谁牵头？", nil},
		{"AudioUsesRecognition", `{"msgtype":"audio","content":{"duration":4000,"downloadCode":"a1","recognition":"步行街建设谁牵头"}}`, "步行街建设谁牵头", nil},
		{"File", `{"msgtype":"file","content":{"downloadCode":"d1","fileName":"通知.docx","spaceId":"1","fileId":"2"}}`, "", &File{DownloadCode: "d1", Name: "通知.docx"}},
		{"FileWithoutCode", `{"msgtype":"file","content":{"fileName":"通知.docx"}}`, "", nil},
		{"PictureUnsupported", `{"msgtype":"picture","content":{"downloadCode":"p1"}}`, "", nil},
		{"ContentNotAnObject", `{"msgtype":"richText","content":"odd"}`, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cb chatbot.BotCallbackDataModel
			if err := json.Unmarshal([]byte(tt.data), &cb); err != nil {
				t.Fatal(err)
			}
			m := parseIncoming(&cb)
			if m.Text != tt.wantText {
				t.Errorf("text %q, want %q", m.Text, tt.wantText)
			}
			if (m.File == nil) != (tt.wantFile == nil) || (m.File != nil && *m.File != *tt.wantFile) {
				t.Errorf("file %+v, want %+v", m.File, tt.wantFile)
			}
			if m.ChatKind != Private || !m.Addressed || !m.WebhookExpires.IsZero() {
				t.Errorf("defaults: kind %q addressed %v expires %v", m.ChatKind, m.Addressed, m.WebhookExpires)
			}
		})
	}
}
