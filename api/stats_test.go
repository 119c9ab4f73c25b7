package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parksafe/apitest"
	"parksafe/service/hazard"
)

// atWednesday moves the app's clock forward to 10:00 park time on a Wednesday at least a week ahead,
// so that a day's events stay inside one day and one ISO week.
func (p *hazardPark) atWednesday() time.Time {
	park := p.env.App.Park
	d := park.Today().AddDate(0, 0, 7)
	for d.Weekday() != time.Wednesday {
		d = d.AddDate(0, 0, 1)
	}
	t := d.Add(10 * time.Hour)
	p.env.Clock.Set(t)
	p.today = d.Format(time.DateOnly)
	p.nextWeek = d.AddDate(0, 0, 7).Format(time.DateOnly)
	return t
}

// statsPark builds known figures: enterprise ent has one closed (after 2 h), one overdue major,
// one void and one awaiting verification; enterprise other has one closed (after 4 h).
func statsPark(t *testing.T) (*hazardPark, map[string]uint64) {
	p := newHazardPark(t)
	p.atWednesday()
	h := map[string]uint64{
		"closed":   p.report(p.ent, nil),
		"overdue":  p.report(p.ent, map[string]any{"level": "major", "category": "equipment", "deadline": p.today}),
		"void":     p.report(p.ent, map[string]any{"category": "other"}),
		"verify":   p.report(p.ent, nil),
		"otherEnt": p.report(p.other, map[string]any{"category": "hygiene", "source": "special_check"}),
	}
	p.insp.Post(p.path(h["void"], "void"), map[string]any{"reason": "误报"}).Want(http.StatusOK)
	p.rectify(h["verify"]).Want(http.StatusOK)
	p.rectify(h["closed"]).Want(http.StatusOK)
	p.env.Clock.Advance(2 * time.Hour)
	p.insp.Post(p.path(h["closed"], "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	p.otherUser.Post(p.path(h["otherEnt"], "rectification"), map[string]any{"description": "已清理", "photo_ids": []uint64{p.photo(p.otherUser)}}).Want(http.StatusOK)
	p.env.Clock.Advance(2 * time.Hour)
	p.insp.Post(p.path(h["otherEnt"], "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	// Past the end of the overdue hazard's deadline day, still the same ISO week (Thursday).
	p.env.Clock.Set(p.env.App.Park.EndOfDay(p.env.App.Park.Today()).Add(time.Hour))
	return p, h
}

type countDoc struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int64  `json:"count"`
}

type overviewDoc struct {
	Found, Closed, Open, Overdue, Void int64
	Rate                               *float64   `json:"rectification_rate"`
	ByLevel                            []countDoc `json:"by_level"`
	ByCategory                         []countDoc `json:"by_category"`
	ByStatus                           []countDoc `json:"by_status"`
	BySource                           []countDoc `json:"by_source"`
}

// counts keeps the non-zero counts of a breakdown; every entry must carry a label.
func counts(t *testing.T, cs []countDoc) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, c := range cs {
		if c.Label == "" {
			t.Fatalf("no label for %s", c.Key)
		}
		if c.Count != 0 {
			out[c.Key] = c.Count
		}
	}
	return out
}

func TestStatsOverview(t *testing.T) {
	p, _ := statsPark(t)
	get := func(query string, as string) overviewDoc {
		t.Helper()
		c := p.admin
		if as == "other" {
			c = p.otherUser
		}
		var o overviewDoc
		r := c.Get("/api/v1/stats/overview?" + query).Want(http.StatusOK)
		r.JSON(&o)
		return o
	}
	o := get("", "")
	if o.Found != 4 || o.Closed != 2 || o.Open != 2 || o.Overdue != 1 || o.Void != 1 || o.Rate == nil || *o.Rate != 0.5 {
		t.Fatalf("park overview: %+v", o)
	}
	eq := func(name string, got, want map[string]int64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
		}
	}
	eq("level", counts(t, o.ByLevel), map[string]int64{"general": 3, "major": 1})
	eq("category", counts(t, o.ByCategory), map[string]int64{"fire": 2, "equipment": 1, "hygiene": 1})
	eq("status", counts(t, o.ByStatus), map[string]int64{"pending_rectify": 1, "pending_verify": 1, "closed": 2, "void": 1})
	eq("source", counts(t, o.BySource), map[string]int64{"snapshot": 3, "special_check": 1})
	if len(o.ByStatus) != 5 || len(o.ByCategory) != 7 {
		t.Fatalf("every enum value is listed: %+v", o)
	}

	o = get("enterprise_id="+itoa(p.ent), "")
	if o.Found != 3 || o.Closed != 1 || o.Open != 2 || o.Overdue != 1 || o.Void != 1 || *o.Rate != 0.3333 {
		t.Fatalf("enterprise overview: %+v", o)
	}
	// An enterprise user gets its own figures whatever it asks for.
	for _, q := range []string{"", "enterprise_id=" + itoa(p.ent)} {
		o = get(q, "other")
		if o.Found != 1 || o.Closed != 1 || *o.Rate != 1 {
			t.Fatalf("own overview (asked %q): %+v", q, o)
		}
	}
	tomorrow := p.env.App.Park.Today().AddDate(0, 0, 1).Format(time.DateOnly)
	if o = get("from="+tomorrow, ""); o.Found != 0 || o.Rate != nil {
		t.Fatalf("empty range: %+v", o)
	}
	if o = get("from="+p.today+"&to="+p.today, ""); o.Found != 4 {
		t.Fatalf("one day: %+v", o)
	}
	p.admin.Get("/api/v1/stats/overview?from=x").WantError(http.StatusUnprocessableEntity, "validation_failed")
}

func TestStatsEnterprisesAndTrend(t *testing.T) {
	p, _ := statsPark(t)
	idle := p.env.CreateEnterprise("")
	var ranking struct {
		Items []struct {
			EnterpriseID  uint64   `json:"enterprise_id"`
			Name          string   `json:"enterprise_name"`
			Found         int64    `json:"found"`
			Closed        int64    `json:"closed"`
			Open          int64    `json:"open"`
			Overdue       int64    `json:"overdue"`
			Rate          *float64 `json:"rectification_rate"`
			AvgCloseHours *float64 `json:"avg_close_hours"`
		} `json:"items"`
	}
	p.admin.Get("/api/v1/stats/enterprises").Want(http.StatusOK).JSON(&ranking)
	if len(ranking.Items) != 3 {
		t.Fatalf("ranking: %+v", ranking)
	}
	worst, next, last := ranking.Items[0], ranking.Items[1], ranking.Items[2]
	if worst.EnterpriseID != p.ent || worst.Found != 3 || worst.Closed != 1 || worst.Open != 2 || worst.Overdue != 1 ||
		*worst.Rate != 0.3333 || worst.AvgCloseHours == nil || *worst.AvgCloseHours != 2 || worst.Name == "" {
		t.Fatalf("worst: %+v", worst)
	}
	if next.EnterpriseID != p.other || next.Found != 1 || *next.Rate != 1 || *next.AvgCloseHours != 4 {
		t.Fatalf("next: %+v", next)
	}
	if last.EnterpriseID != idle || last.Found != 0 || last.Rate != nil || last.AvgCloseHours != nil {
		t.Fatalf("idle enterprise last: %+v", last)
	}

	var trend struct {
		Items []struct {
			Week   string `json:"week"`
			Monday string `json:"monday"`
			Found  int64  `json:"found"`
			Closed int64  `json:"closed"`
		} `json:"items"`
	}
	p.admin.Get("/api/v1/stats/trend?weeks=3").Want(http.StatusOK).JSON(&trend)
	park := p.env.App.Park
	this := park.WeekOf(park.Now())
	if len(trend.Items) != 3 || trend.Items[2].Week != this.String() || trend.Items[2].Monday != park.Monday(this).Format(time.DateOnly) {
		t.Fatalf("trend weeks: %+v", trend)
	}
	if trend.Items[2].Found != 4 || trend.Items[2].Closed != 2 || trend.Items[0].Found != 0 || trend.Items[1].Found != 0 {
		t.Fatalf("trend counts: %+v", trend)
	}
	if prev := park.WeekOf(park.Monday(this).AddDate(0, 0, -1)); trend.Items[1].Week != prev.String() {
		t.Fatalf("previous week %s, want %s", trend.Items[1].Week, prev)
	}
	p.otherUser.Get("/api/v1/stats/trend?weeks=1").Want(http.StatusOK).JSON(&trend)
	if trend.Items[0].Found != 1 || trend.Items[0].Closed != 1 {
		t.Fatalf("own trend: %+v", trend)
	}
	p.admin.Get("/api/v1/stats/trend").Want(http.StatusOK).JSON(&trend)
	if len(trend.Items) != 12 {
		t.Fatalf("default weeks: %d", len(trend.Items))
	}
	p.admin.Get("/api/v1/stats/trend?weeks=500").WantError(http.StatusUnprocessableEntity, "validation_failed")
}

func TestHazardLedgerExport(t *testing.T) {
	p, h := statsPark(t)
	read := func(c *apitest.Client, query string) [][]string {
		t.Helper()
		r := c.Get("/api/v1/hazards/export?" + query).Want(http.StatusOK)
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6-") {
			t.Fatalf("Content-Disposition: %s", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("open xlsx: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows(hazard.LedgerSheet)
		if err != nil {
			t.Fatalf("rows: %v", err)
		}
		if !slices.Equal(rows[0], hazard.LedgerHeaders) {
			t.Fatalf("headers %v", rows[0])
		}
		return rows[1:]
	}
	rows := read(p.admin, "")
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	overdue := p.get(h["overdue"])
	var found []string
	for _, r := range rows {
		if r[0] == overdue.Code {
			found = r
		}
	}
	if found == nil || found[2] != "重大隐患" || found[3] != "设备设施" || found[10] != "待整改（逾期）" || found[9] != p.today || found[12] != "0" {
		t.Fatalf("overdue row: %v", found)
	}
	closed := p.get(h["closed"])
	for _, r := range rows {
		if r[0] == closed.Code && (r[10] != "已销号" || r[11] == "" || r[7] == "") {
			t.Fatalf("closed row: %v", r)
		}
	}
	if rows := read(p.admin, "status=closed"); len(rows) != 2 {
		t.Fatalf("closed rows: %d", len(rows))
	}
	if rows := read(p.otherUser, ""); len(rows) != 1 || rows[0][10] != "已销号" {
		t.Fatalf("enterprise user's ledger: %v", rows)
	}
	p.admin.Get("/api/v1/hazards/export?level=x").WantError(http.StatusUnprocessableEntity, "validation_failed")
}
