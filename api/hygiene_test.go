package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// friday is 2026-03-06 10:00 in the park, a Friday of ISO week 2026-W10.
var friday = time.Date(2026, 3, 6, 10, 0, 0, 0, shanghai)

// newHygieneEnv starts the app on the Friday and returns it with a signed-in inspector.
func newHygieneEnv(t *testing.T) (*apitest.Env, *apitest.Client) {
	env := apitest.New(t)
	env.Clock.Set(friday)
	return env, env.Inspector()
}

// relogin signs c's user in again after the clock moved past its token's lifetime.
func relogin(env *apitest.Env, c *apitest.Client) *apitest.Client {
	return env.Login(c.User["username"].(string), "Passw0rd-x")
}

func area(name string, passed bool, note string, photos ...uint64) map[string]any {
	if photos == nil {
		photos = []uint64{}
	}
	return map[string]any{"area": name, "passed": passed, "note": note, "photo_ids": photos}
}

func checkBody(eid uint64, date, deadline string, areas ...map[string]any) map[string]any {
	return map[string]any{"enterprise_id": eid, "check_date": date, "deadline": deadline, "areas": areas}
}

func allPassed(eid uint64, date string) map[string]any {
	return checkBody(eid, date, "", area("doorway", true, ""), area("ditch", true, ""), area("road", true, ""))
}

