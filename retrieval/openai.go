package retrieval

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIConfig points at an OpenAI-compatible server: OpenAI, DeepSeek,
// Qwen (DashScope), Ollama, vLLM.
type OpenAIConfig struct {
	BaseURL string
	APIKey  string
	Model   string
	Timeout time.Duration // per request (LLM_TIMEOUT); default 15s for chat, 30s for embeddings
}

func newClient(cfg OpenAIConfig, timeout time.Duration) *openai.Client {
	c := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		c.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if cfg.Timeout > 0 {
		timeout = cfg.Timeout
	}
	c.HTTPClient = &http.Client{Timeout: timeout}
	return openai.NewClientWithConfig(c)
}

// OpenAICompleter is a Completer over the chat completions API.
type OpenAICompleter struct {
	client  *openai.Client
	model   string
	timeout time.Duration
}

// NewOpenAICompleter returns a chat model client.
func NewOpenAICompleter(cfg OpenAIConfig) *OpenAICompleter {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultLLMTimeout
	}
	return &OpenAICompleter{client: newClient(cfg, timeout), model: cfg.Model, timeout: timeout}
}

// Timeout is the timeout of one call; the answerer honours it.
func (o *OpenAICompleter) Timeout() time.Duration { return o.timeout }

// Complete sends one chat turn. go-openai drops Temperature 0 (omitempty),
// so a small positive value keeps answers close to deterministic.
func (o *OpenAICompleter) Complete(ctx context.Context, system, user string) (string, error) {
	resp, err := o.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:       o.model,
		Temperature: 0.1,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
	})
	if err != nil {
		return "", describeAPIError(err)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("chat completion: no choices")
	}
	return resp.Choices[0].Message.Content, nil
}

// OpenAIEmbedder is an Embedder over the embeddings API, in batches.
type OpenAIEmbedder struct {
	client *openai.Client
	model  string
	base   string
}

// NewOpenAIEmbedder returns an embeddings client.
func NewOpenAIEmbedder(cfg OpenAIConfig) *OpenAIEmbedder {
	return &OpenAIEmbedder{client: newClient(cfg, 30*time.Second), model: cfg.Model, base: cfg.BaseURL}
}

// Model names the space by server and model, so that the same model name
// on two servers does not share cached vectors.
func (o *OpenAIEmbedder) Model() string { return o.model + "@" + o.base }

// Embed embeds texts in one request; Build batches.
func (o *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	resp, err := o.client.CreateEmbeddings(ctx, openai.EmbeddingRequest{Input: texts, Model: openai.EmbeddingModel(o.model)})
	if err != nil {
		return nil, describeAPIError(err)
	}
	if len(resp.Data) != len(texts) {
		return nil, fmt.Errorf("embeddings: %d vectors for %d texts", len(resp.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) {
			return nil, fmt.Errorf("embeddings: index %d out of range", d.Index)
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// describeAPIError keeps the status and the server's message of a failed
// call; it is logged, never shown to users.
func describeAPIError(err error) error {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return fmt.Errorf("model server: HTTP %d: %s", apiErr.HTTPStatusCode, apiErr.Message)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return fmt.Errorf("model server: HTTP %d: %w", reqErr.HTTPStatusCode, reqErr.Err)
	}
	return err
}
