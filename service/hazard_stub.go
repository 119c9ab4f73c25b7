package service

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
)

// hazardOpenerStub is a stand-in for Hazards.CreateTx while the hazard closed loop is built on its own
// branch: it writes the hazard row, its code, its discovery photos and its "created" event the way the
// contract describes, and validates nothing beyond what its callers already did. The lead replaces it
// with Hazards.CreateTx at merge (app.New wires it; nothing else refers to it).
type hazardOpenerStub struct{ park ParkTime }

// NewHazardOpenerStub returns the temporary HazardOpener; see hazardOpenerStub.
func NewHazardOpenerStub(park ParkTime) HazardOpener { return hazardOpenerStub{park: park} }

// CreateTx implements HazardOpener.
func (s hazardOpenerStub) CreateTx(ctx context.Context, tx *gorm.DB, actor Actor, in HazardInput) (*model.Hazard, error) {
	tx = tx.WithContext(ctx)
	now := s.park.Now()
	deadline, ok := s.park.ParseDate(in.Deadline)
	if !ok {
		return nil, Invalid("deadline", "整改期限格式应为 YYYY-MM-DD")
	}
	code, err := nextHazardCode(tx, s.park.DateOf(now).Format("20060102"))
	if err != nil {
		return nil, err
	}
	h := &model.Hazard{Code: code, EnterpriseID: in.EnterpriseID, Source: in.Source, Category: in.Category, Level: in.Level,
		Title: in.Title, Description: in.Description, Location: in.Location, Latitude: in.Latitude, Longitude: in.Longitude,
		Requirement: in.Requirement, Deadline: in.Deadline, DeadlineAt: s.park.EndOfDay(deadline),
		Status: model.HazardPendingRectify, ReporterID: actor.ID, OriginType: in.OriginType, OriginID: in.OriginID, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(h).Error; err != nil {
		return nil, err
	}
	eid := in.EnterpriseID
	owner := PhotoOwner{Type: "hazard", ID: h.ID, Role: "discovery", EnterpriseID: &eid}
	if err := LinkPhotos(tx, actor, owner, in.PhotoIDs, "photo_ids", true, now); err != nil {
		return nil, err
	}
	ev := model.HazardEvent{HazardID: h.ID, Action: "created", ToStatus: model.HazardPendingRectify,
		ActorID: actor.ID, ActorName: actor.Name, ActorRole: actor.Role, Comment: "", CreatedAt: now}
	return h, tx.Create(&ev).Error
}

// nextHazardCode hands out YH-YYYYMMDD-NNNN for a park-local day. The upsert takes the day's row
// lock (on SQLite the whole write lock) until the transaction ends, so concurrent transactions queue
// and no number is used twice.
func nextHazardCode(tx *gorm.DB, day string) (string, error) {
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "day"}},
		DoUpdates: clause.Assignments(map[string]any{"last": gorm.Expr("last + 1")}),
	}).Create(&model.HazardDaySeq{Day: day, Last: 1}).Error
	if err != nil {
		return "", err
	}
	var seq model.HazardDaySeq
	if err := tx.First(&seq, "day = ?", day).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("YH-%s-%04d", day, seq.Last), nil
}
