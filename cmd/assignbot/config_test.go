package main

import (
	"reflect"
	"testing"
)

// The channels' settings are read here and nowhere else; these cases
// moved from the channel packages with the reading.

func TestDingTalkConfig(t *testing.T) {
	t.Parallel()
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
			cfg := dingtalkConfig(func(k string) string { return tt.env[k] })
			if cfg.ClientID != "" && cfg.ClientID != "dingabc" {
				t.Errorf("client id %q not trimmed", cfg.ClientID)
			}
			if cfg.RobotCode != tt.wantRobot || cfg.APIURL != tt.wantAPI || cfg.Enabled() != tt.enabled {
				t.Errorf("robot %q api %q enabled %v", cfg.RobotCode, cfg.APIURL, cfg.Enabled())
			}
			if !reflect.DeepEqual(cfg.Admins, tt.wantAdmins) {
				t.Errorf("admins %v, want %v", cfg.Admins, tt.wantAdmins)
			}
		})
	}
}

func TestWeComConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{"WECOM_BOT_ID": " aib1 ", "WECOM_BOT_SECRET": "s", "WECOM_ADMIN_IDS": "zhangsan, lisi；wangwu"}
	cfg := wecomConfig(func(k string) string { return env[k] })
	if !cfg.Enabled() || cfg.BotID != "aib1" || cfg.WSURL != "wss://openws.work.weixin.qq.com" || len(cfg.Admins) != 3 || !cfg.Admins["wangwu"] {
		t.Errorf("config %+v", cfg)
	}
	if wecomConfig(func(k string) string { return map[string]string{"WECOM_BOT_ID": "x"}[k] }).Enabled() {
		t.Error("enabled without a secret")
	}
}

func TestFeishuConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{"FEISHU_APP_ID": " cli_1 ", "FEISHU_APP_SECRET": "s", "FEISHU_DOMAIN": "https://open.larksuite.com/", "FEISHU_ADMIN_IDS": "ou_a, ou_b"}
	cfg := feishuConfig(func(k string) string { return env[k] })
	if !cfg.Enabled() || cfg.AppID != "cli_1" || cfg.Domain != "https://open.larksuite.com" || len(cfg.Admins) != 2 {
		t.Errorf("config %+v", cfg)
	}
	if def := feishuConfig(func(k string) string { return map[string]string{"FEISHU_APP_ID": "x"}[k] }); def.Enabled() || def.Domain != "https://open.feishu.cn" {
		t.Errorf("defaults %+v", def)
	}
}
