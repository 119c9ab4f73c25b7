package hazard

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// StatsFilter narrows statistics: park-local creation dates (inclusive) and one enterprise.
// Enterprise users always get their own enterprise's figures.
type StatsFilter struct {
	From, To     string
	EnterpriseID uint64
}

func (f StatsFilter) hazardFilter() Filter {
	return Filter{From: f.From, To: f.To, EnterpriseID: f.EnterpriseID}
}

// Count is the number of hazards with one value of an enum.
type Count struct {
	Key   string
	Count int64
}

// Overview is the park's (or one enterprise's) hazard figures. Found counts every hazard that
// is not void (a voided report was never a real hazard); Rate is Closed/Found, nil when nothing was
// found. The breakdowns by level, category and source count found hazards; by status counts all.
type Overview struct {
	// EnterpriseID is the enterprise counted, 0 for the whole park.
	EnterpriseID                            uint64
	Found, Closed, Open, Overdue, Void      int64
	Rate                                    *float64
	ByLevel, ByCategory, ByStatus, BySource []Count
}

// EnterpriseStat is one enterprise's line of the park's ranking. AvgCloseHours is the mean time from
// report to close-out of its closed hazards, nil when none is closed.
type EnterpriseStat struct {
	EnterpriseID                       uint64
	EnterpriseName                     string
	Found, Closed, Open, Overdue, Void int64
	Rate                               *float64
	AvgCloseHours                      *float64
	// CloseSeconds is the summed report-to-close time of the closed hazards, as the query adds it up.
	CloseSeconds float64
}

// WeekCount is the number of hazards found and closed in one ISO week.
type WeekCount struct {
	Week          service.Week
	Monday        time.Time
	Found, Closed int64
}

// Overview returns the park's (or one enterprise's) hazard figures from the tallies: whole months
// summed from the tallies, the partial months at the ends of a date range counted live. Overdue
// depends on now, so it is the open figure less a live count of the open hazards whose deadline is
// still ahead (an index range on status, deadline_at).
func (s *Service) Overview(ctx context.Context, actor service.Actor, f StatsFilter) (*Overview, error) {
	f.EnterpriseID = ownEnterprise(actor, f.EnterpriseID)
	var out *Overview
	err := service.Snapshot(s.db.WithContext(ctx), func(tx *gorm.DB) (err error) {
		out, err = s.overview(tx, actor, f)
		return err
	})
	if out != nil {
		out.EnterpriseID = f.EnterpriseID
	}
	return out, err
}

// ownEnterprise is the enterprise whose figures the actor gets when it asks for enterpriseID: an
// enterprise user always gets its own, whatever it asked for, so that figures are never labelled
// with another enterprise's id.
func ownEnterprise(actor service.Actor, enterpriseID uint64) uint64 {
	if actor.IsEnterprise() {
		return actor.EnterpriseID
	}
	return enterpriseID
}

// OverviewLive computes the same figures as Overview with one GROUP BY over the hazards themselves:
// the reference the tallies are checked against (CheckTallies, the tests). It is slow at a million
// hazards.
func (s *Service) OverviewLive(ctx context.Context, actor service.Actor, f StatsFilter) (*Overview, error) {
	f.EnterpriseID = ownEnterprise(actor, f.EnterpriseID)
	out, err := s.overviewLive(s.db.WithContext(ctx), actor, f)
	if out != nil {
		out.EnterpriseID = f.EnterpriseID
	}
	return out, err
}

// statsBase returns the filtered hazards query (for the live overdue counts) and the tallied totals
// of f, per enterprise when perEnterprise, else summed under enterprise 0.
func (s *Service) statsBase(db *gorm.DB, actor service.Actor, f StatsFilter, perEnterprise bool) (*gorm.DB, map[uint64]dimTotals, error) {
	q, err := s.filtered(db, actor, f.hazardFilter(), false)
	if err != nil {
		return nil, nil, err
	}
	start, end, err := s.dateRange(f.From, f.To)
	if err != nil {
		return nil, nil, err
	}
	totals, err := s.tallied(db, actor, f.EnterpriseID, start, end, perEnterprise)
	return q, totals, err
}

