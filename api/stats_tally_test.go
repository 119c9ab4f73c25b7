package api_test

import (
	"context"
	"net/http"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
)

// tallyPark reports hazards over four park-local months — some in the last half hour of a month and
// the first of the next, where the UTC month differs — and moves them through every state, so that
// the tallies have something to get wrong. It returns the park-local first day of the first month.
func tallyPark(t *testing.T) (*hazardPark, time.Time) {
	p := newHazardPark(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "4400h")) // half a year
	park := p.env.App.Park
	today := park.Today()
	first := time.Date(today.Year(), today.Month()+2, 1, 0, 0, 0, 0, park.Loc)
	levels := []string{"general", "major"}
	categories := []string{"fire", "equipment", "hygiene", "other"}
	sources := []string{"snapshot", "special_check"}
	type reported struct {
		id   uint64
		ent  uint64
		fate int
	}
	var hs []reported
	n := 0
	for m := range 4 {
		monthStart := first.AddDate(0, m, 0)
		monthEnd := monthStart.AddDate(0, 1, 0)
		for _, at := range []time.Time{
			monthStart.Add(30 * time.Minute), monthStart.AddDate(0, 0, 9).Add(10 * time.Hour),
			monthStart.AddDate(0, 0, 20).Add(15 * time.Hour), monthEnd.Add(-30 * time.Minute),
		} {
			p.env.Clock.Set(at)
			ent := []uint64{p.ent, p.other}[n%2]
			deadline := park.DateOf(at).AddDate(0, 0, 3+n%5).Format(time.DateOnly)
			id := p.report(ent, map[string]any{"level": levels[n%2], "category": categories[n%4], "source": sources[n%3%2],
				"deadline": deadline})
			hs = append(hs, reported{id, ent, n % 6})
			n++
		}
	}
	p.env.Clock.Set(first.AddDate(0, 4, 2).Add(9 * time.Hour))
	user := map[uint64]func(uint64){
		p.ent: func(id uint64) { p.rectify(id).Want(http.StatusOK) },
		p.other: func(id uint64) {
			p.otherUser.Post(p.path(id, "rectification"), map[string]any{"description": "已整改", "photo_ids": []uint64{p.photo(p.otherUser)}}).Want(http.StatusOK)
		},
	}
	yes, no := map[string]any{"approved": true}, map[string]any{"approved": false, "comment": "未整改到位"}
	for _, h := range hs {
		switch h.fate {
		case 0: // left waiting for rectification, overdue by now
		case 1:
			p.insp.Post(p.path(h.id, "void"), map[string]any{"reason": "重复上报"}).Want(http.StatusOK)
		case 2: // rectified, waiting for verification
			user[h.ent](h.id)
		case 3: // rejected once
			user[h.ent](h.id)
			p.insp.Post(p.path(h.id, "verify"), no).Want(http.StatusOK)
		default: // closed, or waiting for the office's approval when major
			user[h.ent](h.id)
			p.insp.Post(p.path(h.id, "verify"), yes).Want(http.StatusOK)
			if h.fate == 5 && p.get(h.id).Status == model.HazardPendingApproval {
				p.admin.Post(p.path(h.id, "approve"), yes).Want(http.StatusOK)
			}
		}
	}
	return p, first
}

