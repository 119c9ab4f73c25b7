package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// Addressing says how requests name the bucket: in the path (https://host/bucket/key, what MinIO
// and most self-hosted servers expect) or in the host name (https://bucket.host/key, what Aliyun
// OSS, Tencent COS and Huawei OBS expect).
type Addressing int

// The ways of naming the bucket; AddressAuto lets the client choose by the endpoint (virtual-hosted
// for Amazon, Google and Aliyun endpoints, path-style for any other).
const (
	AddressAuto Addressing = iota
	AddressPath
	AddressVirtualHost
)

// S3Config locates a bucket on an S3-compatible server.
type S3Config struct {
	Endpoint   string // host[:port], without a scheme (S3_ENDPOINT)
	Secure     bool   // https (S3_SECURE)
	Bucket     string // S3_BUCKET
	Region     string // S3_REGION; empty: asked of the server
	AccessKey  string // S3_ACCESS_KEY
	SecretKey  string // S3_SECRET_KEY
	Addressing Addressing
	// Prefix is prepended to every key, so that ParkSafe can share a bucket: empty, or a relative
	// path ending in "/" (S3_PREFIX).
	Prefix string
}

// streamPartSize is the part size of a Put whose length is not known in advance. Such a Put is a
// multipart upload that holds one part in memory at a time, so this bounds its memory; 5 MiB is the
// smallest part S3 accepts (every part but the last must be at least that large).
const streamPartSize = 5 << 20

// maxRetries bounds the client's retries of a failed request, so that a server that is down fails
// a request in seconds rather than after the client's default ten attempts with backoff.
const maxRetries = 3

// S3 stores blobs as objects in a bucket of an S3-compatible server (Aliyun OSS, Tencent COS,
// Huawei OBS, MinIO, Amazon S3). An object appears whole when its upload completes, so a reader never
// sees half a blob; what an interrupted multipart upload left behind is invisible to Open and List
// and removed by Sweep.
type S3 struct {
	client *minio.Client
	core   minio.Core
	bucket string
	prefix string
}

// CheckBucketName reports why name cannot be an S3 bucket's name, or nil.
func CheckBucketName(name string) error { return s3utils.CheckValidBucketNameStrict(name) }

// NewS3 connects to cfg's server and checks that its bucket exists and that the keys may read it;
// each failure names the setting to look at.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Prefix != "" && (!strings.HasSuffix(cfg.Prefix, "/") || checkKey(strings.TrimSuffix(cfg.Prefix, "/")) != nil) {
		return nil, fmt.Errorf("S3_PREFIX: want a relative path such as parksafe/, got %q", cfg.Prefix)
	}
	lookup := map[Addressing]minio.BucketLookupType{
		AddressAuto: minio.BucketLookupAuto, AddressPath: minio.BucketLookupPath, AddressVirtualHost: minio.BucketLookupDNS,
	}[cfg.Addressing]
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.Secure,
		Region:       cfg.Region,
		BucketLookup: lookup,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("S3_ENDPOINT: %w", err)
	}
	s := &S3{client: client, core: minio.Core{Client: client}, bucket: cfg.Bucket, prefix: cfg.Prefix}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	switch code := minio.ToErrorResponse(err).Code; {
	case err == nil && !ok, code == minio.NoSuchBucket:
		return nil, fmt.Errorf("S3_BUCKET: there is no bucket %q at %s; create it first", cfg.Bucket, client.EndpointURL().Host)
	case code == minio.AccessDenied || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch":
		return nil, fmt.Errorf("S3_ACCESS_KEY, S3_SECRET_KEY: %s refused them for bucket %q: %w", client.EndpointURL().Host, cfg.Bucket, err)
	case err != nil:
		return nil, fmt.Errorf("S3_ENDPOINT: cannot reach bucket %q at %s: %w", cfg.Bucket, client.EndpointURL(), err)
	}
	return s, nil
}

// object maps a key to its object name under the prefix.
func (s *S3) object(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// Put uploads r as one object. A reader that knows its length (bytes.Reader, a file) is streamed in
// a single request; any other is sent as a multipart upload, one part in memory at a time.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name, err := s.object(key)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{ContentType: mime.TypeByExtension(path.Ext(key))}
	size := lengthOf(r)
	switch {
	case size < 0:
		opts.PartSize = streamPartSize
	case size == 0:
		// A streaming signature would frame the empty body as an HTTP-chunked request, which S3
		// refuses for want of a Content-Length; an empty body has nothing to sign.
		opts.DisableContentSha256 = true
	}
	if _, err := s.client.PutObject(ctx, s.bucket, name, r, size, opts); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, classify(err))
	}
	return nil
}

