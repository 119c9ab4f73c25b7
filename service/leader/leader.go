// Package leader owns the Monday leader inspections (主要负责人带队检查) an enterprise files, with
// the hazards they open, the weekly report of who inspected on time, late or not at all, and the
// interviews (约谈) the park office holds with enterprises that did not.
package leader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/photo"
)

// Limits of a leader inspection filing.
const (
	maxLeaderHazards = 20
	maxProblems      = 1000
	// maxMissedStreak bounds how far back a missed streak is counted.
	maxMissedStreak = 52
)

// OnTimeLabels labels the on_time flag of a filing.
var OnTimeLabels = map[bool]string{true: "周一按时开展", false: "未在周一开展"}

// Input is an enterprise's filing of its Monday leader inspection.
type Input struct {
	InspectedOn   string // YYYY-MM-DD, park-local
	LeaderName    string // empty: the enterprise's registered principal
	Participants  string
	Areas         string
	Findings      string
	ProblemsFound int
	ProblemsFixed int // fixed on the spot
	PhotoIDs      []uint64
	Hazards       []hazard.Finding // problems not fixed on the spot, opened as hazards reported by the enterprise itself
}

// Filter narrows a list of filings.
type Filter struct {
	Week         string
	EnterpriseID uint64
	OnTime       *bool
}

// Detail is a filing with its photos and the hazards it opened.
type Detail struct {
	model.LeaderInspection
	Photos  []model.Photo
	Hazards []model.Hazard
}

// ReportEntry is one enterprise in a weekly report. Inspection fields are set for done and
// late entries, MissedStreak for missing ones.
type ReportEntry struct {
	EnterpriseID   uint64
	EnterpriseName string
	InspectionID   uint64
	InspectedOn    string
	LeaderName     string
	FiledAt        time.Time
	// MissedStreak counts the consecutive weeks missed up to the report's week, that week included
	// once it is over.
	MissedStreak int
}

// WeeklyReport is who did the Monday inspection of a week: on the Monday (done), on another
// day (late), or not at all (missing, active enterprises only).
type WeeklyReport struct {
	Week    service.Week
	Monday  time.Time
	Done    []ReportEntry
	Late    []ReportEntry
	Missing []ReportEntry
}

// StatsRow is one enterprise's record over the statistics window.
type StatsRow struct {
	EnterpriseID   uint64
	EnterpriseName string
	Done           int
	Late           int
	Missed         int
}

// Stats is the per-enterprise record over the last Weeks weeks, From to To (the current week).
type Stats struct {
	Weeks int
	From  service.Week
	To    service.Week
	Items []StatsRow
}

// Inspections files and reports the Monday leader inspections.
type Inspections struct {
	db      *gorm.DB
	park    service.ParkTime
	hazards hazard.Opener
}

// NewInspections returns the service; hazards opens the hazards a filing attaches.
func NewInspections(db *gorm.DB, park service.ParkTime, hazards hazard.Opener) *Inspections {
	return &Inspections{db: db, park: park, hazards: hazards}
}

