//go:build !linux

package retrieval

// dropPages does nothing here: the mapping's pages stay resident until
// the system reclaims them.
func dropPages([]byte) error { return nil }
