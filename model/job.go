package model

import "time"

// Job states.
const (
	JobPending = "pending"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed" // the handler reported a permanent failure
	JobDead    = "dead"   // transient failures used up every attempt
)

// Job is one unit of background work (publishing a bulletin, sending a subscribe message, a periodic
// sweep). It is a table rather than a goroutine so that a restart loses nothing: a job is claimed with
// a lease (LeaseOwner until LeaseUntil), and when the claiming instance dies the lease runs out and
// another instance takes the job over. DedupeKey, when set, makes enqueueing the same logical job
// twice (by two instances, or by a retried request) a no-op; NULL means "no deduplication".
type Job struct {
	ID          uint64     `gorm:"primaryKey"`
	Kind        string     `gorm:"size:64;not null"`
	Payload     string     `gorm:"type:text;not null"`
	State       string     `gorm:"size:16;not null;index:idx_jobs_due,priority:1"`
	Attempts    int        `gorm:"not null;default:0"`
	MaxAttempts int        `gorm:"not null;default:8"`
	RunAt       time.Time  `gorm:"not null;index:idx_jobs_due,priority:2"`
	LeaseOwner  string     `gorm:"size:64;not null;default:''"`
	LeaseUntil  *time.Time `gorm:"index"`
	LastError   string     `gorm:"type:text;not null"`
	DedupeKey   *string    `gorm:"size:191;uniqueIndex"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