func count(t *testing.T, env *apitest.Env, m any, where ...any) int64 {
	t.Helper()
	var n int64
	q := env.App.DB.Model(m)
	if len(where) > 0 {
		q = q.Where(where[0], where[1:]...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func hazardOf(t *testing.T, env *apitest.Env, id uint64) model.Hazard {
	t.Helper()
	var h model.Hazard
	if err := env.App.DB.First(&h, id).Error; err != nil {
		t.Fatal(err)
	}
	return h
}

func setHazardStatus(t *testing.T, env *apitest.Env, id uint64, status string) {
	t.Helper()
	if err := env.App.DB.Model(&model.Hazard{}).Where("id = ?", id).Update("status", status).Error; err != nil {
		t.Fatal(err)
	}
}

func num(v any) uint64 { f, _ := v.(float64); return uint64(f) }

func TestHygieneFailedAreasOpenHazards(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	p1, p2, p3 := env.InsertPhoto(insp.UserID()), env.InsertPhoto(insp.UserID()), env.InsertPhoto(insp.UserID())
	r := insp.Post("/api/v1/hygiene-checks", checkBody(eid, "2026-03-06", "2026-03-09",
		area("road", false, "路边散落塑料袋和废油桶", p3),
		area("doorway", false, "门口堆放废弃纸箱和木托盘", p1, p2),
		area("ditch", true, ""))).Want(http.StatusCreated)
	m := r.Map()
	if m["week"] != "2026-W10" || m["on_schedule"] != true || m["passed"] != false || m["result_label"] != "不合格" ||
		num(m["failed_areas"]) != 2 || m["deadline"] != "2026-03-09" {
		t.Fatalf("check: %s", r.Body)
	}
	// Areas come back in walking order whatever the request order.
	for i, want := range []string{"doorway", "ditch", "road"} {
		if r.Field(fmt.Sprintf("areas.%d.area", i)) != want {
			t.Fatalf("area %d: %s", i, r.Body)
		}
	}
	if r.Field("areas.0.area_label") != "门口" || r.Field("areas.0.hazard_status") != "pending_rectify" ||
		r.Field("areas.0.hazard_status_label") != "待整改" || r.Field("areas.0.rectified") != false ||
		len(r.Field("areas.0.photos").([]any)) != 2 || r.Field("areas.1.hazard_id") != nil {
		t.Fatalf("areas: %s", r.Body)
	}

	var hazards []model.Hazard
	env.App.DB.Order("id").Find(&hazards)
	if len(hazards) != 2 {
		t.Fatalf("%d hazards, want 2", len(hazards))
	}
	var areas []model.HygieneArea
	env.App.DB.Where("check_id = ?", r.ID()).Order("id").Find(&areas)
	wantPhotos := map[string][]uint64{"doorway": {p1, p2}, "road": {p3}}
	for _, h := range hazards {
		i := slices.IndexFunc(areas, func(a model.HygieneArea) bool { return a.HazardID != nil && *a.HazardID == h.ID })
		if i < 0 || h.OriginType != "hygiene_area" || h.OriginID != areas[i].ID {
			t.Fatalf("hazard %d not linked both ways: %+v / %+v", h.ID, h, areas)
		}
		a := areas[i]
		if h.Source != "hygiene_check" || h.Category != "hygiene" || h.Level != "general" || h.EnterpriseID != eid ||
			h.Status != "pending_rectify" || h.Deadline != "2026-03-09" || h.Description != a.Note ||
			h.Requirement != "立即清理杂物和垃圾，消除火灾等隐患" || h.ReporterID != insp.UserID() {
			t.Fatalf("hazard: %+v", h)
		}
		if a.Area == "doorway" && h.Title != "门口环境卫生问题" {
			t.Fatalf("title %q", h.Title)
		}
		var linked []uint64
		env.App.DB.Model(&model.PhotoLink{}).Where("owner_type = 'hazard' AND owner_id = ? AND role = 'discovery' AND enterprise_id = ?", h.ID, eid).
			Order("position").Pluck("photo_id", &linked)
		if !slices.Equal(linked, wantPhotos[a.Area]) {
			t.Fatalf("hazard %s photos %v, want %v", a.Area, linked, wantPhotos[a.Area])
		}
		if count(t, env, &model.HazardEvent{}, "hazard_id = ? AND action = 'created'", h.ID) != 1 {
			t.Fatal("no created event")
		}
	}
	if count(t, env, &model.PhotoLink{}, "owner_type = 'hygiene_area' AND enterprise_id = ?", eid) != 3 {
		t.Fatal("area photos not linked")
	}

	// The enterprise sees its check and the hazards; another enterprise does not.
	ent := env.EnterpriseUser(eid)
	g := ent.Get("/api/v1/hygiene-checks/" + itoa(r.ID())).Want(http.StatusOK)
	if g.Field("areas.0.hazard_code") != hazards[1].Code && g.Field("areas.0.hazard_code") != hazards[0].Code {
		t.Fatalf("enterprise view: %s", g.Body)
	}
	other := env.EnterpriseUser(env.CreateEnterprise(""))
	other.Get("/api/v1/hygiene-checks/"+itoa(r.ID())).WantError(http.StatusNotFound, "not_found")
	if l := other.Get("/api/v1/hygiene-checks").Map(); num(l["total"]) != 0 {
		t.Fatalf("other enterprise lists %v", l)
	}
	if l := ent.Get("/api/v1/hygiene-checks").Map(); num(l["total"]) != 1 {
		t.Fatalf("own enterprise lists %v", l)
	}

	// Once the enterprise submits its rectification the check shows the area as rectified.
	doorHazard := num(g.Field("areas.0.hazard_id"))
	setHazardStatus(t, env, doorHazard, model.HazardPendingVerify)
	g = ent.Get("/api/v1/hygiene-checks/" + itoa(r.ID())).Want(http.StatusOK)
	if g.Field("areas.0.hazard_status_label") != "待验收" || g.Field("areas.0.rectified") != true || g.Field("areas.2.rectified") != false {
		t.Fatalf("after rectification: %s", g.Body)
	}
}

func TestHygieneCustomRequirementAndAdmin(t *testing.T) {
	env, _ := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	admin := env.Admin()
	p := env.InsertPhoto(admin.UserID())
	body := checkBody(eid, "2026-03-05", "2026-03-07", area("doorway", true, ""), area("ditch", false, "沟渠内有油污", p), area("road", true, ""))
	body["requirement"] = "三日内清理沟渠油污"
	r := admin.Post("/api/v1/hygiene-checks", body).Want(http.StatusCreated)
	if r.Field("on_schedule") != false { // a Thursday
		t.Fatalf("on_schedule: %s", r.Body)
	}
	h := hazardOf(t, env, num(r.Field("areas.1.hazard_id")))
	if h.Requirement != "三日内清理沟渠油污" || h.Title != "沟渠环境卫生问题" {
		t.Fatalf("hazard %+v", h)
	}
}

func TestHygieneCreateRefusals(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	inactive := env.CreateEnterprise("")
	env.Admin().Patch("/api/v1/enterprises/"+itoa(inactive), map[string]any{"status": "inactive"}).Want(http.StatusOK)
	mine := env.InsertPhoto(insp.UserID())
	foreign := env.InsertPhoto(env.Inspector().UserID())
	ok := func() []map[string]any {
		return []map[string]any{area("doorway", false, "杂物", mine), area("ditch", true, ""), area("road", true, "")}
	}
	with := func(i int, a map[string]any) []map[string]any { as := ok(); as[i] = a; return as }
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"missing area", checkBody(eid, "2026-03-06", "2026-03-09", ok()[:2]...), "areas"},
		{"duplicate area", checkBody(eid, "2026-03-06", "2026-03-09", with(1, area("doorway", true, ""))...), "areas[1].area"},
		{"unknown area", checkBody(eid, "2026-03-06", "2026-03-09", with(2, area("gate", true, ""))...), "areas[2].area"},
		{"no rating", checkBody(eid, "2026-03-06", "2026-03-09", with(1, map[string]any{"area": "ditch"})...), "areas[1].passed"},
		{"failed without photo", checkBody(eid, "2026-03-06", "2026-03-09", with(0, area("doorway", false, "杂物"))...), "areas[0].photo_ids"},
		{"failed without note", checkBody(eid, "2026-03-06", "2026-03-09", with(0, area("doorway", false, " ", mine))...), "areas[0].note"},
		{"photo of someone else", checkBody(eid, "2026-03-06", "2026-03-09", with(0, area("doorway", false, "杂物", foreign))...), "areas[0].photo_ids"},
		{"photo missing", checkBody(eid, "2026-03-06", "2026-03-09", with(0, area("doorway", false, "杂物", 999999))...), "areas[0].photo_ids"},
		{"future date", checkBody(eid, "2026-03-07", "2026-03-09", ok()...), "check_date"},
		{"bad date", checkBody(eid, "2026/03/06", "2026-03-09", ok()...), "check_date"},
		{"no deadline with a failure", checkBody(eid, "2026-03-06", "", ok()...), "deadline"},
		{"deadline before check", checkBody(eid, "2026-03-06", "2026-03-05", ok()...), "deadline"},
		{"no enterprise", checkBody(0, "2026-03-06", "2026-03-09", ok()...), "enterprise_id"},
		{"unknown enterprise", checkBody(424242, "2026-03-06", "2026-03-09", ok()...), "enterprise_id"},
		{"inactive enterprise", checkBody(inactive, "2026-03-06", "2026-03-09", ok()...), "enterprise_id"},
	}
	for _, c := range cases {
		r := insp.Post("/api/v1/hygiene-checks", c.body).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError(c.field) == "" {
			t.Errorf("%s: no reason for %s in %s", c.name, c.field, r.Body)
		}
	}
	env.EnterpriseUser(eid).Post("/api/v1/hygiene-checks", checkBody(eid, "2026-03-06", "2026-03-09", ok()...)).
		WantError(http.StatusForbidden, "forbidden")
	for _, m := range []any{&model.HygieneCheck{}, &model.HygieneArea{}, &model.Hazard{}, &model.HazardEvent{}, &model.PhotoLink{}} {
		if n := count(t, env, m); n != 0 {
			t.Fatalf("%T: %d rows after refusals", m, n)
		}
	}
	// The refusals left the photo usable.
	insp.Post("/api/v1/hygiene-checks", checkBody(eid, "2026-03-06", "2026-03-09", ok()...)).Want(http.StatusCreated)
}

func TestHygieneOnePerWeek(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	insp.Post("/api/v1/hygiene-checks", allPassed(eid, "2026-03-02")).Want(http.StatusCreated)
	r := insp.Post("/api/v1/hygiene-checks", allPassed(eid, "2026-03-06")).WantError(http.StatusConflict, "conflict")
	if msg := r.Field("error.message").(string); msg[:len("该企业本周已检查")] != "该企业本周已检查" {
		t.Fatalf("message %q", msg)
	}
	// An earlier week may still be filed late: only future dates are refused.
	late := insp.Post("/api/v1/hygiene-checks", allPassed(eid, "2026-02-20")).Want(http.StatusCreated)
	if late.Field("week") != "2026-W08" || late.Field("on_schedule") != true {
		t.Fatalf("late check: %s", late.Body)
	}
	if n := count(t, env, &model.HygieneCheck{}); n != 2 {
		t.Fatalf("%d checks", n)
	}

	// A phone retrying with the same key gets the first answer back; nothing is created twice.
	other := env.CreateEnterprise("")
	first := insp.Post("/api/v1/hygiene-checks", allPassed(other, "2026-03-06"), "Idempotency-Key", "round-1").Want(http.StatusCreated)
	again := insp.Post("/api/v1/hygiene-checks", allPassed(other, "2026-03-06"), "Idempotency-Key", "round-1").Want(http.StatusCreated)
	if again.ID() != first.ID() || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %s", again.Body)
	}
	if n := count(t, env, &model.HygieneCheck{}, "enterprise_id = ?", other); n != 1 {
		t.Fatalf("%d checks after retry", n)
	}
}

