package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	f := newFakeTelegram(t)
	tests := []struct {
		name     string
		token    string
		down     bool
		username string
		err      error
	}{
		{name: "TokenAccepted", token: testToken, username: "assign_bot"},
		{name: "TokenRefused", token: "654321:WRONG-token", err: ErrTokenRejected},
		{name: "NoToken", token: " ", err: ErrNoToken},
		{name: "ProxyErrorPage", token: testToken, down: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.mu.Lock()
			f.downAll = tt.down
			f.mu.Unlock()
			name, err := Check(context.Background(), tt.token, f.srv.URL, nil)
			switch {
			case tt.down:
				if err == nil {
					t.Fatal("no error behind a failing proxy")
				}
			case tt.err != nil:
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			}
			if name != tt.username {
				t.Errorf("username = %q, want %q", name, tt.username)
			}
			if err != nil && strings.TrimSpace(tt.token) != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
}
