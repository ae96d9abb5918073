package telegram

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// fakeTelegram is a Bot API server for tests: it routes /bot<token>/<method>,
// reads the library's multipart forms and the bot's own JSON getUpdates,
// holds getUpdates until an update is queued (a blocking long poll),
// records what the bot sends, rejects what Telegram would reject (bad
// HTML, over-long text, a button with more than one action field) and can
// answer 429, or be down behind a proxy, before succeeding.
type fakeTelegram struct {
	t       testing.TB
	token   string
	srv     *httptest.Server
	updates chan json.RawMessage

	mu            sync.Mutex
	sent          []sentMessage
	docs          []sentDocument // sendDocument uploads
	edits         []sentMessage
	callbacks     []string
	toasts        []string // texts of callback answers
	commands      int
	fail429       int            // sendMessage answers 429 this many times first
	down          bool           // sendMessage answers a proxy's 502 page (echoing the path, token and all)
	downAll       bool           // every method does
	refused       int            // sendMessage calls refused while down
	migrateTo     int64          // sendMessage to groupID answers "migrated" once
	admins        map[int64]bool // group administrators for getChatMember
	files         map[string][]byte
	holdDownloads int           // file downloads wait until this many are in flight
	downloading   int           // file downloads in flight
	webhookSecret string        // the secret_token of the last setWebhook
	holdSend      time.Duration // sendMessage takes the message, then answers this late
	nextID        int
	sentCh        chan sentMessage
	cond          *sync.Cond
}

// sentDocument is a file the bot uploaded with sendDocument.
type sentDocument struct {
	ChatID  int64
	Name    string
	Caption string
	Data    []byte
}

type sentMessage struct {
	ChatID    int64
	Text      string
	ParseMode string
	Markup    string
	ReplyTo   string
}

const testToken = "123456:TEST-token"

