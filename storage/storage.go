// Package storage keeps blobs (photo originals and thumbnails) behind a small interface with two
// implementations: files under DATA_DIR (the zero-setup default) and an S3-compatible bucket, which
// several instances of ParkSafe can share.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"
)

// ErrNotExist is returned by Open and Delete for a key that holds nothing.
var ErrNotExist = errors.New("storage: blob does not exist")

// ErrUnavailable marks (errors.Is) the failures of a store that cannot serve for now: its server
// unreachable, overloaded or failing. They pass by themselves, so a request that met one is answered
// as unavailable, to be sent again later, rather than as a fault of ParkSafe's.
var ErrUnavailable = errors.New("storage: the blob store is unavailable")

// Store keeps immutable blobs under slash-separated keys such as "photos/ab/abcdef….jpg".
// Implementations must make Put atomic: a reader sees either nothing or the whole blob.
type Store interface {
	// Put stores everything r yields under key, replacing what was there.
	Put(ctx context.Context, key string, r io.Reader) error
	// Open returns the blob under key, or ErrNotExist. The caller closes it.
	Open(ctx context.Context, key string) (*Blob, error)
	// Delete removes the blob under key; a missing one is not an error.
	Delete(ctx context.Context, key string) error
	// Exists reports whether key holds a blob.
	Exists(ctx context.Context, key string) (bool, error)
	// List calls fn with the key and write time of every blob whose key starts with prefix, a
	// slash-terminated folder such as "photos/". An error from fn stops the listing and is returned.
	List(ctx context.Context, prefix string, fn func(key string, written time.Time) error) error
	// Sweep removes what writes interrupted before the given time left behind (a crash or a kill in
	// the middle of Put) and returns how many pieces it removed.
	Sweep(ctx context.Context, before time.Time) (int, error)
}

// Blob is an opened blob and its size in bytes.
type Blob struct {
	io.ReadCloser
	Size int64
}

// checkKey refuses keys that are not plain slash-separated relative paths, so that no store can be
// led outside its root (a directory, a bucket's prefix) and every store accepts the same keys.
func checkKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "\\") || !fs.ValidPath(key) {
		return fmt.Errorf("storage: invalid key %q", key)
	}
	return nil
}
