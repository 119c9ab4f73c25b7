package hazard_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"parksafe/database/dbtest"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t.UTC() }

// recorder keeps the SQL a service runs, with its arguments, for EXPLAIN.
type recorder struct {
	logger.Interface
	mu  sync.Mutex
	sql []string
}

func (r *recorder) LogMode(logger.LogLevel) logger.Interface { return r }

func (r *recorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.mu.Lock()
	r.sql = append(r.sql, sql)
	r.mu.Unlock()
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sql
	r.sql = nil
	return out
}

// planFixture is a database with a few thousand hazards spread like a park's (mostly closed, every
// enterprise, category, source and level).
func planFixture(t *testing.T) (*gorm.DB, *hazard.Service, *recorder, service.ParkTime) {
	t.Helper()
	db := dbtest.Open(t)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	park := service.ParkTime{Loc: loc, Clock: fixedClock{now}}
	insp := model.User{Name: "检查员", Role: model.RoleInspector, Status: model.StatusActive}
	if err := db.Create(&insp).Error; err != nil {
		t.Fatal(err)
	}
	var ents []uint64
	for i := range 13 {
		e := model.Enterprise{Name: fmt.Sprintf("化工%d", i), USCC: fmt.Sprintf("P%017d", i), Kind: model.KindHazchemProduction, Status: model.StatusActive, Version: 1}
		if err := db.Create(&e).Error; err != nil {
			t.Fatal(err)
		}
		ents = append(ents, e.ID)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	titles := []string{"罐区围堰破损", "动火作业未办票", "消防通道堵塞", "静电接地线松脱", "压力表超期", "叉车超速"}
	const n = 6000
	rows := make([]model.Hazard, 0, n)
	for i := range n {
		created := now.Add(-time.Duration(n-i) * 4 * time.Hour).UTC()
		h := model.Hazard{Code: fmt.Sprintf("YH-P-%06d", i), EnterpriseID: ents[rng.IntN(len(ents))],
			Source: hazard.Sources[rng.IntN(len(hazard.Sources))], Category: hazard.Categories[rng.IntN(len(hazard.Categories))],
			Level: model.LevelGeneral, Title: titles[rng.IntN(len(titles))], Description: "现场发现", Location: "装置区",
			Requirement: "整改", Deadline: "2026-01-01", DeadlineAt: created.Add(time.Duration(3+rng.IntN(12)) * 24 * time.Hour),
			Status: model.HazardClosed, ReporterID: insp.ID, Version: 1, CreatedAt: created, UpdatedAt: created}
		if rng.IntN(10) == 0 {
			h.Level = model.LevelMajor
		}
		if r := rng.IntN(100); r < 3 {
			h.Status = hazard.Statuses[rng.IntN(3)]
		} else if r < 5 {
			h.Status = model.HazardVoid
		}
		rows = append(rows, h)
	}
	if err := db.CreateInBatches(rows, 500).Error; err != nil {
		t.Fatal(err)
	}
	hz := hazard.New(db, park, nil, nil)
	if err := hz.RebuildSearch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := hz.RebuildTallies(context.Background()); err != nil {
		t.Fatal(err)
	}
	// InnoDB keeps its statistics itself (analyzed here so that they are current); SQLite has none
	// unless ANALYZE runs, which the application never does, so its planner is tested without.
	if db.Dialector.Name() == "mysql" {
		if err := db.Exec("ANALYZE TABLE hazards, hazard_terms").Error; err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{Interface: logger.Discard}
	return db, hazard.New(db.Session(&gorm.Session{Logger: rec}), park, nil, nil), rec, park
}

// explain returns the problems of sql's plan: a table scan of hazards or hazard_terms, and, when
// sorted is set, a sort the index order should have spared.
func explain(t *testing.T, db *gorm.DB, sql string, sorted bool) (problems []string) {
	t.Helper()
	if db.Dialector.Name() == "mysql" {
		rows, err := db.Raw("EXPLAIN " + sql).Rows()
		if err != nil {
			t.Fatalf("explain %s: %v", sql, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := map[string]string{}
			for i, c := range cols {
				if b, ok := vals[i].([]byte); ok {
					row[c] = string(b)
				} else if vals[i] != nil {
					row[c] = fmt.Sprint(vals[i])
				}
			}
			if (row["table"] == "hazards" || row["table"] == "hazard_terms") && row["type"] == "ALL" {
				problems = append(problems, "full scan of "+row["table"])
			}
			if sorted && strings.Contains(row["Extra"], "filesort") {
				problems = append(problems, "filesort ("+row["table"]+", key "+row["key"]+")")
			}
		}
		return problems
	}
	var plan []struct {
		ID, Parent, Notused int
		Detail              string
	}
	if err := db.Raw("EXPLAIN QUERY PLAN " + sql).Scan(&plan).Error; err != nil {
		t.Fatalf("explain %s: %v", sql, err)
	}
	var steps []string
	for _, p := range plan {
		steps = append(steps, p.Detail)
	}
	defer func() {
		if len(problems) > 0 {
			problems = append(problems, "plan: "+strings.Join(steps, " / "))
		}
	}()
	for _, p := range plan {
		for _, table := range []string{"hazards", "hazard_terms"} {
			if p.Detail == "SCAN "+table || strings.HasPrefix(p.Detail, "SCAN "+table+" ") && !strings.Contains(p.Detail, "INDEX") {
				problems = append(problems, p.Detail)
			}
		}
		if sorted && strings.Contains(p.Detail, "TEMP B-TREE FOR ORDER BY") {
			problems = append(problems, p.Detail)
		}
	}
	return problems
}

// TestHazardListPlans runs the hazard list under every filter the API offers, alone and as the
// mini-program combines them, in each of the four sorts, on a first page, a deep numbered page and a
// page after a cursor, and checks each page query's plan: never a scan of the hazards table (or of
// the search index), and no sort where an index can give the order.
func TestHazardListPlans(t *testing.T) {
	db, hz, rec, _ := planFixture(t)
	yes, no := true, false
	staff := service.Actor{ID: 1, Role: model.RoleAdmin, Name: "管理员"}
	filters := []struct {
		name   string
		f      hazard.Filter
		actor  service.Actor
		sorted bool // an index serves the filter in every sort order
	}{
		{"none", hazard.Filter{}, staff, true},
		{"status", hazard.Filter{Status: model.HazardClosed}, staff, true},
		{"enterprise", hazard.Filter{EnterpriseID: 3}, staff, true},
		{"enterprise user", hazard.Filter{}, service.Actor{ID: 9, Role: model.RoleEnterprise, EnterpriseID: 3}, true},
		{"enterprise+status", hazard.Filter{EnterpriseID: 3, Status: model.HazardPendingRectify}, staff, true},
		{"level", hazard.Filter{Level: model.LevelMajor}, staff, true},
		{"category", hazard.Filter{Category: hazard.CategoryFire}, staff, true},
		{"source", hazard.Filter{Source: model.SourceSpecialCheck}, staff, true},
		{"overdue", hazard.Filter{Overdue: &yes}, staff, false},
		{"not overdue", hazard.Filter{Overdue: &no}, staff, false},
		{"from-to", hazard.Filter{From: "2026-06-01", To: "2026-08-31"}, staff, false},
		{"q two characters", hazard.Filter{Q: "罐区"}, staff, false},
		{"q one character", hazard.Filter{Q: "罐"}, staff, false},
		{"q long", hazard.Filter{Q: "动火作业未办票"}, staff, false},
		{"q code", hazard.Filter{Q: "YH-P-0012"}, staff, false},
		{"q common", hazard.Filter{Q: "装置"}, staff, false},
		{"enterprise+level+category", hazard.Filter{EnterpriseID: 3, Level: model.LevelGeneral, Category: hazard.CategoryFire}, staff, false},
	}
	ctx := context.Background()
	for _, fc := range filters {
		for _, sort := range []string{"-created_at", "created_at", "deadline", "-deadline"} {
			f := fc.f
			f.Sort = sort
			first, err := hz.List(ctx, fc.actor, f, service.Page{Size: 5})
			if err != nil {
				t.Fatalf("%s %s: %v", fc.name, sort, err)
			}
			// A numbered page as deep, relative to the table, as the deepest allowed at a million rows (1 %).
			pages := []service.Page{{Size: 5, Page: 12}}
			if first.Next != "" {
				pages = append(pages, service.Page{Size: 5, After: first.Next})
			}
			for _, p := range pages {
				if _, err := hz.List(ctx, fc.actor, f, p); err != nil {
					t.Fatalf("%s %s: %v", fc.name, sort, err)
				}
			}
			for _, sql := range rec.take() {
				if !strings.Contains(sql, "ORDER BY") || !strings.Contains(sql, "hazards") || strings.Contains(sql, "photo") {
					continue // counts, photos, tallies
				}
				// A deep page's rows, loaded by the ids its index-only query found, are sorted as they come.
				byIDs := strings.Contains(sql, "hazards.id IN (") && !strings.Contains(sql, "SELECT hazard_id")
				if problems := explain(t, db, sql, fc.sorted && !byIDs); len(problems) > 0 {
					t.Errorf("%s, sort %s: %s\n%s", fc.name, sort, strings.Join(problems, "; "), sql)
				}
			}
		}
	}
}
