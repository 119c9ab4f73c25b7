package filing

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// maxBoardRows bounds a board or a week view; a park has a few dozen operations a day.
const maxBoardRows = 2000

// KindCount is the number of filings of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// BoardGroup is one enterprise's operations on the board.
type BoardGroup struct {
	EnterpriseID   uint64
	EnterpriseName string
	Rows           []Row
}

// Board is 今日作业: every operation approved or in progress on a park-local day, by enterprise.
// Work still running past its planned end is on it (and flagged) until it is completed.
type Board struct {
	Date        time.Time
	Approved    int
	InProgress  int
	Overrun     int
	ByKind      []KindCount
	Enterprises []BoardGroup
	// Truncated is set when the day had more than maxBoardRows operations and only the first are listed.
	Truncated bool
}

// Board returns the operations of date (YYYY-MM-DD, park-local; empty for today): approved ones whose
// planned span touches the day and has not run out, and everything in progress that started by the
// day's end. An enterprise user sees its own.
func (s *Filings) Board(ctx context.Context, actor service.Actor, date string) (*Board, error) {
	day := s.park.Today()
	if date != "" {
		d, ok := s.park.ParseDate(date)
		if !ok {
			return nil, service.Invalid("date", "日期格式应为 YYYY-MM-DD")
		}
		day = d
	}
	start, end, now := day.UTC(), s.park.EndOfDay(day), s.park.Now()
	q := s.db.WithContext(ctx).Model(&model.Filing{}).Scopes(actor.Scope("filings.enterprise_id")).
		Where("filings.status IN ? AND filings.planned_start < ?", []string{model.FilingApproved, model.FilingInProgress}, end).
		Where("(filings.planned_end > ? OR filings.status = ?)", start, model.FilingInProgress).
		Where("NOT (filings.status = ? AND filings.planned_end <= ?)", model.FilingApproved, now)
	var scanned []rowScan
	if err := withNames(q).Order("filings.enterprise_id, filings.planned_start, filings.id").Limit(maxBoardRows + 1).Find(&scanned).Error; err != nil {
		return nil, err
	}
	b := &Board{Date: day, Enterprises: []BoardGroup{}}
	if len(scanned) > maxBoardRows {
		scanned, b.Truncated = scanned[:maxBoardRows], true
	}
	rows, err := s.rows(s.db.WithContext(ctx), scanned)
	if err != nil {
		return nil, err
	}
	kinds := map[string]int{}
	for _, r := range rows {
		if r.Status == model.FilingApproved {
			b.Approved++
		} else {
			b.InProgress++
		}
		if r.Overrun {
			b.Overrun++
		}
		kinds[r.Kind]++
		if n := len(b.Enterprises); n == 0 || b.Enterprises[n-1].EnterpriseID != r.EnterpriseID {
			g := BoardGroup{EnterpriseID: r.EnterpriseID}
			if r.Enterprise != nil {
				g.EnterpriseName = r.Enterprise.Name
			}
			b.Enterprises = append(b.Enterprises, g)
		}
		g := &b.Enterprises[len(b.Enterprises)-1]
		g.Rows = append(g.Rows, r)
	}
	b.ByKind = kindCounts(kinds)
	return b, nil
}

// kindCounts lists the kinds with a count, in the order of Kinds.
func kindCounts(m map[string]int) []KindCount {
	out := []KindCount{}
	for _, k := range Kinds {
		if m[k] > 0 {
			out = append(out, KindCount{Kind: k, Count: m[k]})
		}
	}
	return out
}

// StatusCount is the number of filings in one status.
type StatusCount struct {
	Status string
	Count  int
}

// WeekEnterprise is one enterprise's operations of a week.
type WeekEnterprise struct {
	EnterpriseID   uint64
	EnterpriseName string
	Operations     int
	Completed      int
	Overran        int
	Expired        int
	Cancelled      int
}

// WeekDay names the operations planned on one park-local day of a week (not cancelled or expired),
// by id into WeekSummary.Rows.
type WeekDay struct {
	Date time.Time
	IDs  []uint64
}

// WeekSummary is a week of filings: the operations whose planned span touches the week (every filing
// but drafts), each once in Rows by planned start, counted by status, kind and enterprise; how many
// ran past their planned end; how many were filed in the week; and which are live on each day. The
// weekly notice reports it as is.
type WeekSummary struct {
	Week         service.Week
	Monday       time.Time
	Filed        int
	Operations   int
	Overran      int
	ByStatus     []StatusCount
	ByKind       []KindCount
	ByEnterprise []WeekEnterprise
	Rows         []Row
	Days         []WeekDay
	Truncated    bool
}

// Overran reports whether r's work ran past its planned end: completed after it, or still going on.
func Overran(r *Row) bool {
	return r.Overrun || (r.CompletedAt != nil && r.CompletedAt.After(r.PlannedEnd))
}

// WeekSummary returns the whole park's week w, for the weekly notice.
func (s *Filings) WeekSummary(ctx context.Context, w service.Week) (*WeekSummary, error) {
	return s.week(ctx, service.Actor{Role: model.RoleAdmin}, w)
}

