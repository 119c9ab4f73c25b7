package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

// leaderAt parses "2006-01-02 15:04" as park-local (Asia/Shanghai) time.
func leaderAt(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// leaderEnv starts ParkSafe with the clock at start (park-local). Tokens live long enough for a test
// to walk the clock forward over weeks without signing in again.
func leaderEnv(t *testing.T, start string) *apitest.Env {
	t.Helper()
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h"))
	env.Clock.Set(leaderAt(t, start))
	return env
}

// leaderBody is a valid filing for date with a fresh photo of c.
func leaderBody(t *testing.T, env *apitest.Env, c *apitest.Client, date string) map[string]any {
	return map[string]any{"inspected_on": date, "participants": "安全总监、设备部", "areas": "罐区、装卸站台",
		"findings": "未发现问题", "problems_found": 0, "problems_fixed": 0, "photo_ids": []uint64{env.InsertPhoto(c.UserID())}}
}

// leaderFile files for date with the clock at now and returns the inspection id.
func leaderFile(t *testing.T, env *apitest.Env, c *apitest.Client, now, date string) uint64 {
	t.Helper()
	env.Clock.Set(leaderAt(t, now))
	return c.Post("/api/v1/leader-inspections", leaderBody(t, env, c, date)).Want(http.StatusCreated).ID()
}

func TestLeaderInspectionFile(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 10:00") // Monday of 2026-W49
	eid := env.CreateEnterprise("")
	ent := env.EnterpriseUser(eid)
	body := leaderBody(t, env, ent, "2026-11-30")
	body["problems_found"], body["problems_fixed"] = 3, 3
	r := ent.Post("/api/v1/leader-inspections", body, "Idempotency-Key", "leader-1").Want(http.StatusCreated)
	id := r.ID()
	m := r.Map()
	if m["week"] != "2026-W49" || m["on_time"] != true || m["on_time_label"] != "周一按时开展" || m["leader_name"] != "王主任" ||
		m["enterprise_id"] != float64(eid) || m["problems_found"] != float64(3) || m["hazards_found"] != float64(3) {
		t.Fatalf("filing: %s", r.Body)
	}
	if ps := m["photos"].([]any); len(ps) != 1 {
		t.Fatalf("photos: %s", r.Body)
	}
	if hs := m["hazards"].([]any); len(hs) != 0 {
		t.Fatalf("hazards: %s", r.Body)
	}
	// A phone retrying with the same key gets the same filing back.
	again := ent.Post("/api/v1/leader-inspections", body, "Idempotency-Key", "leader-1").Want(http.StatusCreated)
	if again.ID() != id || count(t, env, &model.LeaderInspection{}) != 1 {
		t.Fatalf("idempotent retry created another filing: %s", again.Body)
	}
	got := ent.Get("/api/v1/leader-inspections/" + itoa(id)).Want(http.StatusOK)
	if got.Field("inspected_on") != "2026-11-30" || got.Field("photos.0.id") != float64(body["photo_ids"].([]uint64)[0]) {
		t.Fatalf("get: %s", got.Body)
	}
	env.Admin().Get("/api/v1/leader-inspections/" + itoa(id)).Want(http.StatusOK)
	env.Inspector().Get("/api/v1/leader-inspections/" + itoa(id)).Want(http.StatusOK)

	// One per enterprise and ISO week: a second filing later that week is refused.
	env.Clock.Set(leaderAt(t, "2026-12-02 10:00"))
	r = ent.Post("/api/v1/leader-inspections", leaderBody(t, env, ent, "2026-12-01")).WantError(http.StatusConflict, "conflict")
	if r.FieldError("inspected_on") == "" || count(t, env, &model.LeaderInspection{}) != 1 {
		t.Fatalf("duplicate week: %s", r.Body)
	}

	// A late filing: the date, not the filing time, decides on_time.
	other := env.CreateEnterprise("")
	oc := env.EnterpriseUser(other)
	body = leaderBody(t, env, oc, "2026-12-01")
	body["leader_name"] = "李总"
	r = oc.Post("/api/v1/leader-inspections", body).Want(http.StatusCreated)
	if r.Field("on_time") != false || r.Field("on_time_label") != "未在周一开展" || r.Field("leader_name") != "李总" {
		t.Fatalf("late filing: %s", r.Body)
	}
}

func TestLeaderInspectionRefusals(t *testing.T) {
	env := leaderEnv(t, "2026-12-02 10:00") // Wednesday of 2026-W49
	eid := env.CreateEnterprise("")
	ent := env.EnterpriseUser(eid)
	post := func(c *apitest.Client, change func(map[string]any)) *apitest.Response {
		b := leaderBody(t, env, ent, "2026-11-30")
		change(b)
		return c.Post("/api/v1/leader-inspections", b)
	}
	// Park staff do not file for an enterprise.
	insp := env.Inspector()
	insp.Post("/api/v1/leader-inspections", leaderBody(t, env, insp, "2026-11-30")).WantError(http.StatusForbidden, "forbidden")
	env.Admin().Post("/api/v1/leader-inspections", leaderBody(t, env, env.Admin(), "2026-11-30")).WantError(http.StatusForbidden, "forbidden")

	cases := []struct {
		name, field string
		change      func(map[string]any)
	}{
		{"no photo", "photo_ids", func(b map[string]any) { b["photo_ids"] = []uint64{} }},
		{"future date", "inspected_on", func(b map[string]any) { b["inspected_on"] = "2026-12-03" }},
		{"before the previous week", "inspected_on", func(b map[string]any) { b["inspected_on"] = "2026-11-22" }},
		{"not a date", "inspected_on", func(b map[string]any) { b["inspected_on"] = "30/11/2026" }},
		{"no date", "inspected_on", func(b map[string]any) { delete(b, "inspected_on") }},
		{"no areas", "areas", func(b map[string]any) { b["areas"] = " " }},
		{"no findings", "findings", func(b map[string]any) { b["findings"] = "" }},
		{"fixed more than found", "problems_fixed", func(b map[string]any) { b["problems_found"], b["problems_fixed"] = 1, 2 }},
		{"negative found", "problems_found", func(b map[string]any) { b["problems_found"] = -1 }},
		{"more hazards than unfixed problems", "hazards", func(b map[string]any) {
			b["problems_found"], b["problems_fixed"] = 1, 1
			b["hazards"] = []map[string]any{{"title": "灭火器失效"}}
		}},
		{"someone else's photo", "photo_ids", func(b map[string]any) { b["photo_ids"] = []uint64{env.InsertPhoto(insp.UserID())} }},
		{"photo does not exist", "photo_ids", func(b map[string]any) { b["photo_ids"] = []uint64{999999} }},
	}
	for _, tc := range cases {
		r := post(ent, tc.change).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError(tc.field) == "" {
			t.Errorf("%s: want a reason for %s, got %s", tc.name, tc.field, r.Body)
		}
	}
	// A hazard the hazard service refuses refuses the whole filing, naming the hazard's field.
	r := post(ent, func(b map[string]any) {
		b["problems_found"] = 1
		b["hazards"] = []map[string]any{{"title": "灭火器压力不足", "category": "fire", "level": "general", "deadline": "下周五",
			"requirement": "更换", "photo_ids": []uint64{env.InsertPhoto(ent.UserID())}}}
	}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("hazards.0.deadline") == "" {
		t.Fatalf("refused hazard: %s", r.Body)
	}
	post(ent, func(b map[string]any) { b["problems_found"] = "three" }).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if n := count(t, env, &model.LeaderInspection{}); n != 0 {
		t.Fatalf("refused filings left %d records", n)
	}
	var links, hazards int64
	env.App.DB.Model(&model.PhotoLink{}).Count(&links)
	env.App.DB.Model(&model.Hazard{}).Count(&hazards)
	if links != 0 || hazards != 0 {
		t.Fatalf("refused filings left %d photo links and %d hazards", links, hazards)
	}
	// The previous week's Sunday is still accepted on Wednesday.
	post(ent, func(b map[string]any) { b["inspected_on"] = "2026-11-29" }).Want(http.StatusCreated)
}

func TestLeaderInspectionOpensHazards(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 10:00")
	eid := env.CreateEnterprise("")
	ent := env.EnterpriseUser(eid)
	body := leaderBody(t, env, ent, "2026-11-30")
	hp := env.InsertPhoto(ent.UserID())
	body["problems_found"], body["problems_fixed"] = 3, 2
	body["hazards"] = []map[string]any{{"title": "灭火器压力不足", "description": "甲类仓库东侧两具灭火器压力指针在红区",
		"category": "fire", "level": "general", "location": "甲类仓库", "requirement": "更换灭火器并检查其余灭火器",
		"deadline": "2026-12-04", "photo_ids": []uint64{hp}}}
	r := ent.Post("/api/v1/leader-inspections", body).Want(http.StatusCreated)
	if r.Field("hazards.0.status") != "pending_rectify" || r.Field("hazards.0.status_label") != "待整改" ||
		r.Field("hazards.0.title") != "灭火器压力不足" || !strings.HasPrefix(r.Field("hazards.0.code").(string), "YH-20261130-") {
		t.Fatalf("filing with a hazard: %s", r.Body)
	}
	var h model.Hazard
	if err := env.App.DB.First(&h, uint64(r.Field("hazards.0.id").(float64))).Error; err != nil {
		t.Fatal(err)
	}
	if h.Source != model.SourceLeaderInspection || h.OriginType != model.OriginLeaderInspection || h.OriginID != r.ID() ||
		h.EnterpriseID != eid || h.ReporterID != ent.UserID() {
		t.Fatalf("hazard: %+v", h)
	}
	// The detail, as another enterprise would not see it, lists the hazard too.
	if env.Admin().Get("/api/v1/leader-inspections/"+itoa(r.ID())).Want(http.StatusOK).Field("hazards.0.id") != r.Field("hazards.0.id") {
		t.Fatal("detail lacks the hazard")
	}
	env.EnterpriseUser(env.CreateEnterprise("")).Get("/api/v1/leader-inspections/"+itoa(r.ID())).WantError(http.StatusNotFound, "not_found")
}

func TestLeaderInspectionCrossEnterprise(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 08:00")
	a, b := env.CreateEnterprise("甲化工"), env.CreateEnterprise("乙化工")
	ac, bc := env.EnterpriseUser(a), env.EnterpriseUser(b)
	id := leaderFile(t, env, ac, "2026-11-30 09:00", "2026-11-30")
	bc.Get("/api/v1/leader-inspections/"+itoa(id)).WantError(http.StatusNotFound, "not_found")
	bc.Get("/api/v1/leader-inspections/abc").WantError(http.StatusNotFound, "not_found")
	if n := bc.Get("/api/v1/leader-inspections?enterprise_id=" + itoa(a)).Want(http.StatusOK).Field("total"); n != float64(0) {
		t.Fatalf("b lists a's filings: %v", n)
	}
	if n := ac.Get("/api/v1/leader-inspections").Want(http.StatusOK).Field("total"); n != float64(1) {
		t.Fatalf("a lists %v filings", n)
	}
	// The weekly report of an enterprise user covers its own enterprise only.
	rep := bc.Get("/api/v1/leader-inspections/weeks/2026-W49").Want(http.StatusOK).Map()
	if len(rep["done"].([]any)) != 0 || len(rep["missing"].([]any)) != 1 || rep["missing"].([]any)[0].(map[string]any)["enterprise_id"] != float64(b) {
		t.Fatalf("b's report: %v", rep)
	}
	stats := bc.Get("/api/v1/stats/leader-inspections").Want(http.StatusOK).Map()
	if items := stats["items"].([]any); len(items) != 1 || items[0].(map[string]any)["enterprise_id"] != float64(b) {
		t.Fatalf("b's stats: %v", stats)
	}
}

func TestLeaderInspectionList(t *testing.T) {
	env := leaderEnv(t, "2026-11-23 08:00")
	a, b := env.CreateEnterprise("甲化工"), env.CreateEnterprise("乙化工")
	ac, bc := env.EnterpriseUser(a), env.EnterpriseUser(b)
	leaderFile(t, env, ac, "2026-11-23 09:00", "2026-11-23")
	leaderFile(t, env, bc, "2026-11-25 09:00", "2026-11-25")
	leaderFile(t, env, ac, "2026-11-30 09:00", "2026-11-30")
	admin := env.Admin()
	for q, want := range map[string]float64{
		"": 3, "?week=2026-W48": 2, "?on_time=false": 1, "?on_time=true&enterprise_id=" + itoa(a): 2, "?week=2026-W49&enterprise_id=" + itoa(b): 0,
	} {
		if n := admin.Get("/api/v1/leader-inspections" + q).Want(http.StatusOK).Field("total"); n != want {
			t.Errorf("list%s: total %v, want %v", q, n, want)
		}
	}
	if w := admin.Get("/api/v1/leader-inspections?page_size=1").Want(http.StatusOK).Field("items.0.week"); w != "2026-W49" {
		t.Errorf("newest week first: got %v", w)
	}
	admin.Get("/api/v1/leader-inspections?week=2026-W99").WantError(http.StatusUnprocessableEntity, "validation_failed")
	admin.Get("/api/v1/leader-inspections?on_time=maybe").WantError(http.StatusUnprocessableEntity, "validation_failed")
}

// names returns the enterprise names of a report section.
func leaderNames(section any) []string {
	out := []string{}
	for _, e := range section.([]any) {
		out = append(out, e.(map[string]any)["enterprise_name"].(string))
	}
	return out
}

func TestLeaderWeeklyReport(t *testing.T) {
	env := leaderEnv(t, "2026-11-16 08:00")
	a, b, c := env.CreateEnterprise("A化工"), env.CreateEnterprise("B化工"), env.CreateEnterprise("C化工")
	d := env.CreateEnterprise("D化工")
	env.Admin().Patch("/api/v1/enterprises/"+itoa(d), map[string]any{"status": "inactive"}).Want(http.StatusOK)
	ac, bc, cc := env.EnterpriseUser(a), env.EnterpriseUser(b), env.EnterpriseUser(c)
	admin := env.Admin()

	// 2026-W47: everyone files on the Monday (the park's first filed week).
	for _, u := range []*apitest.Client{ac, bc, cc} {
		leaderFile(t, env, u, "2026-11-16 09:00", "2026-11-16")
	}
	// 2026-W48: A on the Monday, B on the Wednesday (late), C not at all.
	aID := leaderFile(t, env, ac, "2026-11-23 09:00", "2026-11-23")
	bID := leaderFile(t, env, bc, "2026-11-25 09:00", "2026-11-25")
	rep := admin.Get("/api/v1/leader-inspections/weeks/2026-W48").Want(http.StatusOK)
	m := rep.Map()
	if m["week"] != "2026-W48" || m["monday"] != "2026-11-23" {
		t.Fatalf("report header: %s", rep.Body)
	}
	if got := fmt.Sprint(leaderNames(m["done"]), leaderNames(m["late"]), leaderNames(m["missing"])); got != "[A化工] [B化工] [C化工]" {
		t.Fatalf("done/late/missing = %s; %s", got, rep.Body)
	}
	if rep.Field("done.0.inspection_id") != float64(aID) || rep.Field("late.0.inspection_id") != float64(bID) ||
		rep.Field("late.0.inspected_on") != "2026-11-25" || rep.Field("late.0.filed_at") != "2026-11-25T09:00:00+08:00" || rep.Field("missing.0.missed_streak") != nil {
		// W48 is still running on its Wednesday: C has not missed it yet.
		t.Fatalf("entries: %s", rep.Body)
	}

	// Sunday 23:30 in the park is still 2026-W48: the week after has not begun, and Sunday files into W48.
	env.Clock.Set(leaderAt(t, "2026-11-29 23:30"))
	admin.Get("/api/v1/leader-inspections/weeks/2026-W49").WantError(http.StatusUnprocessableEntity, "validation_failed")
	r := cc.Post("/api/v1/leader-inspections", leaderBody(t, env, cc, "2026-11-30")).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("inspected_on") == "" {
		t.Fatalf("Monday filed on Sunday night: %s", r.Body)
	}
	// Monday 00:30 in the park (Sunday 16:30 UTC) is 2026-W49: its Monday may be filed and is on time.
	env.Clock.Set(leaderAt(t, "2026-11-30 00:30"))
	r = ac.Post("/api/v1/leader-inspections", leaderBody(t, env, ac, "2026-11-30")).Want(http.StatusCreated)
	if r.Field("week") != "2026-W49" || r.Field("on_time") != true {
		t.Fatalf("Monday just after midnight: %s", r.Body)
	}
	// 2026-W49 so far: A done, B and C missing; the running week is not missed yet, so B has no
	// streak and C has missed W48 only.
	rep = admin.Get("/api/v1/leader-inspections/weeks/2026-W49").Want(http.StatusOK)
	m = rep.Map()
	if got := fmt.Sprint(leaderNames(m["done"]), leaderNames(m["late"]), leaderNames(m["missing"])); got != "[A化工] [] [B化工 C化工]" {
		t.Fatalf("W49 = %s", got)
	}
	if rep.Field("missing.0.missed_streak") != nil || rep.Field("missing.1.missed_streak") != float64(1) {
		t.Fatalf("streaks: %s", rep.Body)
	}
	// A week before the enterprises were registered lists none of them as missing.
	rep = admin.Get("/api/v1/leader-inspections/weeks/2026-W40").Want(http.StatusOK)
	if n := len(rep.Map()["missing"].([]any)); n != 0 {
		t.Fatalf("W40: %s", rep.Body)
	}
	admin.Get("/api/v1/leader-inspections/weeks/2026-W99").WantError(http.StatusUnprocessableEntity, "validation_failed")
	admin.Get("/api/v1/leader-inspections/weeks/2026-49").WantError(http.StatusUnprocessableEntity, "validation_failed")

	// Statistics over 4 weeks (W46–W49): W46 predates the first filing; W49 is still running.
	st := admin.Get("/api/v1/stats/leader-inspections?weeks=4").Want(http.StatusOK)
	if st.Field("from_week") != "2026-W46" || st.Field("to_week") != "2026-W49" {
		t.Fatalf("stats window: %s", st.Body)
	}
	want := map[string]string{"A化工": "3/0/0", "B化工": "1/1/0", "C化工": "1/0/1"}
	items := st.Map()["items"].([]any)
	if len(items) != 3 {
		t.Fatalf("stats lists %d enterprises (inactive D must not be there): %s", len(items), st.Body)
	}
	for _, it := range items {
		row := it.(map[string]any)
		if got := fmt.Sprintf("%v/%v/%v", row["done"], row["late"], row["missed"]); got != want[row["enterprise_name"].(string)] {
			t.Errorf("stats %s: %s, want %s", row["enterprise_name"], got, want[row["enterprise_name"].(string)])
		}
	}
	admin.Get("/api/v1/stats/leader-inspections?weeks=99").WantError(http.StatusUnprocessableEntity, "validation_failed")
	admin.Get("/api/v1/stats/leader-inspections?weeks=x").WantError(http.StatusUnprocessableEntity, "validation_failed")
}