func TestHygieneWeekBoundaryInShanghai(t *testing.T) {
	env, insp := newHygieneEnv(t)
	late := env.CreateEnterprise("A 晚检企业")
	early := env.CreateEnterprise("B 周一企业")
	left := env.CreateEnterprise("C 未检企业")
	gone := env.CreateEnterprise("D 停产企业")
	env.Admin().Patch("/api/v1/enterprises/"+itoa(gone), map[string]any{"status": "inactive"}).Want(http.StatusOK)
	lateUser, leftUser := env.EnterpriseUser(late), env.EnterpriseUser(left)

	// Sunday 23:30 in the park (15:30 UTC): today is Sunday of W10; Monday is still the future.
	env.Clock.Set(time.Date(2026, 3, 8, 23, 30, 0, 0, shanghai))
	insp = relogin(env, insp)
	insp.Post("/api/v1/hygiene-checks", allPassed(early, "2026-03-09")).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p := env.InsertPhoto(insp.UserID())
	body := checkBody(late, "", "2026-03-10", area("doorway", false, "门口堆放易燃包装物", p), area("ditch", true, ""), area("road", true, ""))
	r := insp.Post("/api/v1/hygiene-checks", body).Want(http.StatusCreated)
	if r.Field("check_date") != "2026-03-08" || r.Field("week") != "2026-W10" || r.Field("on_schedule") != false {
		t.Fatalf("Sunday night check: %s", r.Body)
	}
	// Monday 07:00 in the park is still Sunday in UTC; the check belongs to W11.
	env.Clock.Set(time.Date(2026, 3, 9, 7, 0, 0, 0, shanghai))
	insp = relogin(env, insp)
	m := insp.Post("/api/v1/hygiene-checks", allPassed(early, "")).Want(http.StatusCreated)
	if m.Field("check_date") != "2026-03-09" || m.Field("week") != "2026-W11" {
		t.Fatalf("Monday morning check: %s", m.Body)
	}

	w10 := insp.Get("/api/v1/hygiene-checks/weeks/2026-W10").Want(http.StatusOK)
	var board struct {
		Week    string `json:"week"`
		Friday  string `json:"friday"`
		Checked []struct {
			CheckID        uint64 `json:"check_id"`
			EnterpriseID   uint64 `json:"enterprise_id"`
			EnterpriseName string `json:"enterprise_name"`
			Passed         bool   `json:"passed"`
		} `json:"checked"`
		Failed []struct {
			EnterpriseID   uint64 `json:"enterprise_id"`
			EnterpriseName string `json:"enterprise_name"`
			Rectified      bool   `json:"rectified"`
			Areas          []struct {
				Area, AreaLabel, Note, HazardCode, HazardStatus, HazardStatusLabel string
				Photos                                                             []any
				Rectified                                                          bool
			} `json:"areas"`
		} `json:"failed"`
		NotChecked []struct {
			EnterpriseID   uint64 `json:"enterprise_id"`
			EnterpriseName string `json:"enterprise_name"`
		} `json:"not_checked"`
	}
	w10.JSON(&board)
	if board.Week != "2026-W10" || board.Friday != "2026-03-06" || len(board.Checked) != 1 || board.Checked[0].EnterpriseID != late ||
		board.Checked[0].EnterpriseName != "A 晚检企业" || board.Checked[0].CheckID != r.ID() {
		t.Fatalf("W10 checked: %s", w10.Body)
	}
	if len(board.Failed) != 1 || board.Failed[0].EnterpriseID != late || board.Failed[0].Rectified || len(board.Failed[0].Areas) != 1 {
		t.Fatalf("W10 failed: %s", w10.Body)
	}
	fa := w10.Field("failed.0.areas.0").(map[string]any)
	if fa["area"] != "doorway" || fa["area_label"] != "门口" || fa["note"] != "门口堆放易燃包装物" || fa["hazard_status"] != "pending_rectify" ||
		fa["hazard_code"] != "YH-20260308-0001" || len(fa["photos"].([]any)) != 1 || fa["rectified"] != false {
		t.Fatalf("W10 failed area: %v", fa)
	}
	var notChecked []uint64
	for _, e := range board.NotChecked {
		notChecked = append(notChecked, e.EnterpriseID)
	}
	if !slices.Equal(notChecked, []uint64{early, left}) {
		t.Fatalf("W10 not checked %v, want %v (inactive excluded): %s", notChecked, []uint64{early, left}, w10.Body)
	}

	w11 := insp.Get("/api/v1/hygiene-checks/weeks/2026-W11").Want(http.StatusOK)
	w11.JSON(&board)
	if board.Friday != "2026-03-13" || len(board.Checked) != 1 || board.Checked[0].EnterpriseID != early || len(board.Failed) != 0 ||
		len(board.NotChecked) != 2 || board.NotChecked[0].EnterpriseID != late {
		t.Fatalf("W11: %s", w11.Body)
	}

	// The enterprise sees only its own entry, and the hazard once rectified.
	setHazardStatus(t, env, num(r.Field("areas.0.hazard_id")), model.HazardClosed)
	own := relogin(env, lateUser).Get("/api/v1/hygiene-checks/weeks/2026-W10").Want(http.StatusOK)
	own.JSON(&board)
	if len(board.Checked) != 1 || len(board.Failed) != 1 || !board.Failed[0].Rectified || len(board.NotChecked) != 0 ||
		own.Field("failed.0.areas.0.hazard_status_label") != "已销号" {
		t.Fatalf("enterprise board: %s", own.Body)
	}
	relogin(env, leftUser).Get("/api/v1/hygiene-checks/weeks/2026-W10").JSON(&board)
	if len(board.Checked) != 0 || len(board.NotChecked) != 1 || board.NotChecked[0].EnterpriseID != left {
		t.Fatalf("unchecked enterprise board: %+v", board)
	}

	for _, w := range []string{"2026-W99", "2025-W53", "2026W10", "abc"} {
		insp.Get("/api/v1/hygiene-checks/weeks/"+w).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
}

func TestHygieneListFilters(t *testing.T) {
	env, insp := newHygieneEnv(t)
	a, b := env.CreateEnterprise(""), env.CreateEnterprise("")
	p := env.InsertPhoto(insp.UserID())
	insp.Post("/api/v1/hygiene-checks", allPassed(a, "2026-02-27")).Want(http.StatusCreated)
	insp.Post("/api/v1/hygiene-checks", checkBody(a, "2026-03-06", "2026-03-09", area("doorway", true, ""), area("ditch", true, ""),
		area("road", false, "道路油污", p))).Want(http.StatusCreated)
	insp.Post("/api/v1/hygiene-checks", allPassed(b, "2026-03-06")).Want(http.StatusCreated)
	for q, want := range map[string]int{
		"": 3, "?week=2026-W10": 2, "?week=2026-W09": 1, "?result=failed": 1, "?result=passed": 2,
		"?enterprise_id=" + itoa(a): 2, "?enterprise_id=" + itoa(b) + "&result=failed": 0, "?page_size=1": 3,
	} {
		l := insp.Get("/api/v1/hygiene-checks" + q).Want(http.StatusOK).Map()
		if int(num(l["total"])) != want {
			t.Errorf("%q: total %v, want %d", q, l["total"], want)
		}
	}
	first := insp.Get("/api/v1/hygiene-checks").Want(http.StatusOK)
	if first.Field("items.0.check_date") != "2026-03-06" || first.Field("items.2.check_date") != "2026-02-27" {
		t.Fatalf("order: %s", first.Body)
	}
	for _, q := range []string{"?result=bad", "?week=2026-W60", "?enterprise_id=x", "?page_size=1000"} {
		insp.Get("/api/v1/hygiene-checks"+q).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
	if l := env.EnterpriseUser(b).Get("/api/v1/hygiene-checks?enterprise_id=" + itoa(a)).Map(); num(l["total"]) != 0 {
		t.Fatalf("enterprise filter by another enterprise: %v", l)
	}
}

func TestHygienePatch(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	p1 := env.InsertPhoto(insp.UserID())
	r := insp.Post("/api/v1/hygiene-checks", checkBody(eid, "2026-03-06", "2026-03-09",
		area("doorway", false, "门口纸箱", p1), area("ditch", true, ""), area("road", true, ""))).Want(http.StatusCreated)
	id := itoa(r.ID())
	door := num(r.Field("areas.0.hazard_id"))

	// Note, deadline and an area's note; the open hazard follows.
	u := insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"note": "复查", "deadline": "2026-03-11", "version": 1,
		"areas": []map[string]any{{"area": "doorway", "note": "门口纸箱和木托盘"}}}).Want(http.StatusOK)
	if u.Field("note") != "复查" || u.Field("deadline") != "2026-03-11" || num(u.Field("version")) != 2 ||
		u.Field("areas.0.hazard_deadline") != "2026-03-11" || u.Field("areas.0.note") != "门口纸箱和木托盘" {
		t.Fatalf("patch: %s", u.Body)
	}
	if h := hazardOf(t, env, door); h.Deadline != "2026-03-11" || h.Description != "门口纸箱和木托盘" ||
		!h.DeadlineAt.Equal(time.Date(2026, 3, 12, 0, 0, 0, 0, shanghai)) {
		t.Fatalf("hazard after patch: %+v", h)
	}
	insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"note": "x", "version": 1}).WantError(http.StatusConflict, "conflict")

	// Refusals change nothing.
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"areas": []map[string]any{{"area": "road", "passed": false, "note": "油污"}}}, "areas[0].photo_ids"},
		{map[string]any{"areas": []map[string]any{{"area": "road", "passed": false, "photo_ids": []uint64{env.InsertPhoto(insp.UserID())}}}}, "areas[0].note"},
		{map[string]any{"areas": []map[string]any{{"area": "ditch", "photo_ids": []uint64{env.InsertPhoto(insp.UserID())}}}}, "areas[0].photo_ids"},
		{map[string]any{"areas": []map[string]any{{"area": "gate", "note": "x"}}}, "areas[0].area"},
		{map[string]any{"deadline": "2026-03-01"}, "deadline"},
		{map[string]any{"deadline": ""}, "deadline"},
		{map[string]any{"areas": []map[string]any{{"area": "doorway", "note": ""}}}, "areas[0].note"},
	} {
		e := insp.Patch("/api/v1/hygiene-checks/"+id, c.body).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if e.FieldError(c.field) == "" {
			t.Errorf("%v: no reason for %s in %s", c.body, c.field, e.Body)
		}
	}
	env.EnterpriseUser(eid).Patch("/api/v1/hygiene-checks/"+id, map[string]any{"note": "x"}).WantError(http.StatusForbidden, "forbidden")
	insp.Patch("/api/v1/hygiene-checks/999999", map[string]any{"note": "x"}).WantError(http.StatusNotFound, "not_found")
	if g := insp.Get("/api/v1/hygiene-checks/" + id).Map(); num(g["version"]) != 2 || g["note"] != "复查" {
		t.Fatalf("refused patches changed the check: %v", g)
	}

	// Swap the finding: the doorway was fine after all, the road was not.
	p2 := env.InsertPhoto(insp.UserID())
	s := insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"areas": []map[string]any{
		{"area": "doorway", "passed": true},
		{"area": "road", "passed": false, "note": "路面油污", "photo_ids": []uint64{p2}},
	}}).Want(http.StatusOK)
	if s.Field("areas.0.hazard_id") != nil || s.Field("areas.2.hazard_status") != "pending_rectify" || num(s.Field("failed_areas")) != 1 ||
		s.Field("passed") != false || len(s.Field("areas.2.photos").([]any)) != 1 {
		t.Fatalf("swap: %s", s.Body)
	}
	if h := hazardOf(t, env, door); h.Status != model.HazardVoid {
		t.Fatalf("doorway hazard not voided: %+v", h)
	}
	// The corrections are on the hazard's timeline, in the hazard service's own words.
	events := insp.Get("/api/v1/hazards/" + itoa(door)).Want(http.StatusOK).Field("events").([]any)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	if strings.Join(actions, ",") != "created,amended,amended,voided" {
		t.Fatalf("doorway hazard timeline: %v", actions)
	}
	road := hazardOf(t, env, num(s.Field("areas.2.hazard_id")))
	if road.Title != "道路环境卫生问题" || road.Deadline != "2026-03-11" || road.Description != "路面油污" || road.OriginType != "hygiene_area" {
		t.Fatalf("road hazard: %+v", road)
	}

	// Once the enterprise has submitted its rectification, the check is settled.
	setHazardStatus(t, env, road.ID, model.HazardPendingVerify)
	insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"note": "再改"}).WantError(http.StatusConflict, "conflict")
	if g := insp.Get("/api/v1/hygiene-checks/" + id).Map(); g["note"] != "复查" {
		t.Fatalf("locked check changed: %v", g)
	}
}

