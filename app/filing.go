package app

import (
	"context"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/filing"
)

// newFilings builds the filing service from the app's services and schedules its expiry sweep on
// the app's queue.
func (a *App) newFilings() *filing.Filings {
	d := a.filingDeps(a.Park)
	d.Hazards, d.Notifier, d.Jobs = filingHazards{a.Hazards}, filingNotifier{a.Notifier}, filingJobs{a.Jobs}
	return filing.New(d)
}

// FilingsAt returns a filing service whose clock is park's, for records made as of an earlier time
// (the demo's week of filings): its findings open hazards on the same clock, it notifies nobody
// (a notice would carry today's time) and it runs no jobs.
func (a *App) FilingsAt(park service.ParkTime) *filing.Filings {
	d := a.filingDeps(park)
	d.Hazards = filingHazards{service.NewHazards(a.DB, park, nil)}
	return filing.New(d)
}

func (a *App) filingDeps(park service.ParkTime) filing.Deps {
	return filing.Deps{
		DB:   a.DB,
		Park: park,
		Tx: func(ctx context.Context, fn func(tx *gorm.DB) error) error {
			return service.Transact(ctx, a.DB, fn)
		},
		Next:   service.NextInSequence,
		Photos: filingPhotos{},
		Log:    a.Log,
	}
}

// knownEvent reports whether event names a notification some service sends, so that
// WECHAT_SUBSCRIBE_TEMPLATES may give it a template.
func knownEvent(event string) bool {
	_, hazardsAndInterviews := service.NotificationKindLabels[event]
	_, filings := filing.EventLabels[event]
	return hazardsAndInterviews || filings
}

// filingHazards opens a filing's on-site findings as hazards of source filing.
type filingHazards struct{ hazards *service.Hazards }

func (h filingHazards) OpenTx(ctx context.Context, tx *gorm.DB, actor service.Actor, in filing.HazardInput) (uint64, string, error) {
	hz, err := h.hazards.CreateTx(ctx, tx, actor, service.HazardInput{EnterpriseID: in.EnterpriseID, Source: model.SourceFiling,
		Category: in.Category, Level: in.Level, Title: in.Title, Description: in.Description, Location: in.Location,
		Latitude: in.Latitude, Longitude: in.Longitude, Requirement: in.Requirement, Deadline: in.Deadline, PhotoIDs: in.PhotoIDs,
		OriginType: model.OriginFiling, OriginID: in.FilingID})
	if err != nil {
		return 0, "", err
	}
	return hz.ID, hz.Code, nil
}

// filingNotifier hands a filing's notices to the notifier.
type filingNotifier struct{ notifier *service.Notifier }

func (n filingNotifier) Notify(ctx context.Context, tx *gorm.DB, userIDs []uint64, notice filing.Notice) error {
	return n.notifier.Notify(ctx, tx, userIDs, service.Notice{Event: notice.Event, Title: notice.Title, Body: notice.Body,
		Link: notice.Link, Occurrence: notice.Occurrence})
}

// filingPhotos links a filing's photos as every record does (service.LinkPhotos, PhotosOf).
type filingPhotos struct{}

func (filingPhotos) Link(tx *gorm.DB, actor service.Actor, owner filing.PhotoOwner, ids []uint64, field string, required bool, now time.Time) error {
	ent := owner.EnterpriseID
	return service.LinkPhotos(tx, actor, service.PhotoOwner{Type: owner.Type, ID: owner.ID, Role: owner.Role, EnterpriseID: &ent},
		ids, field, required, now)
}

func (filingPhotos) Unlink(tx *gorm.DB, owner filing.PhotoOwner, photoIDs []uint64) error {
	return tx.Where("owner_type = ? AND owner_id = ? AND role = ? AND photo_id IN ?", owner.Type, owner.ID, owner.Role, photoIDs).
		Delete(&model.PhotoLink{}).Error
}

func (filingPhotos) Of(db *gorm.DB, ownerType string, ownerIDs []uint64) (map[uint64][]filing.Photo, error) {
	linked, err := service.PhotosOf(db, ownerType, ownerIDs)
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

// filingJobs runs the filing service's periodic work on the job queue.
type filingJobs struct{ jobs *service.Jobs }

func (j filingJobs) Every(kind string, period time.Duration, fn func(ctx context.Context) error) {
	j.jobs.Handle(kind, func(ctx context.Context, _ *model.Job) error { return fn(ctx) })
	j.jobs.Every(kind, period)
}
