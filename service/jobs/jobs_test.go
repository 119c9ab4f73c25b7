package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
	"parksafe/service/jobs"
)

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newJobs(t *testing.T) (*jobs.Queue, *gorm.DB, *testClock) {
	t.Helper()
	db := dbtest.Open(t)
	clock := &testClock{now: time.Date(2026, 5, 8, 1, 0, 0, 0, time.UTC)}
	return jobs.New(db, clock, nil), db, clock
}

func jobState(t *testing.T, db *gorm.DB, kind string) model.Job {
	t.Helper()
	var j model.Job
	if err := db.Where("kind = ?", kind).First(&j).Error; err != nil {
		t.Fatalf("job %s: %v", kind, err)
	}
	return j
}

func TestJobRetriesWithBackoffThenSucceeds(t *testing.T) {
	queue, db, clock := newJobs(t)
	calls := 0
	queue.Handle("flaky", func(ctx context.Context, j *model.Job) error {
		calls++
		if calls < 3 {
			return errors.New("busy")
		}
		return nil
	})
	if _, err := queue.Enqueue(context.Background(), nil, "flaky", map[string]int{"x": 1}, time.Time{}, ""); err != nil {
		t.Fatal(err)
	}
	w := queue.NewWorker("a")
	ctx := context.Background()
	w.RunDue(ctx)
	j := jobState(t, db, "flaky")
	if j.State != model.JobPending || j.Attempts != 1 || !j.RunAt.Equal(clock.Now().Add(30*time.Second)) || j.LastError != "busy" {
		t.Fatalf("after first failure: %+v", j)
	}
	// Not due yet: nothing runs.
	if n, _ := w.RunDue(ctx); n != 0 {
		t.Fatalf("ran %d jobs before the backoff passed", n)
	}
	clock.Advance(31 * time.Second)
	w.RunDue(ctx)
	if j = jobState(t, db, "flaky"); !j.RunAt.Equal(clock.Now().Add(60 * time.Second)) {
		t.Fatalf("second backoff should double: run_at %v, now %v", j.RunAt, clock.Now())
	}
	clock.Advance(61 * time.Second)
	w.RunDue(ctx)
	if j = jobState(t, db, "flaky"); j.State != model.JobDone || j.Attempts != 3 || calls != 3 || j.LeaseUntil != nil {
		t.Fatalf("want done after 3 attempts, got %+v (calls %d)", j, calls)
	}
}

func TestJobPermanentAndDead(t *testing.T) {
	queue, db, clock := newJobs(t)
	queue.Handle("bad", func(ctx context.Context, j *model.Job) error { return jobs.Permanent(errors.New("refused")) })
	queue.Handle("down", func(ctx context.Context, j *model.Job) error { return errors.New("down") })
	ctx := context.Background()
	queue.Enqueue(ctx, nil, "bad", nil, time.Time{}, "")
	queue.Enqueue(ctx, nil, "down", nil, time.Time{}, "")
	queue.Enqueue(ctx, nil, "unknown", nil, time.Time{}, "")
	w := queue.NewWorker("a")
	for range jobs.DefaultAttempts + 2 {
		w.RunDue(ctx)
		clock.Advance(2 * time.Hour)
	}
	if j := jobState(t, db, "bad"); j.State != model.JobFailed || j.Attempts != 1 {
		t.Errorf("permanent: %+v", j)
	}
	if j := jobState(t, db, "down"); j.State != model.JobDead || j.Attempts != jobs.DefaultAttempts {
		t.Errorf("exhausted: %+v", j)
	}
	if j := jobState(t, db, "unknown"); j.State != model.JobFailed {
		t.Errorf("no handler: %+v", j)
	}
}

