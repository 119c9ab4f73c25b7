package demo_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/demo"
	"parksafe/model"
)

// TestSeedFilingsMakesABelievableWeek: the demo week has filings in every state, work running today
// (one past its planned end) on the board, figures in the statistics and a hazard found on site,
// whatever the hour the demo is made at.
func TestSeedFilingsMakesABelievableWeek(t *testing.T) {
	for _, hour := range []int{-1, 0, 23} {
		t.Run(fmt.Sprint("hour ", hour), func(t *testing.T) { seedFilingsAt(t, hour) })
	}
}

// seedFilingsAt makes the demo week with the clock at a few minutes past hour in the park (-1: now).
func seedFilingsAt(t *testing.T, hour int) {
	env := apitest.New(t)
	if hour >= 0 {
		d := env.App.Park.Today()
		env.Clock.Set(time.Date(d.Year(), d.Month(), d.Day(), hour, 20, 0, 0, env.App.Park.Loc))
	}
	p, err := demo.Build(context.Background(), env.App)
	if err != nil {
		t.Fatal(err)
	}
	n, err := demo.SeedFilings(context.Background(), env.App, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	admin := env.Admin()
	var list struct {
		Total int `json:"total"`
		Items []struct {
			Status string `json:"status"`
		} `json:"items"`
	}
	admin.Get("/api/v1/filings?page_size=100").Want(http.StatusOK).JSON(&list)
	statuses := map[string]int{}
	for _, it := range list.Items {
		statuses[it.Status]++
	}
	if list.Total != n || n < 15 {
		t.Fatalf("%d filings listed, %d filed", list.Total, n)
	}
	for _, s := range []string{"draft", "submitted", "changes_requested", "resubmitted", "pending_admin", "approved", "in_progress", "completed", "cancelled", "expired"} {
		if statuses[s] == 0 {
			t.Errorf("no demo filing is %s: %v", s, statuses)
		}
	}
	b := admin.Get("/api/v1/filings/board").Want(http.StatusOK).Map()
	if b["in_progress"].(float64) < 2 || b["overrun"].(float64) < 1 {
		t.Errorf("today's board: %v", b)
	}
	week := admin.Get("/api/v1/filings/weeks/" + env.App.Park.WeekOf(env.Clock.Now()).String()).Want(http.StatusOK).Map()
	if week["operations"].(float64) < 5 {
		t.Errorf("this week: %v", week)
	}
	st := admin.Get("/api/v1/filings/stats").Want(http.StatusOK)
	if rate, ok := st.Field("total.first_pass_rate").(float64); !ok || rate <= 0 || rate >= 1 || st.Field("total.median_review_hours") == nil {
		t.Errorf("statistics: %s", st.Body)
	}
	if q := admin.Get("/api/v1/filings?queue=true").Want(http.StatusOK); q.Field("total").(float64) < 1 {
		t.Errorf("the office's queue is empty: %s", q.Body)
	}
	var hazards int64
	env.App.DB.Model(&model.Hazard{}).Where("source = ?", model.SourceFiling).Count(&hazards)
	if hazards != 1 {
		t.Errorf("%d hazards found on filings' sites, want 1", hazards)
	}
	// Each enterprise sees its own filings only.
	u := p.EnterpriseUsers[p.Enterprises[0].ID]
	var own struct {
		Items []struct {
			EnterpriseID uint64 `json:"enterprise_id"`
		} `json:"items"`
	}
	for _, c := range p.Credentials {
		if c.Username == *u.Username {
			env.Login(c.Username, c.Password).Get("/api/v1/filings?page_size=100").Want(http.StatusOK).JSON(&own)
		}
	}
	if len(own.Items) == 0 {
		t.Fatal("the first enterprise has no filings")
	}
	for _, it := range own.Items {
		if it.EnterpriseID != p.Enterprises[0].ID {
			t.Fatalf("enterprise sees another's filing: %+v", own.Items)
		}
	}
}
