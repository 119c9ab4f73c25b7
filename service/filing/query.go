package filing

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/photo"
)

// Row is a filing as lists and boards show it: with its enterprise's and reviewer's names, the first
// permit photo, and whether its work runs past the planned end.
type Row struct {
	model.Filing
	Thumb   *model.Photo
	Overrun bool
}

// Item is a suggestion with the photos of its answer.
type Item struct {
	model.FilingItem
	Photos []model.Photo
}

// Event is a timeline step with its site photos.
type Event struct {
	model.FilingEvent
	Photos []model.Photo
}

// Detail is a filing with its photos, suggestions and timeline.
type Detail struct {
	Row
	Permits     []model.Photo
	Attachments []model.Photo
	Items       []Item
	Events      []Event
}

// Overrun reports whether f's work is still going on at now although its planned end has passed.
func Overrun(f *model.Filing, now time.Time) bool {
	return f.Status == model.FilingInProgress && !now.Before(f.PlannedEnd)
}

// Get returns one filing with everything that happened to it. Another enterprise's is not found.
func (s *Filings) Get(ctx context.Context, actor service.Actor, id uint64) (*Detail, error) {
	f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := db.Preload("Enterprise").Preload("Reviewer").Preload("CreatedBy").First(f, id).Error; err != nil {
		return nil, err
	}
	d := &Detail{Row: Row{Filing: *f, Overrun: Overrun(f, s.park.Now())}, Permits: []model.Photo{}, Attachments: []model.Photo{},
		Items: []Item{}, Events: []Event{}}
	own, err := photo.ByOwner(db, model.OriginFiling, []uint64{id})
	if err != nil {
		return nil, err
	}
	for _, p := range own[id] {
		switch p.Role {
		case RolePermit:
			d.Permits = append(d.Permits, p.Photo)
		case RoleAttachment:
			d.Attachments = append(d.Attachments, p.Photo)
		}
	}
	if len(d.Permits) > 0 {
		d.Thumb = &d.Permits[0]
	}
	var items []model.FilingItem
	if err := db.Where("filing_id = ?", id).Preload("CreatedBy").Preload("AnsweredBy").Order("round, seq").Find(&items).Error; err != nil {
		return nil, err
	}
	itemIDs := make([]uint64, len(items))
	for i := range items {
		itemIDs[i] = items[i].ID
	}
	answers, err := photo.ByOwner(db, model.OwnerFilingItem, itemIDs)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		d.Items = append(d.Items, Item{FilingItem: it, Photos: photosOf(answers[it.ID])})
	}
	var events []model.FilingEvent
	if err := db.Where("filing_id = ?", id).Order("id").Find(&events).Error; err != nil {
		return nil, err
	}
	eventIDs := make([]uint64, len(events))
	for i := range events {
		eventIDs[i] = events[i].ID
	}
	site, err := photo.ByOwner(db, model.OwnerFilingEvent, eventIDs)
	if err != nil {
		return nil, err
	}
	for _, ev := range events {
		d.Events = append(d.Events, Event{FilingEvent: ev, Photos: photosOf(site[ev.ID])})
	}
	return d, nil
}

func photosOf(ps []photo.Linked) []model.Photo {
	out := make([]model.Photo, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Photo)
	}
	return out
}

// Filter narrows a list of filings. Status takes one status or several separated by commas; Q is
// found in the code, title or location (text starting with BB- is the start of a code); From and To
// are park-local dates (inclusive) bounding the planned start. Queue keeps what waits for the
// actor: an inspector's filings to review, the office's filings to approve or to assign, an
// enterprise's drafts, filings to put right and approved or running work.
type Filter struct {
	Status       string
	Kind         string
	Group        string
	EnterpriseID uint64
	ReviewerID   uint64
	Queue        bool
	Q            string
	From, To     string
	// Sort is -created_at (newest first, the default), created_at, planned_start or -planned_start.
	Sort string
}

var sorts = map[string]string{
	"":               "filings.created_at DESC, filings.id DESC",
	"-created_at":    "filings.created_at DESC, filings.id DESC",
	"created_at":     "filings.created_at, filings.id",
	"planned_start":  "filings.planned_start, filings.id",
	"-planned_start": "filings.planned_start DESC, filings.id DESC",
}

// rowScan is a filing with the names a list shows beside it, loaded by one joined query.
type rowScan struct {
	model.Filing
	EnterpriseName *string
	ReviewerName   *string
}

// withNames joins the enterprise's and the reviewer's names into a page query.
var withNames = service.WithNames("filings", "reviewer_id", "reviewer_name")

