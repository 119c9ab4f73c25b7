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
