package bulletin

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/filing"
	"parksafe/service/hazard"
	"parksafe/service/hygiene"
	"parksafe/service/leader"
	"parksafe/service/photo"
)

// officeActor reads the whole park for generated notices, which the admin then edits.
var officeActor = service.Actor{Role: model.RoleAdmin, Name: "园区管理办公室"}

// FilingWeeks gives a week of the whole park's filings (filing.Filings), as the filings' week page
// computes it.
type FilingWeeks interface {
	WeekSummary(ctx context.Context, w service.Week) (*filing.WeekSummary, error)
}

// WeekData is the WeeklySource of generated notices: the week's hygiene board, leader report and
// filings, as the hygiene-check, leader-inspection and filing services compute them for the pages.
type WeekData struct {
	db      *gorm.DB
	park    service.ParkTime
	hygiene *hygiene.Service
	leader  *leader.Inspections
	filings FilingWeeks
}

// NewWeekData returns the weekly source over the routines.
func NewWeekData(db *gorm.DB, park service.ParkTime, hygiene *hygiene.Service, leader *leader.Inspections, filings FilingWeeks) *WeekData {
	return &WeekData{db: db, park: park, hygiene: hygiene, leader: leader, filings: filings}
}

// HygieneWeek implements WeeklySource.
func (d *WeekData) HygieneWeek(ctx context.Context, w service.Week) (HygieneWeekData, error) {
	b, err := d.hygiene.WeeklyBoard(ctx, officeActor, w.String())
	if err != nil {
		return HygieneWeekData{}, err
	}
	out := HygieneWeekData{Friday: b.Friday, Checked: len(b.Checked)}
	active, err := d.activeEnterprises(ctx)
	if err != nil {
		return out, err
	}
	out.Enterprises = int(active)
	for _, c := range b.Failed {
		for _, a := range c.Areas {
			if a.Passed {
				continue
			}
			f := HygieneFailure{EnterpriseName: c.Enterprise.Name, Area: a.Area, Note: a.Note, Deadline: c.Deadline}
			for _, p := range b.Photos[a.ID] {
				f.PhotoIDs = append(f.PhotoIDs, p.ID)
			}
			if a.Hazard != nil {
				f.HazardCode, f.Requirement = a.Hazard.Code, a.Hazard.Requirement
			}
			out.Failed = append(out.Failed, f)
		}
	}
	for _, e := range b.NotChecked {
		out.NotChecked = append(out.NotChecked, e.Name)
	}
	// Earlier weeks' hygiene hazards the enterprises have not yet put right.
	start, _ := d.park.WeekRange(w)
	var open []model.Hazard
	err = d.db.WithContext(ctx).Preload("Enterprise").
		Where("source = ? AND created_at < ? AND status = ?", model.SourceHygieneCheck, start, model.HazardPendingRectify).
		Order("deadline, code").Limit(100).Find(&open).Error
	if err != nil {
		return out, err
	}
	now := d.park.Now()
	for _, h := range open {
		out.StillOpen = append(out.StillOpen, OpenHazard{EnterpriseName: h.Enterprise.Name, Code: h.Code, Title: h.Title,
			Deadline: h.Deadline, Overdue: hazard.Overdue(&h, now)})
	}
	out.Filings, err = d.filingWeek(ctx, w)
	return out, err
}

// filingWeek is the week's filings as the hygiene notice reports them.
func (d *WeekData) filingWeek(ctx context.Context, w service.Week) (*FilingWeekData, error) {
	sum, err := d.filings.WeekSummary(ctx, w)
	if err != nil {
		return nil, err
	}
	out := &FilingWeekData{Filed: sum.Filed, Operations: sum.Operations, Truncated: sum.Truncated}
	for _, k := range sum.ByKind {
		out.ByKind = append(out.ByKind, LabelCount{Label: filing.KindLabels[k.Kind], Count: k.Count})
	}
	for _, st := range sum.ByStatus {
		out.ByStatus = append(out.ByStatus, LabelCount{Label: filing.StatusLabels[st.Status], Count: st.Count})
	}
	for i := range sum.Rows {
		r := &sum.Rows[i]
		e := FilingEntry{Code: r.Code, Title: r.Title, Kind: filing.KindText(&r.Filing), PlannedEnd: r.PlannedEnd.In(d.park.Loc),
			Status: filing.StatusLabels[r.Status]}
		if r.Enterprise != nil {
			e.EnterpriseName = r.Enterprise.Name
		}
		if r.CompletedAt != nil {
			e.CompletedAt = new(r.CompletedAt.In(d.park.Loc))
		}
		switch {
		case filing.Overran(r):
			out.Overran = append(out.Overran, e)
		case r.Status == model.FilingExpired:
			out.Expired = append(out.Expired, e)
		}
	}
	return out, nil
}

// LeaderWeek implements WeeklySource.
func (d *WeekData) LeaderWeek(ctx context.Context, w service.Week) (LeaderWeekData, error) {
	r, err := d.leader.WeeklyReport(ctx, officeActor, w.String())
	if err != nil {
		return LeaderWeekData{}, err
	}
	out := LeaderWeekData{Monday: r.Monday}
	active, err := d.activeEnterprises(ctx)
	if err != nil {
		return out, err
	}
	out.Enterprises = int(active)
	var ids []uint64
	for _, e := range slices.Concat(r.Done, r.Late) {
		ids = append(ids, e.InspectionID)
	}
	found := map[uint64]int{}
	if len(ids) > 0 {
		var rows []model.LeaderInspection
		if err := d.db.WithContext(ctx).Select("id", "problems_found").Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return out, err
		}
		for _, li := range rows {
			found[li.ID] = li.ProblemsFound
		}
	}
	photos, err := photo.ByOwner(d.db.WithContext(ctx), model.OriginLeaderInspection, ids)
	if err != nil {
		return out, err
	}
	entry := func(e leader.ReportEntry) LeaderEntry {
		le := LeaderEntry{EnterpriseName: e.EnterpriseName, LeaderName: e.LeaderName, InspectedOn: e.InspectedOn, HazardsFound: found[e.InspectionID]}
		for _, p := range photos[e.InspectionID] {
			le.PhotoIDs = append(le.PhotoIDs, p.ID)
		}
		return le
	}
	for _, e := range r.Done {
		out.Done = append(out.Done, entry(e))
	}
	for _, e := range r.Late {
		out.Late = append(out.Late, entry(e))
	}
	for _, e := range r.Missing {
		out.Missing = append(out.Missing, e.EnterpriseName)
	}
	var interviews []model.Interview
	err = d.db.WithContext(ctx).Preload("Enterprise").Where("weeks LIKE ? ESCAPE '!'", service.LikePattern(w.String())).
		Order("scheduled_at").Find(&interviews).Error
	if err != nil {
		return out, err
	}
	for _, iv := range interviews {
		out.Interviews = append(out.Interviews, InterviewEntry{EnterpriseName: iv.Enterprise.Name, ScheduledAt: iv.ScheduledAt, Place: iv.Place})
	}
	return out, nil
}

func (d *WeekData) activeEnterprises(ctx context.Context) (int64, error) {
	var n int64
	err := d.db.WithContext(ctx).Model(&model.Enterprise{}).Where("status = ?", model.StatusActive).Count(&n).Error
	return n, err
}
