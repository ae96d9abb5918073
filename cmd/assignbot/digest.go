package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/assignbot/assignbot/bot"
)

// clockFromEnv returns the bot's clock: real time, or — with ASSIGNBOT_NOW
// (RFC 3339) — real time shifted so that it starts at that instant and
// runs forward normally (for tests and demos).
func clockFromEnv(getenv func(string) string) (func() time.Time, error) {
	v := envOr(getenv, "ASSIGNBOT_NOW", "")
	if v == "" {
		return time.Now, nil
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("ASSIGNBOT_NOW must be RFC 3339, like 2021-06-25T08:59:00+08:00: %w", err)
	}
	offset := time.Until(start)
	return func() time.Time { return time.Now().Add(offset).In(start.Location()) }, nil
}

// digestConfigFromEnv reads DIGEST_TIME, DIGEST_TZ, DIGEST_HORIZON_DAYS and
// DIGEST_SEND_EMPTY.
func digestConfigFromEnv(getenv func(string) string) (bot.DigestConfig, error) {
	cfg := bot.DigestConfig{Time: envOr(getenv, "DIGEST_TIME", "08:30")}
	if _, err := time.Parse("15:04", cfg.Time); err != nil {
		return cfg, fmt.Errorf("DIGEST_TIME must be HH:MM, got %q", cfg.Time)
	}
	tz := envOr(getenv, "DIGEST_TZ", "Asia/Shanghai")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		if tz != "Asia/Shanghai" {
			return cfg, fmt.Errorf("DIGEST_TZ: %w", err)
		}
		loc = time.FixedZone("CST", 8*3600)
	}
	cfg.TZ = loc
	if v := envOr(getenv, "DIGEST_HORIZON_DAYS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			return cfg, fmt.Errorf("DIGEST_HORIZON_DAYS must be a number of days, got %q", v)
		}
		cfg.Horizon = n
	}
	cfg.SendEmpty, _ = strconv.ParseBool(envOr(getenv, "DIGEST_SEND_EMPTY", "false"))
	return cfg, nil
}

// digestSettings reads the digest configuration and the clock, which serve
// and digest both need.
func digestSettings(getenv func(string) string) (bot.DigestConfig, func() time.Time, error) {
	cfg, err := digestConfigFromEnv(getenv)
	if err != nil {
		return cfg, nil, err
	}
	now, err := clockFromEnv(getenv)
	return cfg, now, err
}

func cmdDigest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := addIndexFlags(fs, getenv)
	date := fs.String("date", "", "the day of the digest, YYYY-MM-DD (default: today, or ASSIGNBOT_NOW)")
	units := fs.String("units", "", "follow these units (comma-separated names)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	dcfg, now, err := digestSettings(getenv)
	if err != nil {
		return err
	}
	day := now().In(dcfg.TZ)
	if *date != "" {
		day, err = time.ParseInLocation("2006-01-02", *date, dcfg.TZ)
		if err != nil {
			return usageError{"--date must be YYYY-MM-DD"}
		}
	}
	ix, err := cfg.build(ctx, stderr, false)
	if err != nil {
		return err
	}
	var follow []string
	for _, u := range strings.FieldsFunc(*units, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		canon, ok := ix.ResolveUnit(strings.TrimSpace(u))
		if !ok {
			return fmt.Errorf("no tasks for unit %q", u)
		}
		follow = append(follow, canon)
	}
	d := bot.BuildDigest(ix.Corpus, day, bot.DigestOptions{Horizon: dcfg.Horizon, Units: follow})
	fmt.Fprintln(stdout, d.Text())
	return nil
}
