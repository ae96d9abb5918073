package dingtalk

import (
	"testing"
)

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       Config
		wantRobot string
		wantAPI   string
		enabled   bool
	}{
		{"RobotCodeIsClientID", Config{ClientID: "dingabc", ClientSecret: "s"}, "dingabc", "https://api.dingtalk.com", true},
		{"OwnRobotAndAPI", Config{ClientID: "dingabc", ClientSecret: "s", RobotCode: "robot9", APIURL: "http://10.0.0.5:8080/"},
			"robot9", "http://10.0.0.5:8080", true},
		{"NoSecret", Config{ClientID: "dingabc"}, "dingabc", "https://api.dingtalk.com", false},
		{"Nothing", Config{}, "", "https://api.dingtalk.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg.WithDefaults()
			if cfg.RobotCode != tt.wantRobot || cfg.APIURL != tt.wantAPI || cfg.Enabled() != tt.enabled {
				t.Errorf("robot %q api %q enabled %v", cfg.RobotCode, cfg.APIURL, cfg.Enabled())
			}
		})
	}
}

func TestIsAdmin(t *testing.T) {
	t.Parallel()
	ch, err := New(Config{ClientID: "a", ClientSecret: "b", Admins: map[string]bool{"staff-admin": true}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"staff-admin": true, "staff-001": false, "": false} {
		if got := ch.IsAdmin(id); got != want {
			t.Errorf("IsAdmin(%q) = %v", id, got)
		}
	}
}
