package bot

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Replies people see. Known problems get a short friendly reply; anything
// else gets MsgError and the full error goes to the log.
const (
	MsgError      = "出错了，请稍后再试。"
	MsgTooLong    = "问题太长了（超过%d字），请精简后再问。"
	MsgSlowDown   = "提问太频繁了，请稍等一分钟再问。"
	MsgAskUsage   = "请在 /ask 后面写上问题，例如：\n/ask 哪个单位牵头步行街建设任务？"
	MsgUnitUsage  = "请在 /unit 后面写上单位名称，例如：/unit 市商务局"
	MsgTaskUsage  = "用法：/task 通知 任务号，例如：/task 武政办〔2021〕22号 二(二)3\n通知可以写文号、文件名开头或标题中的词。"
	MsgUnknownCmd = "不认识这个命令，发送 /help 查看用法。"
	MsgNotAdmin   = "只有管理员可以使用这个命令。"
	MsgExpired    = "这条回答已过期，请重新提问。"
	MsgLoading    = "通知正在加载，请稍后再试。"
)

// ErrLoading is what an Engine returns while its first index is loading;
// the bot then says so instead of answering.
var ErrLoading = errors.New("the notices are still loading")

// AnswerMargin is what an answer may take beyond the model's timeout (the
// offline answer and assembling it).
const AnswerMargin = 10 * time.Second

// ParseCommand splits "/ask@assign_bot 问题" into ask, assign_bot and 问题.
// go-telegram/bot's command matching misses the @botname form, so the bot
// parses commands itself.
func ParseCommand(text string) (cmd, target, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(head, "\n"); i >= 0 {
		rest = head[i+1:] + " " + rest
		head = head[:i]
	}
	cmd = strings.TrimPrefix(head, "/")
	cmd, target, _ = strings.Cut(cmd, "@")
	if cmd == "" {
		return "", "", "", false
	}
	return strings.ToLower(cmd), target, strings.TrimSpace(rest), true
}

// NeedsIndex are the commands that read the loaded notices.
var NeedsIndex = map[string]bool{"export": true, "unit": true, "task": true, "notices": true, "stats": true, "subscribe": true, "digest": true}

func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Sleep waits d or until ctx ends, and reports whether d passed: the one
// wait of every retry loop, in the core and in the channels.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
