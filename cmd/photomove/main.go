// Command photomove copies a park's photos from the local store (DATA_DIR) to the S3-compatible
// bucket that STORAGE=s3 and the S3_ settings name, checking every copy by SHA-256, so that the park
// can move to object storage and run several instances.
//
//	STORAGE=s3 S3_ENDPOINT=… S3_BUCKET=… S3_ACCESS_KEY=… S3_SECRET_KEY=… DATA_DIR=/app/data photomove
//
// It reads the same environment as the server. Each blob under photos/ and thumbs/ is hashed on
// the disk, uploaded, read back from the bucket and hashed again; an original must also match the
// hash its name carries. A blob already in the bucket with the same size and hash is not sent again,
// and every verified copy is written to a manifest (DATA_DIR/photomove.tsv by default), so a run that
// was stopped picks up where it left off and a second run after the server stopped copies only what
// arrived in between. The local files are left alone. Any mismatch or failure is listed and makes the
// exit status 1.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/sync/errgroup"

	"parksafe/config"
	"parksafe/storage"
)

// prefixes are the folders of the blob store that hold photos.
var prefixes = []string{"photos/", "thumbs/"}

func main() {
	from := flag.String("from", "", "the local store to copy from (default: DATA_DIR)")
	manifest := flag.String("manifest", "", "the record of verified copies (default: photomove.tsv in the local store)")
	workers := flag.Int("workers", 4, "blobs copied at once")
	quiet := flag.Bool("quiet", false, "no progress bar")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := io.Writer(os.Stderr)
	if *quiet {
		progress = io.Discard
	}
	if err := run(ctx, os.Getenv, *from, *manifest, *workers, os.Stdout, progress); err != nil {
		fmt.Fprintln(os.Stderr, "photomove:", err)
		os.Exit(1)
	}
}

// run moves the photos with the configuration getenv gives, printing the summary to out and the
// progress bar to progress.
func run(ctx context.Context, getenv func(string) string, fromDir, manifestPath string, workers int, out, progress io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if cfg.Storage.Kind != storage.KindS3 {
		return errors.New("STORAGE: set STORAGE=s3 and the S3_ settings of the bucket to copy the photos to")
	}
	if fromDir == "" {
		fromDir = cfg.DataDir
	}
	if st, err := os.Stat(fromDir); err != nil || !st.IsDir() {
		return fmt.Errorf("DATA_DIR: %s is not a directory to copy from", fromDir)
	}
	from, err := storage.NewLocal(fromDir)
	if err != nil {
		return err
	}
	to, err := storage.NewS3(ctx, cfg.Storage.S3)
	if err != nil {
		return err
	}
	if manifestPath == "" {
		manifestPath = filepath.Join(fromDir, "photomove.tsv")
	}
	fmt.Fprintf(out, "photomove: %s → bucket %s at %s\n", fromDir, cfg.Storage.S3.Bucket, cfg.Storage.S3.Endpoint)
	sum, err := move(ctx, from, to, manifestPath, workers, progress)
	if sum != nil {
		sum.print(out)
	}
	if err != nil {
		return err
	}
	if len(sum.failed) > 0 {
		return fmt.Errorf("%d blobs were not moved; run again after fixing what is listed", len(sum.failed))
	}
	return nil
}

// target is the bucket photos are copied to: a store that can also tell an object's size without
// reading it, which is how a copy recorded in the manifest is checked again cheaply.
type target interface {
	storage.Store
	Size(ctx context.Context, key string) (int64, error)
}

// summary is what a run did.
type summary struct {
	blobs, bytes int64
	copied       int64
	copiedBytes  int64
	alreadyThere int64
	failed       []string // "key: reason"
	mu           sync.Mutex
}

func (s *summary) fail(key string, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failed = append(s.failed, key+": "+fmt.Sprintf(format, args...))
}

func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "blobs under %s: %d (%s)\n", strings.Join(prefixes, " and "), s.blobs, humanize.IBytes(uint64(s.bytes)))
	fmt.Fprintf(w, "copied and verified: %d (%s)\n", s.copied, humanize.IBytes(uint64(s.copiedBytes)))
	fmt.Fprintf(w, "already in the bucket: %d\n", s.alreadyThere)
	fmt.Fprintf(w, "failed: %d\n", len(s.failed))
	slices.Sort(s.failed)
	for _, f := range s.failed {
		fmt.Fprintf(w, "  %s\n", f)
	}
}

