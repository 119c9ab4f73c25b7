package hazard

import (
	"context"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// Finding is what a hazard is, as whoever found it describes it: a report, a hygiene check's failed
// area, a leader inspection's problem not fixed on the spot, a filing's site check.
type Finding struct {
	Category    string
	Level       string
	Title       string
	Description string
	Location    string
	Latitude    *float64
	Longitude   *float64
	Requirement string
	Deadline    string // YYYY-MM-DD, park-local
	PhotoIDs    []uint64
}

// Input is what a new hazard needs: the finding, whose it is and what found it. Service.CreateTx
// takes it, so that other records open hazards in their own transaction.
type Input struct {
	Finding
	EnterpriseID uint64
	Source       string
	// FoundOn is the park-local date the hazard was found when that was before today (a record filed
	// late); the deadline may not be earlier than it. Empty means today.
	FoundOn string
	// OriginType and OriginID name the record that opens the hazard, if any.
	OriginType string
	OriginID   uint64
}

// Input is the finding as a hazard of enterpriseID and source, opened by the record origin
// (originType, originID; none for "", 0) and found on the park-local date foundOn ("" for today).
func (f Finding) Input(enterpriseID uint64, source, originType string, originID uint64, foundOn string) Input {
	return Input{Finding: f, EnterpriseID: enterpriseID, Source: source, FoundOn: foundOn, OriginType: originType, OriginID: originID}
}

// Opener opens a hazard inside the caller's transaction, so that the record that found it
// (a hygiene check's failed area) and the hazard are created together or not at all.
type Opener interface {
	CreateTx(ctx context.Context, tx *gorm.DB, actor service.Actor, in Input) (*model.Hazard, error)
}

// Amendment corrects a hazard its origin record opened, while the enterprise has not yet acted
// on it: the record was corrected (a Friday round's area re-rated, its note or deadline changed).
type Amendment struct {
	Void        bool    // the finding was withdrawn
	Description *string // the finding's new wording
	Deadline    *string // YYYY-MM-DD
	Comment     string  // why, for the timeline
}

// Amender corrects hazards on behalf of the records that opened them, inside the record's
// transaction.
type Amender interface {
	AmendTx(ctx context.Context, tx *gorm.DB, actor service.Actor, id uint64, in Amendment) error
}

// Writer opens and corrects the hazards of a record that finds them.
type Writer interface {
	Opener
	Amender
}
