package api_test

import (
	"net/http"
	"strings"
	"testing"

	"parksafe/model"
)

func TestInterviewLifecycle(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 10:00") // Monday of 2026-W49
	a, b := env.CreateEnterprise("甲化工"), env.CreateEnterprise("乙化工")
	ac, bc := env.EnterpriseUser(a), env.EnterpriseUser(b)
	admin, insp := env.Admin(), env.Inspector()
	body := map[string]any{"enterprise_id": a, "week": "2026-W48", "scheduled_at": "2026-12-02T09:30:00+08:00", "place": "园区管委会三楼会议室"}

	insp.Post("/api/v1/interviews", body).WantError(http.StatusForbidden, "forbidden")
	ac.Post("/api/v1/interviews", body).WantError(http.StatusForbidden, "forbidden")
	r := admin.Post("/api/v1/interviews", body, "Idempotency-Key", "iv-1").Want(http.StatusCreated)
	id := r.ID()
	m := r.Map()
	if m["status"] != "scheduled" || m["status_label"] != "待约谈" || m["reason"] != "2026年第48周未按要求开展主要负责人带队检查" ||
		m["attendee"] != "王主任（主要负责人本人）" || m["scheduled_at"] != "2026-12-02T09:30:00+08:00" || m["version"] != float64(1) {
		t.Fatalf("created: %s", r.Body)
	}
	if w := m["weeks"].([]any); len(w) != 1 || w[0] != "2026-W48" {
		t.Fatalf("weeks: %s", r.Body)
	}
	// The summoned enterprise is told, once; the other enterprise is not.
	feed := ac.Get("/api/v1/notifications").Want(http.StatusOK)
	if feed.Field("items.0.kind") != "interview_scheduled" || !strings.Contains(feed.Field("items.0.body").(string), "2026年12月2日 09:30") {
		t.Fatalf("enterprise feed after scheduling: %s", feed.Body)
	}
	if n := bc.Get("/api/v1/notifications").Want(http.StatusOK).Field("total"); n != float64(0) {
		t.Fatalf("another enterprise was told of the interview: %v", n)
	}
	if admin.Post("/api/v1/interviews", body, "Idempotency-Key", "iv-1").Want(http.StatusCreated).ID() != id {
		t.Fatal("idempotent retry created another interview")
	}
	path := "/api/v1/interviews/" + itoa(id)

	// Other enterprises do not see it; park staff do; inspectors do not edit it.
	bc.Get(path).WantError(http.StatusNotFound, "not_found")
	bc.Patch(path, map[string]any{"feedback": "x"}).WantError(http.StatusNotFound, "not_found")
	if n := bc.Get("/api/v1/interviews").Want(http.StatusOK).Field("total"); n != float64(0) {
		t.Fatalf("b lists %v interviews", n)
	}
	if n := insp.Get("/api/v1/interviews").Want(http.StatusOK).Field("total"); n != float64(1) {
		t.Fatalf("inspector lists %v interviews", n)
	}
	ac.Get(path).Want(http.StatusOK)
	insp.Patch(path, map[string]any{"minutes": "x"}).WantError(http.StatusForbidden, "forbidden")

	// No feedback before it is held; no skipping to closed.
	ac.Patch(path, map[string]any{"feedback": "已整改"}).WantError(http.StatusConflict, "conflict")
	admin.Patch(path, map[string]any{"status": "closed", "minutes": "x", "result": "y"}).WantError(http.StatusConflict, "conflict")
	admin.Patch(path, map[string]any{"status": "finished"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	admin.Patch(path, map[string]any{"feedback": "代写"}).WantError(http.StatusUnprocessableEntity, "validation_failed")

	// Held on Wednesday 2026-12-02: feedback due 5 working days later, Wednesday 2026-12-09.
	env.Clock.Set(leaderAt(t, "2026-12-02 11:00"))
	r = admin.Patch(path, map[string]any{"status": "held", "minutes": "企业主要负责人说明未开展原因", "commitments": "每周一 8:30 带队检查", "version": 1}).Want(http.StatusOK)
	if r.Field("status") != "held" || r.Field("feedback_due") != "2026-12-09" || r.Field("held_at") == nil || r.Field("version") != float64(2) {
		t.Fatalf("held: %s", r.Body)
	}
	admin.Patch(path, map[string]any{"result": "x", "version": 1}).WantError(http.StatusConflict, "conflict")
	admin.Patch(path, map[string]any{"status": "scheduled"}).WantError(http.StatusConflict, "conflict")

	// The enterprise writes its feedback, and nothing else.
	ac.Patch(path, map[string]any{"feedback": "已整改", "result": "满意"}).WantError(http.StatusForbidden, "forbidden")
	ac.Patch(path, map[string]any{"feedback": "  "}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	env.Clock.Set(leaderAt(t, "2026-12-10 09:00"))
	if admin.Get(path).Want(http.StatusOK).Field("feedback_overdue") != true {
		t.Fatal("feedback past its due date is not flagged overdue")
	}
	r = ac.Patch(path, map[string]any{"feedback": "已建立周一带队检查制度并落实"}).Want(http.StatusOK)
	if r.Field("feedback") != "已建立周一带队检查制度并落实" || r.Field("feedback_at") != "2026-12-10T09:00:00+08:00" ||
		r.Field("feedback_overdue") != false || r.Field("feedback_by_name") == "" {
		t.Fatalf("feedback: %s", r.Body)
	}

	// Closing needs a result; closed is final.
	r = admin.Patch(path, map[string]any{"status": "closed"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("result") == "" {
		t.Fatalf("close without result: %s", r.Body)
	}
	r = admin.Patch(path, map[string]any{"status": "closed", "result": "反馈符合要求，予以办结"}).Want(http.StatusOK)
	if r.Field("status") != "closed" || r.Field("status_label") != "已办结" || r.Field("closed_at") == nil {
		t.Fatalf("closed: %s", r.Body)
	}
	admin.Patch(path, map[string]any{"minutes": "改"}).WantError(http.StatusConflict, "conflict")
	ac.Patch(path, map[string]any{"feedback": "补充"}).WantError(http.StatusConflict, "conflict")
	if f := ac.Get(path).Want(http.StatusOK).Field("feedback"); f != "已建立周一带队检查制度并落实" {
		t.Fatalf("refused edits changed the record: %v", f)
	}
	if n := admin.Get("/api/v1/interviews?status=closed&week=2026-W48&enterprise_id=" + itoa(a)).Want(http.StatusOK).Field("total"); n != float64(1) {
		t.Fatalf("filtered list: %v", n)
	}
}

func TestInterviewValidation(t *testing.T) {
	env := leaderEnv(t, "2026-11-30 10:00")
	a := env.CreateEnterprise("")
	admin := env.Admin()
	ok := map[string]any{"enterprise_id": a, "reason": "专项约谈", "scheduled_at": "2026-12-04T15:00:00+08:00"}
	cases := map[string]map[string]any{
		"enterprise_id": {"enterprise_id": 99999},
		"scheduled_at":  {"scheduled_at": "2026-12-04 15:00"},
		"weeks":         {"weeks": []string{"2026-W99"}},
		"reason":        {"reason": ""},
	}
	for field, change := range cases {
		b := map[string]any{}
		for k, v := range ok {
			b[k] = v
		}
		for k, v := range change {
			b[k] = v
		}
		if r := admin.Post("/api/v1/interviews", b).WantError(http.StatusUnprocessableEntity, "validation_failed"); r.FieldError(field) == "" {
			t.Errorf("%s: %s", field, r.Body)
		}
	}
	admin.Post("/api/v1/interviews", map[string]any{"enterprise_id": a, "week": "2026-W50", "scheduled_at": "2026-12-04T15:00:00+08:00"}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	var n int64
	env.App.DB.Model(&model.Interview{}).Count(&n)
	if n != 0 {
		t.Fatalf("refused requests created %d interviews", n)
	}
	// A Friday interview owes its feedback the next Friday; an explicit due date wins.
	id := admin.Post("/api/v1/interviews", ok).Want(http.StatusCreated).ID()
	path := "/api/v1/interviews/" + itoa(id)
	if due := admin.Patch(path, map[string]any{"status": "held"}).Want(http.StatusOK).Field("feedback_due"); due != "2026-12-11" {
		t.Fatalf("feedback due %v", due)
	}
	admin.Patch(path, map[string]any{"feedback_due": "2026-12-01"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if due := admin.Patch(path, map[string]any{"feedback_due": "2026-12-18"}).Want(http.StatusOK).Field("feedback_due"); due != "2026-12-18" {
		t.Fatalf("explicit feedback due %v", due)
	}
	admin.Get("/api/v1/interviews/0").WantError(http.StatusNotFound, "not_found")
	admin.Get("/api/v1/interviews?status=pending").WantError(http.StatusUnprocessableEntity, "validation_failed")
}

func TestInterviewsFromWeek(t *testing.T) {
	env := leaderEnv(t, "2026-11-16 08:00")
	a, b, c := env.CreateEnterprise("A化工"), env.CreateEnterprise("B化工"), env.CreateEnterprise("C化工")
	ac, bc := env.EnterpriseUser(a), env.EnterpriseUser(b)
	admin := env.Admin()
	// 2026-W47: A and B file, C does not; 2026-W48: only A files.
	leaderFile(t, env, ac, "2026-11-16 09:00", "2026-11-16")
	leaderFile(t, env, bc, "2026-11-17 09:00", "2026-11-17")
	leaderFile(t, env, ac, "2026-11-23 09:00", "2026-11-23")
	env.Clock.Set(leaderAt(t, "2026-11-30 10:00"))

	env.Inspector().Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W48"}).WantError(http.StatusForbidden, "forbidden")
	bc.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W48"}).WantError(http.StatusForbidden, "forbidden")
	admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W99"}).WantError(http.StatusUnprocessableEntity, "validation_failed")

	r := admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W48"}).Want(http.StatusOK)
	if r.Field("week") != "2026-W48" || len(r.Map()["items"].([]any)) != 2 {
		t.Fatalf("proposals: %s", r.Body)
	}
	if r.Field("items.0.enterprise_id") != float64(b) || r.Field("items.0.reason") != "2026年第48周未按要求开展主要负责人带队检查" ||
		r.Field("items.0.missed_streak") != float64(1) || r.Field("items.0.attendee") != "王主任（主要负责人本人）" ||
		r.Field("items.0.existing_interview_id") != nil {
		t.Fatalf("proposal for B: %s", r.Body)
	}
	if r.Field("items.1.enterprise_id") != float64(c) || r.Field("items.1.reason") != "2026年第47周至第48周连续2周未按要求开展主要负责人带队检查" ||
		r.Field("items.1.weeks.0") != "2026-W47" || r.Field("items.1.weeks.1") != "2026-W48" {
		t.Fatalf("proposal for C: %s", r.Body)
	}
	var n int64
	env.App.DB.Model(&model.Interview{}).Count(&n)
	if n != 0 {
		t.Fatalf("proposing created %d interviews", n)
	}
	// Creating one from a proposal marks it on the next proposal.
	id := admin.Post("/api/v1/interviews", map[string]any{"enterprise_id": c, "weeks": []string{"2026-W47", "2026-W48"},
		"reason": r.Field("items.1.reason"), "scheduled_at": "2026-12-03T10:00:00+08:00"}).Want(http.StatusCreated).ID()
	r = admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W48"}).Want(http.StatusOK)
	if r.Field("items.1.existing_interview_id") != float64(id) || r.Field("items.0.existing_interview_id") != nil {
		t.Fatalf("existing interview not marked: %s", r.Body)
	}
}

// TestMissedStreakCountsOnlyOwedWeeks: an enterprise owes a leader inspection from the later of the
// park's first filing and its own registration, and the running week only once it is over.
func TestMissedStreakCountsOnlyOwedWeeks(t *testing.T) {
	env := leaderEnv(t, "2026-08-03 08:00")
	old := env.CreateEnterprise("老企业化工")
	leaderFile(t, env, env.EnterpriseUser(old), "2026-08-03 09:00", "2026-08-03") // park's first filing, W32
	env.Clock.Set(leaderAt(t, "2026-11-30 09:00"))                                // Monday of W49
	fresh := env.CreateEnterprise("新登记化工")
	admin := env.Admin()

	streaks := func(week string) map[float64]any {
		out := map[float64]any{}
		for _, m := range admin.Get("/api/v1/leader-inspections/weeks/" + week).Want(http.StatusOK).Map()["missing"].([]any) {
			e := m.(map[string]any)
			out[e["enterprise_id"].(float64)] = e["missed_streak"]
		}
		return out
	}
	w49 := streaks("2026-W49")
	if w49[float64(fresh)] != nil {
		t.Errorf("registered today, in a running week: streak %v, want none", w49[float64(fresh)])
	}
	if w49[float64(old)] != float64(16) { // W33–W48; W49 is still running
		t.Errorf("old enterprise's streak in the running week: %v, want 16", w49[float64(old)])
	}
	if s := streaks("2026-W48")[float64(fresh)]; s != nil {
		t.Errorf("week before registration: streak %v, want none", s)
	}
	r := admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W49"}).Want(http.StatusOK)
	items := r.Map()["items"].([]any)
	if len(items) != 1 || r.Field("items.0.enterprise_id") != float64(old) || r.Field("items.0.missed_streak") != float64(16) {
		t.Fatalf("proposals for W49: %s", r.Body)
	}
	weeks := r.Map()["items"].([]any)[0].(map[string]any)["weeks"].([]any)
	if weeks[len(weeks)-1] != "2026-W48" {
		t.Errorf("a proposal ends at the last week that is over, got %v", weeks)
	}
	st := admin.Get("/api/v1/stats/leader-inspections?weeks=4").Want(http.StatusOK)
	for _, it := range st.Map()["items"].([]any) {
		row := it.(map[string]any)
		if row["enterprise_id"] == float64(fresh) && row["missed"] != float64(0) {
			t.Errorf("stats count %v missed weeks before registration", row["missed"])
		}
		if row["enterprise_id"] == float64(old) && row["missed"] != float64(3) {
			t.Errorf("stats: old enterprise missed %v of W46–W48, want 3", row["missed"])
		}
	}
}

// TestRunningWeekProposalsKnowTheArrangedInterview: proposing from the running week ends at the week
// before it; an interview already arranged for that week must be named, not proposed again. And an
// enterprise registered after a week is not listed as missing it, on the report or the notice.
func TestRunningWeekProposalsKnowTheArrangedInterview(t *testing.T) {
	env := leaderEnv(t, "2026-11-16 08:00")
	a, b := env.CreateEnterprise("A化工"), env.CreateEnterprise("B化工")
	leaderFile(t, env, env.EnterpriseUser(a), "2026-11-16 09:00", "2026-11-16") // W47: A files, B does not
	leaderFile(t, env, env.EnterpriseUser(a), "2026-11-23 09:00", "2026-11-23") // W48: A files, B does not
	env.Clock.Set(leaderAt(t, "2026-11-30 10:00"))                              // W49 is running
	late := env.CreateEnterprise("C新登记")
	admin := env.Admin()
	r := admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W48"}).Want(http.StatusOK)
	if len(r.Map()["items"].([]any)) != 1 || r.Field("items.0.enterprise_id") != float64(b) {
		t.Fatalf("W48 proposals: %s", r.Body)
	}
	id := admin.Post("/api/v1/interviews", map[string]any{"enterprise_id": b, "weeks": r.Field("items.0.weeks"),
		"reason": r.Field("items.0.reason"), "scheduled_at": "2026-12-03T10:00:00+08:00"}).Want(http.StatusCreated).ID()
	r = admin.Post("/api/v1/interviews/from-week", map[string]any{"week": "2026-W49"}).Want(http.StatusOK)
	if len(r.Map()["items"].([]any)) != 1 || r.Field("items.0.existing_interview_id") != float64(id) {
		t.Fatalf("running-week proposal does not name the arranged interview %d: %s", id, r.Body)
	}
	for _, m := range admin.Get("/api/v1/leader-inspections/weeks/2026-W48").Want(http.StatusOK).Map()["missing"].([]any) {
		if m.(map[string]any)["enterprise_id"] == float64(late) {
			t.Fatal("an enterprise registered in W49 is listed as missing W48")
		}
	}
	for _, e := range admin.Get("/api/v1/hygiene-checks/weeks/2026-W48").Want(http.StatusOK).Map()["not_checked"].([]any) {
		if e.(map[string]any)["id"] == float64(late) || e.(map[string]any)["enterprise_id"] == float64(late) {
			t.Fatal("an enterprise registered in W49 is listed as not checked in W48")
		}
	}
}
