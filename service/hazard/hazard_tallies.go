package hazard

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
)

// tallyKey names the columns of a hazard tally's key, in primary-key order.
var tallyKey = []clause.Column{{Name: "enterprise_id"}, {Name: "dim"}, {Name: "item"}, {Name: "month"}}

// month returns the park-local month (YYYY-MM) of instant t, the month a hazard's tally belongs to.
func (s *Service) month(t time.Time) string { return t.In(s.park.Loc).Format("2006-01") }

// monthStart returns the first instant of the park-local month of t.
func (s *Service) monthStart(t time.Time) time.Time {
	l := t.In(s.park.Loc)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, s.park.Loc).UTC()
}

// tallyDelta is a change of one tally of a hazard's enterprise and month.
type tallyDelta struct {
	dim, item string
	n         int64
}

// tallyDeltas adds n to the tallies a hazard with status and h's level, category and source counts in.
func tallyDeltas(ds []tallyDelta, h *model.Hazard, status string, n int64) []tallyDelta {
	ds = append(ds, tallyDelta{model.TallyStatus, status, n})
	if status != model.HazardVoid {
		ds = append(ds, tallyDelta{model.TallyLevel, h.Level, n}, tallyDelta{model.TallyCategory, h.Category, n},
			tallyDelta{model.TallySource, h.Source, n})
	}
	return ds
}

// countChange moves h from status from ("" for a new hazard) to its current status in the tallies,
// inside the transaction that changes it. Changes that cancel out are skipped, and the rest written
// in key order so that opposite transitions running at once (rectify and reject) cannot deadlock on
// each other's tallies.
func (s *Service) countChange(tx *gorm.DB, h *model.Hazard, from string) error {
	if from == h.Status {
		return nil
	}
	ds := tallyDeltas(nil, h, h.Status, 1)
	if from != "" {
		ds = tallyDeltas(ds, h, from, -1)
	}
	if h.Status == model.HazardClosed && h.ClosedAt != nil { // closed is final: counted once
		ds = append(ds, tallyDelta{model.TallyCloseSeconds, "", closeSecondsOf(h.CreatedAt, *h.ClosedAt)})
	}
	net := map[tallyDelta]int64{}
	for _, d := range ds {
		net[tallyDelta{d.dim, d.item, 0}] += d.n
	}
	keys := slices.SortedFunc(maps.Keys(net), func(a, b tallyDelta) int {
		return cmp.Or(strings.Compare(a.dim, b.dim), strings.Compare(a.item, b.item))
	})
	for _, k := range keys {
		n := net[k]
		if n == 0 {
			continue
		}
		for _, month := range []string{model.TallyAllTime, s.month(h.CreatedAt)} { // key order
			t := model.HazardTally{EnterpriseID: h.EnterpriseID, Month: month, Dim: k.dim, Item: k.item, N: n}
			err := tx.Clauses(clause.OnConflict{Columns: tallyKey,
				DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("hazard_tallies.n + ?", n)})}).Create(&t).Error
			if err != nil {
				return err
			}
		}
	}
	return s.countWeeks(tx, h, from)
}

// countWeeks follows a change of h from status from in the weekly trend's tallies: a report counts
// as found in its week unless void, voiding takes it out again, and closing counts in the week of
// the close-out. Each change touches one row.
func (s *Service) countWeeks(tx *gorm.DB, h *model.Hazard, from string) error {
	col, week, n := "", "", int64(0)
	switch {
	case from == "" && h.Status != model.HazardVoid:
		col, week, n = "found", s.park.WeekOf(h.CreatedAt).String(), 1
	case from != "" && from != model.HazardVoid && h.Status == model.HazardVoid:
		col, week, n = "found", s.park.WeekOf(h.CreatedAt).String(), -1
	case h.Status == model.HazardClosed && h.ClosedAt != nil:
		col, week, n = "closed", s.park.WeekOf(*h.ClosedAt).String(), 1
	default:
		return nil
	}
	t := model.HazardWeekTally{Week: week, EnterpriseID: h.EnterpriseID}
	if col == "found" {
		t.Found = n
	} else {
		t.Closed = n
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "week"}, {Name: "enterprise_id"}},
		DoUpdates: clause.Assignments(map[string]any{col: gorm.Expr("hazard_week_tallies."+col+" + ?", n)})}).Create(&t).Error
}

