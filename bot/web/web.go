// Package web is assignbot's read-only admin page: what the bot
// understood of its notices (tasks, units, rosters, the markers no rule
// read), the same answers as in chat, the answers people marked 👎, and
// the 台账 workbook of any view.
//
// It is served by `assignbot serve` when WEB_ADDR is set, behind one
// shared token (WEB_TOKEN): a sign-in form gives a session cookie, or a
// client sends Authorization: Bearer TOKEN. Every page and download
// answers 401 without it. Nothing on the page changes the bot: data is
// only read with GET, and signing in and out are the only POSTs.
//
// The package needs two things of the rest of the program, declared here
// as small interfaces: an Engine (what is loaded, the chat's answer, the
// units' tasks) and optionally a FeedbackSource. It does not import package
// bot, so the chat channels and the page can run alone or together.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/assignbot/assignbot/retrieval"
)

// Engine is what the page needs of the retrieval side, the same view the
// chat channels get through bot.Engine: what is loaded (false while the
// first load runs), the chat's answer and the units' tasks. The page never
// holds an index; retrieval.Service implements Engine.
type Engine interface {
	Current() (retrieval.Loaded, bool)
	// ConverseWith answers as the chat does; the page asks each question
	// in a conversation of its own, so no follow-up context carries over.
	ConverseWith(ctx context.Context, c *retrieval.Conversation, question string, opt retrieval.AnswerOptions) (retrieval.Answer, error)
	// ResolveUnit gives the canonical name of a unit some task names.
	ResolveUnit(name string) (string, bool)
	// Units lists the canonical names of every unit some task names.
	Units() []string
	// UnitTasks lists the tasks a unit (canonical name) leads or shares.
	UnitTasks(canon string) []retrieval.UnitTask
}

// Feedback is one answer a person marked 👍 or 👎 in a chat.
type Feedback struct {
	Time      time.Time
	Channel   string // telegram, dingtalk
	Chat      string // the chat's title or id, as the channel names it
	User      string
	Question  string
	Answer    string
	Citations []retrieval.Citation
	Up        bool
}

// FeedbackSource lists the latest answers marked 👎, newest first, at most
// limit of them. The store of the chat channels implements it.
type FeedbackSource interface {
	LatestDown(ctx context.Context, limit int) ([]Feedback, error)
}

// Config sets up the page.
type Config struct {
	// Token is the shared secret that signs in (WEB_TOKEN). Required.
	Token  string
	Engine Engine
	// Feedback may be nil: the feedback page then says none is recorded.
	Feedback FeedbackSource
	// Channels are the chat channels running beside the page, for the
	// overview (Telegram @name, 钉钉).
	Channels []string
	// Now is the clock for deadlines ahead; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// SessionTTL is how long a sign-in lasts; 0 means 12 hours.
	SessionTTL time.Duration
}

// ErrNoToken is returned by New without a token.
var ErrNoToken = errors.New("WEB_TOKEN is required when WEB_ADDR is set: set it to a long random secret (e.g. openssl rand -hex 24)")

// MinTokenLen is the shortest token New accepts: the page is reachable by
// anyone who can reach its address, so the token must not be guessable.
const MinTokenLen = 16

//go:embed templates/*.html assets/style.css
var files embed.FS

// Server is the admin page, an http.Handler.
type Server struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	pages    map[string]*template.Template
	sessions *sessions
	limit    *signInLimit
	mux      *http.ServeMux
}

// CheckToken says what is wrong with a token New would refuse: none, or
// one shorter than MinTokenLen.
func CheckToken(token string) error {
	if token == "" {
		return ErrNoToken
	}
	if len(token) < MinTokenLen {
		return errors.New("WEB_TOKEN is too short: use at least 16 characters (e.g. openssl rand -hex 24)")
	}
	return nil
}

// New returns the admin page. It fails when CheckToken refuses the token.
func New(cfg Config) (*Server, error) {
	if err := CheckToken(cfg.Token); err != nil {
		return nil, err
	}
	if cfg.Engine == nil {
		return nil, errors.New("web: no engine")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	ttl := cfg.SessionTTL
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	s.sessions = newSessions(ttl, s.now)
	s.limit = &signInLimit{now: s.now}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /login", s.loginForm)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
	m.Handle("GET /{$}", s.auth(s.overview))
	m.Handle("GET /notice", s.auth(s.notice))
	m.Handle("GET /unit", s.auth(s.unit))
	m.Handle("GET /ask", s.auth(s.ask))
	m.Handle("GET /feedback", s.auth(s.feedback))
	m.Handle("GET /download", s.auth(s.download))
	// Anything else is 401 to a stranger (nothing about which paths exist)
	// and 404 to a signed-in admin.
	m.Handle("/", s.auth(func(w http.ResponseWriter, r *http.Request) { s.fail(w, r, http.StatusNotFound, "没有这个页面") }))
	s.mux = m
}

// ServeHTTP serves the page with headers that keep it out of caches and
// frames and allow no script and no resource from elsewhere.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin") // no-referrer would make the browser send "Origin: null" with the sign-in form
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// ListenAndServe serves the page on addr until ctx ends, then shuts the
// server down (requests running get 5 s).
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-done
	return err
}