func newFakeTelegram(t testing.TB) *fakeTelegram {
	f := &fakeTelegram{t: t, token: testToken, updates: make(chan json.RawMessage, 5000),
		files: map[string][]byte{}, nextID: 100, sentCh: make(chan sentMessage, 5000)}
	f.cond = sync.NewCond(&f.mu)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// queue makes an update the next getUpdates returns.
func (f *fakeTelegram) queue(u *models.Update) {
	data, err := json.Marshal(u)
	if err != nil {
		f.t.Fatal(err)
	}
	f.updates <- data
}

func (f *fakeTelegram) ok(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func (f *fakeTelegram) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot"+f.token+"/") {
		f.mu.Lock()
		data, ok := f.files[strings.TrimPrefix(r.URL.Path, "/file/bot"+f.token+"/")]
		f.downloading++
		f.cond.Broadcast()
		for f.downloading < f.holdDownloads {
			f.cond.Wait()
		}
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	prefix := "/bot" + f.token + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		// The bot's own getUpdates: a JSON body.
		var params map[string]any
		if err := json.NewDecoder(r.Body).Decode(&params); err != nil {
			f.t.Errorf("bad JSON body: %v", err)
		}
		r.Form = map[string][]string{}
		for k, v := range params {
			r.Form.Set(k, fmt.Sprint(v))
		}
	} else if err := r.ParseMultipartForm(10 << 20); err != nil && r.ContentLength > 0 {
		f.t.Errorf("bad form: %v", err)
	}
	method := strings.TrimPrefix(r.URL.Path, prefix)
	f.mu.Lock()
	downAll := f.downAll
	f.mu.Unlock()
	if downAll {
		f.proxyError(w, r)
		return
	}
	switch method {
	case "getMe":
		f.ok(w, map[string]any{"id": 999, "is_bot": true, "first_name": "assignbot", "username": "assign_bot"})
	case "getUpdates":
		timeout, _ := strconv.Atoi(r.FormValue("timeout"))
		wait := time.Duration(min(timeout, 2)) * time.Second
		select {
		case u := <-f.updates:
			batch := []json.RawMessage{u}
			for len(batch) < 100 && len(f.updates) > 0 {
				batch = append(batch, <-f.updates)
			}
			f.ok(w, batch)
		case <-time.After(wait):
			f.ok(w, []json.RawMessage{})
		case <-r.Context().Done():
		}
	case "sendMessage":
		m := f.record(r)
		f.mu.Lock()
		if f.down {
			f.refused++
			f.mu.Unlock()
			f.proxyError(w, r)
			return
		}
		if f.fail429 > 0 {
			f.fail429--
			f.mu.Unlock()
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`))
			return
		}
		if f.migrateTo != 0 && m.ChatID == groupID {
			to := f.migrateTo
			f.migrateTo = 0
			f.mu.Unlock()
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":%d}}`, to)
			return
		}
		f.sent = append(f.sent, m)
		f.nextID++
		id := f.nextID
		hold := f.holdSend
		f.mu.Unlock()
		f.sentCh <- m
		if hold > 0 {
			select { // Telegram has the message; its answer comes late
			case <-time.After(hold):
			case <-r.Context().Done():
				return
			}
		}
		f.ok(w, map[string]any{"message_id": id, "date": 0, "chat": map[string]any{"id": m.ChatID, "type": "private"}, "text": m.Text})
	case "sendDocument":
		// A multipart upload: the file in the "document" part.
		file, hdr, err := r.FormFile("document")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"ok":false,"error_code":400,"description":"Bad Request: there is no document in the request"}`))
			return
		}
		data, _ := io.ReadAll(file)
		chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
		f.mu.Lock()
		f.docs = append(f.docs, sentDocument{ChatID: chat, Name: hdr.Filename, Caption: r.FormValue("caption"), Data: data})
		f.nextID++
		id := f.nextID
		f.mu.Unlock()
		f.ok(w, map[string]any{"message_id": id, "date": 0, "chat": map[string]any{"id": chat, "type": "private"},
			"document": map[string]any{"file_id": "d", "file_unique_id": "d", "file_name": hdr.Filename}})
	case "editMessageText":
		m := f.record(r)
		f.mu.Lock()
		f.edits = append(f.edits, m)
		f.mu.Unlock()
		f.ok(w, map[string]any{"message_id": 1, "date": 0, "chat": map[string]any{"id": m.ChatID, "type": "private"}, "text": m.Text})
	case "answerCallbackQuery":
		f.mu.Lock()
		f.callbacks = append(f.callbacks, r.FormValue("callback_query_id"))
		if text := r.FormValue("text"); text != "" {
			f.toasts = append(f.toasts, text)
		}
		f.mu.Unlock()
		f.ok(w, true)
	case "getFile":
		id := r.FormValue("file_id")
		f.mu.Lock()
		data, ok := f.files["documents/"+id]
		f.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}`))
			return
		}
		f.ok(w, map[string]any{"file_id": id, "file_unique_id": id, "file_size": len(data), "file_path": "documents/" + id})
	case "getChatMember":
		user, _ := strconv.ParseInt(r.FormValue("user_id"), 10, 64)
		status := "member"
		f.mu.Lock()
		if f.admins[user] {
			status = "administrator"
		}
		f.mu.Unlock()
		f.ok(w, map[string]any{"status": status, "user": map[string]any{"id": user, "is_bot": false, "first_name": "u"}})
	case "setMyCommands":
		f.mu.Lock()
		f.commands++
		f.mu.Unlock()
		f.ok(w, true)
	case "setWebhook":
		f.mu.Lock()
		f.webhookSecret = r.FormValue("secret_token")
		f.mu.Unlock()
		f.ok(w, true)
	case "deleteWebhook":
		f.ok(w, true)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"ok":false,"error_code":404,"description":"Not Found: method %s"}`, method)
	}
}

// proxyError answers as a proxy in front of the Bot API does when the API
// is down: an HTML page that echoes the request path, token and all.
func (f *fakeTelegram) proxyError(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1><p>upstream unavailable: POST %s</p></body></html>", r.URL.Path)
}

func (f *fakeTelegram) record(r *http.Request) sentMessage {
	chat, _ := strconv.ParseInt(r.FormValue("chat_id"), 10, 64)
	m := sentMessage{ChatID: chat, Text: r.FormValue("text"), ParseMode: r.FormValue("parse_mode"),
		Markup: r.FormValue("reply_markup"), ReplyTo: r.FormValue("reply_parameters")}
	checkMessage(f.t, m)
	checkMarkup(f.t, m.Markup)
	return m
}

// buttonActions are the fields of an inline keyboard button that make it
// do something; the Bot API requires exactly one.
var buttonActions = []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"}

// checkMarkup fails the test for an inline keyboard Telegram would refuse
// ("exactly one of the optional fields must be used").
func checkMarkup(t testing.TB, markup string) {
	t.Helper()
	if markup == "" {
		return
	}
	var kb struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil {
		t.Errorf("reply_markup %q: %v", markup, err)
		return
	}
	for _, row := range kb.InlineKeyboard {
		for _, button := range row {
			n := 0
			for _, field := range buttonActions {
				if _, ok := button[field]; ok {
					n++
				}
			}
			if n != 1 {
				t.Errorf("button with %d action fields (Telegram wants exactly one): %s", n, markup)
			}
		}
	}
}

// checkMessage fails the test for a message Telegram would reject: longer
// than 4096 UTF-16 units, or HTML with unknown tags, unbalanced <b>, or a
// bare '<', '>' or '&'.
func checkMessage(t testing.TB, m sentMessage) {
	t.Helper()
	if n := utf16Len(m.Text); n > maxMessage {
		t.Errorf("message of %d UTF-16 units", n)
	}
	if m.ParseMode != "HTML" {
		return
	}
	s := m.Text
	depth := 0
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "<b>"):
			depth++
			s = s[3:]
		case strings.HasPrefix(s, "</b>"):
			depth--
			if depth < 0 {
				t.Errorf("unbalanced </b> in %q", m.Text)
			}
			s = s[4:]
		case s[0] == '<' || s[0] == '>':
			t.Errorf("bare %q in HTML message %q", s[0], m.Text)
			return
		case s[0] == '&':
			ok := false
			for _, e := range []string{"&lt;", "&gt;", "&amp;", "&#34;", "&#39;", "&quot;"} {
				if strings.HasPrefix(s, e) {
					ok = true
					s = s[len(e):]
					break
				}
			}
			if !ok {
				t.Errorf("bare & in HTML message %q", m.Text)
				return
			}
		default:
			s = s[1:]
		}
	}
	if depth != 0 {
		t.Errorf("unclosed <b> in %q", m.Text)
	}
}

func (f *fakeTelegram) sentMessages() []sentMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentMessage(nil), f.sent...)
}

func (f *fakeTelegram) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent, f.edits, f.callbacks, f.toasts, f.refused, f.docs = nil, nil, nil, nil, 0, nil
	for len(f.sentCh) > 0 {
		<-f.sentCh
	}
}
