package app

import (
	"context"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/filing"
	"parksafe/service/hazard"
	"parksafe/service/notify"
	"parksafe/service/photo"
)

// newFilings builds the filing service from the app's services.
func (a *App) newFilings() *filing.Filings {
	d := a.filingDeps(a.Park)
	d.Hazards, d.Notifier = filingHazards{a.Hazards}, filingNotifier{a.Notifier}
	return filing.New(d)
}

// FilingsAt returns a filing service whose clock is park's, for records made as of an earlier time
// (the demo's week of filings): its findings open hazards on the same clock, it notifies nobody
// (a notice would carry today's time) and it runs no jobs.
func (a *App) FilingsAt(park service.ParkTime) *filing.Filings {
	d := a.filingDeps(park)
	d.Hazards = filingHazards{hazard.New(a.DB, park, nil, a.Log)}
	return filing.New(d)
}

func (a *App) filingDeps(park service.ParkTime) filing.Deps {
	return filing.Deps{
		DB:     a.DB,
		Park:   park,
		Photos: filingPhotos{},
		Log:    a.Log,
	}
}

// knownEvent reports whether event names a notification some service sends, so that
// WECHAT_SUBSCRIBE_TEMPLATES may give it a template.
func knownEvent(event string) bool {
	_, hazardsAndInterviews := notify.KindLabels[event]
	_, filings := filing.EventLabels[event]
	return hazardsAndInterviews || filings
}

// filingHazards opens a filing's on-site findings as hazards of source filing.
type filingHazards struct{ hazards *hazard.Service }

func (h filingHazards) OpenTx(ctx context.Context, tx *gorm.DB, actor service.Actor, in filing.HazardInput) (uint64, string, error) {
	hz, err := h.hazards.CreateTx(ctx, tx, actor, hazard.Input{EnterpriseID: in.EnterpriseID, Source: model.SourceFiling,
		Category: in.Category, Level: in.Level, Title: in.Title, Description: in.Description, Location: in.Location,
		Latitude: in.Latitude, Longitude: in.Longitude, Requirement: in.Requirement, Deadline: in.Deadline, PhotoIDs: in.PhotoIDs,
		OriginType: model.OriginFiling, OriginID: in.FilingID})
	if err != nil {
		return 0, "", err
	}
	return hz.ID, hz.Code, nil
}

// filingNotifier hands a filing's notices to the notifier.
type filingNotifier struct{ notifier *notify.Notifier }

func (n filingNotifier) Notify(ctx context.Context, tx *gorm.DB, userIDs []uint64, notice filing.Notice) error {
	return n.notifier.Notify(ctx, tx, userIDs, notify.Notice{Event: notice.Event, Title: notice.Title, Body: notice.Body,
		Link: notice.Link, Occurrence: notice.Occurrence})
}

// filingPhotos links a filing's photos as every record does (photo.Link, PhotosOf).
type filingPhotos struct{}

func (filingPhotos) Link(tx *gorm.DB, actor service.Actor, owner filing.PhotoOwner, ids []uint64, field string, required bool, now time.Time) error {
	ent := owner.EnterpriseID
	return photo.Link(tx, actor, photo.Owner{Type: owner.Type, ID: owner.ID, Role: owner.Role, EnterpriseID: &ent},
		ids, field, required, now)
}

func (filingPhotos) Unlink(tx *gorm.DB, owner filing.PhotoOwner, photoIDs []uint64) error {
	return photo.Unlink(tx, photo.Owner{Type: owner.Type, ID: owner.ID, Role: owner.Role}, photoIDs)
}

func (filingPhotos) Of(db *gorm.DB, ownerType string, ownerIDs []uint64) (map[uint64][]filing.Photo, error) {
	linked, err := photo.ByOwner(db, ownerType, ownerIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64][]filing.Photo, len(linked))
	for id, ps := range linked {
		for _, p := range ps {
			out[id] = append(out[id], filing.Photo{Photo: p.Photo, OwnerID: p.OwnerID, Role: p.Role})
		}
	}
	return out, nil
}
