package retrieval

import (
	"context"
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
func (h *HashEmbedder) Model() string { return "hash-ngram-v2-" + itoa(h.Dim) }

// Embed embeds each text.
func (h *HashEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = h.vector(corpus.Normalize(t))
	}
	return out, nil
}

// weights of n-grams by length: longer n-grams say more.
var ngramWeight = [4]float32{0, 0.5, 1, 1.2}

// vector hashes the 1-, 2- and 3-grams of content characters of a
// normalized text into h.Dim signed buckets (the hashing trick).
func (h *HashEmbedder) vector(norm string) []float32 {
	v := make([]float32, h.Dim)
	var win [3]rune // the last three content characters, newest last
	n := 0          // how many of them are valid
	for _, r := range norm {
		if !contentRune(r) {
			n = 0
			continue
		}
		win[0], win[1], win[2] = win[1], win[2], r
		n = min(n+1, 3)
		var key uint64
		for k := 1; k <= n; k++ {
			key = key*0x100000001B3 ^ uint64(win[3-k]) ^ uint64(k)<<56
			sum := mix64(key)
			sign := float32(1)
			if sum&1 == 1 {
				sign = -1
			}
			v[(sum>>1)%uint64(h.Dim)] += sign * ngramWeight[k]
		}
	}
	normalize(v)
	return v
}

// mix64 is the splitmix64 finalizer: a fast, well-spread hash of a key.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
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
