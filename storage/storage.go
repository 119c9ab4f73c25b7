// Package storage keeps blobs (photo originals and thumbnails) behind a small interface, so that the
// local-disk store used now can be replaced by an S3-compatible one without touching its callers.
package storage

import (
	"context"
	"errors"
	"io"
)

// ErrNotExist is returned by Open and Delete for a key that holds nothing.
var ErrNotExist = errors.New("storage: blob does not exist")

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
}

// Blob is an opened blob and its size in bytes.
type Blob struct {
	io.ReadCloser
	Size int64
}