// rebuildWeeks recounts the weekly trend's tallies inside tx, reading the hazards in id order a
// batch at a time: the week of an instant is computed here, where the park's zone is known.
func (s *Service) rebuildWeeks(tx *gorm.DB) error {
	if err := tx.Where("1 = 1").Delete(&model.HazardWeekTally{}).Error; err != nil {
		return err
	}
	type key struct {
		week string
		ent  uint64
	}
	sum := map[key]*model.HazardWeekTally{}
	add := func(week string, ent uint64) *model.HazardWeekTally {
		k := key{week, ent}
		if sum[k] == nil {
			sum[k] = &model.HazardWeekTally{Week: week, EnterpriseID: ent}
		}
		return sum[k]
	}
	var last uint64
	for {
		var hs []model.Hazard
		err := tx.Select("id", "enterprise_id", "status", "created_at", "closed_at").Where("id > ?", last).Order("id").Limit(10000).Find(&hs).Error
		if err != nil {
			return err
		}
		if len(hs) == 0 {
			break
		}
		last = hs[len(hs)-1].ID
		for _, h := range hs {
			if h.Status != model.HazardVoid {
				add(s.park.WeekOf(h.CreatedAt).String(), h.EnterpriseID).Found++
			}
			if h.Status == model.HazardClosed && h.ClosedAt != nil {
				add(s.park.WeekOf(*h.ClosedAt).String(), h.EnterpriseID).Closed++
			}
		}
	}
	rows := make([]model.HazardWeekTally, 0, len(sum))
	for _, t := range sum {
		rows = append(rows, *t)
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 1000).Error
}

// closeSecondsOf is the whole seconds from created to closed, as closeSeconds computes them in SQL.
func closeSecondsOf(created, closed time.Time) int64 {
	return int64(closed.Sub(created).Round(time.Millisecond) / time.Second)
}

// EnsureTallies rebuilds the hazard tallies when there are none but there are hazards: a database
// from before the tallies, or one filled by a bulk import that bypassed the service.
func (s *Service) EnsureTallies(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	// Existence checks that read one row, not counts that read every row.
	var ids, weeks []uint64
	if err := db.Model(&model.HazardTally{}).Limit(1).Pluck("enterprise_id", &ids).Error; err != nil {
		return err
	}
	if err := db.Model(&model.HazardWeekTally{}).Limit(1).Pluck("enterprise_id", &weeks).Error; err != nil || len(ids) > 0 && len(weeks) > 0 {
		return err
	}
	if err := db.Model(&model.Hazard{}).Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return err
	}
	return s.RebuildTallies(ctx)
}

// RebuildTallies recounts every tally from the hazards, in a transaction with the deletion of the
// old ones: the repair when CheckTallies finds a difference. One GROUP BY counts the hazards by
// enterprise, park-local month, status, level, category and source (the month bucketed by a CASE
// over month boundaries computed here, so the time zone is applied exactly on both engines); the
// tallies are summed from that. A hazard change running meanwhile waits on the deleted tallies and
// adds its own change after the rebuild commits.
func (s *Service) RebuildTallies(ctx context.Context) error {
	return service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&model.HazardTally{}).Error; err != nil {
			return err
		}
		if err := s.rebuildWeeks(tx); err != nil {
			return err
		}
		// Two ordered reads rather than MIN/MAX, whose results SQLite hands back as text.
		var first, last model.Hazard
		err := tx.Select("created_at").Order("created_at").Take(&first).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if err := tx.Select("created_at").Order("created_at DESC").Take(&last).Error; err != nil {
			return err
		}
		var b strings.Builder
		var args []any
		b.WriteString("CASE")
		m := s.monthStart(first.CreatedAt)
		for {
			next := s.monthStart(m.AddDate(0, 0, 32))
			if next.After(last.CreatedAt) {
				break
			}
			b.WriteString(" WHEN created_at < ? THEN ?")
			args = append(args, next, s.month(m))
			m = next
		}
		b.WriteString(" ELSE ? END")
		args = append(args, s.month(m))
		var rows []struct {
			EnterpriseID                    uint64
			M                               string
			Status, Level, Category, Source string
			N, Secs                         int64
		}
		if err := tx.Model(&model.Hazard{}).Select("enterprise_id, "+b.String()+" AS m, status, level, category, source, COUNT(*) AS n, "+
			"SUM(CASE WHEN status = 'closed' THEN "+closeSeconds(tx)+" ELSE 0 END) AS secs", args...).
			Group("enterprise_id, m, status, level, category, source").Scan(&rows).Error; err != nil {
			return err
		}
		type cell struct {
			ent       uint64
			month     string
			dim, item string
		}
		sum := map[cell]int64{}
		for _, r := range rows {
			h := model.Hazard{Level: r.Level, Category: r.Category, Source: r.Source}
			for _, d := range tallyDeltas(nil, &h, r.Status, r.N) {
				sum[cell{r.EnterpriseID, r.M, d.dim, d.item}] += d.n
			}
			if r.Status == model.HazardClosed {
				sum[cell{r.EnterpriseID, r.M, model.TallyCloseSeconds, ""}] += r.Secs
			}
		}
		tallies := make([]model.HazardTally, 0, len(sum))
		for c, n := range sum {
			tallies = append(tallies, model.HazardTally{EnterpriseID: c.ent, Month: c.month, Dim: c.dim, Item: c.item, N: n})
		}
		all := map[cell]int64{} // the all-time tallies: every month's summed
		for _, t := range tallies {
			all[cell{t.EnterpriseID, model.TallyAllTime, t.Dim, t.Item}] += t.N
		}
		for c, n := range all {
			tallies = append(tallies, model.HazardTally{EnterpriseID: c.ent, Month: c.month, Dim: c.dim, Item: c.item, N: n})
		}
		return tx.CreateInBatches(tallies, 1000).Error
	})
}

