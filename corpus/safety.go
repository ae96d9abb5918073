package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File safety. A corpus folder is written by people and by uploads, and a
// load must never block, read outside the folder or read without bound:
// only regular files are opened (a named pipe would block the open until a
// writer came); a symbolic link is followed only when its target resolves
// inside the folder, and the size cap applies to the target; a file is read
// through a limit, so one that grows past its stat size is still bounded.

// readNoticeFile reads one directory entry of a corpus folder, or says why
// it is skipped. root is the folder on disk behind fsys, or "".
func readNoticeFile(fsys fs.FS, dir, root string, e fs.DirEntry, limit int64) ([]byte, error) {
	name := e.Name()
	t := e.Type()
	if t&fs.ModeSymlink != 0 {
		if root == "" {
			return nil, errors.New("symbolic link not followed (no folder on disk to check its target against)")
		}
		target, err := linkTarget(root, filepath.Join(filepath.FromSlash(dir), name))
		if err != nil {
			return nil, err
		}
		return readRegular(func() (fs.File, error) { return openNoBlock(target) }, target, limit)
	}
	if !t.IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s), not read", fileKind(t))
	}
	if root != "" {
		disk := filepath.Join(root, filepath.FromSlash(pathJoin(dir, name)))
		return readRegular(func() (fs.File, error) { return openNoBlock(disk) }, disk, limit)
	}
	return readRegular(func() (fs.File, error) { return fsys.Open(pathJoin(dir, name)) }, "", limit)
}

// linkTarget resolves the symbolic link at rel inside root and returns its
// target, if that lies inside root.
func linkTarget(root, rel string) (string, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("symbolic link: %w", err)
	}
	target, err := filepath.EvalSymlinks(filepath.Join(root, rel))
	if err != nil {
		return "", errors.New("symbolic link whose target does not exist")
	}
	if r, err := filepath.Rel(realRoot, target); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return "", errors.New("symbolic link to a file outside the corpus folder, not followed")
	}
	return target, nil
}

// readRegular stats the file on disk (path, if not "") before opening it —
// a named pipe that took a regular file's place is never opened — and
// reads at most limit bytes.
func readRegular(open func() (fs.File, error), path string, limit int64) ([]byte, error) {
	if path != "" {
		st, err := os.Lstat(path)
		if err != nil {
			return nil, err
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("not a regular file (%s), not read", fileKind(st.Mode().Type()))
		}
		if st.Size() > limit {
			return nil, fmt.Errorf("file too large (%d bytes, limit %d)", st.Size(), limit)
		}
	}
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s), not read", fileKind(st.Mode().Type()))
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("file too large (%d bytes, limit %d)", st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file too large (more than %d bytes)", limit)
	}
	return data, nil
}

func fileKind(t fs.FileMode) string {
	switch {
	case t&fs.ModeDir != 0:
		return "folder"
	case t&fs.ModeNamedPipe != 0:
		return "named pipe"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeDevice != 0, t&fs.ModeCharDevice != 0:
		return "device"
	case t&fs.ModeSymlink != 0:
		return "symbolic link"
	case t&fs.ModeIrregular != 0:
		return "irregular file"
	}
	return "special file"
}
