package middleware_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"parksafe/middleware"
	"parksafe/service"
	"parksafe/service/idempotency"
)

// fpStore records the fingerprints requests begin with.
type fpStore struct{ fps []idempotency.Fingerprint }

func (s *fpStore) Begin(_ context.Context, _ uint64, _ string, fp idempotency.Fingerprint) (*service.Claim, *idempotency.Replay, error) {
	s.fps = append(s.fps, fp)
	return &service.Claim{}, nil, nil
}
func (s *fpStore) Hold(*service.Claim) func()                                  { return func() {} }
func (s *fpStore) Complete(context.Context, *service.Claim, int, []byte) error { return nil }
func (s *fpStore) Release(context.Context, *service.Claim) error               { return nil }

// form encodes fields (name, value pairs) as multipart/form-data with boundary.
func form(t *testing.T, boundary string, fields ...string) []byte {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	w.Close()
	return buf.Bytes()
}

// TestUploadsAreReadAheadToDiskAndFingerprintedByTheirParts: whatever the case of its media type,
// a multipart body reaches the handler from a file, whole, and its fingerprint follows its parts,
// not its boundary.
func TestUploadsAreReadAheadToDiskAndFingerprintedByTheirParts(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	store, dir := &fpStore{}, t.TempDir()
	var onDisk bool
	var got []byte
	r := gin.New()
	r.POST("/photos", middleware.Auth(anyone{}, writeError), middleware.Idempotent(store, writeError, dir), func(c *gin.Context) {
		_, onDisk = c.Request.Body.(*os.File)
		got, _ = io.ReadAll(c.Request.Body)
		c.JSON(http.StatusCreated, gin.H{"id": 1})
	})
	send := func(mediaType, boundary string, body []byte) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/photos", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Idempotency-Key", "k")
		req.Header.Set("Content-Type", mediaType+"; boundary="+boundary)
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%s: %d %s", mediaType, rec.Code, rec.Body)
		}
		if !onDisk || !bytes.Equal(got, body) {
			t.Fatalf("%s: the handler read from a file: %v, the whole body: %v", mediaType, onDisk, bytes.Equal(got, body))
		}
	}
	photo := strings.Repeat("jpeg bytes ", 1000)
	for i, mt := range []string{"multipart/form-data", "Multipart/Form-Data", "MULTIPART/FORM-DATA"} {
		b := "boundary" + strings.Repeat("x", i+1)
		send(mt, b, form(t, b, "taken_at", "2026-05-08T09:30:00+08:00", "file", photo))
	}
	send("multipart/form-data", "other", form(t, "other", "taken_at", "2026-05-08T09:30:00+08:00", "file", photo+"!"))
	send("multipart/form-data", "other", form(t, "other", "taken_at", "2026-05-08T09:31:00+08:00", "file", photo))
	h := func(i int) string { return store.fps[i].BodyHash }
	if len(store.fps) != 5 || h(0) == "" || h(1) != h(0) || h(2) != h(0) {
		t.Fatalf("the same parts under other boundaries: %q", []string{h(0), h(1), h(2)})
	}
	if h(3) == h(0) || h(4) == h(0) || h(3) == h(4) {
		t.Fatalf("other contents share a fingerprint: %q", []string{h(0), h(3), h(4)})
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("%d read-ahead files left", len(left))
	}
}

// BenchmarkKeyedUpload sends a 5 MB upload with an Idempotency-Key through the middleware to a
// handler that streams it, declared with a mixed-case media type; B/op is what reading it ahead costs
// in memory.
func BenchmarkKeyedUpload(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	dir := b.TempDir()
	r := gin.New()
	r.POST("/photos", middleware.Auth(anyone{}, writeError), middleware.Idempotent(&fpStore{}, writeError, dir), func(c *gin.Context) {
		io.Copy(io.Discard, c.Request.Body)
		c.JSON(http.StatusCreated, gin.H{"id": 1})
	})
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "photo.jpg")
	fw.Write(bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16))
	w.Close()
	body, ct := buf.Bytes(), strings.Replace(w.FormDataContentType(), "multipart/form-data", "Multipart/Form-Data", 1)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/photos", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer x")
		req.Header.Set("Idempotency-Key", "k")
		req.Header.Set("Content-Type", ct)
		r.ServeHTTP(httptest.NewRecorder(), req)
	}
}
