package service

import (
	"context"

	"gorm.io/gorm"

	"parksafe/model"
)

// HazardInput is what a new hazard needs. Hazards.CreateTx takes it, so that other records (a hygiene
// check's failed area, a leader inspection's unfixed problem) open hazards in their own transaction.
type HazardInput struct {
	EnterpriseID uint64
	Source       string
	Category     string
	Level        string
	Title        string
	Description  string
	Location     string
	Latitude     *float64
	Longitude    *float64
	Requirement  string
	Deadline     string // YYYY-MM-DD, park-local
	// FoundOn is the park-local date the hazard was found when that was before today (a record filed
	// late); the deadline may not be earlier than it. Empty means today.
	FoundOn  string
	PhotoIDs []uint64
	// OriginType and OriginID name the record that opens the hazard, if any.
	OriginType string
	OriginID   uint64
}

// HazardOpener opens a hazard inside the caller's transaction, so that the record that found it
// (a hygiene check's failed area) and the hazard are created together or not at all.
type HazardOpener interface {
	CreateTx(ctx context.Context, tx *gorm.DB, actor Actor, in HazardInput) (*model.Hazard, error)
}

// HazardAmendment corrects a hazard its origin record opened, while the enterprise has not yet acted
// on it: the record was corrected (a Friday round's area re-rated, its note or deadline changed).
type HazardAmendment struct {
	Void        bool    // the finding was withdrawn
	Description *string // the finding's new wording
	Deadline    *string // YYYY-MM-DD
	Comment     string  // why, for the timeline
}

// HazardAmender corrects hazards on behalf of the records that opened them, inside the record's
// transaction.
type HazardAmender interface {
	AmendTx(ctx context.Context, tx *gorm.DB, actor Actor, id uint64, in HazardAmendment) error
}

// HazardWriter opens and corrects the hazards of a record that finds them.
type HazardWriter interface {
	HazardOpener
	HazardAmender
}
