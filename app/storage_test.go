package app_test

import (
	"bytes"
	"image/jpeg"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
	"parksafe/app"
	"parksafe/config"
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
