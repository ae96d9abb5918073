package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Packaged formats (.docx, .ofd, .xlsx) are ZIP archives of XML parts. A
// part is capped in its decompressed size, checked before reading (the
// size the archive declares) and while streaming (archive/zip refuses a
// part that inflates past its declared size), so a small file that would
// inflate to gigabytes is refused at once and its XML never held whole.

// maxPartSize bounds one decompressed part of a packaged document.
const maxPartSize = 20 << 20

// openZip opens a packaged document, with a clear reason when it is not
// one (an empty, truncated or mislabelled file).
func openZip(kind string, data []byte) (*zip.Reader, error) {
	if len(data) == 0 {
		return nil, errors.New("empty file")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a readable %s file (truncated, damaged or another format): %w", kind, err)
	}
	return zr, nil
}

// openPart opens one part of the archive for streaming, through the size cap.
func openPart(f *zip.File) (io.ReadCloser, error) {
	if f.UncompressedSize64 > maxPartSize {
		return nil, fmt.Errorf("%s inflates to %d bytes, more than the %d a document part may have", f.Name, f.UncompressedSize64, maxPartSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&cappedReader{r: rc, left: maxPartSize, name: f.Name}, rc}, nil
}

// findPart returns the part with this name, or nil.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// cappedReader fails once more than left bytes have been read.
type cappedReader struct {
	r    io.Reader
	left int64
	name string
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("%s inflates to more than %d bytes", c.name, maxPartSize)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		// archive/zip stops a part that inflates past its declared size.
		err = fmt.Errorf("%s inflates to other than its declared size or fails its checksum (a damaged file or a zip bomb): %w", c.name, err)
	}
	return n, err
}
