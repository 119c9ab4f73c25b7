package storage

import (
	"context"
	"fmt"
)

// The kinds of store Config selects (STORAGE).
const (
	KindLocal = "local"
	KindS3    = "s3"
)

// Config selects and configures the blob store.
type Config struct {
	Kind string // STORAGE: KindLocal or KindS3
	Dir  string // DATA_DIR, the root of the local store
	S3   S3Config
}

// Open returns the store cfg selects, ready for use: the local directory exists, or the bucket
// answers. Its errors name the setting to fix.
func Open(ctx context.Context, cfg Config) (Store, error) {
	switch cfg.Kind {
	case KindLocal, "":
		l, err := NewLocal(cfg.Dir)
		if err != nil {
			return nil, fmt.Errorf("DATA_DIR: %w", err)
		}
		return l, nil
	case KindS3:
		return NewS3(ctx, cfg.S3)
	default:
		return nil, fmt.Errorf("STORAGE: must be %s or %s, got %q", KindLocal, KindS3, cfg.Kind)
	}
}