// move copies every blob under prefixes from one store to the other and returns what it did. An
// error is returned only for what stops the whole run (the listing, the manifest, a cancellation);
// a blob that fails is listed in the summary and the others go on.
func move(ctx context.Context, from storage.Store, to target, manifestPath string, workers int, progress io.Writer) (*summary, error) {
	done, err := readManifest(manifestPath)
	if err != nil {
		return nil, err
	}
	mf, err := os.OpenFile(manifestPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer mf.Close()
	sum := &summary{}
	type blob struct {
		key  string
		size int64
	}
	var blobs []blob
	for _, prefix := range prefixes {
		err := from.List(ctx, prefix, func(key string, _ time.Time) error {
			b, err := from.Open(ctx, key)
			if err != nil {
				return err
			}
			b.Close()
			blobs = append(blobs, blob{key, b.Size})
			sum.blobs++
			sum.bytes += b.Size
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", prefix, err)
		}
	}
	bar := progressbar.NewOptions64(sum.bytes, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("moving photos"),
		progressbar.OptionShowBytes(true), progressbar.OptionUseIECUnits(true), progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth(), progressbar.OptionOnCompletion(func() { fmt.Fprintln(progress) }))
	var manifestMu sync.Mutex
	record := func(key string, size int64, sha string) error {
		manifestMu.Lock()
		defer manifestMu.Unlock()
		_, err := fmt.Fprintf(mf, "%s\t%d\t%s\n", key, size, sha)
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for _, b := range blobs {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			defer bar.Add64(b.size)
			m := mover{from: from, to: to, sum: sum, record: record}
			return m.one(gctx, b.key, b.size, done[b.key])
		})
	}
	err = g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		bar.Finish()
	} else {
		fmt.Fprintln(progress)
	}
	return sum, err
}

// entry is one verified copy in the manifest.
type entry struct {
	size int64
	sha  string
}

// readManifest loads the verified copies of earlier runs; a line cut short by a kill is ignored, so
// that blob is checked again.
func readManifest(p string) (map[string]entry, error) {
	done := map[string]entry{}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return done, nil
	} else if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 || len(fields[2]) != sha256.Size*2 {
			continue
		}
		size, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		done[fields[0]] = entry{size, fields[2]}
	}
	return done, sc.Err()
}

// mover moves one blob.
type mover struct {
	from   storage.Store
	to     target
	sum    *summary
	record func(key string, size int64, sha string) error
}

// one moves key unless a verified copy is already in the bucket. It returns an error only for a
// failure of the manifest; a blob that cannot be moved is listed in the summary.
func (m mover) one(ctx context.Context, key string, size int64, earlier entry) error {
	if ctx.Err() != nil {
		return nil
	}
	// A copy verified by an earlier run is trusted while both sides keep its size: the key names
	// the content, and an object is never half-written.
	if earlier.sha != "" && earlier.size == size {
		if n, err := m.to.Size(ctx, key); err == nil && n == size {
			m.count(&m.sum.alreadyThere, 0)
			return nil
		}
	}
	sha, n, err := hashOf(ctx, m.from, key)
	if err != nil {
		m.sum.fail(key, "reading the local file: %v", err)
		return nil
	}
	if want := nameHash(key); want != "" && want != sha {
		m.sum.fail(key, "the local file does not match the SHA-256 in its name (damaged on the disk?); not copied")
		return nil
	}
	if remote, err := m.to.Size(ctx, key); err == nil && remote == n {
		if rsha, _, err := hashOf(ctx, m.to, key); err == nil && rsha == sha {
			m.count(&m.sum.alreadyThere, 0)
			return m.record(key, n, sha)
		}
	}
	src, err := m.from.Open(ctx, key)
	if err != nil {
		m.sum.fail(key, "reading the local file: %v", err)
		return nil
	}
	err = m.to.Put(ctx, key, src)
	src.Close()
	if err != nil {
		m.sum.fail(key, "upload: %v", err)
		return nil
	}
	rsha, rn, err := hashOf(ctx, m.to, key)
	switch {
	case err != nil:
		m.sum.fail(key, "reading the copy back: %v", err)
		return nil
	case rsha != sha || rn != n:
		m.sum.fail(key, "the copy in the bucket differs: %d bytes with SHA-256 %s, the local file %d bytes with %s", rn, rsha, n, sha)
		return nil
	}
	m.count(&m.sum.copied, n)
	return m.record(key, n, sha)
}

func (m mover) count(field *int64, bytes int64) {
	m.sum.mu.Lock()
	defer m.sum.mu.Unlock()
	*field++
	m.sum.copiedBytes += bytes
}

// hashOf streams key's blob through SHA-256.
func hashOf(ctx context.Context, s storage.Store, key string) (string, int64, error) {
	b, err := s.Open(ctx, key)
	if err != nil {
		return "", 0, err
	}
	defer b.Close()
	h := sha256.New()
	n, err := io.Copy(h, b)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// nameHash is the SHA-256 an original's key carries (photos/ab/<sha256>.jpg), or "" for a key that
// does not name its content: a thumbnail is named by its original's hash.
func nameHash(key string) string {
	if !strings.HasPrefix(key, "photos/") {
		return ""
	}
	name := path.Base(key)
	sha := strings.TrimSuffix(name, path.Ext(name))
	if _, err := hex.DecodeString(sha); err != nil || len(sha) != sha256.Size*2 {
		return ""
	}
	return sha
}