// lengthOf returns how many bytes r has left, or -1 when it cannot tell without reading them. A
// Blob given to Put is taken to be unread, as when a blob is copied from one store to another.
func lengthOf(r io.Reader) int64 {
	switch v := r.(type) {
	case *Blob:
		return v.Size
	case interface{ Len() int }:
		return int64(v.Len())
	case io.Seeker:
		cur, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		end, err := v.Seek(0, io.SeekEnd)
		if err != nil {
			return -1
		}
		if _, err := v.Seek(cur, io.SeekStart); err != nil {
			return -1
		}
		return end - cur
	}
	return -1
}

// Open starts a GET of the object and returns its body as it arrives.
func (s *S3) Open(ctx context.Context, key string) (*Blob, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	body, info, _, err := s.core.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if isNotFound(err) {
		return nil, ErrNotExist
	} else if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", key, classify(err))
	}
	return &Blob{ReadCloser: body, Size: info.Size}, nil
}

// Delete removes the object; S3 answers a missing one as deleted.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return fmt.Errorf("storage: delete %s: %w", key, classify(err))
	}
	return nil
}

// Exists asks for the object's metadata.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	name, err := s.object(key)
	if err != nil {
		return false, err
	}
	_, err = s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	default:
		return false, fmt.Errorf("storage: stat %s: %w", key, classify(err))
	}
}

// Size returns the size of the object under key without reading it, or ErrNotExist.
func (s *S3) Size(ctx context.Context, key string) (int64, error) {
	name, err := s.object(key)
	if err != nil {
		return 0, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	switch {
	case err == nil:
		return info.Size, nil
	case isNotFound(err):
		return 0, ErrNotExist
	default:
		return 0, fmt.Errorf("storage: stat %s: %w", key, classify(err))
	}
}

// List pages through the objects under prefix; uploads not yet completed are not objects and are
// not listed. The write time is the server's: for a multipart upload, when it began.
func (s *S3) List(ctx context.Context, prefix string, fn func(key string, written time.Time) error) error {
	if !strings.HasSuffix(prefix, "/") {
		return fmt.Errorf("storage: list prefix %q must end with /", prefix)
	}
	if err := checkKey(strings.TrimSuffix(prefix, "/")); err != nil {
		return err
	}
	// Cancelling stops the listing's background requests when fn or a page fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("storage: list %s: %w", prefix, classify(obj.Err))
		}
		if err := fn(strings.TrimPrefix(obj.Key, s.prefix), obj.LastModified); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Sweep aborts the multipart uploads under the prefix that began before the given time: what a Put
// cut short by a crash or a kill left on the server, holding storage but never becoming an object.
// Each upload is aborted by its own ID, so an upload of the same key still running on another
// instance is left alone.
func (s *S3) Sweep(ctx context.Context, before time.Time) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := 0
	for up := range s.client.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		if up.Err != nil {
			if minio.ToErrorResponse(up.Err).Code == minio.NoSuchUpload {
				break // some servers answer a bucket without uploads so
			}
			return n, fmt.Errorf("storage: list incomplete uploads: %w", classify(up.Err))
		}
		if !up.Initiated.Before(before) {
			continue
		}
		err := s.core.AbortMultipartUpload(ctx, s.bucket, up.Key, up.UploadID)
		if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchUpload {
			return n, fmt.Errorf("storage: abort upload of %s: %w", up.Key, classify(err))
		}
		if err == nil {
			n++
		}
	}
	return n, ctx.Err()
}

// isNotFound reports whether err is S3's answer for a key that holds nothing.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	resp := minio.ToErrorResponse(err)
	return resp.Code == minio.NoSuchKey || (resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket)
}

// classify marks err as ErrUnavailable when it means the server could not serve the request for now:
// it could not be reached or the connection broke (a transport error that is not the request's own
// cancellation or deadline), or it answered with a server error (5xx but 501, which is a lasting
// refusal). Anything else, such as a refused key or a missing bucket, is left as it is.
func classify(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	resp := minio.ToErrorResponse(err)
	if resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}
