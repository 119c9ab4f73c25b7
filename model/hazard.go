package model

import "time"

// Hazard statuses.
const (
	HazardPendingRectify  = "pending_rectify"
	HazardPendingVerify   = "pending_verify"
	HazardPendingApproval = "pending_approval"
	HazardClosed          = "closed"
	HazardVoid            = "void"
)

// Hazard sources.
const (
	SourceSnapshot         = "snapshot"
	SourceHygieneCheck     = "hygiene_check"
	SourceLeaderInspection = "leader_inspection"
	SourceSpecialCheck     = "special_check"
	SourceFiling           = "filing"
)

// Hazard levels.
const (
	LevelGeneral = "general"
	LevelMajor   = "major"
)

// Hazard is one safety hazard on its way to close-out (整改销号). Deadline is the park-local date by
// whose end it must be rectified; DeadlineAt is the instant that day ends, kept for overdue queries.
type Hazard struct {
	ID           uint64 `gorm:"primaryKey"`
	Code         string `gorm:"size:20;not null;uniqueIndex"`
	EnterpriseID uint64 `gorm:"not null;index:idx_hazards_status_deadline_created,priority:4;index:idx_hazards_status_closed,priority:3;index:idx_hazards_ent_status_created,priority:1;index:idx_hazards_ent_created_dims,priority:1;index:idx_hazards_ent_status_deadline,priority:1;index:idx_hz_ent_deadline,priority:1;index:idx_hz_ent_status_deadline,priority:1;index:idx_hz_ent_created,priority:1"`
	Source       string `gorm:"size:24;not null;index;index:idx_hazards_ent_created_dims,priority:6;index:idx_hazards_created_dims,priority:5;index:idx_hz_source_created,priority:1;index:idx_hz_source_deadline,priority:1"`
	Category     string `gorm:"size:24;not null;index:idx_hazards_ent_created_dims,priority:5;index:idx_hazards_created_dims,priority:4;index:idx_hz_category_created,priority:1;index:idx_hz_category_deadline,priority:1"`
	Level        string `gorm:"size:16;not null;index:idx_hazards_ent_created_dims,priority:4;index:idx_hazards_created_dims,priority:3;index:idx_hz_level_created,priority:1;index:idx_hz_level_deadline,priority:1"`
	Title        string `gorm:"size:128;not null"`
	Description  string `gorm:"type:text;not null"`
	Location     string `gorm:"size:255;not null;default:''"`
	Latitude     *float64
	Longitude    *float64
	Requirement  string    `gorm:"type:text;not null"`
	Deadline     string    `gorm:"size:10;not null"`
	DeadlineAt   time.Time `gorm:"not null;index;index:idx_hazards_status_deadline_created,priority:2;index:idx_hazards_ent_status_deadline,priority:3;index:idx_hz_ent_deadline,priority:2;index:idx_hz_ent_status_deadline,priority:3;index:idx_hz_status_deadline,priority:2;index:idx_hz_level_deadline,priority:2;index:idx_hz_category_deadline,priority:2;index:idx_hz_source_deadline,priority:2"`
	Status       string    `gorm:"size:24;not null;index:idx_hazards_ent_status_created,priority:2;index:idx_hazards_status_created,priority:1;index:idx_hazards_status_deadline_created,priority:1;index:idx_hazards_status_closed,priority:1;index:idx_hazards_ent_status_deadline,priority:2;index:idx_hazards_ent_created_dims,priority:3;index:idx_hazards_created_dims,priority:2;index:idx_hz_status_deadline,priority:1;index:idx_hz_ent_status_deadline,priority:2"`
	RejectCount  int       `gorm:"not null;default:0"`
	ReporterID   uint64    `gorm:"not null;index"`
	// OriginType and OriginID name the record that opened the hazard (a hygiene check area, a leader
	// inspection), when one did.
	OriginType  string     `gorm:"size:32;not null;default:''"`
	OriginID    uint64     `gorm:"not null;default:0;index"`
	DuplicateOf *uint64    `gorm:"index"`
	ClosedAt    *time.Time `gorm:"index:idx_hazards_status_closed,priority:2;index:idx_hazards_ent_status_deadline,priority:5"`
	Version     int        `gorm:"not null;default:1"`
	CreatedAt   time.Time  `gorm:"not null;index:idx_hazards_ent_status_created,priority:3;index:idx_hazards_status_created,priority:2;index:idx_hazards_status_deadline_created,priority:3;index:idx_hazards_ent_created_dims,priority:2;index:idx_hazards_created_dims,priority:1;index:idx_hazards_ent_status_deadline,priority:4;index:idx_hz_level_created,priority:2;index:idx_hz_category_created,priority:2;index:idx_hz_source_created,priority:2;index:idx_hz_created,priority:1;index:idx_hz_ent_created,priority:2"`
	UpdatedAt   time.Time

	Enterprise *Enterprise `gorm:"foreignKey:EnterpriseID"`
	Reporter   *User       `gorm:"foreignKey:ReporterID"`
}

