// Package jobs owns background work as a table: a persistent queue that work is enqueued on inside
// the caller's transaction, workers that claim due jobs under a lease in the database, retries with
// backoff, periodic jobs deduplicated per period, and the purge of finished jobs.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// Handler runs one job. nil marks the job done; an error wrapped with Permanent marks it failed
// at once; any other error is retried with exponential backoff until the job's MaxAttempts are used
// up, and then it is dead. A handler may run more than once for one job (a lease that ran out while
// it was still working, a crash after it finished but before that was recorded), so handlers record
// their progress and make every step safe to repeat.
type Handler func(ctx context.Context, job *model.Job) error

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent wraps err so that the job is marked failed instead of being retried.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was wrapped with Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Job queue defaults.
const (
	DefaultAttempts = 8
	DefaultLease    = 5 * time.Minute
)

// JobPurge deletes finished jobs past their retention; the queue schedules it daily itself.
const JobPurge = "jobs.purge"

// Retention of finished jobs, counted from when they finished.
const (
	// RetainDone keeps finished jobs for a week: long enough to see what ran last weekend.
	RetainDone = 7 * 24 * time.Hour
	// RetainFailed keeps failed and dead jobs for 90 days, for whoever investigates a failure.
	RetainFailed = 90 * 24 * time.Hour
)

// Queue is the persistent job queue and the registry of job handlers and periodic tasks. Jobs live in
// the jobs table, so they survive restarts, and are claimed with a lease in the database, so several
// instances on one database share the work without running a job twice at the same time.
type Queue struct {
	db    *gorm.DB
	clock service.Clock
	log   *slog.Logger

	// BackoffBase is the delay after the first failure; it doubles with each attempt up to BackoffCap.
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// Lease is how long a claimed job belongs to its worker; a worker that dies holding it delays the
	// job by at most this much. Handlers get a context that ends before it runs out.
	Lease time.Duration

	mu       sync.RWMutex
	handlers map[string]Handler
	periodic []periodicTask
}

type periodicTask struct {
	kind  string
	every time.Duration
}

// New returns the queue. It purges its own finished jobs daily (JobJobsPurge); every other area
// registers its handlers and periodic jobs with its own Register.
func New(db *gorm.DB, clock service.Clock, log *slog.Logger) *Queue {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	j := &Queue{db: db, clock: clock, log: log, BackoffBase: 30 * time.Second, BackoffCap: time.Hour,
		Lease: DefaultLease, handlers: map[string]Handler{}}
	EveryCounted(j, JobPurge, 24*time.Hour, "purged finished jobs", j.Purge)
	return j
}

// EveryCounted schedules the periodic job kind every period (Every) with run as its handler. run
// returns how many records it dealt with; a run that dealt with some says so in the log as done,
// so that a purge or a sweep leaves a trace only when it did something.
func EveryCounted[N int | int64](q *Queue, kind string, every time.Duration, done string, run func(context.Context) (N, error)) {
	q.Handle(kind, func(ctx context.Context, _ *model.Job) error {
		n, err := run(ctx)
		if n > 0 {
			q.log.InfoContext(ctx, done, "job", kind, "count", n)
		}
		return err
	})
	q.Every(kind, every)
}

// Purge deletes the jobs that finished longer ago than their retention and returns how many.
func (j *Queue) Purge(ctx context.Context) (int64, error) {
	now := j.clock.Now()
	done, err := service.PurgeBatched(ctx, j.db, &model.Job{}, "state = ? AND updated_at < ?", model.JobDone, now.Add(-RetainDone))
	if err != nil {
		return done, err
	}
	failed, err := service.PurgeBatched(ctx, j.db, &model.Job{}, "state IN ? AND updated_at < ?",
		[]string{model.JobFailed, model.JobDead}, now.Add(-RetainFailed))
	return done + failed, err
}

// Handle registers the handler of a job kind; a later registration replaces an earlier one.
func (j *Queue) Handle(kind string, h Handler) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.handlers[kind] = h
}

// Every schedules a job of kind (with an empty payload) once per period of length every, counted
// from the Unix epoch. Each period's job carries a dedupe key, so instances that schedule the same
// period at once enqueue it once.
func (j *Queue) Every(kind string, every time.Duration) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.periodic = append(j.periodic, periodicTask{kind: kind, every: every})
}

