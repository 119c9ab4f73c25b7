package demo

import (
	"context"
	"testing"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service"
)

func TestSeedLeader(t *testing.T) {
	env := apitest.New(t)
	var ids []uint64
	users := map[uint64]service.Actor{}
	now := env.Clock.Now()
	env.Clock.Set(now.AddDate(0, -6, 0)) // registered long before the weeks the demo fills
	for range 6 {
		id := env.CreateEnterprise("")
		c := env.EnterpriseUser(id)
		ids = append(ids, id)
		users[id] = service.Actor{ID: c.UserID(), Name: c.User["name"].(string), Role: model.RoleEnterprise, EnterpriseID: id}
	}
	env.Clock.Set(now)
	ctx := context.Background()
	if err := seedLeader(ctx, env.App, ids, users, nil); err != nil {
		t.Fatal(err)
	}
	admin := service.Actor{ID: 1, Role: model.RoleAdmin}
	last := env.App.Park.WeekOf(env.App.Park.Now().AddDate(0, 0, -7))
	rep, err := env.App.LeaderInspections.WeeklyReport(ctx, admin, last.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Done) == 0 || len(rep.Missing) == 0 {
		t.Fatalf("last week's demo report should have done and missing enterprises: %+v", rep)
	}
	var late, interviews, held int64
	env.App.DB.Model(&model.LeaderInspection{}).Where("on_time = ?", false).Count(&late)
	env.App.DB.Model(&model.Interview{}).Count(&interviews)
	env.App.DB.Model(&model.Interview{}).Where("status = ? AND feedback <> ''", model.InterviewHeld).Count(&held)
	if late == 0 || interviews != 2 || held != 1 {
		t.Fatalf("demo: %d late filings, %d interviews, %d held with feedback", late, interviews, held)
	}
}
