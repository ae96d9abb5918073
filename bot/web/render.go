package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// The style sheet is put into every page (the page loads nothing else:
// no CDN, no font, no script), and the Content-Security-Policy allows that
// one style block by its hash and nothing more.
var (
	styleText = mustRead("assets/style.css")
	csp       = "default-src 'none'; style-src 'sha256-" + hashCSS(styleText) + "'; img-src 'self'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

func mustRead(name string) string {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func hashCSS(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// pageNames are the templates; each is parsed with layout.html.
var pageNames = []string{"login", "loading", "fail", "overview", "notice", "unit", "ask", "feedback"}

// navTitles are the pages' titles, for <title> and the menu.
var navTitles = map[string]string{
	"login": "登录", "loading": "加载中", "fail": "提示", "overview": "总览", "notice": "通知",
	"unit": "单位", "ask": "提问", "feedback": "反馈",
}

var funcs = template.FuncMap{
	"join":   func(list []string) string { return strings.Join(list, "、") },
	"style":  func() template.CSS { return template.CSS(styleText) },
	"unit":   unitLinkFor,
	"notice": func(doc string) string { return "/notice?" + url.Values{"doc": {doc}}.Encode() },
}

func parsePages() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what layout.html gets: the page's name (for the menu), its
// title and its own data.
type page struct {
	Name     string
	Title    string
	SignedIn bool
	Data     any
}

// render writes a page. It renders into a buffer first, so a template
// error becomes a 500, never half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	p := page{Name: name, Title: navTitles[name], SignedIn: name != "login", Data: data}
	if err := s.pages[name].Execute(&b, p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, "出错了，请稍后再试", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}