// CheckTallies compares the whole park's overview from the tallies — the all-time ones, and the
// monthly ones over every month — with a live count, in one read-only snapshot so all see the same
// hazards while writers carry on, and rebuilds the tallies when they differ. It reports whether they differed.
func (s *Service) CheckTallies(ctx context.Context) (bool, error) {
	system := service.Actor{Role: model.RoleAdmin}
	var differ bool
	err := service.Snapshot(s.db.WithContext(ctx), func(tx *gorm.DB) error {
		live, err := s.overviewLive(tx, system, StatsFilter{})
		if err != nil {
			return err
		}
		for _, f := range []StatsFilter{{}, {From: "1970-01-01", To: "2999-12-31"}} {
			fast, err := s.overview(tx, system, f)
			if err != nil {
				return err
			}
			differ = differ || !EqualOverviews(fast, live)
		}
		fast, err := s.trend(tx, system, 104, 0)
		if err != nil {
			return err
		}
		slow, err := s.trendLive(tx, system, 104, 0)
		if err != nil {
			return err
		}
		differ = differ || !slices.Equal(fast, slow)
		return nil
	})
	if err != nil || !differ {
		return differ, err
	}
	return true, s.RebuildTallies(ctx)
}

// countByStatus counts the hazards the actor may see, of one enterprise and in one status (zero
// and "" for all) from the tallies.
func (s *Service) countByStatus(db *gorm.DB, actor service.Actor, enterpriseID uint64, status string, n *int64) error {
	q := db.Model(&model.HazardTally{}).Scopes(actor.Scope("enterprise_id")).
		Where("dim = ? AND month = ?", model.TallyStatus, model.TallyAllTime)
	if enterpriseID != 0 {
		q = q.Where("enterprise_id = ?", enterpriseID)
	}
	if status != "" {
		q = q.Where("item = ?", status)
	}
	return q.Select("COALESCE(SUM(n), 0)").Scan(n).Error
}

// dimCount is the number of hazards of one enterprise (when grouped by it) with one status, level,
// category and source, and the summed close-out seconds of the closed ones.
type dimCount struct {
	EnterpriseID                    uint64
	Status, Level, Category, Source string
	N, Secs                         int64
}

// dimTotals are hazard counts by status (all hazards) and by level, category and source (those not
// void), and the close-out seconds: what the statistics are made of.
type dimTotals map[string]map[string]int64

func newDimTotals() dimTotals {
	return dimTotals{model.TallyStatus: {}, model.TallyLevel: {}, model.TallyCategory: {}, model.TallySource: {},
		model.TallyCloseSeconds: {}}
}

// totalsOf returns the totals of enterprise id in m (0 when not grouped), adding them when missing.
func totalsOf(m map[uint64]dimTotals, id uint64) dimTotals {
	t, ok := m[id]
	if !ok {
		t = newDimTotals()
		m[id] = t
	}
	return t
}

// addCounts adds hazards counted by status, level, category and source.
func addCounts(m map[uint64]dimTotals, rows []dimCount) {
	for _, r := range rows {
		t := totalsOf(m, r.EnterpriseID)
		h := model.Hazard{Level: r.Level, Category: r.Category, Source: r.Source}
		for _, d := range tallyDeltas(nil, &h, r.Status, r.N) {
			t[d.dim][d.item] += d.n
		}
		if r.Status == model.HazardClosed {
			t[model.TallyCloseSeconds][""] += r.Secs
		}
	}
}

