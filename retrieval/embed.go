package retrieval

import (
	"context"
	"hash/fnv"
	"math"

	"github.com/assignbot/assignbot/corpus"
)

// Embedder turns texts into vectors. Model names the embedding space: the
// embedding cache is keyed by it, so changing the model re-embeds.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Model() string
}

// HashEmbedder is the default, offline embedder: hashed character n-grams
// (unigrams, bigrams and trigrams of the normalized Simplified text) in a
// fixed number of dimensions, L2-normalized. It needs no model download and
// makes Traditional and Simplified, full- and half-width text alike.
type HashEmbedder struct {
	Dim int
}

// NewHashEmbedder returns a hashed n-gram embedder of dim dimensions.
func NewHashEmbedder(dim int) *HashEmbedder { return &HashEmbedder{Dim: dim} }

// Model names the space, including its size.
func (h *HashEmbedder) Model() string { return "hash-ngram-v1-" + itoa(h.Dim) }

// Embed embeds each text.
func (h *HashEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = h.vector(t)
	}
	return out, nil
}

// weights of n-grams by length: longer n-grams say more.
var ngramWeight = [4]float32{0, 0.5, 1, 1.2}

func (h *HashEmbedder) vector(text string) []float32 {
	v := make([]float32, h.Dim)
	rs := []rune(corpus.Normalize(text))
	hasher := fnv.New32a()
	var buf [12]byte
	for i := range rs {
		for n := 1; n <= 3 && i+n <= len(rs); n++ {
			if !contentRune(rs[i+n-1]) || !contentRune(rs[i]) {
				break
			}
			hasher.Reset()
			k := 0
			for _, r := range rs[i : i+n] {
				k += encodeRune(buf[k:], r)
			}
			hasher.Write(buf[:k])
			sum := hasher.Sum32()
			sign := float32(1)
			if sum&1 == 1 {
				sign = -1
			}
			v[(sum>>1)%uint32(h.Dim)] += sign * ngramWeight[n]
		}
	}
	normalize(v)
	return v
}

func encodeRune(b []byte, r rune) int {
	switch {
	case r < 0x80:
		b[0] = byte(r)
		return 1
	case r < 0x800:
		b[0], b[1] = byte(0xC0|r>>6), byte(0x80|r&0x3F)
		return 2
	case r < 0x10000:
		b[0], b[1], b[2] = byte(0xE0|r>>12), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F)
		return 3
	}
	b[0], b[1], b[2], b[3] = byte(0xF0|r>>18), byte(0x80|(r>>12)&0x3F), byte(0x80|(r>>6)&0x3F), byte(0x80|r&0x3F)
	return 4
}

// normalize scales v to unit length in place; chromem-go compares by dot
// product and does not normalize what an embedder returns.
func normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