// Enqueue adds a job inside tx (the caller's transaction, so the job exists exactly when the change
// that needs it commits; nil means no transaction). runAt zero means now. A non-empty dedupeKey that
// was used before makes this a no-op: created is then false.
func (j *Queue) Enqueue(ctx context.Context, tx *gorm.DB, kind string, payload any, runAt time.Time, dedupeKey string) (created bool, err error) {
	if tx == nil {
		tx = j.db
	}
	body := "{}"
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return false, fmt.Errorf("job %s payload: %w", kind, err)
		}
		body = string(b)
	}
	if runAt.IsZero() {
		runAt = j.clock.Now()
	}
	job := model.Job{Kind: kind, Payload: body, State: model.JobPending, MaxAttempts: DefaultAttempts, RunAt: runAt.UTC()}
	if dedupeKey != "" {
		job.DedupeKey = &dedupeKey
	}
	created, err = service.CreateUnlessDuplicate(ctx, tx, &job)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return created, nil
}

// Schedule enqueues the current period's job of every periodic task (see Every).
func (j *Queue) Schedule(ctx context.Context) error {
	j.mu.RLock()
	tasks := append([]periodicTask(nil), j.periodic...)
	j.mu.RUnlock()
	now := j.clock.Now()
	var errs []error
	for _, t := range tasks {
		start := now.Truncate(t.every)
		key := fmt.Sprintf("every:%s:%d", t.kind, start.Unix())
		if _, err := j.Enqueue(ctx, nil, t.kind, nil, start, key); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// backoff is the delay before retry number attempts+1.
func (j *Queue) backoff(attempts int) time.Duration {
	d := j.BackoffBase
	for i := 1; i < attempts && d < j.BackoffCap; i++ {
		d *= 2
	}
	return min(d, j.BackoffCap)
}

// Worker claims and runs due jobs under one owner id. Several workers (in one process or in several
// instances) may work on one database at once.
type Worker struct {
	jobs  *Queue
	Owner string
	// Batch is how many due jobs one RunOnce looks at.
	Batch int
	// Poll is how often Run looks for due jobs, and ScheduleEvery how often it schedules periodic ones.
	Poll          time.Duration
	ScheduleEvery time.Duration
}

// NewWorker returns a worker; an empty owner gets a unique one (host, pid and a random suffix).
func (j *Queue) NewWorker(owner string) *Worker {
	if owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
		if len(owner) > 64 {
			owner = owner[len(owner)-64:]
		}
	}
	return &Worker{jobs: j, Owner: owner, Batch: 20, Poll: 2 * time.Second, ScheduleEvery: time.Minute}
}

// Run schedules periodic jobs and runs due ones until ctx ends; it returns nil then. A job cut short
// by the end of ctx is handed back to the queue.
func (w *Worker) Run(ctx context.Context) error {
	poll := time.NewTicker(w.Poll)
	defer poll.Stop()
	var lastSchedule time.Time
	for {
		if time.Since(lastSchedule) >= w.ScheduleEvery {
			if err := w.jobs.Schedule(ctx); err != nil && ctx.Err() == nil {
				w.jobs.log.Error("schedule periodic jobs", "err", err)
			}
			lastSchedule = time.Now()
		}
		if _, err := w.RunDue(ctx); err != nil && ctx.Err() == nil {
			w.jobs.log.Error("run jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
		}
	}
}

// RunDue runs due jobs until none is left (jobs that become due while it runs included) and returns
// how many it ran. Tests call it instead of waiting for Run.
func (w *Worker) RunDue(ctx context.Context) (int, error) {
	total := 0
	for range 1000 { // a bound against a handler that keeps enqueueing due work
		n, err := w.RunOnce(ctx)
		total += n
		if err != nil || n == 0 || ctx.Err() != nil {
			return total, err
		}
	}
	return total, nil
}

// RunOnce claims up to Batch due jobs one by one and runs each; it returns how many it ran.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	j := w.jobs
	now := j.clock.Now()
	var ids []uint64
	err := j.db.WithContext(ctx).Model(&model.Job{}).
		Where("(state = ? AND run_at <= ?) OR (state = ? AND lease_until < ?)", model.JobPending, now, model.JobRunning, now).
		Order("run_at, id").Limit(w.Batch).Pluck("id", &ids).Error
	if err != nil {
		return 0, err
	}
	ran := 0
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		job, err := w.claim(ctx, id)
		if err != nil {
			return ran, err
		}
		if job == nil {
			continue // another worker won it
		}
		w.run(ctx, job)
		ran++
	}
	return ran, nil
}

