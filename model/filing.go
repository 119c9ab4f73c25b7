package model

import "time"

// Filing statuses (安全生产报备). A filing waits for the park's review while submitted or
// resubmitted, for the enterprise while changes_requested, and for the park office while
// pending_admin; cancelled, expired and completed are final.
const (
	FilingDraft            = "draft"
	FilingSubmitted        = "submitted"
	FilingChangesRequested = "changes_requested"
	FilingResubmitted      = "resubmitted"
	FilingPendingAdmin     = "pending_admin"
	FilingApproved         = "approved"
	FilingInProgress       = "in_progress"
	FilingCompleted        = "completed"
	FilingCancelled        = "cancelled"
	FilingExpired          = "expired"
)

// Filing suggestion item statuses: the reviewer raises an item, the enterprise answers it with a note
// and a photo.
const (
	FilingItemOpen     = "open"
	FilingItemAnswered = "answered"
)

// OriginFiling is the OriginType of hazards a filing's on-site check opened, and the OwnerType of a
// filing's permit and attachment photos. OwnerFilingItem and OwnerFilingEvent own the photos of an
// item's answer and of a timeline step (start, completion).
const (
	OriginFiling     = "filing"
	OwnerFilingItem  = "filing_item"
	OwnerFilingEvent = "filing_event"
)

// CounterFilingCode numbers the filings of a park-local day (Period YYYYMMDD): BB-20260508-0001.
const CounterFilingCode = "filing_code"

// Filing is an enterprise's advance filing (报备) of a special operation, a major production activity
// or a contractor project, which the park reviews on site before the work may start. PlannedStart and
// PlannedEnd are instants. The review figures (SubmittedAt, FirstDecisionAt, ReviewSeconds,
// ApprovedAt, ApprovalSeconds, ChangeRounds) are written by the transitions that set them, so that
// the statistics read a few columns of an index instead of every timeline.
type Filing struct {
	ID           uint64 `gorm:"primaryKey"`
	Code         string `gorm:"size:20;not null;uniqueIndex"`
	EnterpriseID uint64 `gorm:"not null;index:idx_filings_ent_created,priority:1;index:idx_filings_submitted,priority:2"`
	Kind         string `gorm:"size:24;not null;index:idx_filings_submitted,priority:3"`
	Grade        string `gorm:"size:16;not null;default:''"`
	Title        string `gorm:"size:128;not null"`
	Location     string `gorm:"size:255;not null;default:''"`
	Latitude     *float64
	Longitude    *float64
	// The board reads the live filings by status and start; the week view by start, then end.
	PlannedStart         time.Time `gorm:"not null;index:idx_filings_status_start,priority:2;index:idx_filings_start_end,priority:1"`
	PlannedEnd           time.Time `gorm:"not null;index:idx_filings_start_end,priority:2;index:idx_filings_end"`
	Content              string    `gorm:"type:text;not null"`
	HazardIdentification string    `gorm:"type:text;not null"`
	SafetyMeasures       string    `gorm:"type:text;not null"`
	ResponsibleName      string    `gorm:"size:64;not null;default:''"`
	ResponsibleMobile    string    `gorm:"size:20;not null;default:''"`
	WatcherName          string    `gorm:"size:64;not null;default:''"`
	WatcherMobile        string    `gorm:"size:20;not null;default:''"`
	// Contractor details: required for contractor projects, optional for work a contractor does.
	ContractorName          string `gorm:"size:128;not null;default:''"`
	ContractorUSCC          string `gorm:"column:contractor_uscc;size:18;not null;default:''"`
	ContractorWorkers       int    `gorm:"not null;default:0"`
	ContractorManager       string `gorm:"size:64;not null;default:''"`
	ContractorManagerMobile string `gorm:"size:20;not null;default:''"`

	Status string `gorm:"size:24;not null;index:idx_filings_status_start,priority:1;index:idx_filings_status_created,priority:1;index:idx_filings_reviewer_status,priority:2;index:idx_filings_submitted,priority:4"`
	// NeedsAdmin is set by kind and grade: the highest grades need the park office's approval after
	// the reviewer's.
	NeedsAdmin  bool    `gorm:"not null;default:false"`
	ReviewerID  *uint64 `gorm:"index:idx_filings_reviewer_status,priority:1"`
	CreatedByID uint64  `gorm:"not null"`
	// ChangeRounds counts the reviewer's and the office's requests for changes; an approval with none
	// is a first-pass approval.
	ChangeRounds    int        `gorm:"not null;default:0;index:idx_filings_submitted,priority:5"`
	SubmittedAt     *time.Time `gorm:"index:idx_filings_submitted,priority:1"`
	FirstDecisionAt *time.Time
	ReviewSeconds   *int64 `gorm:"index:idx_filings_submitted,priority:6"`
	ApprovedAt      *time.Time
	ApprovalSeconds *int64 `gorm:"index:idx_filings_submitted,priority:7"`
	StartedAt       *time.Time
	CompletedAt     *time.Time
	// ClosedAt is when a filing was cancelled or expired.
	ClosedAt  *time.Time
	Version   int       `gorm:"not null;default:1"`
	CreatedAt time.Time `gorm:"not null;index:idx_filings_ent_created,priority:2;index:idx_filings_status_created,priority:2;index"`
	UpdatedAt time.Time

	Enterprise *Enterprise `gorm:"foreignKey:EnterpriseID"`
	Reviewer   *User       `gorm:"foreignKey:ReviewerID"`
	CreatedBy  *User       `gorm:"foreignKey:CreatedByID"`
}

// FilingEvent is one step of a filing's append-only timeline. HazardID and HazardCode name the
// hazard a step opened (an on-site finding).
type FilingEvent struct {
	ID         uint64  `gorm:"primaryKey"`
	FilingID   uint64  `gorm:"not null;index"`
	Action     string  `gorm:"size:32;not null"`
	FromStatus string  `gorm:"size:24;not null;default:''"`
	ToStatus   string  `gorm:"size:24;not null;default:''"`
	ActorID    uint64  `gorm:"not null"`
	ActorName  string  `gorm:"size:64;not null"`
	ActorRole  string  `gorm:"size:16;not null"`
	Comment    string  `gorm:"type:text;not null"`
	HazardID   *uint64 `gorm:"index"`
	HazardCode string  `gorm:"size:20;not null;default:''"`
	CreatedAt  time.Time
}

// FilingItem is one improvement suggestion of a review round, which the enterprise must answer with
// a note and a photo before it resubmits.
type FilingItem struct {
	ID           uint64 `gorm:"primaryKey"`
	FilingID     uint64 `gorm:"not null;index:idx_filing_items_filing,priority:1"`
	Round        int    `gorm:"not null;index:idx_filing_items_filing,priority:2"`
	Seq          int    `gorm:"not null;index:idx_filing_items_filing,priority:3"`
	Content      string `gorm:"type:text;not null"`
	Status       string `gorm:"size:16;not null"`
	CreatedByID  uint64 `gorm:"not null"`
	AnswerNote   string `gorm:"type:text;not null"`
	AnsweredByID *uint64
	AnsweredAt   *time.Time
	CreatedAt    time.Time

	CreatedBy  *User `gorm:"foreignKey:CreatedByID"`
	AnsweredBy *User `gorm:"foreignKey:AnsweredByID"`
}