// List returns a page of filings; an enterprise user sees only its own enterprise's, whatever the
// filters say.
func (s *Filings) List(ctx context.Context, actor service.Actor, f Filter, p service.Page) (*service.List[Row], error) {
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	order, ok := sorts[f.Sort]
	var v service.Validator
	v.Check(ok, "sort", "排序应为 -created_at、created_at、planned_start 或 -planned_start")
	q := s.db.WithContext(ctx).Model(&model.Filing{}).Scopes(actor.Scope("filings.enterprise_id"))
	if f.EnterpriseID != 0 {
		q = q.Where("filings.enterprise_id = ?", f.EnterpriseID)
	}
	if f.ReviewerID != 0 {
		q = q.Where("filings.reviewer_id = ?", f.ReviewerID)
	}
	if f.Status != "" {
		var statuses []string
		for _, st := range strings.Split(f.Status, ",") {
			st = strings.TrimSpace(st)
			if _, ok := StatusLabels[st]; !ok || len(statuses) >= len(Statuses) {
				v.Add("status", "状态应为 "+strings.Join(Statuses, "、")+" 之一，多个用逗号分隔")
				break
			}
			statuses = append(statuses, st)
		}
		q = q.Where("filings.status IN ?", statuses)
	}
	if f.Kind != "" {
		_, ok := KindLabels[f.Kind]
		v.Check(ok, "kind", "报备类型不正确")
		q = q.Where("filings.kind = ?", f.Kind)
	}
	if f.Group != "" {
		var kinds []string
		for _, k := range Kinds {
			if GroupOf(k) == f.Group {
				kinds = append(kinds, k)
			}
		}
		v.Check(len(kinds) > 0, "group", "类别应为 special_operation、major_activity 或 contractor_project")
		q = q.Where("filings.kind IN ?", kinds)
	}
	if f.Queue {
		q = s.queue(q, actor)
	}
	if text := strings.TrimSpace(f.Q); text != "" {
		v.Check(len([]rune(text)) <= 64, "q", "搜索内容不能超过 64 个字")
		pat := service.LikePattern(text)
		if code := strings.ToUpper(text); strings.HasPrefix(code, "BB-") {
			// A code, or its start: a range of the codes' index rather than a scan of every filing.
			q = q.Where("filings.code LIKE ? ESCAPE '!'", strings.TrimPrefix(service.LikePattern(code), "%"))
		} else {
			q = q.Where("(filings.code LIKE ? ESCAPE '!' OR filings.title LIKE ? ESCAPE '!' OR filings.location LIKE ? ESCAPE '!')", pat, pat, pat)
		}
	}
	from, to := s.dateRange(&v, f.From, f.To)
	if !from.IsZero() {
		q = q.Where("filings.planned_start >= ?", from)
	}
	if !to.IsZero() {
		q = q.Where("filings.planned_start < ?", to)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := &service.List[Row]{Page: p.Page, PageSize: p.Size, Items: []Row{}}
	var rows []rowScan
	if err := p.Apply(withNames(q.Session(&gorm.Session{})).Order(order)).Find(&rows).Error; err != nil {
		return nil, err
	}
	if p.Page == 1 && len(rows) < p.Size {
		out.Total = int64(len(rows))
	} else if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	out.Items, err = s.rows(s.db.WithContext(ctx), rows)
	return out, err
}

// queue keeps the filings that wait for actor.
func (s *Filings) queue(q *gorm.DB, actor service.Actor) *gorm.DB {
	switch {
	case actor.IsAdmin():
		return q.Where("(filings.status = ? OR (filings.status IN ? AND filings.reviewer_id IS NULL))", model.FilingPendingAdmin, waitingReview)
	case actor.IsStaff():
		return q.Where("filings.status IN ? AND filings.reviewer_id = ?", waitingReview, actor.ID)
	default:
		return q.Where("filings.status IN ?", []string{model.FilingDraft, model.FilingChangesRequested, model.FilingApproved, model.FilingInProgress})
	}
}

// named turns scanned filings into rows with their names and the overrun flag.
func (s *Filings) named(scanned []rowScan) []Row {
	now := s.park.Now()
	out := make([]Row, len(scanned))
	for i, r := range scanned {
		f := r.Filing
		if r.EnterpriseName != nil {
			f.Enterprise = &model.Enterprise{ID: f.EnterpriseID, Name: *r.EnterpriseName}
		}
		if r.ReviewerName != nil && f.ReviewerID != nil {
			f.Reviewer = &model.User{ID: *f.ReviewerID, Name: *r.ReviewerName}
		}
		out[i] = Row{Filing: f, Overrun: Overrun(&f, now)}
	}
	return out
}

// rows is named with the first permit photo of each (one query for the page).
func (s *Filings) rows(db *gorm.DB, scanned []rowScan) ([]Row, error) {
	ids := make([]uint64, len(scanned))
	for i := range scanned {
		ids[i] = scanned[i].ID
	}
	photos, err := photo.ByOwner(db, model.OriginFiling, ids)
	if err != nil {
		return nil, err
	}
	out := s.named(scanned)
	for i := range out {
		for _, p := range photos[out[i].ID] {
			if p.Role == RolePermit {
				ph := p.Photo
				out[i].Thumb = &ph
				break
			}
		}
	}
	return out, nil
}

// dateRange turns park-local from/to dates (inclusive) into instants [from, to); absent ends are zero.
func (s *Filings) dateRange(v *service.Validator, from, to string) (start, end time.Time) {
	if from != "" {
		d, ok := s.park.ParseDate(from)
		if v.Check(ok, "from", "开始日期格式应为 YYYY-MM-DD") {
			start = d.UTC()
		}
	}
	if to != "" {
		d, ok := s.park.ParseDate(to)
		if v.Check(ok, "to", "结束日期格式应为 YYYY-MM-DD") {
			end = s.park.EndOfDay(d)
		}
	}
	if !start.IsZero() && !end.IsZero() {
		v.Check(start.Before(end), "to", "结束日期不能早于开始日期")
	}
	return start, end
}