func TestHygieneAllPassedCorrectionNeedsDeadline(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	id := itoa(insp.Post("/api/v1/hygiene-checks", allPassed(eid, "2026-03-06")).Want(http.StatusCreated).ID())
	p := env.InsertPhoto(insp.UserID())
	change := []map[string]any{{"area": "ditch", "passed": false, "note": "沟渠堵塞", "photo_ids": []uint64{p}}}
	insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"areas": change}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if n := count(t, env, &model.Hazard{}); n != 0 {
		t.Fatalf("%d hazards after refusal", n)
	}
	r := insp.Patch("/api/v1/hygiene-checks/"+id, map[string]any{"deadline": "2026-03-08", "areas": change}).Want(http.StatusOK)
	if r.Field("areas.1.hazard_status") != "pending_rectify" || r.Field("result") != "failed" {
		t.Fatalf("correction: %s", r.Body)
	}
}

func TestHygieneStats(t *testing.T) {
	env, insp := newHygieneEnv(t)
	repeat, once, clean := env.CreateEnterprise("A 屡犯企业"), env.CreateEnterprise("B 一次企业"), env.CreateEnterprise("C 合格企业")
	unchecked := env.CreateEnterprise("D 未检企业")
	failed := func(eid uint64, date string, areas int) {
		as := []map[string]any{area("doorway", true, ""), area("ditch", true, ""), area("road", true, "")}
		for i := range areas {
			as[i] = area(as[i]["area"].(string), false, "杂物", env.InsertPhoto(insp.UserID()))
		}
		insp.Post("/api/v1/hygiene-checks", checkBody(eid, date, date, as...)).Want(http.StatusCreated)
	}
	failed(repeat, "2026-02-13", 1) // W07, first week of the window W07–W10
	failed(repeat, "2026-03-06", 2) // W10
	insp.Post("/api/v1/hygiene-checks", allPassed(repeat, "2026-02-20")).Want(http.StatusCreated)
	failed(once, "2026-02-06", 1) // W06: outside the window
	failed(once, "2026-03-06", 1)
	insp.Post("/api/v1/hygiene-checks", allPassed(clean, "2026-03-06")).Want(http.StatusCreated)

	type stat struct {
		EnterpriseID   uint64 `json:"enterprise_id"`
		EnterpriseName string `json:"enterprise_name"`
		Checks         int    `json:"checks"`
		FailedChecks   int    `json:"failed_checks"`
		FailedAreas    int    `json:"failed_areas"`
		RepeatOffender bool   `json:"repeat_offender"`
	}
	var st struct {
		Weeks    int    `json:"weeks"`
		FromWeek string `json:"from_week"`
		ToWeek   string `json:"to_week"`
		Items    []stat `json:"items"`
	}
	r := insp.Get("/api/v1/stats/hygiene?weeks=4").Want(http.StatusOK)
	r.JSON(&st)
	want := []stat{
		{repeat, "A 屡犯企业", 3, 2, 3, true},
		{once, "B 一次企业", 1, 1, 1, false},
		{clean, "C 合格企业", 1, 0, 0, false},
		{unchecked, "D 未检企业", 0, 0, 0, false},
	}
	if st.Weeks != 4 || st.FromWeek != "2026-W07" || st.ToWeek != "2026-W10" || !slices.Equal(st.Items, want) {
		t.Fatalf("stats: %s", r.Body)
	}
	onceUser := env.EnterpriseUser(once)
	env.Clock.Set(friday.AddDate(0, 0, 7)) // a week later W07 drops out of the window
	insp, onceUser = relogin(env, insp), relogin(env, onceUser)
	insp.Get("/api/v1/stats/hygiene").JSON(&st)
	if st.FromWeek != "2026-W08" || st.Items[0].Checks != 2 || st.Items[0].RepeatOffender {
		t.Fatalf("next week: %+v", st)
	}
	onceUser.Get("/api/v1/stats/hygiene").Want(http.StatusOK).JSON(&st)
	if len(st.Items) != 1 || st.Items[0].EnterpriseID != once {
		t.Fatalf("enterprise stats: %+v", st)
	}
	for _, q := range []string{"?weeks=0x", "?weeks=53", "?weeks=-1"} {
		insp.Get("/api/v1/stats/hygiene"+q).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
}

// Two inspectors filing the same enterprise at once: exactly one check; filing different
// enterprises at once: every hazard gets its own code.
func TestHygieneConcurrentFiling(t *testing.T) {
	env, insp := newHygieneEnv(t)
	same := env.CreateEnterprise("")
	var others []uint64
	for range 4 {
		others = append(others, env.CreateEnterprise(""))
	}
	p := env.InsertPhoto(insp.UserID())
	failing := func(eid uint64) map[string]any {
		return checkBody(eid, "2026-03-06", "2026-03-09", area("doorway", false, "杂物", p), area("ditch", true, ""), area("road", true, ""))
	}
	statuses := make(chan int, 8)
	var wg sync.WaitGroup
	for i := range 8 {
		eid := same
		if i%2 == 1 {
			eid = others[i/2]
		}
		wg.Go(func() { statuses <- insp.Post("/api/v1/hygiene-checks", failing(eid)).Status })
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusCreated] != 5 || got[http.StatusConflict] != 3 {
		t.Fatalf("statuses %v, want 5×201 and 3×409", got)
	}
	var codes []string
	env.App.DB.Model(&model.Hazard{}).Order("code").Pluck("code", &codes)
	if len(codes) != 5 || len(slices.Compact(slices.Clone(codes))) != 5 || codes[4] != "YH-20260306-0005" {
		t.Fatalf("hazard codes %v", codes)
	}
	if n := count(t, env, &model.HygieneCheck{}, "enterprise_id = ?", same); n != 1 {
		t.Fatalf("%d checks of one enterprise in one week", n)
	}
}
