package dingtalk

import (
	"reflect"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantRobot  string
		wantAPI    string
		wantAdmins map[string]bool
		enabled    bool
	}{
		{"Defaults", map[string]string{"DINGTALK_CLIENT_ID": "dingabc", "DINGTALK_CLIENT_SECRET": "s"},
			"dingabc", "https://api.dingtalk.com", nil, true},
		{"Everything", map[string]string{"DINGTALK_CLIENT_ID": " dingabc ", "DINGTALK_CLIENT_SECRET": "s",
			"DINGTALK_ROBOT_CODE": "robot9", "DINGTALK_API_URL": "http://10.0.0.5:8080/",
			"DINGTALK_ADMIN_IDS": "0123, 4567；8901，2345 6789"},
			"robot9", "http://10.0.0.5:8080", map[string]bool{"0123": true, "4567": true, "8901": true, "2345": true, "6789": true}, true},
		{"NoSecret", map[string]string{"DINGTALK_CLIENT_ID": "dingabc"}, "dingabc", "https://api.dingtalk.com", nil, false},
		{"Nothing", map[string]string{}, "", "https://api.dingtalk.com", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if cfg.RobotCode != tt.wantRobot || cfg.APIURL != tt.wantAPI || cfg.Enabled() != tt.enabled {
				t.Errorf("robot %q api %q enabled %v", cfg.RobotCode, cfg.APIURL, cfg.Enabled())
			}
			if !reflect.DeepEqual(cfg.Admins, tt.wantAdmins) {
				t.Errorf("admins %v, want %v", cfg.Admins, tt.wantAdmins)
			}
		})
	}
}

func TestIsAdmin(t *testing.T) {
	env := map[string]string{"DINGTALK_CLIENT_ID": "a", "DINGTALK_CLIENT_SECRET": "b", "DINGTALK_ADMIN_IDS": "staff-admin"}
	cfg := ConfigFromEnv(func(k string) string { return env[k] })
	ch, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"staff-admin": true, "staff-001": false, "": false} {
		if got := ch.IsAdmin(id); got != want {
			t.Errorf("IsAdmin(%q) = %v", id, got)
		}
	}
}
