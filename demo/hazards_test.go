package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"parksafe/apitest"
	"parksafe/demo"
	"parksafe/model"
)

func TestSeedHazardsCoversEveryState(t *testing.T) {
	env := apitest.New(t)
	env.Inspector()
	for range 4 {
		env.EnterpriseUser(env.CreateEnterprise(""))
	}
	if err := demo.SeedHazards(context.Background(), env.App, rand.New(rand.NewPCG(7, 11)), nil); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Status string
		N      int
	}
	env.App.DB.Model(&model.Hazard{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows)
	got := map[string]int{}
	for _, r := range rows {
		got[r.Status] = r.N
	}
	for _, s := range []string{model.HazardPendingRectify, model.HazardPendingVerify, model.HazardPendingApproval, model.HazardClosed, model.HazardVoid} {
		if got[s] == 0 {
			t.Errorf("no demo hazard in state %s: %v", s, got)
		}
	}
	var overdue, weeks int64
	env.App.DB.Model(&model.Hazard{}).Where("status IN ? AND deadline_at <= ?",
		[]string{model.HazardPendingRectify, model.HazardPendingVerify, model.HazardPendingApproval}, env.App.Park.Now()).Count(&overdue)
	env.App.DB.Model(&model.Hazard{}).Where("created_at < ?", env.App.Park.Now().AddDate(0, 0, -28)).Count(&weeks)
	if overdue == 0 || weeks == 0 {
		t.Errorf("overdue %d, older than four weeks %d", overdue, weeks)
	}
}
