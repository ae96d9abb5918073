package wecom

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// ErrTooLarge is returned by Download for a file above Config.MaxDownload.
var ErrTooLarge = errors.New("file too large")

// Download fetches a file sent to the bot and decrypts it. The name comes
// from the response's Content-Disposition, as the SDKs read it.
func (c *Channel) Download(ctx context.Context, f File) (name string, data []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return "", nil, errors.New("download: bad URL") // the URL is itself a credential
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return "", nil, fmt.Errorf("download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("download: status %d", resp.StatusCode)
	}
	if resp.ContentLength > c.cfg.MaxDownload {
		return "", nil, fmt.Errorf("download: %w (%d bytes)", ErrTooLarge, resp.ContentLength)
	}
	enc, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxDownload+1))
	if err != nil {
		return "", nil, fmt.Errorf("download: %w", err)
	}
	if int64(len(enc)) > c.cfg.MaxDownload {
		return "", nil, fmt.Errorf("download: %w", ErrTooLarge)
	}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = params["filename"] // mime decodes filename*=UTF-8''… into it
	}
	if f.AESKey == "" {
		return name, enc, nil
	}
	data, err = decryptFile(enc, f.AESKey)
	if err != nil {
		return "", nil, fmt.Errorf("download: %w", err)
	}
	return name, data, nil
}

// decryptFile undoes WeCom's file encryption: AES-256-CBC with the
// base64 key, the key's first 16 bytes as IV, and PKCS#7 padding to a
// multiple of 32 bytes.
func decryptFile(enc []byte, aesKey string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(aesKey)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(aesKey)
	}
	if err != nil || len(key) != 32 {
		return nil, errors.New("decrypt: bad key")
	}
	if len(enc) == 0 || len(enc)%aes.BlockSize != 0 {
		return nil, errors.New("decrypt: not whole blocks")
	}
	block, _ := aes.NewCipher(key)
	out := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, key[:aes.BlockSize]).CryptBlocks(out, enc)
	pad := int(out[len(out)-1])
	if pad < 1 || pad > 32 || pad > len(out) {
		return nil, errors.New("decrypt: bad padding")
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, errors.New("decrypt: bad padding")
		}
	}
	return out[:len(out)-pad], nil
}
