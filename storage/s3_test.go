package storage_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"parksafe/storage"
	"parksafe/storage/s3test"
)

func newS3(t *testing.T, f *s3test.Fake, prefix string) *storage.S3 {
	t.Helper()
	s, err := storage.NewS3(context.Background(), f.Config(prefix))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// shape names each request: "PUT", "POST ?uploads", "PUT ?partNumber", "POST ?uploadId" (complete).
func shape(reqs []s3test.Request) []string {
	var out []string
	for _, r := range reqs {
		s := r.Method
		for _, q := range []string{"uploads", "partNumber", "uploadId"} {
			if r.Query.Has(q) {
				s += " ?" + q
				break
			}
		}
		out = append(out, s)
	}
	return out
}

// A blob whose length is known (a thumbnail in memory, a staged file, a blob of another store) is
// streamed in one PUT; one of unknown length goes up in 5 MiB parts, so that at most one part is
// held in memory.
func TestS3PutRequests(t *testing.T) {
	f := s3test.New(t)
	s := newS3(t, f, "")
	ctx := context.Background()
	data := bytes.Repeat([]byte("0123456789abcdef"), (11<<20)/16) // 11 MiB
	f.Requests()
	if err := s.Put(ctx, "photos/aa/known.jpg", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if got := shape(f.Requests()); !slices.Equal(got, []string{"PUT"}) {
		t.Fatalf("known length: %v", got)
	}
	local, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	local.Put(ctx, "photos/aa/blob.jpg", bytes.NewReader(data))
	blob, err := local.Open(ctx, "photos/aa/blob.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer blob.Close()
	if err := s.Put(ctx, "photos/aa/blob.jpg", blob); err != nil { // a blob copied from another store
		t.Fatal(err)
	}
	if got := shape(f.Requests()); !slices.Equal(got, []string{"PUT"}) {
		t.Fatalf("a blob: %v", got)
	}
	if err := s.Put(ctx, "photos/aa/stream.jpg", onlyReader{bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	want := []string{"POST ?uploads", "PUT ?partNumber", "PUT ?partNumber", "PUT ?partNumber", "POST ?uploadId"}
	if got := shape(f.Requests()); !slices.Equal(got, want) {
		t.Fatalf("unknown length: %v, want %v", got, want)
	}
}

// Stores on one bucket under different prefixes (two parks, or ParkSafe beside other data) neither
// see nor sweep each other's objects.
func TestS3PrefixesKeepStoresApart(t *testing.T) {
	f := s3test.New(t)
	a, b := newS3(t, f, "park-a/"), newS3(t, f, "park-b/")
	ctx := context.Background()
	for _, s := range []*storage.S3{a, b} {
		if err := s.Put(ctx, "photos/ab/x.jpg", strings.NewReader("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Put(ctx, "photos/ab/only-a.jpg", strings.NewReader("a")); err != nil {
		t.Fatal(err)
	}
	if got := f.Objects(t); !slices.Equal(got, []string{"park-a/photos/ab/only-a.jpg", "park-a/photos/ab/x.jpg", "park-b/photos/ab/x.jpg"}) {
		t.Fatalf("bucket holds %v", got)
	}
	if got := listed(t, b, "photos/"); !slices.Equal(got, []string{"photos/ab/x.jpg"}) {
		t.Fatalf("b lists %v", got)
	}
	if ok, err := b.Exists(ctx, "photos/ab/only-a.jpg"); err != nil || ok {
		t.Fatalf("b sees a's blob: %v %v", ok, err)
	}
	if err := b.Delete(ctx, "photos/ab/x.jpg"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, a, "photos/ab/x.jpg"); string(got) != "x" {
		t.Fatalf("a's blob after b deleted its own: %q", got)
	}
	s3Subject(t, f, "park-a/").interrupt(t, "photos/ab/cut.jpg")
	if n, err := b.Sweep(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("b swept %d of a's uploads (%v)", n, err)
	}
	if n, err := a.Sweep(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("a swept %d of its uploads, want 1 (%v)", n, err)
	}
}

// Sweep aborts an old interrupted upload by its ID and leaves a newer upload of the same key alone:
// content-addressed keys make two instances uploading the same photo at once an ordinary event.
func TestS3SweepSparesARunningUploadOfTheSameKey(t *testing.T) {
	clock := gofakes3.FixedTimeSource(time.Now().Add(-3 * time.Hour))
	f := s3test.New(t, gofakes3.WithTimeSource(clock), gofakes3.WithTimeSkewLimit(0))
	s := newS3(t, f, "")
	sub := s3Subject(t, f, "")
	sub.interrupt(t, "photos/ab/same.jpg") // three hours ago
	clock.Advance(3 * time.Hour)
	sub.interrupt(t, "photos/ab/same.jpg") // now
	ctx := context.Background()
	if n, err := s.Sweep(ctx, time.Now().Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("swept %d, want 1 (%v)", n, err)
	}
	cfg := f.Config("")
	client, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Region: cfg.Region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	var left []time.Time
	for up := range client.ListIncompleteUploads(ctx, s3test.Bucket, "", true) {
		if up.Err != nil {
			t.Fatal(up.Err)
		}
		left = append(left, up.Initiated)
	}
	if len(left) != 1 || time.Since(left[0]) > time.Hour {
		t.Fatalf("uploads left: %v, want the recent one", left)
	}
}

// Each way the bucket can fail to answer at start names the setting to look at.
func TestS3StartErrorsNameTheSetting(t *testing.T) {
	f := s3test.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	denied := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code><Message>The access key does not exist.</Message></Error>`))
	})
	deniedSrv := newServer(t, denied)
	for _, tc := range []struct {
		name   string
		change func(c *storage.S3Config)
	}{
		{"S3_BUCKET", func(c *storage.S3Config) { c.Bucket = "no-such-bucket" }},
		{"S3_ENDPOINT", func(c *storage.S3Config) { c.Endpoint = closed }},
		{"S3_ACCESS_KEY", func(c *storage.S3Config) { c.Endpoint = deniedSrv }},
		{"S3_PREFIX", func(c *storage.S3Config) { c.Prefix = "../up/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := f.Config("")
			tc.change(&cfg)
			_, err := storage.NewS3(context.Background(), cfg)
			if err == nil || !strings.HasPrefix(err.Error(), tc.name) {
				t.Fatalf("error %v does not start with %s", err, tc.name)
			}
		})
	}
}

// newServer serves h on a loopback port for the test and returns its host:port.
func newServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// A server that cannot serve for now (a 5xx answer, or nothing listening) fails every operation with
// ErrUnavailable; a lasting refusal (a key refused, a method not implemented) does not.
func TestS3OutagesAreUnavailable(t *testing.T) {
	f := s3test.NewFake()
	var answer atomic.Int64 // the status every request gets instead of f's answer; 0: f answers
	code := map[int]string{500: "InternalError", 501: "NotImplemented", 503: "SlowDown", 403: "AccessDenied"}
	h := f.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := int(answer.Load())
		if status == 0 {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code[status] + `</Code><Message>test</Message></Error>`))
		}
	}))
	f.SetURL(srv.URL)
	s := newS3(t, f, "")
	ctx := t.Context()
	if err := s.Put(ctx, "photos/aa/a.jpg", strings.NewReader("a")); err != nil {
		t.Fatal(err)
	}
	ops := map[string]func() error{
		"put":    func() error { return s.Put(ctx, "photos/aa/b.jpg", strings.NewReader("b")) },
		"open":   func() error { _, err := s.Open(ctx, "photos/aa/a.jpg"); return err },
		"exists": func() error { _, err := s.Exists(ctx, "photos/aa/a.jpg"); return err },
		"delete": func() error { return s.Delete(ctx, "photos/aa/a.jpg") },
		"list":   func() error { return s.List(ctx, "photos/", func(string, time.Time) error { return nil }) },
	}
	// Every operation on a server that answers 503; one on each other answer (the client retries 5xx
	// answers with backoff, which makes each such case last).
	for _, c := range []struct {
		status int
		ops    []string
	}{{503, slices.Sorted(maps.Keys(ops))}, {500, []string{"exists"}}, {501, []string{"exists"}}, {403, []string{"put"}}} {
		answer.Store(int64(c.status))
		for _, name := range c.ops {
			err := ops[name]()
			if err == nil {
				t.Fatalf("%d: %s succeeded", c.status, name)
			}
			if got, want := errors.Is(err, storage.ErrUnavailable), c.status >= 500 && c.status != 501; got != want {
				t.Errorf("%d: %s: unavailable %v, want %v (%v)", c.status, name, got, want, err)
			}
		}
	}
	answer.Store(0)
	srv.Close() // nothing listens any more
	for _, name := range []string{"put", "open"} {
		if err := ops[name](); !errors.Is(err, storage.ErrUnavailable) {
			t.Errorf("server gone: %s: %v is not unavailable", name, err)
		}
	}
}
