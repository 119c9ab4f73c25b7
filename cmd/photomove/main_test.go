package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"parksafe/storage"
	"parksafe/storage/s3test"
)

// park is a DATA_DIR as a running ParkSafe leaves it.
type park struct {
	dir   string
	blobs map[string][]byte // key → content
}

// newPark writes n photos with their thumbnails, a partial write, and the files that are not photos.
func newPark(t *testing.T, n int) *park {
	t.Helper()
	p := &park{dir: t.TempDir(), blobs: map[string][]byte{}}
	rnd := rand.NewChaCha8([32]byte{byte(n)})
	for i := range n {
		orig := make([]byte, 1000+i*40_000)
		rnd.Read(orig)
		sum := sha256.Sum256(orig)
		sha := hex.EncodeToString(sum[:])
		p.write(t, "photos/"+sha[:2]+"/"+sha+".jpg", orig)
		p.write(t, "thumbs/"+sha[:2]+"/"+sha+".jpg", orig[:500]) // named by the original's hash
	}
	for _, other := range []string{"photos/ab/.put-123", "tmp/upload-9", "jwt-secret", "parksafe.db"} {
		path := filepath.Join(p.dir, filepath.FromSlash(other))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte("not a photo"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (p *park) write(t *testing.T, key string, data []byte) {
	path := filepath.Join(p.dir, filepath.FromSlash(key))
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	p.blobs[key] = data
}

func (p *park) keys() []string {
	keys := make([]string, 0, len(p.blobs))
	for k := range p.blobs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func stores(t *testing.T, p *park, f *s3test.Fake) (*storage.Local, *storage.S3) {
	t.Helper()
	from, err := storage.NewLocal(p.dir)
	if err != nil {
		t.Fatal(err)
	}
	to, err := storage.NewS3(context.Background(), f.Config(""))
	if err != nil {
		t.Fatal(err)
	}
	return from, to
}

// bucketHolds fails the test unless the bucket holds exactly the park's blobs, byte for byte.
func bucketHolds(t *testing.T, p *park, to storage.Store, f *s3test.Fake) {
	t.Helper()
	if got := f.Objects(t); !slices.Equal(got, p.keys()) {
		t.Fatalf("bucket holds %v\nwant %v", got, p.keys())
	}
	for key, want := range p.blobs {
		b, err := to.Open(context.Background(), key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(b)
		b.Close()
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: %d bytes in the bucket differ from the %d on the disk", key, len(got), len(want))
		}
	}
}

func count(reqs []s3test.Request, method string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method {
			n++
		}
	}
	return n
}

func TestMoveCopiesAndVerifiesEveryBlob(t *testing.T) {
	p, f := newPark(t, 5), s3test.New(t)
	from, to := stores(t, p, f)
	manifest := filepath.Join(t.TempDir(), "manifest.tsv")
	var bar bytes.Buffer
	sum, err := move(context.Background(), from, to, manifest, 3, &bar)
	if err != nil {
		t.Fatal(err)
	}
	if sum.blobs != 10 || sum.copied != 10 || sum.alreadyThere != 0 || len(sum.failed) != 0 {
		t.Fatalf("summary: %d blobs, %d copied, %d there, failed %v", sum.blobs, sum.copied, sum.alreadyThere, sum.failed)
	}
	bucketHolds(t, p, to, f)
	if !strings.Contains(bar.String(), "100%") {
		t.Fatalf("progress bar did not reach 100%%: %q", bar.String())
	}

	// Run again: every blob is in the manifest and still there, checked by its size alone.
	f.Requests()
	sum, err = move(context.Background(), from, to, manifest, 3, io.Discard)
	if err != nil || sum.copied != 0 || sum.alreadyThere != 10 || len(sum.failed) != 0 {
		t.Fatalf("second run: %d copied, %d there, failed %v, %v", sum.copied, sum.alreadyThere, sum.failed, err)
	}
	reqs := f.Requests()
	if count(reqs, "PUT") != 0 || count(reqs, "GET") != 0 || count(reqs, "HEAD") != 10 {
		t.Fatalf("second run sent %d PUT, %d GET, %d HEAD; want 0, 0, 10", count(reqs, "PUT"), count(reqs, "GET"), count(reqs, "HEAD"))
	}
}

// cutting is a bucket whose connection is lost (as when the command is killed) after some uploads.
type cutting struct {
	target
	after  int64
	puts   atomic.Int64
	cancel context.CancelFunc
}

func (c *cutting) Put(ctx context.Context, key string, r io.Reader) error {
	err := c.target.Put(ctx, key, r)
	if c.puts.Add(1) == c.after {
		c.cancel()
	}
	return err
}

// A run stopped part-way is picked up again: what was verified is not sent again, what was sent
// but not verified is checked by its hash and kept, and the rest is copied. A manifest line cut
// short by the kill is ignored.
func TestMoveResumesAfterAnInterruption(t *testing.T) {
	p, f := newPark(t, 6), s3test.New(t)
	from, to := stores(t, p, f)
	manifest := filepath.Join(t.TempDir(), "manifest.tsv")
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := move(ctx, from, &cutting{target: to, after: 4, cancel: cancel}, manifest, 1, io.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v", err)
	}
	if sum.copied != 3 || len(f.Objects(t)) != 4 {
		t.Fatalf("interrupted run verified %d and left %d objects; want 3 and 4", sum.copied, len(f.Objects(t)))
	}
	mf, _ := os.OpenFile(manifest, os.O_APPEND|os.O_WRONLY, 0)
	mf.WriteString("photos/zz/torn\t12")
	mf.Close()

	f.Requests()
	sum, err = move(context.Background(), from, to, manifest, 2, io.Discard)
	if err != nil || len(sum.failed) != 0 {
		t.Fatalf("resumed run: %v, failed %v", err, sum.failed)
	}
	if sum.alreadyThere != 4 || sum.copied != 8 {
		t.Fatalf("resumed run: %d already there, %d copied; want 4 and 8", sum.alreadyThere, sum.copied)
	}
	if puts := count(f.Requests(), "PUT"); puts != 8 {
		t.Fatalf("resumed run uploaded %d blobs, want the 8 not yet there", puts)
	}
	bucketHolds(t, p, to, f)
}

// corrupting is a bucket that stores something other than what it was sent.
type corrupting struct{ target }

func (c corrupting) Put(ctx context.Context, key string, r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	data[len(data)/2] ^= 0xff
	return c.target.Put(ctx, key, bytes.NewReader(data))
}

func TestMoveReportsEveryMismatch(t *testing.T) {
	t.Run("a copy that differs from the disk", func(t *testing.T) {
		p, f := newPark(t, 2), s3test.New(t)
		from, to := stores(t, p, f)
		manifest := filepath.Join(t.TempDir(), "manifest.tsv")
		sum, err := move(context.Background(), from, corrupting{to}, manifest, 2, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if sum.copied != 0 || len(sum.failed) != 4 || !strings.Contains(sum.failed[0], "the copy in the bucket differs") {
			t.Fatalf("%d copied, failed %v", sum.copied, sum.failed)
		}
		// Nothing unverified was recorded: a run against a sound bucket replaces every copy.
		sum, err = move(context.Background(), from, to, manifest, 2, io.Discard)
		if err != nil || sum.copied != 4 || len(sum.failed) != 0 {
			t.Fatalf("repair run: %d copied, failed %v, %v", sum.copied, sum.failed, err)
		}
		bucketHolds(t, p, to, f)
	})
	t.Run("an original damaged on the disk", func(t *testing.T) {
		p, f := newPark(t, 3), s3test.New(t)
		damaged := p.keys()[0]
		data := bytes.Clone(p.blobs[damaged])
		data[0] ^= 0xff
		if err := os.WriteFile(filepath.Join(p.dir, filepath.FromSlash(damaged)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"DATA_DIR": p.dir}
		for k, v := range f.Env() {
			env[k] = v
		}
		var out bytes.Buffer
		err := run(context.Background(), func(k string) string { return env[k] }, "", "", 2, &out, io.Discard)
		if err == nil {
			t.Fatal("a damaged original ended in success")
		}
		if !strings.Contains(out.String(), damaged+": the local file does not match the SHA-256 in its name") ||
			!strings.Contains(out.String(), "copied and verified: 5") || !strings.Contains(out.String(), "failed: 1") {
			t.Fatalf("summary:\n%s", out.String())
		}
		if slices.Contains(f.Objects(t), damaged) {
			t.Fatal("the damaged original was copied")
		}
		if _, err := os.Stat(filepath.Join(p.dir, "photomove.tsv")); err != nil {
			t.Fatalf("no manifest beside the photos: %v", err)
		}
	})
	t.Run("the local store is not where photos are kept", func(t *testing.T) {
		err := run(context.Background(), func(k string) string { return map[string]string{"DATA_DIR": t.TempDir()}[k] }, "", "", 1, io.Discard, io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), "STORAGE:") {
			t.Fatalf("without STORAGE=s3: %v", err)
		}
	})
}