// Week returns week (YYYY-Www) as the actor may see it: an enterprise user its own filings.
func (s *Filings) Week(ctx context.Context, actor service.Actor, week string) (*WeekSummary, error) {
	w, err := service.ParseWeek(week)
	if err != nil {
		return nil, err
	}
	return s.week(ctx, actor, w)
}

func (s *Filings) week(ctx context.Context, actor service.Actor, w service.Week) (*WeekSummary, error) {
	start, end := s.park.WeekRange(w)
	db := s.db.WithContext(ctx)
	scope := actor.Scope("filings.enterprise_id")
	// The lower bound on the start lets the index range stop a year back instead of at the first filing.
	q := db.Model(&model.Filing{}).Scopes(scope).
		Where("filings.planned_start >= ? AND filings.planned_start < ? AND filings.planned_end > ? AND filings.status <> ?",
			start.Add(-maxSpan), end, start, model.FilingDraft)
	var scanned []rowScan
	if err := withNames(q).Order("filings.planned_start, filings.id").Limit(maxBoardRows + 1).Find(&scanned).Error; err != nil {
		return nil, err
	}
	out := &WeekSummary{Week: w, Monday: s.park.Monday(w), ByEnterprise: []WeekEnterprise{}, Days: make([]WeekDay, 7)}
	if len(scanned) > maxBoardRows {
		scanned, out.Truncated = scanned[:maxBoardRows], true
	}
	var filed int64
	if err := db.Model(&model.Filing{}).Scopes(scope).Where("filings.submitted_at >= ? AND filings.submitted_at < ?", start, end).
		Count(&filed).Error; err != nil {
		return nil, err
	}
	out.Filed = int(filed)
	out.Rows = s.named(scanned)
	for i := range out.Days {
		out.Days[i] = WeekDay{Date: out.Monday.AddDate(0, 0, i), IDs: []uint64{}}
	}
	statuses, kinds := map[string]int{}, map[string]int{}
	ents := map[uint64]*WeekEnterprise{}
	now := s.park.Now()
	for i := range out.Rows {
		r := &out.Rows[i]
		out.Operations++
		statuses[r.Status]++
		kinds[r.Kind]++
		e := ents[r.EnterpriseID]
		if e == nil {
			e = &WeekEnterprise{EnterpriseID: r.EnterpriseID}
			if r.Enterprise != nil {
				e.EnterpriseName = r.Enterprise.Name
			}
			ents[r.EnterpriseID] = e
		}
		e.Operations++
		if Overran(r) {
			out.Overran++
			e.Overran++
		}
		switch r.Status {
		case model.FilingCompleted:
			e.Completed++
		case model.FilingExpired:
			e.Expired++
		case model.FilingCancelled:
			e.Cancelled++
		}
		if r.Status == model.FilingCancelled || r.Status == model.FilingExpired {
			continue
		}
		for i := range out.Days {
			dayStart := out.Days[i].Date.UTC()
			dayEnd := s.park.EndOfDay(out.Days[i].Date)
			ends := r.PlannedEnd
			if r.Status == model.FilingInProgress && now.After(ends) {
				ends = now // still running: on every day up to today
			}
			if r.PlannedStart.Before(dayEnd) && ends.After(dayStart) {
				out.Days[i].IDs = append(out.Days[i].IDs, r.ID)
			}
		}
	}
	for _, st := range Statuses {
		if statuses[st] > 0 {
			out.ByStatus = append(out.ByStatus, StatusCount{Status: st, Count: statuses[st]})
		}
	}
	if out.ByStatus == nil {
		out.ByStatus = []StatusCount{}
	}
	out.ByKind = kindCounts(kinds)
	for _, e := range ents {
		out.ByEnterprise = append(out.ByEnterprise, *e)
	}
	slices.SortFunc(out.ByEnterprise, func(a, b WeekEnterprise) int {
		return cmp.Or(cmp.Compare(b.Operations, a.Operations), cmp.Compare(a.EnterpriseID, b.EnterpriseID))
	})
	return out, nil
}

// Figures are the review figures of a set of filings submitted in a period. FirstPassRate is the
// share of the approved filings that were approved without any request for changes (nil when none
// was approved); the medians are of the hours from the first submission to the first decision
// (review) and to the approval (nil when there is none).
type Figures struct {
	Count               int
	Approved            int
	FirstPass           int
	FirstPassRate       *float64
	MedianReviewHours   *float64
	MedianApprovalHours *float64
	Cancelled           int
	Expired             int

	review, approval []int64
}

// KindStats and EnterpriseStats are the figures of one kind and one enterprise.
type KindStats struct {
	Kind string
	Figures
}

// EnterpriseStats are one enterprise's figures.
type EnterpriseStats struct {
	EnterpriseID   uint64
	EnterpriseName string
	Figures
}

// Stats are the review figures of the filings submitted from From to To (park-local dates,
// inclusive): for the whole (or an enterprise's), by kind (every kind) and by enterprise (every active
// enterprise the actor sees).
type Stats struct {
	From, To     time.Time
	EnterpriseID uint64
	Total        Figures
	ByKind       []KindStats
	ByEnterprise []EnterpriseStats
}

