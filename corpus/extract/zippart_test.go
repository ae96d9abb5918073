package extract

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/assignbot/assignbot/corpus/internal/pdfgen"
)

// TestDocxZipBomb: a small .docx whose document.xml inflates to 60 MB is
// refused in well under a second, whether the archive declares the true
// size or lies about it.
func TestDocxZipBomb(t *testing.T) {
	var xmlBody bytes.Buffer
	xmlBody.WriteString(`<?xml version="1.0"?><w:document xmlns:w="w"><w:body>`)
	para := []byte(`<w:p><w:r><w:t>任务</w:t></w:r></w:p>`)
	for xmlBody.Len() < 60<<20 {
		xmlBody.Write(para)
	}
	xmlBody.WriteString(`</w:body></w:document>`)
	bomb := pdfgen.Zip([2]string{"word/document.xml", xmlBody.String()})
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes, want a small file", len(bomb))
	}
	lying := lieAboutSize(t, bomb)
	for name, data := range map[string][]byte{"honest": bomb, "lying": lying} {
		start := time.Now()
		_, err := docxText(data)
		took := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "inflates to") {
			t.Errorf("%s: err = %v, want a refusal naming the inflated size", name, err)
		}
		if took > 10*time.Second { // without the cap: about a minute and 1.8 GB
			t.Errorf("%s: refusing took %v", name, took)
		}
	}
}

// lieAboutSize rewrites the declared uncompressed size of a one-part
// archive to 1 KB, in both the local header and the central directory.
func lieAboutSize(tb testing.TB, z []byte) []byte {
	tb.Helper()
	out := bytes.Clone(z)
	set := func(off int) { out[off], out[off+1], out[off+2], out[off+3] = 0, 4, 0, 0 }
	if !bytes.HasPrefix(out, []byte("PK\x03\x04")) {
		tb.Fatal("no local header")
	}
	set(22)
	cd := bytes.Index(out, []byte("PK\x01\x02"))
	if cd < 0 {
		tb.Fatal("no central directory")
	}
	set(cd + 24)
	return out
}