func (s *Service) overview(db *gorm.DB, actor service.Actor, f StatsFilter) (*Overview, error) {
	q, totals, err := s.statsBase(db, actor, f, false)
	if err != nil {
		return nil, err
	}
	out := summarize(totalsOf(totals, 0))
	// Overdue is open minus open with a deadline still ahead: the latter are few (recent hazards),
	// where the overdue ones can be a whole backlog.
	var ahead int64
	if err := q.Where("status IN ? AND deadline_at > ?", openStatuses, s.park.Now()).Count(&ahead).Error; err != nil {
		return nil, err
	}
	out.Overdue = max(0, out.Open-ahead)
	return out, nil
}

func (s *Service) overviewLive(db *gorm.DB, actor service.Actor, f StatsFilter) (*Overview, error) {
	q, err := s.filtered(db, actor, f.hazardFilter(), false)
	if err != nil {
		return nil, err
	}
	var rows []dimCount
	if err := q.Session(&gorm.Session{}).Select("status, level, category, source, COUNT(*) AS n").
		Group("status, level, category, source").Scan(&rows).Error; err != nil {
		return nil, err
	}
	totals := map[uint64]dimTotals{}
	addCounts(totals, rows)
	out := summarize(totalsOf(totals, 0))
	if err := q.Where("status IN ? AND deadline_at <= ?", openStatuses, s.park.Now()).Count(&out.Overdue).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// statusFigures derives the headline figures from hazard counts by status: found is every hazard
// that is not void.
func statusFigures(byStatus map[string]int64) (found, closed, open, void int64) {
	for st, n := range byStatus {
		switch {
		case st == model.HazardVoid:
			void += n
		case st == model.HazardClosed:
			closed += n
		case isOpen(st):
			open += n
		}
		if st != model.HazardVoid {
			found += n
		}
	}
	return found, closed, open, void
}

// summarize turns hazard counts into the overview, all but the overdue figure.
func summarize(t dimTotals) *Overview {
	out := &Overview{}
	out.Found, out.Closed, out.Open, out.Void = statusFigures(t[model.TallyStatus])
	out.Rate = closeRate(out.Closed, out.Found)
	out.ByLevel = countsOf(Levels, t[model.TallyLevel])
	out.ByCategory = countsOf(Categories, t[model.TallyCategory])
	out.ByStatus = countsOf(Statuses, t[model.TallyStatus])
	out.BySource = countsOf(Sources, t[model.TallySource])
	return out
}

// Enterprises ranks the enterprises worst first: most overdue, then lowest rectification rate, then
// most open hazards. Every active enterprise the actor may see is listed, with zeros when it has no
// hazards; inactive ones only when they have hazards in the range. The figures come from the tallies
// (the partial months at the ends of a range counted live), overdue from a live count.
func (s *Service) Enterprises(ctx context.Context, actor service.Actor, f StatsFilter) (out []EnterpriseStat, err error) {
	err = service.Snapshot(s.db.WithContext(ctx), func(tx *gorm.DB) error {
		out, err = s.enterprises(tx, actor, f)
		return err
	})
	return out, err
}

func (s *Service) enterprises(db *gorm.DB, actor service.Actor, f StatsFilter) ([]EnterpriseStat, error) {
	q, totals, err := s.statsBase(db, actor, f, true)
	if err != nil {
		return nil, err
	}
	// Overdue is open minus open with a deadline still ahead, as in Overview.
	var ahead []struct {
		EnterpriseID uint64
		N            int64
	}
	if err := q.Where("status IN ? AND deadline_at > ?", openStatuses, s.park.Now()).
		Select("enterprise_id, COUNT(*) AS n").Group("enterprise_id").Scan(&ahead).Error; err != nil {
		return nil, err
	}
	rows := make([]EnterpriseStat, 0, len(totals))
	for id, t := range totals {
		st := EnterpriseStat{EnterpriseID: id, CloseSeconds: float64(t[model.TallyCloseSeconds][""])}
		st.Found, st.Closed, st.Open, st.Void = statusFigures(t[model.TallyStatus])
		st.Overdue = st.Open
		if st.Found+st.Void > 0 { // an enterprise "has hazards in the range" as the live GROUP BY finds it
			rows = append(rows, st)
		}
	}
	for _, a := range ahead {
		for i := range rows {
			if rows[i].EnterpriseID == a.EnterpriseID {
				rows[i].Overdue = max(0, rows[i].Overdue-a.N)
			}
		}
	}
	return s.rank(db, actor, f, rows)
}

// EnterprisesLive computes the ranking with one GROUP BY over the hazards themselves: the reference
// the tallies are checked against.
func (s *Service) EnterprisesLive(ctx context.Context, actor service.Actor, f StatsFilter) ([]EnterpriseStat, error) {
	db := s.db.WithContext(ctx)
	q, err := s.filtered(db, actor, f.hazardFilter(), false)
	if err != nil {
		return nil, err
	}
	open := "status IN ('" + strings.Join(openStatuses, "','") + "')"
	var rows []EnterpriseStat
	err = q.Select("enterprise_id, "+
		"SUM(CASE WHEN status <> 'void' THEN 1 ELSE 0 END) AS found, "+
		"SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed, "+
		"SUM(CASE WHEN "+open+" THEN 1 ELSE 0 END) AS open, "+
		"SUM(CASE WHEN "+open+" AND deadline_at <= ? THEN 1 ELSE 0 END) AS overdue, "+
		"SUM(CASE WHEN status = 'void' THEN 1 ELSE 0 END) AS void, "+
		"SUM(CASE WHEN status = 'closed' THEN "+closeSeconds(db)+" ELSE 0 END) AS close_seconds", s.park.Now()).
		Group("enterprise_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return s.rank(db, actor, f, rows)
}

// closeSeconds is the SQL for a closed hazard's whole seconds from report to close-out. SQLite's
// julianday arithmetic is rounded to the millisecond first, so that an exact number of seconds does
// not come out one short.
func closeSeconds(db *gorm.DB) string {
	if db.Dialector.Name() == "mysql" {
		return "TIMESTAMPDIFF(SECOND, created_at, closed_at)"
	}
	return "CAST(ROUND((julianday(closed_at) - julianday(created_at)) * 86400, 3) AS INTEGER)"
}

// rank completes the enterprises' figures (names, rates, average hours, zeros for active
// enterprises without hazards) and sorts them worst first.
func (s *Service) rank(db *gorm.DB, actor service.Actor, f StatsFilter, rows []EnterpriseStat) ([]EnterpriseStat, error) {
	byID := map[uint64]*EnterpriseStat{}
	for i := range rows {
		byID[rows[i].EnterpriseID] = &rows[i]
	}
	var ents []model.Enterprise
	eq := db.Scopes(actor.Scope("id")).Select("id", "name", "status")
	if f.EnterpriseID != 0 {
		eq = eq.Where("id = ?", f.EnterpriseID)
	}
	if err := eq.Find(&ents).Error; err != nil {
		return nil, err
	}
	out := make([]EnterpriseStat, 0, len(ents))
	for _, e := range ents {
		st, ok := byID[e.ID]
		if !ok {
			if e.Status != model.StatusActive {
				continue
			}
			st = &EnterpriseStat{EnterpriseID: e.ID}
		}
		st.EnterpriseName = e.Name
		st.Rate = closeRate(st.Closed, st.Found)
		if st.Closed > 0 {
			avg := math.Round(st.CloseSeconds/float64(st.Closed)/3600*10) / 10
			st.AvgCloseHours = &avg
		}
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b EnterpriseStat) int {
		if c := cmp.Compare(b.Overdue, a.Overdue); c != 0 {
			return c
		}
		if c := compareRate(a.Rate, b.Rate); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Open, a.Open); c != 0 {
			return c
		}
		return cmp.Compare(a.EnterpriseID, b.EnterpriseID)
	})
	return out, nil
}