// tallied returns the counts of hazards created in [start, end) (a zero start or end is open), per
// enterprise when byEnterprise (else all under 0): the whole park-local months inside the range from
// the tallies, the partial months at its ends counted live from the hazards.
func (s *Service) tallied(db *gorm.DB, actor service.Actor, enterpriseID uint64, start, end time.Time, byEnterprise bool) (map[uint64]dimTotals, error) {
	// [lo, hi) is the span of whole months; a zero lo or hi is open.
	lo, hi := start, end
	if !start.IsZero() && !s.monthStart(start).Equal(start) {
		lo = s.monthStart(s.monthStart(start).AddDate(0, 0, 32))
	}
	if !end.IsZero() {
		hi = s.monthStart(end)
	}
	out := map[uint64]dimTotals{}
	var live []time.Time // pairs of [from, to) counted live
	if !lo.IsZero() && !hi.IsZero() && !lo.Before(hi) {
		live = append(live, start, end)
	} else {
		q := db.Model(&model.HazardTally{}).Scopes(actor.Scope("enterprise_id"))
		if enterpriseID != 0 {
			q = q.Where("enterprise_id = ?", enterpriseID)
		}
		switch {
		case lo.IsZero() && hi.IsZero():
			q = q.Where("month = ?", model.TallyAllTime)
		case lo.IsZero():
			q = q.Where("month > ? AND month < ?", model.TallyAllTime, s.month(hi))
		case hi.IsZero():
			q = q.Where("month >= ?", s.month(lo))
		default:
			q = q.Where("month >= ? AND month < ?", s.month(lo), s.month(hi))
		}
		group := "dim, item"
		if byEnterprise {
			group = "enterprise_id, dim, item"
		}
		var rows []struct {
			EnterpriseID uint64
			Dim, Item    string
			N            int64
		}
		if err := q.Select(group + ", SUM(n) AS n").Group(group).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			if t := totalsOf(out, r.EnterpriseID); t[r.Dim] != nil {
				t[r.Dim][r.Item] += r.N
			}
		}
		if start.Before(lo) {
			live = append(live, start, lo)
		}
		if !hi.IsZero() && hi.Before(end) {
			live = append(live, hi, end)
		}
	}
	if len(live) == 0 {
		return out, nil
	}
	q, err := s.filtered(db, actor, Filter{EnterpriseID: enterpriseID}, false)
	if err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	for i := 0; i < len(live); i += 2 {
		conds = append(conds, "(hazards.created_at >= ? AND hazards.created_at < ?)")
		args = append(args, live[i], live[i+1])
	}
	group, secs := "status, level, category, source", ""
	if byEnterprise {
		group = "enterprise_id, " + group
		secs = ", SUM(CASE WHEN status = 'closed' THEN " + closeSeconds(db) + " ELSE 0 END) AS secs"
	}
	var part []dimCount
	if err := q.Where(strings.Join(conds, " OR "), args...).Select(group + ", COUNT(*) AS n" + secs).
		Group(group).Scan(&part).Error; err != nil {
		return nil, err
	}
	addCounts(out, part)
	return out, nil
}

// EqualOverviews reports whether two overviews hold the same figures.
func EqualOverviews(a, b *Overview) bool {
	sameRate := (a.Rate == nil) == (b.Rate == nil) && (a.Rate == nil || *a.Rate == *b.Rate)
	return a.Found == b.Found && a.Closed == b.Closed && a.Open == b.Open && a.Overdue == b.Overdue && a.Void == b.Void &&
		sameRate && slices.Equal(a.ByLevel, b.ByLevel) && slices.Equal(a.ByCategory, b.ByCategory) &&
		slices.Equal(a.ByStatus, b.ByStatus) && slices.Equal(a.BySource, b.BySource)
}

// JobTallyCheck is the daily job that checks the tallies against the hazards (CheckTallies).
const JobTallyCheck = "hazard.tally_check"

// Register schedules the daily check of the tallies against the hazards on queue; log hears of a
// difference, which the check has repaired.
func (s *Service) Register(queue *jobs.Queue) {
	queue.Handle(JobTallyCheck, func(ctx context.Context, _ *model.Job) error {
		if differed, err := s.CheckTallies(ctx); err != nil || differed {
			s.log.Warn("hazard tallies differed from the hazards and were rebuilt", "err", err)
			return err
		}
		return nil
	})
	queue.Every(JobTallyCheck, 24*time.Hour)
}