// TestOverviewTalliesMatchLiveCounts checks the overview and the ranking summed from the tallies against a live
// count of the hazards, for ranges of whole months, partial months at either end, inside one month,
// open at either end, one enterprise and an enterprise user's own scope.
func TestOverviewTalliesMatchLiveCounts(t *testing.T) {
	p, first := tallyPark(t)
	hz := p.env.App.Hazards
	ctx := context.Background()
	day := func(months, days int) string { return first.AddDate(0, months, days).Format(time.DateOnly) }
	lastDay := func(month int) string { return first.AddDate(0, month+1, -1).Format(time.DateOnly) }
	staff := service.Actor{Role: model.RoleAdmin}
	entUser := service.Actor{ID: p.entUser.UserID(), Role: model.RoleEnterprise, EnterpriseID: p.ent}
	filters := []hazard.StatsFilter{
		{},
		{From: day(1, 0)},
		{To: lastDay(1)},
		{From: day(1, 0), To: lastDay(2)},  // whole months
		{From: day(0, 5), To: day(3, 3)},   // partial at both ends
		{From: day(0, 0), To: day(2, 10)},  // partial at the end
		{From: day(1, 15), To: lastDay(3)}, // partial at the start
		{From: day(2, 3), To: day(2, 25)},  // inside one month
		{From: lastDay(1), To: day(2, 0)},  // the two days around a month boundary
		{From: day(1, 0), To: lastDay(1)},  // exactly one month
		{From: day(0, 5), To: day(3, 3), EnterpriseID: p.other},
		{EnterpriseID: p.ent},
		{From: day(-6, 0), To: day(8, 0)}, // wider than the data
		{From: day(0, 3), To: "2999-12-31"},
	}
	compare := func(stage string) {
		t.Helper()
		for _, a := range []service.Actor{staff, entUser} {
			for _, f := range filters {
				fast, err := hz.Overview(ctx, a, f)
				if err != nil {
					t.Fatalf("%s: overview %+v: %v", stage, f, err)
				}
				live, err := hz.OverviewLive(ctx, a, f)
				if err != nil {
					t.Fatalf("%s: live %+v: %v", stage, f, err)
				}
				if !hazard.EqualOverviews(fast, live) || !reflect.DeepEqual(fast, live) {
					t.Errorf("%s: %s %+v:\n tallies %+v\n live    %+v", stage, a.Role, f, *fast, *live)
				}
				fastRank, err := hz.Enterprises(ctx, a, f)
				if err != nil {
					t.Fatalf("%s: ranking %+v: %v", stage, f, err)
				}
				liveRank, err := hz.EnterprisesLive(ctx, a, f)
				if err != nil {
					t.Fatalf("%s: live ranking %+v: %v", stage, f, err)
				}
				if !reflect.DeepEqual(fastRank, liveRank) {
					t.Errorf("%s: %s ranking %+v:\n tallies %+v\n live    %+v", stage, a.Role, f, fastRank, liveRank)
				}
			}
			// The weekly trend comes from its own tallies.
			for _, ent := range []uint64{0, p.other} {
				fast, err := hz.Trend(ctx, a, 104, ent)
				if err != nil {
					t.Fatalf("%s: trend: %v", stage, err)
				}
				live, err := hz.TrendLive(ctx, a, 104, ent)
				if err != nil {
					t.Fatalf("%s: live trend: %v", stage, err)
				}
				if !reflect.DeepEqual(fast, live) {
					t.Errorf("%s: %s trend of %d:\n tallies %+v\n live    %+v", stage, a.Role, ent, fast, live)
				}
			}
		}
	}
	compare("kept")
	all, _ := hz.OverviewLive(ctx, staff, hazard.StatsFilter{})
	if all.Found+all.Void != 16 || all.Void == 0 || all.Closed == 0 || all.Overdue == 0 || all.Open == 0 {
		t.Fatalf("the park lacks variety: %+v", *all)
	}
	// The endpoint answers from the tallies.
	var doc overviewDoc
	p.admin.Get("/api/v1/stats/overview?from=" + day(0, 5) + "&to=" + day(3, 3)).Want(http.StatusOK).JSON(&doc)
	want, _ := hz.OverviewLive(ctx, staff, hazard.StatsFilter{From: day(0, 5), To: day(3, 3)})
	if doc.Found != want.Found || doc.Closed != want.Closed || doc.Void != want.Void || doc.Overdue != want.Overdue {
		t.Errorf("endpoint %+v, live %+v", doc, *want)
	}

	// Lists filtered by status and enterprise at most take their totals from the tallies.
	entAll, _ := hz.OverviewLive(ctx, entUser, hazard.StatsFilter{})
	for i, st := range hazard.Statuses {
		var page struct{ Total int64 }
		p.admin.Get("/api/v1/hazards?page_size=1&status=" + st).Want(http.StatusOK).JSON(&page)
		if page.Total != all.ByStatus[i].Count {
			t.Errorf("list of %s: total %d, want %d", st, page.Total, all.ByStatus[i].Count)
		}
		p.entUser.Get("/api/v1/hazards?page_size=1&status=" + st).Want(http.StatusOK).JSON(&page)
		if page.Total != entAll.ByStatus[i].Count {
			t.Errorf("enterprise user's list of %s: total %d, want %d", st, page.Total, entAll.ByStatus[i].Count)
		}
		p.entUser.Get("/api/v1/hazards?page_size=1&enterprise_id=" + itoa(p.other) + "&status=" + st).Want(http.StatusOK).JSON(&page)
		if page.Total != 0 {
			t.Errorf("enterprise user's list of another enterprise's %s: total %d", st, page.Total)
		}
	}

	// A consistent park passes the check; a wrong monthly tally is found and repaired.
	if differed, err := hz.CheckTallies(ctx); err != nil || differed {
		t.Fatalf("check of consistent tallies: differed %v, %v", differed, err)
	}
	if err := p.env.App.DB.Model(&model.HazardTally{}).Where("dim = ? AND item = ? AND month <> ?", model.TallyStatus, model.HazardClosed, model.TallyAllTime).
		Update("n", 99).Error; err != nil {
		t.Fatal(err)
	}
	if differed, err := hz.CheckTallies(ctx); err != nil || !differed {
		t.Fatalf("check of corrupted tallies: differed %v, %v", differed, err)
	}
	compare("repaired")

	// A database without tallies (from before them) gets them rebuilt.
	if err := p.env.App.DB.Where("1 = 1").Delete(&model.HazardTally{}).Error; err != nil {
		t.Fatal(err)
	}
	if err := hz.EnsureTallies(ctx); err != nil {
		t.Fatal(err)
	}
	compare("rebuilt")
}

