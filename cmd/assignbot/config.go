package main

import (
	"errors"
	"flag"
	"io/fs"
	"os"

	"github.com/joho/godotenv"

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
