package app_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
	"parksafe/model"
	photos "parksafe/service/photo"
	"parksafe/storage/s3test"
)

// Two instances share one database and one bucket. Instance A purges an unclaimed photo while
// instance B uploads the same bytes again, many times, with the purge started at varying moments of
// the upload: B's photo is always served, its objects are always in the bucket, and once it too is
// purged the bucket is empty.
func TestPurgeOnOneInstanceNeverRemovesWhatAnotherUploads(t *testing.T) {
	fake := s3test.New(t)
	a := apitest.New(t, apitest.WithS3(fake))
	b := apitest.New(t, apitest.WithS3(fake), apitest.WithDatabaseOf(a))
	insp := a.Inspector()
	onB := insp.On(b)
	data := testimg.JPEG(testimg.Gradient(16, 16, 9), 80)
	upload := func(c *apitest.Client) *apitest.Response {
		return c.Upload([]apitest.Part{apitest.File("p.jpg", data)})
	}
	// backdate makes photos old enough for the purge without moving either instance's clock.
	backdate := func(ids ...uint64) {
		t.Helper()
		if err := a.App.DB.Model(&model.Photo{}).Where("id IN ?", ids).Update("created_at", a.Clock.Now().Add(-48*time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
	}
	began := time.Now()
	backdate(upload(onB).Want(http.StatusCreated).ID())
	took := time.Since(began)
	if _, err := a.App.Photos.PurgeUnlinked(t.Context()); err != nil {
		t.Fatal(err)
	}

	for round := range 150 {
		old := upload(insp).Want(http.StatusCreated).ID()
		backdate(old)
		var res *apitest.Response
		var purgeErr error
		var wg sync.WaitGroup
		wg.Go(func() { res = upload(onB) })
		wg.Go(func() {
			time.Sleep(rand.N(2 * took))
			_, purgeErr = a.App.Photos.PurgeUnlinked(t.Context())
		})
		wg.Wait()
		if purgeErr != nil {
			t.Fatalf("round %d: purge: %v", round, purgeErr)
		}
		var p photo
		res.Want(http.StatusCreated).JSON(&p)
		if got := fake.Objects(t); !slices.Contains(got, "photos/"+p.SHA256[:2]+"/"+p.SHA256+".jpg") ||
			!slices.Contains(got, "thumbs/"+p.SHA256[:2]+"/"+p.SHA256+".jpg") {
			t.Fatalf("round %d: photo %d was inserted but the bucket holds %v", round, p.ID, got)
		}
		b.Fetch(p.URL).Want(http.StatusOK)
		a.Fetch(p.ThumbURL).Want(http.StatusOK)

		var left []uint64
		a.App.DB.Model(&model.Photo{}).Pluck("id", &left)
		backdate(left...)
		if _, err := b.App.Photos.PurgeUnlinked(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := fake.Objects(t); len(got) != 0 {
			t.Fatalf("round %d: after purging every photo the bucket holds %v", round, got)
		}
		var blobs int64
		a.App.DB.Model(&model.Blob{}).Count(&blobs)
		if blobs != 0 {
			t.Fatalf("round %d: %d blob rows left without photos", round, blobs)
		}
	}
}

// Each instance removes the staged uploads that interrupted requests left on its own disk as soon as
// it runs, while the sweep of the shared bucket is a job that one of them runs.
func TestEveryInstanceSweepsItsOwnStagedUploads(t *testing.T) {
	fake := s3test.New(t)
	a := apitest.New(t, apitest.WithS3(fake))
	b := apitest.New(t, apitest.WithS3(fake), apitest.WithDatabaseOf(a))
	var staged []string
	for _, env := range []*apitest.Env{a, b} {
		dir := filepath.Join(env.App.Config.DataDir, "tmp")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		old, young := filepath.Join(dir, "upload-old"), filepath.Join(dir, "upload-young")
		for _, p := range []string{old, young} {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		then := env.Clock.Now().Add(-2 * time.Hour)
		if err := os.Chtimes(old, then, then); err != nil {
			t.Fatal(err)
		}
		staged = append(staged, old, young)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, env := range []*apitest.Env{a, b} {
		wg.Go(func() { env.App.Run(ctx) })
	}
	sweeps := func() (n int64) {
		a.App.DB.Model(&model.Job{}).Where("kind = ? AND state = ?", photos.JobSweep, model.JobDone).Count(&n)
		return n
	}
	gone := func(p string) bool { _, err := os.Stat(p); return os.IsNotExist(err) }
	// A generous bound on waiting for both instances' first round, not a measure of their speed.
	for deadline := time.Now().Add(20 * time.Second); !(gone(staged[0]) && gone(staged[2]) && sweeps() > 0); {
		if time.Now().After(deadline) {
			cancel()
			wg.Wait()
			t.Fatalf("after 20 s: staged files of A gone %v, of B gone %v; bucket sweeps run: %d", gone(staged[0]), gone(staged[2]), sweeps())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if gone(staged[1]) || gone(staged[3]) {
		t.Fatal("a staged upload young enough to be a request's was removed")
	}
	var sweepJobs int64
	a.App.DB.Model(&model.Job{}).Where("kind = ?", photos.JobSweep).Count(&sweepJobs)
	if n := sweeps(); n != 1 || sweepJobs != 1 {
		t.Fatalf("the bucket sweep ran %d times in %d jobs, want once", n, sweepJobs)
	}
}
