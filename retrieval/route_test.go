package retrieval

import (
	"context"
	"testing"

	"github.com/assignbot/assignbot/corpus"
)

// remoteEmbedder stands for a remote model: any embedder but the local
// one. It embeds as the local one does, so its answers can be compared.
type remoteEmbedder struct{ Embedder }

// TestVectorRouting: with the local embedder a search compares only the
// vectors of the notices its keyword half routes to, and no collection of
// every entry is made; with a remote one the global pass compares every
// vector as well; the answers agree.
func TestVectorRouting(t *testing.T) {
	c, err := corpus.LoadFS(corpus.Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	local, err := Build(ctx, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	remote, err := Build(ctx, c, Options{Embedder: remoteEmbedder{NewHashEmbedder(DefaultDim)}})
	if err != nil {
		t.Fatal(err)
	}
	if local.coll != nil {
		t.Error("the local embedder's index made the collection of every entry")
	}
	if remote.coll == nil || remote.coll.Count() != len(remote.Entries) {
		t.Error("the remote embedder's index has no collection of every entry")
	}
	const q = "老字号自主品牌建设由谁牵头？"
	a, err := NewAnswerer(local, nil).Answer(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewAnswerer(remote, nil).Answer(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != b.Text {
		t.Errorf("local and remote answers differ:\n%s\n---\n%s", a.Text, b.Text)
	}
	// Five notices: the routed half asks them all (how few it asks of
	// many shows in TestRoutingChangesNoAnswer's log), the remote search
	// the global pass too.
	n := local.VectorsScanned()
	if n == 0 || n > int64(len(local.Entries)) {
		t.Errorf("routed search compared %d vectors of %d", n, len(local.Entries))
	}
	if m := remote.VectorsScanned(); m != n+int64(len(remote.Entries)) {
		t.Errorf("remote search compared %d vectors, want the routed %d and all %d entries", m, n, len(remote.Entries))
	}
}
