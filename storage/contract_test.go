package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"parksafe/storage"
	"parksafe/storage/s3test"
)

// subject is one implementation under the contract, with a way to leave behind what a write killed
// half-way leaves.
type subject struct {
	store storage.Store
	// interrupt leaves a write of key that never finished, as a crash in the middle of Put would.
	interrupt func(t *testing.T, key string)
}

// implementations gives each test a fresh store of every kind.
var implementations = map[string]func(t *testing.T) subject{
	"local": func(t *testing.T) subject {
		dir := t.TempDir()
		s, err := storage.NewLocal(dir)
		if err != nil {
			t.Fatal(err)
		}
		return subject{store: s, interrupt: func(t *testing.T, key string) {
			p := filepath.Join(dir, filepath.FromSlash(key))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), storage.PartialPrefix+"crashed"), []byte("half"), 0o600); err != nil {
				t.Fatal(err)
			}
		}}
	},
	"s3":             func(t *testing.T) subject { return s3Subject(t, s3test.New(t), "") },
	"s3 with prefix": func(t *testing.T) subject { return s3Subject(t, s3test.New(t), "park/one/") },
}

func s3Subject(t *testing.T, f *s3test.Fake, prefix string) subject {
	cfg := f.Config(prefix)
	s, err := storage.NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return subject{store: s, interrupt: func(t *testing.T, key string) {
		core, err := minio.NewCore(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Region: cfg.Region, BucketLookup: minio.BucketLookupPath})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		id, err := core.NewMultipartUpload(ctx, cfg.Bucket, prefix+key, minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		part := bytes.Repeat([]byte("x"), 5<<20)
		if _, err := core.PutObjectPart(ctx, cfg.Bucket, prefix+key, id, 1, bytes.NewReader(part), int64(len(part)), minio.PutObjectPartOptions{}); err != nil {
			t.Fatal(err)
		}
	}}
}

// contract runs a behaviour test against every implementation.
func contract(t *testing.T, test func(t *testing.T, s subject)) {
	names := make([]string, 0, len(implementations))
	for name := range implementations {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) { test(t, implementations[name](t)) })
	}
}

// onlyReader hides everything but Read, so a store cannot learn the length in advance.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func read(t *testing.T, s storage.Store, key string) []byte {
	t.Helper()
	b, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer b.Close()
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	if b.Size != int64(len(got)) {
		t.Fatalf("open %s: size %d, read %d bytes", key, b.Size, len(got))
	}
	return got
}

func listed(t *testing.T, s storage.Store, prefix string) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), prefix, func(key string, _ time.Time) error {
		keys = append(keys, key)
		return nil
	}); err != nil {
		t.Fatalf("list %s: %v", prefix, err)
	}
	slices.Sort(keys)
	return keys
}

func TestStoreRoundTrip(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		if ok, err := s.store.Exists(ctx, "photos/ab/x.jpg"); err != nil || ok {
			t.Fatalf("exists before put: %v %v", ok, err)
		}
		if _, err := s.store.Open(ctx, "photos/ab/x.jpg"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("open missing: %v", err)
		}
		if err := s.store.Put(ctx, "photos/ab/x.jpg", strings.NewReader("hello")); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.store.Exists(ctx, "photos/ab/x.jpg"); err != nil || !ok {
			t.Fatalf("exists after put: %v %v", ok, err)
		}
		if err := s.store.Put(ctx, "photos/ab/x.jpg", onlyReader{strings.NewReader("hello again")}); err != nil {
			t.Fatal(err)
		}
		if got := read(t, s.store, "photos/ab/x.jpg"); string(got) != "hello again" {
			t.Fatalf("got %q", got)
		}
		if err := s.store.Put(ctx, "thumbs/ab/empty.jpg", strings.NewReader("")); err != nil {
			t.Fatalf("empty blob: %v", err)
		}
		if got := read(t, s.store, "thumbs/ab/empty.jpg"); len(got) != 0 {
			t.Fatalf("empty blob reads %q", got)
		}
		if err := s.store.Delete(ctx, "photos/ab/x.jpg"); err != nil {
			t.Fatal(err)
		}
		if err := s.store.Delete(ctx, "photos/ab/x.jpg"); err != nil {
			t.Fatalf("deleting a missing blob: %v", err)
		}
		if ok, _ := s.store.Exists(ctx, "photos/ab/x.jpg"); ok {
			t.Fatal("still exists after delete")
		}
		if _, err := s.store.Open(ctx, "photos/ab/x.jpg"); !errors.Is(err, storage.ErrNotExist) {
			t.Fatalf("open deleted: %v", err)
		}
	})
}

// A photo larger than a multipart part, from a reader of unknown length and from a file, comes back
// byte for byte.
func TestStoreLargeBlobs(t *testing.T) {
	data := make([]byte, 12<<20+12345)
	rand.NewChaCha8([32]byte{1}).Read(data)
	want := sha256.Sum256(data)
	f, err := os.CreateTemp(t.TempDir(), "photo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(data)
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		if err := s.store.Put(ctx, "photos/aa/stream.jpg", onlyReader{bytes.NewReader(data)}); err != nil {
			t.Fatal(err)
		}
		f.Seek(0, io.SeekStart)
		if err := s.store.Put(ctx, "photos/aa/file.jpg", f); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"photos/aa/stream.jpg", "photos/aa/file.jpg"} {
			if got := read(t, s.store, key); sha256.Sum256(got) != want {
				t.Fatalf("%s: %d bytes read back differ from the %d written", key, len(got), len(data))
			}
		}
	})
}

