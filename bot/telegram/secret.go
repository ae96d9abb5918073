package telegram

import (
	"net/url"
	"strings"
)

// The bot token is a password: anyone who has it controls the bot. It sits
// in every Bot API URL, and an error page from a proxy in front of the API
// may echo that URL back, so any error that came near an HTTP call can
// carry it. secretError is the one place it is hidden.

// secretError hides secrets (in every form secretForms knows) in the text of the error it wraps; errors.Is
// and errors.As still reach the original through Unwrap.
type secretError struct {
	err     error
	secrets []string
}

func (e *secretError) Error() string { return redact(e.err.Error(), e.secrets...) }
func (e *secretError) Unwrap() error { return e.err }

// hideSecrets wraps err so that its text never shows the token, plain or
// URL-escaped. It returns nil for nil.
func hideSecrets(err error, token string) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*secretError); ok {
		return err
	}
	return &secretError{err: err, secrets: []string{token}}
}

// secretForms are the ways a token shows up in text: as is, and escaped
// for a URL path or query.
func secretForms(token string) []string {
	if token == "" {
		return nil
	}
	return []string{token, url.PathEscape(token), url.QueryEscape(token)}
}

// redact replaces every form of the secrets in s.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		for _, form := range secretForms(sec) {
			if form != "" {
				s = strings.ReplaceAll(s, form, "***")
			}
		}
	}
	return s
}

// apiErr hides the bot's token in an error from the Bot API client.
func (b *Bot) apiErr(err error) error { return hideSecrets(err, b.cfg.Token) }
