package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parksafe/storage"
	"parksafe/storage/s3test"
)

// sink answers the requests of a Put (a PUT, or a multipart upload's initiation, parts and
// completion) and throws the bytes away, so that a benchmark's allocations are the client's alone.
func sink() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		switch {
		case r.Method == http.MethodHead: // the bucket exists
		case r.Method == http.MethodPost && r.URL.Query().Has("uploads"):
			fmt.Fprintf(w, `<InitiateMultipartUploadResult><Bucket>%s</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>`, s3test.Bucket)
		case r.Method == http.MethodPost:
			fmt.Fprintf(w, `<CompleteMultipartUploadResult><Bucket>%s</Bucket><Key>k</Key><ETag>"e"</ETag></CompleteMultipartUploadResult>`, s3test.Bucket)
		default:
			w.Header().Set("ETag", `"e"`)
		}
	})
}

// BenchmarkPut10MB stores a 10 MB photo: on the disk, and in a bucket from a reader of unknown
// length (multipart, one part in memory) and from a file (one streamed PUT). B/op is what the store
// allocates for it; the server throws the bytes away.
func BenchmarkPut10MB(b *testing.B) {
	data := bytes.Repeat([]byte("photo-bytes!"), 10_000_000/12)
	file := filepath.Join(b.TempDir(), "photo.jpg")
	os.WriteFile(file, data, 0o644)
	srv := httptest.NewServer(sink())
	defer srv.Close()
	cfg := s3test.NewFake().Config("")
	cfg.Endpoint = strings.TrimPrefix(srv.URL, "http://")
	s3, err := storage.NewS3(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	local, err := storage.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		store storage.Store
		open  func() io.ReadCloser
	}{
		{"local/unknown-length", local, func() io.ReadCloser { return io.NopCloser(onlyReader{bytes.NewReader(data)}) }},
		{"s3/unknown-length", s3, func() io.ReadCloser { return io.NopCloser(onlyReader{bytes.NewReader(data)}) }},
		{"s3/file", s3, func() io.ReadCloser {
			f, err := os.Open(file)
			if err != nil {
				b.Fatal(err)
			}
			return f
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r := bc.open()
				if err := bc.store.Put(context.Background(), "photos/ab/x.jpg", r); err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		})
	}
}