func TestEnqueueDedupeInsideTransaction(t *testing.T) {
	queue, db, _ := newJobs(t)
	ctx := context.Background()
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := range 3 {
			created, err := queue.Enqueue(ctx, tx, "k", nil, time.Time{}, "once")
			if err != nil {
				return err
			}
			if created != (i == 0) {
				t.Errorf("enqueue %d: created=%v", i, created)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A rolled-back transaction leaves no job.
	db.Transaction(func(tx *gorm.DB) error {
		queue.Enqueue(ctx, tx, "k", nil, time.Time{}, "rolled-back")
		return errors.New("rollback")
	})
	var n int64
	db.Model(&model.Job{}).Count(&n)
	if n != 1 {
		t.Fatalf("jobs = %d, want 1", n)
	}
}

func TestPeriodicScheduledOncePerPeriod(t *testing.T) {
	queue, db, clock := newJobs(t)
	queue.Every("sweep", time.Hour)
	ctx := context.Background()
	other := jobs.New(db, clock, nil) // a second instance
	other.Every("sweep", time.Hour)
	for range 3 {
		queue.Schedule(ctx)
		other.Schedule(ctx)
	}
	clock.Advance(time.Hour)
	queue.Schedule(ctx)
	var n int64
	db.Model(&model.Job{}).Where("kind = ?", "sweep").Count(&n)
	if n != 2 {
		t.Fatalf("periodic jobs = %d, want one per hour (2)", n)
	}
}

func TestExpiredLeaseIsTakenOver(t *testing.T) {
	queue, db, clock := newJobs(t)
	var runs atomic.Int32
	queue.Handle("k", func(ctx context.Context, j *model.Job) error { runs.Add(1); return nil })
	ctx := context.Background()
	queue.Enqueue(ctx, nil, "k", nil, time.Time{}, "")
	// Instance "dead" claimed the job and crashed: its lease is still running.
	until := clock.Now().Add(time.Minute)
	db.Model(&model.Job{}).Where("kind = ?", "k").Updates(map[string]any{"state": model.JobRunning, "lease_owner": "dead", "lease_until": until, "attempts": 1})
	w := queue.NewWorker("b")
	if n, _ := w.RunDue(ctx); n != 0 || runs.Load() != 0 {
		t.Fatal("a job under a live lease was run")
	}
	clock.Advance(2 * time.Minute)
	w.RunDue(ctx)
	if j := jobState(t, db, "k"); runs.Load() != 1 || j.State != model.JobDone || j.Attempts != 2 {
		t.Fatalf("resumed job: runs %d, %+v", runs.Load(), j)
	}
}

func TestInterruptedJobIsHandedBack(t *testing.T) {
	queue, db, _ := newJobs(t)
	ctx, cancel := context.WithCancel(context.Background())
	queue.Handle("k", func(hctx context.Context, j *model.Job) error { cancel(); <-hctx.Done(); return hctx.Err() })
	queue.Enqueue(ctx, nil, "k", nil, time.Time{}, "")
	queue.NewWorker("a").RunDue(ctx)
	if j := jobState(t, db, "k"); j.State != model.JobPending || j.Attempts != 0 || j.LeaseOwner != "" {
		t.Fatalf("interrupted job: %+v", j)
	}
}

// TestTwoInstancesNeverRunAJobTwice runs two instances (two connection pools on one database, as two
// processes would have) with several workers each, all claiming at once.
func TestTwoInstancesNeverRunAJobTwice(t *testing.T) {
	driver, dsn := dbtest.Fresh(t)
	open := func() *gorm.DB {
		db, err := database.Open(driver, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s, _ := db.DB(); s.Close() })
		return db
	}
	db1 := open()
	if driver == "sqlite" {
		if err := database.Migrate(db1); err != nil {
			t.Fatal(err)
		}
	}
	db2 := open()
	clock := &testClock{now: time.Date(2026, 5, 8, 1, 0, 0, 0, time.UTC)}
	const total = 120
	var mu sync.Mutex
	runs := map[uint64]int{}
	handler := func(ctx context.Context, j *model.Job) error {
		mu.Lock()
		runs[j.ID]++
		mu.Unlock()
		return nil
	}
	a, b := jobs.New(db1, clock, nil), jobs.New(db2, clock, nil)
	a.Handle("k", handler)
	b.Handle("k", handler)
	ctx := context.Background()
	for range total {
		if _, err := a.Enqueue(ctx, nil, "k", nil, time.Time{}, ""); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i, queue := range []*jobs.Queue{a, b, a, b} {
		w := queue.NewWorker(string(rune('a' + i)))
		w.Batch = 10
		wg.Go(func() {
			if _, err := w.RunDue(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(runs) != total {
		t.Fatalf("%d jobs ran, want %d", len(runs), total)
	}
	for id, n := range runs {
		if n != 1 {
			t.Errorf("job %d ran %d times", id, n)
		}
	}
	var done int64
	db1.Model(&model.Job{}).Where("state = ?", model.JobDone).Count(&done)
	if done != total {
		t.Fatalf("done = %d, want %d", done, total)
	}
}