// File records the actor's enterprise's inspection for the ISO week of InspectedOn. Only enterprise
// users file, for their own enterprise; one filing per enterprise and week.
func (s *Inspections) File(ctx context.Context, actor service.Actor, in Input) (*Detail, error) {
	if !actor.IsEnterprise() || actor.EnterpriseID == 0 {
		return nil, service.Forbidden("主要负责人带队检查由企业用户填报")
	}
	var ent model.Enterprise
	if err := s.db.WithContext(ctx).First(&ent, actor.EnterpriseID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("企业")
	} else if err != nil {
		return nil, err
	}
	li, err := s.newFiling(&ent, actor, in)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&model.LeaderInspection{}).Where("enterprise_id = ? AND week = ?", li.EnterpriseID, li.Week).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, duplicateWeek(li.Week)
	}
	now := s.park.Now()
	li.CreatedAt, li.UpdatedAt = now, now // the service clock, so a filing's time agrees with its checks
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		li.ID = 0
		if err := tx.Create(li).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return duplicateWeek(li.Week) // another device of the enterprise won the race
			}
			return err
		}
		eid := li.EnterpriseID
		owner := photo.Owner{Type: model.OriginLeaderInspection, ID: li.ID, EnterpriseID: &eid}
		if err := photo.Link(tx, actor, owner, in.PhotoIDs, "photo_ids", true, now); err != nil {
			return err
		}
		for i, h := range in.Hazards {
			_, err := s.hazards.CreateTx(ctx, tx, actor,
				h.Input(eid, model.SourceLeaderInspection, model.OriginLeaderInspection, li.ID, li.InspectedOn))
			if err != nil {
				return prefixFields(err, fmt.Sprintf("hazards.%d.", i))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, li.ID)
}

// newFiling checks a filing and builds the record; every problem of the form is reported at once.
func (s *Inspections) newFiling(ent *model.Enterprise, actor service.Actor, in Input) (*model.LeaderInspection, error) {
	var v service.Validator
	li := &model.LeaderInspection{EnterpriseID: ent.ID, FiledByID: actor.ID, Version: 1,
		LeaderName: strings.TrimSpace(in.LeaderName), Participants: strings.TrimSpace(in.Participants),
		Areas: strings.TrimSpace(in.Areas), Findings: strings.TrimSpace(in.Findings),
		ProblemsFound: in.ProblemsFound, ProblemsFixed: in.ProblemsFixed}
	today := s.park.Today()
	earliest := s.park.Monday(s.park.WeekOf(today)).AddDate(0, 0, -7)
	d, ok := s.park.ParseDate(strings.TrimSpace(in.InspectedOn))
	switch {
	case strings.TrimSpace(in.InspectedOn) == "":
		v.Add("inspected_on", "请填写检查日期")
	case !ok:
		v.Add("inspected_on", "检查日期格式应为 YYYY-MM-DD")
	case d.After(today):
		v.Add("inspected_on", "检查日期不能晚于今天")
	case d.Before(earliest):
		v.Add("inspected_on", "只能填报本周或上周的带队检查（最早 "+earliest.Format(time.DateOnly)+"）")
	default:
		li.InspectedOn = d.Format(time.DateOnly)
		li.Week = s.park.WeekOf(d).String()
		li.OnTime = d.Weekday() == time.Monday
	}
	if li.LeaderName == "" {
		li.LeaderName = ent.PrincipalName
	}
	v.Text(li.LeaderName, "leader_name", "带队负责人姓名", true, 64)
	v.Text(li.Participants, "participants", "参加人员", false, 500)
	v.Text(li.Areas, "areas", "检查区域", true, 2000)
	v.Text(li.Findings, "findings", "检查情况", true, 5000)
	v.Check(li.ProblemsFound >= 0 && li.ProblemsFound <= maxProblems, "problems_found", "发现问题数应在 0 到 1000 之间")
	v.Check(li.ProblemsFixed >= 0, "problems_fixed", "当场整改数不能为负数")
	v.Check(li.ProblemsFixed <= li.ProblemsFound, "problems_fixed", "当场整改数不能超过发现问题数")
	v.Check(len(in.PhotoIDs) > 0, "photo_ids", "请至少上传一张检查照片")
	v.Check(len(in.Hazards) <= maxLeaderHazards, "hazards", "一次最多登记 20 条隐患")
	if !v.Has("problems_found") && !v.Has("problems_fixed") {
		v.Check(len(in.Hazards) <= li.ProblemsFound-li.ProblemsFixed, "hazards", "登记的隐患数不能超过未当场整改的问题数")
	}
	return li, v.Err()
}

