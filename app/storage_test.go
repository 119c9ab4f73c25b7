package app_test

import (
	"bytes"
	"image/jpeg"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
	"parksafe/app"
	"parksafe/config"
	"parksafe/model"
	"parksafe/storage/s3test"
)

type photo struct {
	ID       uint64 `json:"id"`
	SHA256   string `json:"sha256"`
	URL      string `json:"url"`
	ThumbURL string `json:"thumb_url"`
}

// With STORAGE=s3 a photo goes to the bucket and nowhere on the disk, is served through its signed
// links from the bucket, and the purge of photos no record took up removes its objects.
func TestPhotosKeptInS3(t *testing.T) {
	fake := s3test.New(t)
	env := apitest.New(t, apitest.WithS3(fake), apitest.WithEnv("ACCESS_TOKEN_TTL", "240h"))
	insp := env.Inspector()
	data := testimg.JPEG(testimg.Noisy(1600, 1200, 7), 90) // larger than a multipart part
	var p photo
	insp.Upload([]apitest.Part{apitest.File("IMG_0001.jpg", data)}).Want(http.StatusCreated).JSON(&p)

	orig, thumb := "photos/"+p.SHA256[:2]+"/"+p.SHA256+".jpg", "thumbs/"+p.SHA256[:2]+"/"+p.SHA256+".jpg"
	if got := fake.Objects(t); !slices.Equal(got, []string{orig, thumb}) {
		t.Fatalf("bucket holds %v, want %v", got, []string{orig, thumb})
	}
	filepath.WalkDir(env.App.Config.DataDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.Contains(path, "/photos/") || strings.Contains(path, "/thumbs/")) {
			t.Errorf("%s written to the disk", path)
		}
		return nil
	})

	served := env.Fetch(p.URL).Want(http.StatusOK)
	if !bytes.Equal(served.Body, data) || served.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("original: %d bytes of %d, %s", len(served.Body), len(data), served.Header.Get("Content-Type"))
	}
	th := env.Fetch(p.ThumbURL).Want(http.StatusOK)
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(th.Body)); err != nil || cfg.Width != 480 {
		t.Fatalf("thumbnail: %d wide, %v", cfg.Width, err)
	}

	// A day later the unclaimed photo is purged with its objects; one uploaded since stays.
	env.Clock.Advance(23 * time.Hour)
	var young photo
	insp.Upload([]apitest.Part{apitest.File("b.jpg", testimg.JPEG(testimg.Gradient(64, 48, 5), 80))}).Want(http.StatusCreated).JSON(&young)
	env.Clock.Advance(2 * time.Hour)
	if err := env.App.Jobs.Schedule(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Worker.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{"photos/" + young.SHA256[:2] + "/" + young.SHA256 + ".jpg", "thumbs/" + young.SHA256[:2] + "/" + young.SHA256 + ".jpg"}
	if got := fake.Objects(t); !slices.Equal(got, want) {
		t.Fatalf("after the purge the bucket holds %v, want %v", got, want)
	}
	insp.Get("/api/v1/photos/" + strconv.FormatUint(p.ID, 10)).Want(http.StatusNotFound)
	insp.Get("/api/v1/photos/" + strconv.FormatUint(young.ID, 10)).Want(http.StatusOK).JSON(&young)
	env.Fetch(young.URL).Want(http.StatusOK)
}

// A bucket that is not there stops the start with a message naming S3_BUCKET, before any request
// could fail on it.
func TestMissingBucketStopsTheStart(t *testing.T) {
	fake := s3test.New(t)
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir, "DB_DSN": filepath.Join(dir, "t.db")}
	maps.Copy(env, fake.Env())
	env["S3_BUCKET"] = "no-such-bucket"
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err == nil {
		a.Close()
		t.Fatal("started without its bucket")
	}
	if !strings.HasPrefix(err.Error(), "S3_BUCKET:") || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Fatalf("error does not name the setting and the bucket: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "photos")); !os.IsNotExist(err) {
		t.Fatalf("a photos folder was made on the disk: %v", err)
	}
}

// A bucket that cannot serve for now answers uploads and photo reads 503 unavailable with
// Retry-After, like a database outage, and nothing is recorded; once it is back the phone's retry
// of the same upload goes through.
func TestBucketOutageIsUnavailable(t *testing.T) {
	fake := s3test.NewFake()
	var down atomic.Bool
	h := fake.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`))
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	fake.SetURL(srv.URL)
	env := apitest.New(t, apitest.WithS3(fake))
	insp := env.Inspector()
	var p photo
	insp.Upload([]apitest.Part{apitest.File("a.jpg", testimg.JPEG(testimg.Gradient(64, 48, 1), 80))}).Want(http.StatusCreated).JSON(&p)

	down.Store(true)
	parts := []apitest.Part{apitest.File("b.jpg", testimg.JPEG(testimg.Gradient(64, 48, 2), 80))}
	r := insp.Upload(parts, "Idempotency-Key", "outage-1").WantError(http.StatusServiceUnavailable, "unavailable")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	if r := env.Fetch(p.URL).WantError(http.StatusServiceUnavailable, "unavailable"); r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After on a photo read")
	}
	var n int64
	env.App.DB.Model(&model.Photo{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d photos recorded, want the first only", n)
	}

	down.Store(false)
	insp.Upload(parts, "Idempotency-Key", "outage-1").Want(http.StatusCreated)
	env.Fetch(p.URL).Want(http.StatusOK)
}

// An upload's original goes to the bucket in one streamed PUT, as its thumbnail does: its length is
// known from the staged file, so no multipart upload buffers it in parts.
func TestUploadIsOnePutPerObject(t *testing.T) {
	fake := s3test.New(t)
	env := apitest.New(t, apitest.WithS3(fake))
	insp := env.Inspector()
	data := testimg.JPEG(testimg.Noisy(1600, 1200, 3), 90)
	fake.Requests()
	var p photo
	insp.Upload([]apitest.Part{apitest.File("a.jpg", data)}).Want(http.StatusCreated).JSON(&p)
	puts := map[string]int{}
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPost || r.Query.Has("partNumber") || r.Query.Has("uploadId") {
			t.Fatalf("multipart request %s %s?%s", r.Method, r.Path, r.Query.Encode())
		}
		if r.Method == http.MethodPut {
			puts[r.Path]++
		}
	}
	want := map[string]int{"/photos/" + p.SHA256[:2] + "/" + p.SHA256 + ".jpg": 1, "/thumbs/" + p.SHA256[:2] + "/" + p.SHA256 + ".jpg": 1}
	if !maps.Equal(puts, want) {
		t.Fatalf("PUTs %v, want %v", puts, want)
	}
	if served := env.Fetch(p.URL).Want(http.StatusOK); !bytes.Equal(served.Body, data) {
		t.Fatal("the original served is not the one uploaded")
	}
}