func TestStoreRefusesEscapingKeys(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		for _, key := range []string{"", "../x", "/etc/passwd", "a/../../x", `a\..\x`, "a//b", "./a"} {
			if err := s.store.Put(ctx, key, strings.NewReader("x")); err == nil {
				t.Errorf("Put(%q) accepted", key)
			}
			if _, err := s.store.Open(ctx, key); err == nil || errors.Is(err, storage.ErrNotExist) {
				t.Errorf("Open(%q): %v", key, err)
			}
			if _, err := s.store.Exists(ctx, key); err == nil {
				t.Errorf("Exists(%q) accepted", key)
			}
			if err := s.store.Delete(ctx, key); err == nil {
				t.Errorf("Delete(%q) accepted", key)
			}
		}
		if err := s.store.List(ctx, "../", func(string, time.Time) error { return nil }); err == nil {
			t.Error("List(../) accepted")
		}
	})
}

// failingReader yields n bytes and then fails, as an upload cut off mid-way does.
type failingReader struct{ n int }

var errCut = errors.New("connection reset")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errCut
	}
	k := min(len(p), f.n)
	clear(p[:k])
	f.n -= k
	return k, nil
}

// A Put that is cancelled or whose reader fails leaves no blob and nothing for Sweep: a reader sees
// either nothing or the whole blob.
func TestStoreFailedPutLeavesNothing(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.store.Put(cancelled, "photos/cd/y.jpg", strings.NewReader("data")); err == nil {
			t.Fatal("cancelled put succeeded")
		}
		ctx := context.Background()
		for _, n := range []int{100, 7 << 20} { // within the first part, and after one
			if err := s.store.Put(ctx, "photos/cd/y.jpg", &failingReader{n: n}); !errors.Is(err, errCut) {
				t.Fatalf("put from a failing reader of %d bytes: %v", n, err)
			}
		}
		if ok, err := s.store.Exists(ctx, "photos/cd/y.jpg"); err != nil || ok {
			t.Fatalf("exists after failed puts: %v %v", ok, err)
		}
		if keys := listed(t, s.store, "photos/"); len(keys) != 0 {
			t.Fatalf("listed after failed puts: %v", keys)
		}
		if n, err := s.store.Sweep(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("failed puts left %d pieces to sweep (%v)", n, err)
		}
	})
}

func TestStoreList(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		before := time.Now().Add(-time.Minute)
		for _, key := range []string{"photos/ab/1.jpg", "photos/cd/2.png", "thumbs/ab/1.jpg", "photosx/ab/3.jpg"} {
			if err := s.store.Put(ctx, key, strings.NewReader(key)); err != nil {
				t.Fatal(err)
			}
		}
		after := time.Now().Add(time.Minute)
		var keys []string
		err := s.store.List(ctx, "photos/", func(key string, written time.Time) error {
			if written.Before(before) || written.After(after) {
				t.Errorf("%s written at %v, want between %v and %v", key, written, before, after)
			}
			keys = append(keys, key)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"photos/ab/1.jpg", "photos/cd/2.png"}) {
			t.Fatalf("listed %v", keys)
		}
		if keys := listed(t, s.store, "nothing/"); len(keys) != 0 {
			t.Fatalf("listed %v under an empty folder", keys)
		}
		if err := s.store.List(ctx, "photos", func(string, time.Time) error { return nil }); err == nil {
			t.Fatal("a prefix without a trailing slash was accepted")
		}
		stop := errors.New("stop")
		calls := 0
		err = s.store.List(ctx, "photos/", func(string, time.Time) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("an error from fn: %v after %d calls", err, calls)
		}
	})
}

// What a crash in the middle of Put leaves is invisible to readers and removed by Sweep once it is
// older than the given time, and only then.
func TestStoreSweep(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		if n, err := s.store.Sweep(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("sweep of an empty store: %d %v", n, err)
		}
		if err := s.store.Put(ctx, "photos/ef/kept.jpg", strings.NewReader("kept")); err != nil {
			t.Fatal(err)
		}
		s.interrupt(t, "photos/ef/cut.jpg")
		if ok, err := s.store.Exists(ctx, "photos/ef/cut.jpg"); err != nil || ok {
			t.Fatalf("an interrupted write exists: %v %v", ok, err)
		}
		if keys := listed(t, s.store, "photos/"); !slices.Equal(keys, []string{"photos/ef/kept.jpg"}) {
			t.Fatalf("listed %v", keys)
		}
		if n, err := s.store.Sweep(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("sweep before the write began removed %d (%v)", n, err)
		}
		if n, err := s.store.Sweep(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("sweep removed %d, want 1 (%v)", n, err)
		}
		if n, err := s.store.Sweep(ctx, time.Now().Add(time.Minute)); err != nil || n != 0 {
			t.Fatalf("second sweep removed %d (%v)", n, err)
		}
		if got := read(t, s.store, "photos/ef/kept.jpg"); string(got) != "kept" {
			t.Fatalf("sweep touched a finished blob: %q", got)
		}
	})
}

// Puts of one key at once (two uploads of the same photo) each leave a whole blob.
func TestStoreConcurrentPuts(t *testing.T) {
	contract(t, func(t *testing.T, s subject) {
		ctx := context.Background()
		var wg sync.WaitGroup
		want := map[string]bool{}
		for i := range 4 {
			body := strings.Repeat(fmt.Sprint(i), 100_000)
			want[body] = true
			wg.Go(func() {
				if err := s.store.Put(ctx, "photos/00/same.jpg", strings.NewReader(body)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := read(t, s.store, "photos/00/same.jpg"); !want[string(got)] {
			t.Fatalf("read %d bytes that no Put wrote", len(got))
		}
	})
}
