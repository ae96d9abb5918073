package main

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"strings"

	"github.com/joho/godotenv"

	"github.com/assignbot/assignbot/bot/dingtalk"
	"github.com/assignbot/assignbot/bot/feishu"
	"github.com/assignbot/assignbot/bot/telegram"
	"github.com/assignbot/assignbot/bot/wecom"
	"github.com/assignbot/assignbot/corpus"
)

// loadDotEnv reads .env into the environment. godotenv.Load never
// overrides a variable that is already set, so flags > environment > .env
// holds; a missing .env is fine. getenv lets tests point at another file.
func loadDotEnv(getenv func(string) string) {
	path := getenv("ASSIGNBOT_ENV_FILE")
	if path == "" {
		path = ".env"
	}
	if err := godotenv.Load(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// A malformed .env is worth a word, not a failure.
		os.Stderr.WriteString("assignbot: ignoring " + path + ": " + err.Error() + "\n")
	}
}

// envOr returns the environment value of key (read after .env), or def.
func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	if v := os.Getenv(key); v != "" { // set by .env
		return v
	}
	return def
}

// The chat channels read no environment: their configs are built here,
// from the variables the README lists, and handed to their constructors.

// telegramConfig reads TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL,
// ADMIN_USER_IDS and the WEBHOOK_* variables; only a malformed admin list
// is an error.
func telegramConfig(getenv func(string) string) (telegram.Config, error) {
	admins, err := parseAdmins(envOr(getenv, "ADMIN_USER_IDS", ""))
	if err != nil {
		return telegram.Config{}, err
	}
	return telegram.Config{
		Token: envOr(getenv, "TELEGRAM_BOT_TOKEN", ""), APIURL: envOr(getenv, "TELEGRAM_API_URL", ""), Admins: admins, Workers: botWorkers,
		WebhookURL: envOr(getenv, "WEBHOOK_URL", ""), WebhookSecret: envOr(getenv, "WEBHOOK_SECRET", ""),
		WebhookListen: envOr(getenv, "WEBHOOK_LISTEN", ""),
	}, nil
}

// dingtalkConfig reads DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET,
// DINGTALK_ROBOT_CODE, DINGTALK_API_URL and DINGTALK_ADMIN_IDS, defaults
// filled in (the robot code is the client id unless set).
func dingtalkConfig(getenv func(string) string) dingtalk.Config {
	return dingtalk.Config{
		ClientID:     envTrim(getenv, "DINGTALK_CLIENT_ID"),
		ClientSecret: envTrim(getenv, "DINGTALK_CLIENT_SECRET"),
		RobotCode:    envTrim(getenv, "DINGTALK_ROBOT_CODE"),
		APIURL:       envTrim(getenv, "DINGTALK_API_URL"),
		Admins:       adminIDs(envOr(getenv, "DINGTALK_ADMIN_IDS", "")),
	}.WithDefaults()
}

// wecomConfig reads WECOM_BOT_ID, WECOM_BOT_SECRET, WECOM_WS_URL and
// WECOM_ADMIN_IDS, defaults filled in.
func wecomConfig(getenv func(string) string) wecom.Config {
	return wecom.Config{
		BotID:  envTrim(getenv, "WECOM_BOT_ID"),
		Secret: envTrim(getenv, "WECOM_BOT_SECRET"),
		WSURL:  envTrim(getenv, "WECOM_WS_URL"),
		Admins: adminIDs(envOr(getenv, "WECOM_ADMIN_IDS", "")),
	}.WithDefaults()
}

// feishuConfig reads FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_DOMAIN and
// FEISHU_ADMIN_IDS, defaults filled in.
func feishuConfig(getenv func(string) string) feishu.Config {
	return feishu.Config{
		AppID:     envTrim(getenv, "FEISHU_APP_ID"),
		AppSecret: envTrim(getenv, "FEISHU_APP_SECRET"),
		Domain:    envTrim(getenv, "FEISHU_DOMAIN"),
		Admins:    adminIDs(envOr(getenv, "FEISHU_ADMIN_IDS", "")),
	}.WithDefaults()
}

// envTrim is key's value without surrounding spaces, "" when unset.
func envTrim(getenv func(string) string, key string) string {
	return strings.TrimSpace(envOr(getenv, key, ""))
}

// adminIDs reads a list of a channel's admin ids, separated by commas,
// semicolons (ASCII or full-width), 、 or white space; nil when empty.
func adminIDs(s string) map[string]bool {
	ids := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '；' || r == '、' || r == ' ' || r == '\t' || r == '\n'
	})
	if len(ids) == 0 {
		return nil
	}
	admins := make(map[string]bool, len(ids))
	for _, id := range ids {
		admins[id] = true
	}
	return admins
}

// corpusFlag adds --corpus to fs, defaulting to CORPUS_DIR.
func corpusFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("corpus", envOr(getenv, "CORPUS_DIR", ""), "folder of notices (default: CORPUS_DIR, else the built-in samples)")
}

// loadCorpusCached is loadCorpus with the parse cache under dataDir.
func loadCorpusCached(dir, dataDir string) (*corpus.Corpus, error) {
	if dir == "" || dataDir == "" {
		return loadCorpus(dir)
	}
	return corpus.LoadCached(dir, dataDir)
}

// loadCorpus loads dir, or the built-in samples when dir is empty.
func loadCorpus(dir string) (*corpus.Corpus, error) {
	if dir == "" {
		return corpus.LoadFS(corpus.Samples, ".")
	}
	return corpus.Load(dir)
}
