package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Signing in. The token itself never leaves the sign-in form: a correct
// token starts a session whose random id is the cookie (HttpOnly,
// SameSite=Strict, Secure behind TLS), kept in memory — a restart signs
// everyone out, which is fine for a handful of admins. Scripts and tools
// send Authorization: Bearer TOKEN instead. Tokens are compared as SHA-256
// digests with crypto/subtle, so neither their bytes nor their length leak
// through timing.

const cookieName = "assignbot_session"

// maxSessions bounds the sessions kept; the oldest goes first.
const maxSessions = 1000

type sessions struct {
	mu  sync.Mutex
	ttl time.Duration
	now func() time.Time
	ids map[string]time.Time // session id → expiry
}

func newSessions(ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{ttl: ttl, now: now, ids: map[string]time.Time{}}
}

// start makes a new session and returns its id.
func (s *sessions) start() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	id := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, exp := range s.ids {
		if !now.Before(exp) {
			delete(s.ids, k)
		}
	}
	for len(s.ids) >= maxSessions {
		var oldest string
		for k, exp := range s.ids {
			if oldest == "" || exp.Before(s.ids[oldest]) {
				oldest = k
			}
		}
		delete(s.ids, oldest)
	}
	s.ids[id] = now.Add(s.ttl)
	return id
}

// valid reports whether id is a live session.
func (s *sessions) valid(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.ids[id]
	if ok && !s.now().Before(exp) {
		delete(s.ids, id)
		return false
	}
	return ok
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}

// signInLimit slows down guessing: after 10 wrong tokens in a minute,
// every sign-in waits for the minute to pass.
type signInLimit struct {
	mu     sync.Mutex
	now    func() time.Time
	start  time.Time
	failed int
}

const maxFailures = 10

func (l *signInLimit) blocked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.now().Sub(l.start) > time.Minute {
		l.start, l.failed = l.now(), 0
	}
	return l.failed >= maxFailures
}

func (l *signInLimit) fail() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failed++
}

// tokenOK compares a presented token with the configured one in constant
// time.
func (s *Server) tokenOK(got string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.cfg.Token))
	return got != "" && subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// signedIn reports whether the request carries a live session or the
// bearer token.
func (s *Server) signedIn(r *http.Request) bool {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		return ok && strings.EqualFold(scheme, "Bearer") && s.tokenOK(strings.TrimSpace(tok))
	}
	c, err := r.Cookie(cookieName)
	return err == nil && s.sessions.valid(c.Value)
}

// auth lets signed-in requests through to h; every other request gets 401
// and the sign-in form, which shows no data.
func (s *Server) auth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.signedIn(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="assignbot"`)
			s.renderLogin(w, http.StatusUnauthorized, r.URL.RequestURI(), "")
			return
		}
		h(w, r)
	})
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, http.StatusOK, r.URL.Query().Get("next"), "")
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, next, msg string) {
	s.render(w, status, "login", &loginView{Next: safeNext(next), Error: msg})
}

type loginView struct {
	Next, Error string
}

// login checks the token of the sign-in form and starts a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, http.StatusBadRequest, "", "表单无法读取")
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if s.limit.blocked() {
		s.log.Warn("web: sign-in refused: too many wrong tokens", "remote", r.RemoteAddr)
		s.renderLogin(w, http.StatusTooManyRequests, next, "错误次数过多，请一分钟后再试")
		return
	}
	if !s.tokenOK(r.PostForm.Get("token")) {
		s.limit.fail()
		s.log.Warn("web: wrong token", "remote", r.RemoteAddr)
		s.renderLogin(w, http.StatusUnauthorized, next, "口令不正确")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.sessions.start(), Path: "/", HttpOnly: true,
		Secure: isTLS(r), SameSite: http.SameSiteStrictMode, MaxAge: int(s.sessions.ttl / time.Second)})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session and clears the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if c, err := r.Cookie(cookieName); err == nil {
		s.sessions.end(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: isTLS(r),
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// isTLS reports whether the browser reached the page over HTTPS, directly
// or through a proxy that says so. Trusting the header only ever adds the
// Secure flag.
func isTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// sameOrigin refuses a POST another site's page sent (SameSite=Strict
// already keeps the cookie off it; this covers the sign-in form itself).
// Requests without an Origin header (older browsers, curl) pass.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// safeNext keeps a redirect after sign-in on this site: a path, never
// another host (//evil.example, /\evil.example).
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