// writeDuringRead reports a hazard (deadline ahead) just before the first query on table runs, from
// inside that query's callback: a write landing between the reads that make one figure.
func writeDuringRead(t *testing.T, p *hazardPark, table string) (result func() *apitest.Response) {
	t.Helper()
	body := p.body(p.insp, p.ent, nil)
	var fired atomic.Bool
	var got *apitest.Response
	hook := func(tx *gorm.DB) {
		if tx.Statement.Table != table {
			return
		}
		if !fired.CompareAndSwap(false, true) {
			return
		}
		func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			done := make(chan *apitest.Response, 1)
			go func() { done <- p.insp.Post("/api/v1/hazards", body) }()
			select {
			case got = <-done:
			case <-ctx.Done():
				got = &apitest.Response{Status: 0}
			}
		}()
	}
	// Count and Scan run as row queries, Find as a query.
	cb := p.env.App.DB.Callback()
	if err := cb.Query().Before("gorm:query").Register("test:write_during_query_"+table, hook); err != nil {
		t.Fatal(err)
	}
	if err := cb.Row().Before("gorm:row").Register("test:write_during_row_"+table, hook); err != nil {
		t.Fatal(err)
	}
	return func() *apitest.Response { return got }
}

// TestStatsFiguresComeFromOneSnapshot: overdue is open (tallied) minus open with a deadline ahead
// (counted live); a hazard reported between the two reads made it negative. The daily tally check
// must not hold SQLite's write lock while it counts the whole park.
func TestStatsFiguresComeFromOneSnapshot(t *testing.T) {
	p := newHazardPark(t)
	// The overview reads the tallies, then counts the hazards: the write lands just before the count.
	created := writeDuringRead(t, p, "hazards")
	r := p.admin.Get("/api/v1/stats/overview").Want(http.StatusOK)
	if created() == nil || created().Status != http.StatusCreated {
		t.Fatalf("the write between the reads did not happen: %+v", created())
	}
	if r.Field("overdue") != float64(0) || r.Field("open") != float64(0) {
		t.Fatalf("overview mixed two states of the park: %s", r.Body)
	}
	if r := p.admin.Get("/api/v1/stats/overview").Want(http.StatusOK); r.Field("open") != float64(1) || r.Field("overdue") != float64(0) {
		t.Fatalf("overview after the write: %s", r.Body)
	}

	created = writeDuringRead(t, p, "hazards")
	differed, err := p.env.App.Hazards.CheckTallies(context.Background())
	if c := created(); c == nil || c.Status != http.StatusCreated {
		t.Fatalf("a hazard reported while the tallies were checked: %+v (the check held the write lock)", c)
	}
	if err != nil || differed {
		t.Fatalf("tally check: differed %v, err %v; one snapshot cannot differ", differed, err)
	}
}
