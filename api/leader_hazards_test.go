package api_test

// A problem the enterprise could not fix during its Monday inspection enters the usual hazard loop:
// the filing side is covered by TestLeaderInspectionOpensHazards; this follows the hazard after it.

import (
	"net/http"
	"testing"
)

func TestLeaderInspectionHazardsInTheLoop(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 10:00")
	eid := env.CreateEnterprise("")
	ent := env.EnterpriseUser(eid)
	body := leaderBody(t, env, ent, "2026-11-30")
	body["problems_found"] = 1
	body["hazards"] = []map[string]any{{"title": "灭火器压力不足", "description": "甲类仓库东侧两具灭火器压力指针在红区",
		"category": "fire", "level": "general", "location": "甲类仓库", "requirement": "更换灭火器",
		"deadline": "2026-12-04", "photo_ids": []uint64{env.InsertPhoto(ent.UserID())}}}
	r := ent.Post("/api/v1/leader-inspections", body).Want(http.StatusCreated)
	hid := uint64(r.Field("hazards.0.id").(float64))
	h := env.Admin().Get("/api/v1/hazards/" + itoa(hid)).Want(http.StatusOK)
	if h.Field("source") != "leader_inspection" || h.Field("enterprise_id") != float64(eid) || h.Field("status") != "pending_rectify" ||
		len(h.Field("photos").([]any)) != 1 {
		t.Fatalf("hazard: %s", h.Body)
	}
	if n := ent.Get("/api/v1/hazards?source=leader_inspection").Want(http.StatusOK).Field("total"); n != float64(1) {
		t.Fatalf("the enterprise lists %v leader-inspection hazards", n)
	}
	// A hazard the real service refuses (no title) refuses the whole filing.
	other := env.CreateEnterprise("")
	oc := env.EnterpriseUser(other)
	body = leaderBody(t, env, oc, "2026-11-30")
	body["problems_found"] = 1
	body["hazards"] = []map[string]any{{"category": "fire", "level": "general", "requirement": "更换", "deadline": "2026-12-04",
		"photo_ids": []uint64{env.InsertPhoto(oc.UserID())}}}
	r = oc.Post("/api/v1/leader-inspections", body).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("hazards.0.title") == "" {
		t.Fatalf("want hazards.0.title named: %s", r.Body)
	}
	if n := env.Admin().Get("/api/v1/leader-inspections?enterprise_id=" + itoa(other)).Want(http.StatusOK).Field("total"); n != float64(0) {
		t.Fatalf("a refused filing was kept")
	}
}