// HazardEvent is one entry of a hazard's append-only timeline.
type HazardEvent struct {
	ID         uint64 `gorm:"primaryKey"`
	HazardID   uint64 `gorm:"not null;index"`
	Action     string `gorm:"size:32;not null"`
	FromStatus string `gorm:"size:24;not null;default:''"`
	ToStatus   string `gorm:"size:24;not null;default:''"`
	ActorID    uint64 `gorm:"not null"`
	ActorName  string `gorm:"size:64;not null"`
	ActorRole  string `gorm:"size:16;not null"`
	Comment    string `gorm:"type:text;not null"`
	CreatedAt  time.Time
}

// Rectification is an enterprise's report that a hazard has been put right, with after-photos.
type Rectification struct {
	ID          uint64 `gorm:"primaryKey"`
	HazardID    uint64 `gorm:"not null;index"`
	Description string `gorm:"type:text;not null"`
	SubmitterID uint64 `gorm:"not null"`
	CreatedAt   time.Time

	Submitter *User `gorm:"foreignKey:SubmitterID"`
}

// HazardExtension is a request to move a hazard's deadline, and its decision.
type HazardExtension struct {
	ID          uint64 `gorm:"primaryKey"`
	HazardID    uint64 `gorm:"not null;index"`
	OldDeadline string `gorm:"size:10;not null"`
	NewDeadline string `gorm:"size:10;not null"`
	Reason      string `gorm:"type:text;not null"`
	RequesterID uint64 `gorm:"not null"`
	Status      string `gorm:"size:16;not null"` // pending, approved, rejected, cancelled
	DeciderID   *uint64
	Comment     string `gorm:"type:text;not null"`
	DecidedAt   *time.Time
	CreatedAt   time.Time

	Requester *User `gorm:"foreignKey:RequesterID"`
	Decider   *User `gorm:"foreignKey:DeciderID"`
}

// Hazard extension statuses.
const (
	ExtensionPending   = "pending"
	ExtensionApproved  = "approved"
	ExtensionRejected  = "rejected"
	ExtensionCancelled = "cancelled" // the hazard was closed or voided before a decision
)

// HazardTally is one figure of the hazard statistics for one enterprise and one park-local month of
// report: how many of its hazards are now in a status (Dim "status", Item the status), or, of those
// not void, have a level, category or source (Dim "level", "category", "source"); and the time the
// closed ones took (Dim "close_seconds"). It is kept in the
// same transaction as every hazard report and status change, so that the statistics sum a few
// thousand tallies instead of counting a million hazards.
type HazardTally struct {
	// The key runs enterprise, dim, item, month: one enterprise's figures are read in group order,
	// and one figure over the months (a list's total) is a short range.
	EnterpriseID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Dim          string `gorm:"primaryKey;size:16;index:idx_hazard_tallies_month,priority:2"`
	Item         string `gorm:"primaryKey;size:24;index:idx_hazard_tallies_month,priority:3"`
	Month        string `gorm:"primaryKey;size:7;index:idx_hazard_tallies_month,priority:1"` // YYYY-MM
	// The park's sums read (month, dim, item, n) alone: the all-time tallies in group order, a
	// range of months as one range.
	N int64 `gorm:"not null;index:idx_hazard_tallies_month,priority:4"`
}

// Dimensions of the hazard tallies.
const (
	TallyStatus   = "status"
	TallyLevel    = "level"
	TallyCategory = "category"
	TallySource   = "source"
	// TallyAllTime is the Month of the tallies that sum every month, read when no date range is asked.
	TallyAllTime = ""
	// TallyCloseSeconds (Item "") sums the whole seconds from report to close-out of the closed
	// hazards, for their average.
	TallyCloseSeconds = "close_seconds"
)

// HazardTerm is one pair of neighbouring characters of a hazard's code, title, description or
// location (lowercased): the search index, written in the transaction that writes the text.
type HazardTerm struct {
	Term     string `gorm:"primaryKey;size:2"`
	HazardID uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// HazardWeekTally is the weekly trend of one enterprise in one park-local ISO week (YYYY-Www): the
// hazards reported in the week and not void (Found) and those closed in it (Closed). It is kept in
// the same transaction as every report and status change, like HazardTally.
type HazardWeekTally struct {
	Week         string `gorm:"primaryKey;size:8"`
	EnterpriseID uint64 `gorm:"primaryKey;autoIncrement:false;index"`
	Found        int64  `gorm:"not null;default:0"`
	Closed       int64  `gorm:"not null;default:0"`
}
