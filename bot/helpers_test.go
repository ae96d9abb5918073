package bot

import (
	"io"
	"log/slog"
	"strconv"
)

// quietLog is a logger for tests that do not read the log.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// tgChat is a Telegram chat as the store names it.
func tgChat(id int64) ChatRef { return ChatRef{Channel: "telegram", ID: strconv.FormatInt(id, 10)} }