// claim takes job id for this worker when it is still due: one conditional UPDATE, so of several
// workers trying at once exactly one sees a changed row.
func (w *Worker) claim(ctx context.Context, id uint64) (*model.Job, error) {
	j := w.jobs
	now := j.clock.Now()
	until := now.Add(j.Lease)
	res := j.db.WithContext(ctx).Model(&model.Job{}).
		Where("id = ? AND ((state = ? AND run_at <= ?) OR (state = ? AND lease_until < ?))", id, model.JobPending, now, model.JobRunning, now).
		Updates(map[string]any{"state": model.JobRunning, "lease_owner": w.Owner, "lease_until": until,
			"attempts": gorm.Expr("attempts + 1"), "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	var job model.Job
	if err := j.db.WithContext(ctx).First(&job, id).Error; err != nil {
		return nil, err
	}
	return &job, nil
}

// run executes the claimed job and records the outcome, unless the lease was lost meanwhile.
func (w *Worker) run(ctx context.Context, job *model.Job) {
	j := w.jobs
	j.mu.RLock()
	h := j.handlers[job.Kind]
	j.mu.RUnlock()
	// End the handler before the lease runs out so that no second worker starts while it still runs.
	hctx, cancel := context.WithTimeout(ctx, j.Lease*9/10)
	err := w.call(hctx, h, job)
	cancel()

	log := j.log.With("job", job.ID, "kind", job.Kind, "attempt", job.Attempts)
	// Record the outcome even while shutting down.
	dbctx := context.WithoutCancel(ctx)
	now := j.clock.Now()
	set := map[string]any{"lease_owner": "", "lease_until": nil, "updated_at": now}
	switch {
	case err == nil:
		log.Debug("job done", "owner", w.Owner)
		set["state"], set["last_error"] = model.JobDone, ""
	case ctx.Err() != nil:
		// Shutting down: hand the job back without counting the attempt.
		set["state"], set["run_at"], set["attempts"] = model.JobPending, now, gorm.Expr("attempts - 1")
		set["last_error"] = service.TruncateRunes("interrupted: "+err.Error(), 2000)
	case IsPermanent(err):
		log.Warn("job failed permanently", "err", err)
		set["state"], set["last_error"] = model.JobFailed, service.TruncateRunes(err.Error(), 2000)
	case job.Attempts >= job.MaxAttempts:
		log.Error("job gave up after its last attempt", "err", err)
		set["state"], set["last_error"] = model.JobDead, service.TruncateRunes(err.Error(), 2000)
	default:
		log.Info("job will be retried", "err", err)
		set["state"], set["run_at"] = model.JobPending, now.Add(j.backoff(job.Attempts))
		set["last_error"] = service.TruncateRunes(err.Error(), 2000)
	}
	res := j.db.WithContext(dbctx).Model(&model.Job{}).
		Where("id = ? AND state = ? AND lease_owner = ?", job.ID, model.JobRunning, w.Owner).Updates(set)
	if res.Error != nil {
		log.Error("record job outcome", "err", res.Error)
	} else if res.RowsAffected == 0 {
		log.Warn("job lease was lost before it finished; its new owner decides")
	}
}

// call runs the handler, turning a missing handler and a panic into errors.
func (w *Worker) call(ctx context.Context, h Handler, job *model.Job) (err error) {
	if h == nil {
		return Permanent(fmt.Errorf("no handler for job kind %q", job.Kind))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job handler panicked: %v", r)
		}
	}()
	return h(ctx, job)
}

// DecodePayload unmarshals a job's payload, as a permanent failure when it is malformed.
func DecodePayload(job *model.Job, dst any) error {
	if err := json.Unmarshal([]byte(job.Payload), dst); err != nil {
		return Permanent(fmt.Errorf("job %d payload: %w", job.ID, err))
	}
	return nil
}
