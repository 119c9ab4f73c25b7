package model

import "time"

// OriginLeaderInspection is the OriginType of hazards (and the OwnerType of photos) that belong to a
// leader inspection.
const OriginLeaderInspection = "leader_inspection"

// Interview statuses: scheduled → held → closed, never backwards.
const (
	InterviewScheduled = "scheduled"
	InterviewHeld      = "held"
	InterviewClosed    = "closed"
)

// LeaderInspection is an enterprise's filing of the Monday inspection led by its principal
// (主要负责人周一带队检查). One per enterprise per ISO week, which the unique index guards; Week is
// derived from the park-local InspectedOn. Hazards opened for problems not fixed on the spot point
// back here through Hazard.OriginType/OriginID.
type LeaderInspection struct {
	ID           uint64 `gorm:"primaryKey"`
	EnterpriseID uint64 `gorm:"not null;uniqueIndex:idx_leader_inspections_ent_week,priority:1"`
	Week         string `gorm:"size:8;not null;uniqueIndex:idx_leader_inspections_ent_week,priority:2;index;index:idx_leader_inspections_on_time_week,priority:2"`
	InspectedOn  string `gorm:"size:10;not null"`
	// OnTime is true when InspectedOn is the week's Monday.
	OnTime        bool   `gorm:"not null;index:idx_leader_inspections_on_time_week,priority:1"`
	LeaderName    string `gorm:"size:64;not null"`
	Participants  string `gorm:"size:500;not null;default:''"`
	Areas         string `gorm:"type:text;not null"`
	Findings      string `gorm:"type:text;not null"`
	ProblemsFound int    `gorm:"not null;default:0"`
	ProblemsFixed int    `gorm:"not null;default:0"`
	FiledByID     uint64 `gorm:"not null;index"`
	Version       int    `gorm:"not null;default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Enterprise *Enterprise `gorm:"foreignKey:EnterpriseID"`
	FiledBy    *User       `gorm:"foreignKey:FiledByID"`
}

// Interview is a talk (约谈) the park office holds with an enterprise's principal, usually for missed
// leader inspections. Weeks is a comma-separated list of the ISO weeks it is about (YYYY-Www).
// FeedbackDue is the park-local date by which the enterprise owes its written feedback.
type Interview struct {
	ID           uint64    `gorm:"primaryKey"`
	EnterpriseID uint64    `gorm:"not null;index;index:idx_interviews_ent_scheduled,priority:1"`
	Reason       string    `gorm:"type:text;not null"`
	Weeks        string    `gorm:"size:255;not null;default:''"`
	ScheduledAt  time.Time `gorm:"not null;index;index:idx_interviews_ent_scheduled,priority:2;index:idx_interviews_status_scheduled,priority:2"`
	Place        string    `gorm:"size:128;not null;default:''"`
	Attendee     string    `gorm:"size:128;not null;default:''"`
	Status       string    `gorm:"size:16;not null;index;index:idx_interviews_status_scheduled,priority:1"`
	Minutes      string    `gorm:"type:text;not null"`
	Commitments  string    `gorm:"type:text;not null"`
	FeedbackDue  string    `gorm:"size:10;not null;default:''"`
	Feedback     string    `gorm:"type:text;not null"`
	FeedbackAt   *time.Time
	FeedbackByID *uint64
	Result       string `gorm:"type:text;not null"`
	HeldAt       *time.Time
	ClosedAt     *time.Time
	CreatedByID  uint64 `gorm:"not null"`
	Version      int    `gorm:"not null;default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Enterprise *Enterprise `gorm:"foreignKey:EnterpriseID"`
	CreatedBy  *User       `gorm:"foreignKey:CreatedByID"`
	FeedbackBy *User       `gorm:"foreignKey:FeedbackByID"`
}