// Trend counts hazards found (by report time, void excluded) and closed (by close-out time) in each
// of the last weeks ISO weeks, this week last, from the week tallies: a few rows a week.
func (s *Service) Trend(ctx context.Context, actor service.Actor, weeks int, enterpriseID uint64) ([]WeekCount, error) {
	return s.trend(s.db.WithContext(ctx), actor, weeks, enterpriseID)
}

func (s *Service) trend(db *gorm.DB, actor service.Actor, weeks int, enterpriseID uint64) ([]WeekCount, error) {
	out, err := s.trendWeeks(actor, weeks)
	if err != nil {
		return nil, err
	}
	q := db.Model(&model.HazardWeekTally{}).Scopes(actor.Scope("enterprise_id")).
		Where("week >= ? AND week <= ?", out[0].Week.String(), out[len(out)-1].Week.String())
	if enterpriseID = ownEnterprise(actor, enterpriseID); enterpriseID != 0 {
		q = q.Where("enterprise_id = ?", enterpriseID)
	}
	var rows []struct {
		Week          string
		Found, Closed int64
	}
	if err := q.Select("week, SUM(found) AS found, SUM(closed) AS closed").Group("week").Scan(&rows).Error; err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i := range out {
		at[out[i].Week.String()] = i
	}
	for _, r := range rows {
		if i, ok := at[r.Week]; ok {
			out[i].Found, out[i].Closed = r.Found, r.Closed
		}
	}
	return out, nil
}

