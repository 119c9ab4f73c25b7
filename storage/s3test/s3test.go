// Package s3test runs an S3 server in the test's process (gofakes3 with its in-memory backend behind
// httptest), so that the S3 store and the app on it are tested against the protocol without a server
// to install.
package s3test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"parksafe/storage"
)

// Fixed settings of a Fake. gofakes3 does not check signatures, so any keys are accepted.
const (
	Bucket    = "parksafe-test"
	AccessKey = "test-access"
	SecretKey = "test-secret-key"
	Region    = "us-east-1"
)

// Fake is one S3 server with one bucket, Bucket, and a record of the requests it answered.
type Fake struct {
	// URL is the server's origin (http://127.0.0.1:port); Endpoint is its host:port.
	URL, Endpoint string
	Backend       *s3mem.Backend

	opts     []gofakes3.Option
	mu       sync.Mutex
	requests []Request
	forget   bool // keep no record of requests
}

// Request is what the server saw of one request.
type Request struct {
	Method string
	Path   string // without the bucket
	Query  url.Values
}

// NewFake returns a server with Bucket created, to be served by Handler; opts adjust gofakes3 (its
// clock, for one).
func NewFake(opts ...gofakes3.Option) *Fake {
	f := &Fake{Backend: s3mem.New(), opts: opts}
	if err := f.Backend.CreateBucket(Bucket); err != nil {
		panic(err) // a fresh in-memory backend has no buckets
	}
	return f
}

// New starts a server for the test on a loopback port; it stops when the test ends.
func New(t testing.TB, opts ...gofakes3.Option) *Fake {
	t.Helper()
	f := NewFake(opts...)
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	f.SetURL(srv.URL)
	return f
}

// SetURL records the origin the server is reached at.
func (f *Fake) SetURL(origin string) {
	f.URL = origin
	f.Endpoint = strings.TrimPrefix(origin, "http://")
}

// Handler answers the S3 protocol, recording each request.
func (f *Fake) Handler() http.Handler {
	h := gofakes3.New(f.Backend, f.opts...).Server()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if !f.forget {
			f.requests = append(f.requests, Request{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, "/"+Bucket), Query: r.URL.Query()})
		}
		f.mu.Unlock()
		decodeSignedChunks(r)
		h.ServeHTTP(w, r)
	})
}

// decodeSignedChunks unwraps the body of a part upload sent with a streaming signature (what a
// client sends over plain http): gofakes3 decodes it for PutObject but would store the chunk framing
// of UploadPart as data.
func decodeSignedChunks(r *http.Request) {
	if r.Method != http.MethodPut || r.URL.Query().Get("uploadId") == "" ||
		r.Header.Get("X-Amz-Content-Sha256") != "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" {
		return
	}
	n, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64)
	if err != nil {
		return
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{&chunkedReader{r: bufio.NewReader(r.Body)}, r.Body}
	r.ContentLength = n
	r.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
}

// chunkedReader reads the data of an aws-chunked body: chunks of "size-in-hex;chunk-signature=…"
// CRLF, the data, CRLF, ending with a chunk of size 0.
type chunkedReader struct {
	r    *bufio.Reader
	left int64 // bytes left in the current chunk
	next bool  // a chunk ended: its CRLF comes before the next header
	done bool
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for c.left == 0 {
		if c.done {
			return 0, io.EOF
		}
		if c.next {
			if _, err := c.r.Discard(2); err != nil {
				return 0, err
			}
		}
		line, err := c.r.ReadString('\n')
		if err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		size, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(size, 16, 64)
		if err != nil {
			return 0, fmt.Errorf("s3test: bad chunk header %q", line)
		}
		c.left, c.next, c.done = n, true, n == 0
	}
	n, err := c.r.Read(p[:min(int64(len(p)), c.left)])
	c.left -= int64(n)
	return n, err
}

// Config is a store configuration for the Fake's bucket under prefix ("" or a path ending in /).
func (f *Fake) Config(prefix string) storage.S3Config {
	return storage.S3Config{
		Endpoint: f.Endpoint, Bucket: Bucket, Region: Region, AccessKey: AccessKey, SecretKey: SecretKey,
		Addressing: storage.AddressPath, Prefix: prefix,
	}
}

// Env is the environment that selects the Fake's bucket as ParkSafe's store.
func (f *Fake) Env() map[string]string {
	return map[string]string{
		"STORAGE": "s3", "S3_ENDPOINT": f.Endpoint, "S3_SECURE": "false", "S3_BUCKET": Bucket,
		"S3_REGION": Region, "S3_ACCESS_KEY": AccessKey, "S3_SECRET_KEY": SecretKey, "S3_PATH_STYLE": "true",
	}
}

// KeepNoRequests stops recording requests, for a server that runs for long.
func (f *Fake) KeepNoRequests() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forget, f.requests = true, nil
}

// Requests returns the requests answered since the last call, and forgets them.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

// Objects returns the names of the objects in the bucket, with any prefix.
func (f *Fake) Objects(t testing.TB) []string {
	t.Helper()
	res, err := f.Backend.ListBucket(Bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range res.Contents {
		names = append(names, c.Key)
	}
	return names
}