func duplicateWeek(week string) error {
	return &service.Error{Code: service.CodeConflict, Message: "本企业 " + week + " 周的主要负责人带队检查已填报，不能重复填报",
		Fields: map[string]string{"inspected_on": "该周已填报"}}
}

// prefixFields names the fields of a validation error after their place in a nested list (e.g.
// "hazards.0.title"), without changing a shared error value.
func prefixFields(err error, prefix string) error {
	var e *service.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make(map[string]string, len(e.Fields))
	for k, r := range e.Fields {
		out.Fields[prefix+k] = r
	}
	return &out
}

// Get returns one filing; another enterprise's is not found.
func (s *Inspections) Get(ctx context.Context, actor service.Actor, id uint64) (*Detail, error) {
	var li model.LeaderInspection
	err := s.db.WithContext(ctx).Scopes(actor.Scope("enterprise_id")).Preload("Enterprise").Preload("FiledBy").First(&li, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("带队检查记录")
	} else if err != nil {
		return nil, err
	}
	out, err := s.details(ctx, []model.LeaderInspection{li})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// List returns a page of filings, newest week first; an enterprise user sees only its own.
func (s *Inspections) List(ctx context.Context, actor service.Actor, f Filter, p service.Page) (*service.List[Detail], error) {
	q := s.db.WithContext(ctx).Model(&model.LeaderInspection{}).Scopes(actor.Scope("enterprise_id"))
	if f.Week != "" {
		w, err := service.ParseWeek(f.Week)
		if err != nil {
			return nil, err
		}
		q = q.Where("week = ?", w.String())
	}
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if f.OnTime != nil {
		q = q.Where("on_time = ?", *f.OnTime)
	}
	order := service.Order[model.LeaderInspection]{Name: "-week", Column: "week", ID: "id", Desc: true,
		Key: func(li *model.LeaderInspection) (any, uint64) { return li.Week, li.ID }}
	page, err := service.Seek(q, p, order, service.Fingerprint(f), service.CappedCount(q),
		func(db *gorm.DB) *gorm.DB { return db.Preload("Enterprise").Preload("FiledBy") })
	if err != nil {
		return nil, err
	}
	items, err := s.details(ctx, page.Items)
	if err != nil {
		return nil, err
	}
	return service.WithItems(page, items), nil
}

// details loads the photos and opened hazards of filings, one query each whatever their number.
func (s *Inspections) details(ctx context.Context, lis []model.LeaderInspection) ([]Detail, error) {
	out := make([]Detail, len(lis))
	ids := make([]uint64, len(lis))
	for i := range lis {
		ids[i] = lis[i].ID
		out[i] = Detail{LeaderInspection: lis[i], Photos: []model.Photo{}, Hazards: []model.Hazard{}}
	}
	if len(ids) == 0 {
		return out, nil
	}
	db := s.db.WithContext(ctx)
	photos, err := photo.ByOwner(db, model.OriginLeaderInspection, ids)
	if err != nil {
		return nil, err
	}
	var hazards []model.Hazard
	if err := db.Where("origin_type = ? AND origin_id IN ?", model.OriginLeaderInspection, ids).Order("id").Find(&hazards).Error; err != nil {
		return nil, err
	}
	byOrigin := map[uint64][]model.Hazard{}
	for _, h := range hazards {
		byOrigin[h.OriginID] = append(byOrigin[h.OriginID], h)
	}
	for i := range out {
		out[i].Photos = photo.WithRole(photos[out[i].ID], "")
		if hs := byOrigin[out[i].ID]; hs != nil {
			out[i].Hazards = hs
		}
	}
	return out, nil
}

// WeeklyReport tells, for ISO week, which enterprises inspected on the Monday (done), on another day
// (late), or not at all (missing: active enterprises without a filing). An enterprise user gets the
// report restricted to its own enterprise. A week not yet begun is refused.
func (s *Inspections) WeeklyReport(ctx context.Context, actor service.Actor, week string) (*WeeklyReport, error) {
	w, err := service.ParseWeek(week)
	if err != nil {
		return nil, err
	}
	if w.String() > s.park.WeekOf(s.park.Now()).String() {
		return nil, service.Invalid("week", "该周尚未开始")
	}
	db := s.db.WithContext(ctx)
	var filed []model.LeaderInspection
	if err := db.Scopes(actor.Scope("enterprise_id")).Preload("Enterprise").Where("week = ?", w.String()).Find(&filed).Error; err != nil {
		return nil, err
	}
	rep := &WeeklyReport{Week: w, Monday: s.park.Monday(w), Done: []ReportEntry{}, Late: []ReportEntry{}, Missing: []ReportEntry{}}
	filedIDs := []uint64{0} // keeps NOT IN valid when nothing was filed
	for _, li := range filed {
		filedIDs = append(filedIDs, li.EnterpriseID)
		e := ReportEntry{EnterpriseID: li.EnterpriseID, InspectionID: li.ID, InspectedOn: li.InspectedOn,
			LeaderName: li.LeaderName, FiledAt: li.CreatedAt}
		if li.Enterprise != nil {
			e.EnterpriseName = li.Enterprise.Name
		}
		if li.OnTime {
			rep.Done = append(rep.Done, e)
		} else {
			rep.Late = append(rep.Late, e)
		}
	}
	byName := func(es []ReportEntry) {
		sort.SliceStable(es, func(i, j int) bool { return es[i].EnterpriseName < es[j].EnterpriseName })
	}
	byName(rep.Done)
	byName(rep.Late)
	var missing []model.Enterprise
	// An enterprise registered after the week owed nothing in it.
	if err := db.Scopes(actor.Scope("id")).Where("status = ? AND id NOT IN ? AND created_at < ?", model.StatusActive, filedIDs, s.park.Monday(w).AddDate(0, 0, 7).UTC()).
		Order("name, id").Find(&missing).Error; err != nil {
		return nil, err
	}
	streaks, err := s.missedStreaks(ctx, missing, w)
	if err != nil {
		return nil, err
	}
	for _, e := range missing {
		rep.Missing = append(rep.Missing, ReportEntry{EnterpriseID: e.ID, EnterpriseName: e.Name, MissedStreak: streaks[e.ID]})
	}
	return rep, nil
}

// firstWeek returns the earliest week anyone filed: the park started the routine then, so earlier
// weeks do not count as missed. ok is false when nothing was ever filed.
func (s *Inspections) firstWeek(ctx context.Context) (service.Week, bool, error) {
	var first sql.NullString
	if err := s.db.WithContext(ctx).Model(&model.LeaderInspection{}).Select("MIN(week)").Scan(&first).Error; err != nil {
		return service.Week{}, false, err
	}
	if !first.Valid || first.String == "" {
		return service.Week{}, false, nil
	}
	w, err := service.ParseWeek(first.String)
	return w, err == nil, err
}

// countsFrom returns the first week in which a missing filing counts against an enterprise: the later
// of the park's first filed week (the routine had not started before it) and the week the enterprise
// was registered (it could not have filed before). ok is false when the park has never filed.
func (s *Inspections) countsFrom(parkFirst service.Week, parkStarted bool, registered time.Time) (service.Week, bool) {
	if !parkStarted {
		return service.Week{}, false
	}
	reg := s.park.WeekOf(registered)
	if reg.String() > parkFirst.String() {
		return reg, true
	}
	return parkFirst, true
}

// missedStreaks counts, for enterprises that did not file in week w, how many consecutive weeks up
// to w they have missed: weeks that are over, back to their last filing, no further than countsFrom
// and 52 weeks.
func (s *Inspections) missedStreaks(ctx context.Context, ents []model.Enterprise, w service.Week) (map[uint64]int, error) {
	out := make(map[uint64]int, len(ents))
	if len(ents) == 0 {
		return out, nil
	}
	first, started, err := s.firstWeek(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(ents))
	for i, e := range ents {
		ids[i] = e.ID
	}
	var rows []struct {
		EnterpriseID uint64
		Last         string
	}
	err = s.db.WithContext(ctx).Model(&model.LeaderInspection{}).Select("enterprise_id, MAX(week) AS last").
		Where("enterprise_id IN ? AND week < ?", ids, w.String()).
		Group("enterprise_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	last := map[uint64]string{}
	for _, r := range rows {
		last[r.EnterpriseID] = r.Last
	}
	end := s.park.LastEnded(w)
	window := w.Add(-(maxMissedStreak - 1))
	for _, e := range ents {
		start, ok := s.countsFrom(first, started, e.CreatedAt)
		if !ok {
			continue
		}
		if window.String() > start.String() {
			start = window
		}
		if l, ok := last[e.ID]; ok {
			lw, err := service.ParseWeek(l)
			if err != nil {
				return nil, err
			}
			if after := lw.Add(1); after.String() > start.String() {
				start = after
			}
		}
		if end.String() >= start.String() {
			out[e.ID] = end.Sub(start) + 1
		}
	}
	return out, nil
}

// Stats counts, per active enterprise, the weeks done on time, done late and missed over the last
// `weeks` weeks up to the current one. The current week counts as missed only once it is over, and
// weeks before the park's first filing not at all.
func (s *Inspections) Stats(ctx context.Context, actor service.Actor, weeks int) (*Stats, error) {
	if weeks == 0 {
		weeks = 4
	}
	if weeks < 1 || weeks > maxMissedStreak {
		return nil, service.Invalid("weeks", "统计周数应在 1 到 52 之间")
	}
	to := s.park.WeekOf(s.park.Now())
	from := to.Add(-(weeks - 1))
	out := &Stats{Weeks: weeks, From: from, To: to, Items: []StatsRow{}}
	db := s.db.WithContext(ctx)
	var ents []model.Enterprise
	if err := db.Scopes(actor.Scope("id")).Where("status = ?", model.StatusActive).Order("name, id").Find(&ents).Error; err != nil {
		return nil, err
	}
	if len(ents) == 0 {
		return out, nil
	}
	ids := make([]uint64, len(ents))
	for i, e := range ents {
		ids[i] = e.ID
	}
	var filed []model.LeaderInspection
	if err := db.Select("enterprise_id, week, on_time").Where("enterprise_id IN ? AND week >= ? AND week <= ?", ids, from.String(), to.String()).Find(&filed).Error; err != nil {
		return nil, err
	}
	first, started, err := s.firstWeek(ctx)
	if err != nil {
		return nil, err
	}
	rows := map[uint64]*StatsRow{}
	for _, e := range ents {
		rows[e.ID] = &StatsRow{EnterpriseID: e.ID, EnterpriseName: e.Name}
	}
	filedWeeks := map[uint64][]string{}
	for _, li := range filed {
		r := rows[li.EnterpriseID]
		if li.OnTime {
			r.Done++
		} else {
			r.Late++
		}
		filedWeeks[li.EnterpriseID] = append(filedWeeks[li.EnterpriseID], li.Week)
	}
	// Weeks that count as missed when nothing was filed: those in the window from countsFrom on, up
	// to the week before the current one.
	end := to.Add(-1)
	for _, e := range ents {
		r := rows[e.ID]
		if start, ok := s.countsFrom(first, started, e.CreatedAt); ok {
			if from.String() > start.String() {
				start = from
			}
			if end.String() >= start.String() {
				missed := end.Sub(start) + 1
				for _, fw := range filedWeeks[e.ID] {
					if fw >= start.String() && fw <= end.String() {
						missed--
					}
				}
				r.Missed = max(0, missed)
			}
		}
		out.Items = append(out.Items, *r)
	}
	return out, nil
}