// trendWeeks validates the number of weeks of a trend and lists them, this week last.
func (s *Service) trendWeeks(actor service.Actor, weeks int) ([]WeekCount, error) {
	if weeks == 0 {
		weeks = 12
	}
	if weeks < 1 || weeks > 104 {
		return nil, service.Invalid("weeks", "周数应在 1 到 104 之间")
	}
	thisMonday := s.park.Monday(s.park.WeekOf(s.park.Now()))
	out := make([]WeekCount, weeks)
	for i := range out {
		m := thisMonday.AddDate(0, 0, -7*(weeks-1-i))
		out[i] = WeekCount{Week: s.park.WeekOf(m), Monday: m}
	}
	return out, nil
}

// TrendLive is Trend counted from the hazards: one GROUP BY over a CASE that buckets the instants
// by the park-local week boundaries, so the time zone is applied exactly and portably. It checks
// the week tallies.
func (s *Service) TrendLive(ctx context.Context, actor service.Actor, weeks int, enterpriseID uint64) ([]WeekCount, error) {
	return s.trendLive(s.db.WithContext(ctx), actor, weeks, enterpriseID)
}

func (s *Service) trendLive(db *gorm.DB, actor service.Actor, weeks int, enterpriseID uint64) ([]WeekCount, error) {
	if weeks == 0 {
		weeks = 12
	}
	if weeks < 1 || weeks > 104 {
		return nil, service.Invalid("weeks", "周数应在 1 到 104 之间")
	}
	enterpriseID = ownEnterprise(actor, enterpriseID)
	thisMonday := s.park.Monday(s.park.WeekOf(s.park.Now()))
	out := make([]WeekCount, weeks)
	bounds := make([]any, 0, weeks)
	for i := range out {
		m := thisMonday.AddDate(0, 0, -7*(weeks-1-i))
		out[i] = WeekCount{Week: s.park.WeekOf(m), Monday: m}
		if i > 0 {
			bounds = append(bounds, m.UTC())
		}
	}
	start, end := out[0].Monday.UTC(), thisMonday.AddDate(0, 0, 7).UTC()
	bucket := func(col string) string {
		if weeks == 1 {
			return "0"
		}
		var b strings.Builder
		b.WriteString("CASE")
		for i := 1; i < weeks; i++ {
			b.WriteString(" WHEN " + col + " < ? THEN " + strconv.Itoa(i-1))
		}
		b.WriteString(" ELSE " + strconv.Itoa(weeks-1) + " END")
		return b.String()
	}
	for _, c := range []struct {
		col, cond string
		dst       func(*WeekCount) *int64
	}{
		{"created_at", "status <> 'void'", func(w *WeekCount) *int64 { return &w.Found }},
		{"closed_at", "status = 'closed'", func(w *WeekCount) *int64 { return &w.Closed }},
	} {
		q, err := s.filtered(db, actor, Filter{EnterpriseID: enterpriseID}, false)
		if err != nil {
			return nil, err
		}
		var rows []struct {
			W int
			N int64
		}
		err = q.Where(c.cond).Where(c.col+" >= ? AND "+c.col+" < ?", start, end).
			Select(bucket(c.col)+" AS w, COUNT(*) AS n", bounds...).Group("w").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.W >= 0 && r.W < weeks {
				*c.dst(&out[r.W]) = r.N
			}
		}
	}
	return out, nil
}

func closeRate(closed, found int64) *float64 {
	if found == 0 {
		return nil
	}
	r := math.Round(float64(closed)/float64(found)*10000) / 10000
	return &r
}

// compareRate orders lower rates first and missing rates (nothing found) last.
func compareRate(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

func countsOf(keys []string, m map[string]int64) []Count {
	out := make([]Count, len(keys))
	for i, k := range keys {
		out[i] = Count{Key: k, Count: m[k]}
	}
	return out
}
