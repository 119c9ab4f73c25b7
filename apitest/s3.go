package apitest

import (
	"maps"

	"parksafe/storage/s3test"
)

// WithS3 keeps the Env's photos in fake's bucket instead of under DATA_DIR.
func WithS3(fake *s3test.Fake) Option {
	return func(env map[string]string) { maps.Copy(env, fake.Env()) }
}