// StatsFilter narrows the statistics; the dates default to the last 90 days.
type StatsFilter struct {
	From, To     string
	EnterpriseID uint64
}

// statsRow is what the statistics read of a filing: the columns of one covering index.
type statsRow struct {
	EnterpriseID    uint64
	Kind            string
	Status          string
	ChangeRounds    int
	ReviewSeconds   *int64
	ApprovalSeconds *int64
}

// Stats returns the review figures of the filings submitted in the filter's period.
func (s *Filings) Stats(ctx context.Context, actor service.Actor, f StatsFilter) (*Stats, error) {
	var v service.Validator
	today := s.park.Today()
	if f.From == "" {
		f.From = today.AddDate(0, 0, -89).Format(time.DateOnly)
	}
	if f.To == "" {
		f.To = today.Format(time.DateOnly)
	}
	start, end := s.dateRange(&v, f.From, f.To)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if actor.IsEnterprise() {
		f.EnterpriseID = actor.EnterpriseID
	}
	db := s.db.WithContext(ctx)
	q := db.Model(&model.Filing{}).Scopes(actor.Scope("enterprise_id")).
		Select("enterprise_id", "kind", "status", "change_rounds", "review_seconds", "approval_seconds").
		Where("submitted_at >= ? AND submitted_at < ?", start, end)
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	rows, err := scanStats(q)
	if err != nil {
		return nil, err
	}
	out := &Stats{From: start.In(s.park.Loc), To: s.park.DateOf(end.Add(-time.Second)), EnterpriseID: f.EnterpriseID}
	kinds := map[string]*Figures{}
	ents := map[uint64]*Figures{}
	for _, r := range rows {
		if kinds[r.Kind] == nil {
			kinds[r.Kind] = &Figures{}
		}
		if ents[r.EnterpriseID] == nil {
			ents[r.EnterpriseID] = &Figures{}
		}
		for _, fig := range []*Figures{&out.Total, kinds[r.Kind], ents[r.EnterpriseID]} {
			fig.add(r)
		}
	}
	out.Total.finish()
	for _, k := range Kinds {
		fig := kinds[k]
		if fig == nil {
			fig = &Figures{}
		}
		fig.finish()
		out.ByKind = append(out.ByKind, KindStats{Kind: k, Figures: *fig})
	}
	var list []model.Enterprise
	eq := db.Model(&model.Enterprise{}).Scopes(actor.Scope("id")).Select("id", "name", "status").Order("id")
	if f.EnterpriseID != 0 {
		eq = eq.Where("id = ?", f.EnterpriseID)
	}
	if err := eq.Find(&list).Error; err != nil {
		return nil, err
	}
	out.ByEnterprise = []EnterpriseStats{}
	for _, e := range list {
		fig := ents[e.ID]
		if fig == nil {
			if e.Status != model.StatusActive {
				continue
			}
			fig = &Figures{}
		}
		fig.finish()
		out.ByEnterprise = append(out.ByEnterprise, EnterpriseStats{EnterpriseID: e.ID, EnterpriseName: e.Name, Figures: *fig})
	}
	return out, nil
}

// scanStats reads the statistics' columns row by row: a year of a busy park is tens of thousands of
// rows, which GORM's reflective scan would spend most of the request on.
func scanStats(q *gorm.DB) ([]statsRow, error) {
	cur, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer cur.Close()
	var out []statsRow
	for cur.Next() {
		var r statsRow
		if err := cur.Scan(&r.EnterpriseID, &r.Kind, &r.Status, &r.ChangeRounds, &r.ReviewSeconds, &r.ApprovalSeconds); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, cur.Err()
}

func (f *Figures) add(r statsRow) {
	f.Count++
	switch r.Status {
	case model.FilingCancelled:
		f.Cancelled++
	case model.FilingExpired:
		f.Expired++
	}
	if r.ReviewSeconds != nil {
		f.review = append(f.review, *r.ReviewSeconds)
	}
	if r.ApprovalSeconds != nil {
		f.Approved++
		f.approval = append(f.approval, *r.ApprovalSeconds)
		if r.ChangeRounds == 0 {
			f.FirstPass++
		}
	}
}

func (f *Figures) finish() {
	if f.Approved > 0 {
		rate := math.Round(float64(f.FirstPass)/float64(f.Approved)*10000) / 10000
		f.FirstPassRate = &rate
	}
	f.MedianReviewHours = medianHours(f.review)
	f.MedianApprovalHours = medianHours(f.approval)
}

// medianHours is the median of seconds in hours to one decimal, nil for none.
func medianHours(seconds []int64) *float64 {
	if len(seconds) == 0 {
		return nil
	}
	s := slices.Clone(seconds)
	slices.Sort(s)
	n := len(s)
	m := float64(s[n/2])
	if n%2 == 0 {
		m = (float64(s[n/2-1]) + float64(s[n/2])) / 2
	}
	h := math.Round(m/360) / 10
	return &h
}
