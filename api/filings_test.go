package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

// filingPark is a small park for filing tests on a fixed clock (Wednesday 2026-12-02, 09:00 in the
// park): the enterprise's cadre who reviews its filings, another inspector, two enterprises with a
// user each. Everyone signs in on that clock; tokens live long enough for the tests to walk it.
type filingPark struct {
	env                *apitest.Env
	admin              *apitest.Client
	reviewer, other    *apitest.Client // the enterprise's cadre, and an inspector who is not its reviewer
	ent, rival         uint64
	entUser, rivalUser *apitest.Client
	start              time.Time
}

func newFilingPark(t *testing.T, opts ...apitest.Option) *filingPark {
	t.Helper()
	env := apitest.New(t, append([]apitest.Option{apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h")}, opts...)...)
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, env.App.Park.Loc)
	env.Clock.Set(start)
	p := &filingPark{env: env, admin: env.Admin(), reviewer: env.Inspector(), other: env.Inspector(), start: start}
	p.ent, p.rival = env.CreateEnterprise("东方化工有限公司"), env.CreateEnterprise("西岭化工有限公司")
	p.admin.Patch("/api/v1/enterprises/"+itoa(p.ent), map[string]any{"cadre_id": p.reviewer.UserID()}).Want(http.StatusOK)
	p.entUser, p.rivalUser = env.EnterpriseUser(p.ent), env.EnterpriseUser(p.rival)
	return p
}

// at is the RFC 3339 instant d after the park's start.
func (p *filingPark) at(d time.Duration) string { return p.start.Add(d).Format(time.RFC3339) }

func (p *filingPark) photo(c *apitest.Client) uint64 { return p.env.InsertPhoto(c.UserID()) }

// body is a complete hot-work filing (一级动火, two to eight hours ahead) submitted at once, with
// overrides applied (nil removes a field).
func (p *filingPark) body(c *apitest.Client, over map[string]any) map[string]any {
	b := map[string]any{"kind": "hot_work", "grade": "level1", "title": "二号罐区管线更换动火", "location": "二号罐区东侧管廊",
		"latitude": 30.27, "longitude": 120.15, "planned_start": p.at(2 * time.Hour), "planned_end": p.at(8 * time.Hour),
		"content": "更换 DN150 物料管线两段，焊接作业", "hazard_identification": "可燃气体残留、火花飞溅",
		"safety_measures":  "管线吹扫置换并检测合格；清理周边可燃物；配备灭火器两具；专人监护",
		"responsible_name": "王志刚", "responsible_mobile": p.env.Mobile(), "watcher_name": "李强", "watcher_mobile": p.env.Mobile(),
		"permit_photo_ids": []uint64{p.photo(c)}, "submit": true}
	for k, v := range over {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// file creates a filing of the enterprise with overrides and returns its id.
func (p *filingPark) file(over map[string]any) uint64 {
	p.env.T.Helper()
	return p.entUser.Post("/api/v1/filings", p.body(p.entUser, over)).Want(http.StatusCreated).ID()
}

func (p *filingPark) path(id uint64, action string) string {
	if action == "" {
		return "/api/v1/filings/" + itoa(id)
	}
	return "/api/v1/filings/" + itoa(id) + "/" + action
}

type filingDoc struct {
	ID           uint64 `json:"id"`
	Code         string `json:"code"`
	EnterpriseID uint64 `json:"enterprise_id"`
	Kind         string `json:"kind"`
	Grade        string `json:"grade"`
	GradeLabel   string `json:"grade_label"`
	Group        string `json:"group"`
	Status       string `json:"status"`
	StatusLabel  string `json:"status_label"`
	NeedsAdmin   bool   `json:"needs_admin"`
	ChangeRounds int    `json:"change_rounds"`
	Overrun      bool   `json:"overrun"`
	Version      int    `json:"version"`
	Location     string `json:"location"`
	Reviewer     *struct {
		ID   uint64 `json:"id"`
		Name string `json:"name"`
	} `json:"reviewer"`
	Contractor *struct {
		Name    string `json:"name"`
		Workers int    `json:"workers"`
	} `json:"contractor"`
	PermitPhotos     []struct{ ID uint64 } `json:"permit_photos"`
	AttachmentPhotos []struct{ ID uint64 } `json:"attachment_photos"`
	Items            []struct {
		ID         uint64                `json:"id"`
		Round      int                   `json:"round"`
		Seq        int                   `json:"seq"`
		Content    string                `json:"content"`
		Status     string                `json:"status"`
		AnswerNote string                `json:"answer_note"`
		Photos     []struct{ ID uint64 } `json:"photos"`
	} `json:"items"`
	Events []struct {
		Action     string `json:"action"`
		FromStatus string `json:"from_status"`
		ToStatus   string `json:"to_status"`
		Comment    string `json:"comment"`
		Actor      struct {
			ID        uint64 `json:"id"`
			Role      string `json:"role"`
			RoleLabel string `json:"role_label"`
		} `json:"actor"`
		Photos []struct{ ID uint64 } `json:"photos"`
		Hazard *struct {
			ID   uint64 `json:"id"`
			Code string `json:"code"`
		} `json:"hazard"`
	} `json:"events"`
}

func (p *filingPark) get(id uint64) filingDoc {
	p.env.T.Helper()
	var d filingDoc
	p.admin.Get(p.path(id, "")).Want(http.StatusOK).JSON(&d)
	return d
}

func (d filingDoc) actions() []string {
	out := []string{}
	for _, e := range d.Events {
		out = append(out, e.Action)
	}
	return out
}

func wantFilingActions(t *testing.T, d filingDoc, want ...string) {
	t.Helper()
	if got := d.actions(); !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
}

// unchanged fails unless the filing is as it was.
func (p *filingPark) unchanged(id uint64, before filingDoc) {
	p.env.T.Helper()
	if a := p.get(id); a.Status != before.Status || a.Version != before.Version || len(a.Events) != len(before.Events) || len(a.Items) != len(before.Items) {
		p.env.T.Fatalf("filing %d changed: %s v%d %v -> %s v%d %v", id, before.Status, before.Version, before.actions(), a.Status, a.Version, a.actions())
	}
}

// kindsOf is the notification kinds in c's feed, newest first.
func kindsOf(c *apitest.Client) []string {
	var out []string
	for _, it := range feedOf(c).Items {
		out = append(out, it.Kind)
	}
	return out
}

// TestFilingHotWorkFromFileToBoard walks the whole story: an enterprise files a hot-work operation
// from the phone, its reviewer asks for changes, the enterprise answers each item with a photo and
// resubmits, the reviewer approves, the enterprise starts and completes it, and the board shows it on
// the day; everyone hears of each step.
func TestFilingHotWorkFromFileToBoard(t *testing.T) {
	p := newFilingPark(t, apitest.WithEnv("WECHAT_SUBSCRIBE_TEMPLATES", "filing_review=tpl-review,filing_decision=tpl-decision"))
	body := p.body(p.entUser, nil)
	first := p.entUser.Post("/api/v1/filings", body, "Idempotency-Key", "file-1").Want(http.StatusCreated)
	again := p.entUser.Post("/api/v1/filings", body, "Idempotency-Key", "file-1").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(first.Body, again.Body) {
		t.Fatalf("retried filing not replayed: %s", again.Body)
	}
	id := first.ID()
	d := p.get(id)
	if d.Code != "BB-20261202-0001" || d.Status != "submitted" || d.StatusLabel != "待审核" || d.NeedsAdmin || d.Group != "special_operation" ||
		d.GradeLabel != "一级" || d.Reviewer == nil || d.Reviewer.ID != p.reviewer.UserID() || len(d.PermitPhotos) != 1 {
		t.Fatalf("filed: %+v", d)
	}
	wantFilingActions(t, d, "created", "submitted")
	if n := p.admin.Get("/api/v1/filings").Want(http.StatusOK).Field("total").(float64); n != 1 {
		t.Fatalf("%v filings after a retried create", n)
	}
	if k := kindsOf(p.reviewer); !slices.Equal(k, []string{"filing_review"}) {
		t.Fatalf("reviewer's feed %v", k)
	}
	var pushes int64
	p.env.App.DB.Model(&model.Notification{}).Where("user_id = ? AND push_status = ?", p.reviewer.UserID(), model.PushPending).Count(&pushes)
	if pushes != 1 {
		t.Fatalf("%d subscribe messages queued for the reviewer, want 1", pushes)
	}
	// The reviewer's queue has it; the other inspector's has not.
	if q := p.reviewer.Get("/api/v1/filings?queue=true").Want(http.StatusOK); q.Field("total").(float64) != 1 {
		t.Fatalf("reviewer queue: %s", q.Body)
	}
	if q := p.other.Get("/api/v1/filings?queue=true").Want(http.StatusOK); q.Field("total").(float64) != 0 {
		t.Fatalf("other inspector's queue: %s", q.Body)
	}

	// Changes requested, two items; the enterprise hears of it.
	p.env.Clock.Advance(20 * time.Minute)
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": false, "comment": "现场核查",
		"items": []string{"动火点周边 10 米内可燃物未清理", "未配备灭火器"}}).Want(http.StatusOK)
	d = p.get(id)
	if d.Status != "changes_requested" || d.ChangeRounds != 1 || len(d.Items) != 2 || d.Items[0].Status != "open" || d.Items[1].Seq != 2 {
		t.Fatalf("after changes requested: %+v", d)
	}
	if k := kindsOf(p.entUser); !slices.Equal(k, []string{"filing_decision"}) {
		t.Fatalf("enterprise feed %v", k)
	}

	// Resubmitting needs an answer with a photo for every item.
	items := []uint64{d.Items[0].ID, d.Items[1].ID}
	answer := func(item uint64, photos ...uint64) map[string]any {
		return map[string]any{"item_id": item, "note": "已整改", "photo_ids": photos}
	}
	r := p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": []any{answer(items[0], p.photo(p.entUser))}}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("answers") == "" {
		t.Fatalf("missing answer not named: %s", r.Body)
	}
	r = p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": []any{answer(items[0], p.photo(p.entUser)), answer(items[1])}}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("answers.1.photo_ids") == "" {
		t.Fatalf("answer without photo not named: %s", r.Body)
	}
	p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": []any{answer(items[0], p.photo(p.rivalUser)), answer(items[1], p.photo(p.entUser))}}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.unchanged(id, d)
	p.env.Clock.Advance(40 * time.Minute)
	p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": []any{
		map[string]any{"item_id": items[1], "note": "已配备 8kg 干粉灭火器两具", "photo_ids": []uint64{p.photo(p.entUser)}},
		map[string]any{"item_id": items[0], "note": "已清理并设警戒线", "photo_ids": []uint64{p.photo(p.entUser), p.photo(p.entUser)}},
	}}).Want(http.StatusOK)
	d = p.get(id)
	if d.Status != "resubmitted" || d.Items[0].Status != "answered" || d.Items[0].AnswerNote != "已清理并设警戒线" || len(d.Items[0].Photos) != 2 ||
		len(d.Items[1].Photos) != 1 {
		t.Fatalf("after resubmission: %+v", d)
	}

	// Approved (a 一级 hot work needs no office approval): the board shows it for today.
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true, "comment": "整改到位，同意作业", "version": d.Version}).Want(http.StatusOK)
	d = p.get(id)
	if d.Status != "approved" {
		t.Fatalf("after approval: %+v", d)
	}
	board := func() map[string]any { return p.entUser.Get("/api/v1/filings/board").Want(http.StatusOK).Map() }
	if b := board(); b["date"] != "2026-12-02" || b["approved"].(float64) != 1 || b["in_progress"].(float64) != 0 {
		t.Fatalf("board after approval: %v", b)
	}

	// Too early to start (more than 30 minutes before the planned start); a start needs a photo.
	p.entUser.Post(p.path(id, "start"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).WantError(http.StatusConflict, "conflict")
	p.env.Clock.Set(p.start.Add(2*time.Hour - 20*time.Minute))
	p.entUser.Post(p.path(id, "start"), map[string]any{"comment": "人员到位"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.unchanged(id, d)
	startPhoto := p.photo(p.entUser)
	p.entUser.Post(p.path(id, "start"), map[string]any{"comment": "气体检测合格，开始作业", "photo_ids": []uint64{startPhoto}},
		"Idempotency-Key", "start-1").Want(http.StatusOK)
	p.entUser.Post(p.path(id, "start"), map[string]any{"comment": "气体检测合格，开始作业", "photo_ids": []uint64{startPhoto}},
		"Idempotency-Key", "start-1").Want(http.StatusOK)
	if b := board(); b["in_progress"].(float64) != 1 || b["enterprises"].([]any)[0].(map[string]any)["enterprise_id"].(float64) != float64(p.ent) {
		t.Fatalf("board at work: %v", b)
	}

	// Running past the planned end is flagged, until the site is put back with a photo.
	p.env.Clock.Set(p.start.Add(8*time.Hour + 10*time.Minute))
	if b := board(); b["overrun"].(float64) != 1 {
		t.Fatalf("overrun not flagged: %v", b)
	}
	p.entUser.Post(p.path(id, "complete"), map[string]any{}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.entUser.Post(p.path(id, "complete"), map[string]any{"comment": "作业结束，现场已清理", "photo_ids": []uint64{p.photo(p.entUser)}}).Want(http.StatusOK)
	d = p.get(id)
	if d.Status != "completed" || d.StatusLabel != "已完工" {
		t.Fatalf("completed: %+v", d)
	}
	wantFilingActions(t, d, "created", "submitted", "changes_requested", "resubmitted", "approved", "started", "completed")
	for _, e := range d.Events {
		if (e.Action == "started" || e.Action == "completed") && len(e.Photos) != 1 {
			t.Fatalf("%s step without its photo: %+v", e.Action, e)
		}
	}
	if b := board(); b["approved"].(float64)+b["in_progress"].(float64) != 0 {
		t.Fatalf("completed work on the board: %v", b)
	}
	// The reviewer heard of every step of the enterprise; the enterprise of every decision.
	if k := kindsOf(p.reviewer); !slices.Equal(k, []string{"filing_progress", "filing_progress", "filing_review", "filing_review"}) {
		t.Fatalf("reviewer's feed %v", k)
	}
	if k := kindsOf(p.entUser); !slices.Equal(k, []string{"filing_decision", "filing_decision"}) {
		t.Fatalf("enterprise feed %v", k)
	}
	// The week shows it on the Wednesday.
	var week struct {
		Operations int `json:"operations"`
		Overran    int `json:"overran"`
		Items      []struct {
			ID      uint64 `json:"id"`
			Overran bool   `json:"overran"`
		} `json:"items"`
		Days []struct {
			Date string   `json:"date"`
			IDs  []uint64 `json:"ids"`
		} `json:"days"`
	}
	p.admin.Get("/api/v1/filings/weeks/2026-W49").Want(http.StatusOK).JSON(&week)
	if week.Operations != 1 || week.Overran != 1 || len(week.Items) != 1 || !week.Items[0].Overran || len(week.Days) != 7 ||
		week.Days[2].Date != "2026-12-02" || !slices.Equal(week.Days[2].IDs, []uint64{id}) || len(week.Days[3].IDs) != 0 {
		t.Fatalf("week: %+v", week)
	}
}

// TestFilingGradeRules: 特级动火, 高处作业 (every class from Ⅰ级) , 一级吊装 and every major activity
// need the park office's approval after the reviewer's; lower grades and other kinds do not; grades
// are checked against the kind.
func TestFilingGradeRules(t *testing.T) {
	p := newFilingPark(t)
	cases := []struct {
		kind, grade string
		admin       bool
	}{
		{"hot_work", "special", true}, {"hot_work", "level1", false}, {"hot_work", "level2", false},
		{"work_at_height", "level1", true}, {"work_at_height", "level4", true},
		{"lifting", "level1", true}, {"lifting", "level2", false}, {"lifting", "level3", false},
		{"confined_space", "", false}, {"blind_plate", "", false}, {"temporary_power", "", false}, {"excavation", "", false}, {"road_closure", "", false},
		{"startup_shutdown", "", true}, {"overhaul", "", true}, {"trial_production", "", true}, {"major_other", "", true},
	}
	for _, c := range cases {
		r := p.entUser.Post("/api/v1/filings", p.body(p.entUser, map[string]any{"kind": c.kind, "grade": c.grade, "submit": false})).Want(http.StatusCreated)
		if r.Field("needs_admin") != c.admin || r.Field("status") != "draft" {
			t.Errorf("%s %s: needs_admin %v, want %v", c.kind, c.grade, r.Field("needs_admin"), c.admin)
		}
	}
	var kinds []struct {
		Kind       string `json:"kind"`
		NeedsAdmin bool   `json:"needs_admin"`
		Grades     []struct {
			Grade      string `json:"grade"`
			NeedsAdmin bool   `json:"needs_admin"`
		} `json:"grades"`
	}
	p.entUser.Get("/api/v1/filings/kinds").Want(http.StatusOK).JSON(&kinds)
	if len(kinds) != 13 || kinds[0].Kind != "hot_work" || len(kinds[0].Grades) != 3 || !kinds[0].Grades[0].NeedsAdmin || kinds[0].Grades[1].NeedsAdmin ||
		!kinds[10].NeedsAdmin || kinds[12].Kind != "contractor" || kinds[12].NeedsAdmin {
		t.Fatalf("kinds: %+v", kinds)
	}
	for _, bad := range []map[string]any{
		{"kind": "hot_work", "grade": "level4"}, {"kind": "hot_work", "grade": ""}, {"kind": "confined_space", "grade": "level1"},
		{"kind": "lifting", "grade": "special"}, {"kind": "welding", "grade": ""},
	} {
		r := p.entUser.Post("/api/v1/filings", p.body(p.entUser, bad)).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError("grade") == "" && r.FieldError("kind") == "" {
			t.Errorf("%v: %s", bad, r.Body)
		}
	}

	// 特级动火: the reviewer passes it to the office; only an admin approves it.
	id := p.file(map[string]any{"grade": "special"})
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	if d := p.get(id); d.Status != "pending_admin" || d.StatusLabel != "待园区审批" {
		t.Fatalf("after the reviewer: %+v", d)
	}
	if f := feedOf(p.admin); f.Total != 1 || f.Items[0].Kind != "filing_review" {
		t.Fatalf("office not told: %+v", f)
	}
	p.reviewer.Post(p.path(id, "approve"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.entUser.Post(p.path(id, "start"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).WantError(http.StatusConflict, "conflict")
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": false}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": true, "comment": "同意"}).Want(http.StatusOK)
	d := p.get(id)
	wantFilingActions(t, d, "created", "submitted", "review_passed", "approved")
	if d.Status != "approved" || d.Events[3].Actor.Role != "admin" {
		t.Fatalf("after the office: %+v", d)
	}

	// The office can also send it back with items, as a reviewer does.
	id = p.file(map[string]any{"kind": "overhaul", "grade": ""})
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": false, "items": []string{"补充检修方案"}}).Want(http.StatusOK)
	if d := p.get(id); d.Status != "changes_requested" || len(d.Items) != 1 || d.ChangeRounds != 1 {
		t.Fatalf("office's items: %+v", d)
	}

	// An admin reviewing a filing that needs the office approves it at once.
	id = p.file(map[string]any{"kind": "lifting", "grade": "level1"})
	p.admin.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	if d := p.get(id); d.Status != "approved" {
		t.Fatalf("admin's review of 一级吊装: %+v", d)
	}
}

// TestFilingRefusedTransitions: every step from a state it does not leave is a 409 naming the state,
// by a role that may not take it a 403, and neither changes anything. Starting before approval is
// refused in every state before it.
func TestFilingRefusedTransitions(t *testing.T) {
	p := newFilingPark(t)
	photo := func() []uint64 { return []uint64{p.photo(p.entUser)} }
	draft := p.file(map[string]any{"submit": false})
	submitted := p.file(nil)
	changes := p.file(nil)
	p.reviewer.Post(p.path(changes, "review"), map[string]any{"approved": false, "items": []string{"补充气体检测记录"}}).Want(http.StatusOK)
	pendingAdmin := p.file(map[string]any{"grade": "special"})
	p.reviewer.Post(p.path(pendingAdmin, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	approved := p.file(nil)
	p.reviewer.Post(p.path(approved, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	cancelled := p.file(nil)
	p.entUser.Post(p.path(cancelled, "cancel"), map[string]any{"reason": "计划调整"}).Want(http.StatusOK)

	type try struct {
		c      *apitest.Client
		action string
		body   map[string]any
	}
	start := func() try { return try{p.entUser, "start", map[string]any{"photo_ids": photo()}} }
	refused := map[uint64][]try{
		draft: {start(), {p.admin, "review", map[string]any{"approved": true}}, {p.admin, "approve", map[string]any{"approved": true}},
			{p.entUser, "resubmit", map[string]any{"answers": []any{}}}, {p.entUser, "complete", map[string]any{"photo_ids": photo()}},
			{p.admin, "assign", map[string]any{"reviewer_id": p.other.UserID()}}},
		submitted: {start(), {p.entUser, "submit", map[string]any{}}, {p.admin, "approve", map[string]any{"approved": true}},
			{p.entUser, "resubmit", map[string]any{"answers": []any{}}}},
		changes: {start(), {p.reviewer, "review", map[string]any{"approved": true}}, {p.entUser, "submit", map[string]any{}}},
		pendingAdmin: {start(), {p.reviewer, "review", map[string]any{"approved": true}}, {p.entUser, "complete", map[string]any{"photo_ids": photo()}},
			{p.admin, "assign", map[string]any{"reviewer_id": p.other.UserID()}}},
		approved: {{p.entUser, "complete", map[string]any{"photo_ids": photo()}}, {p.reviewer, "review", map[string]any{"approved": true}},
			{p.entUser, "submit", map[string]any{}}, {p.admin, "assign", map[string]any{"reviewer_id": p.other.UserID()}}},
		cancelled: {start(), {p.entUser, "cancel", map[string]any{"reason": "再次取消"}}, {p.reviewer, "review", map[string]any{"approved": true}},
			{p.reviewer, "hazards", map[string]any{"title": "x"}}},
	}
	for id, tries := range refused {
		before := p.get(id)
		for _, tr := range tries {
			r := tr.c.Post(p.path(id, tr.action), tr.body).WantError(http.StatusConflict, "conflict")
			if !strings.Contains(string(r.Body), before.StatusLabel) {
				t.Errorf("%s on %s: the refusal does not name the state: %s", tr.action, before.Status, r.Body)
			}
		}
		p.entUser.Patch(p.path(id, ""), map[string]any{"title": "改名"}).Want(map[bool]int{true: http.StatusOK, false: http.StatusConflict}[id == draft || id == changes])
		if id != draft && id != changes {
			p.unchanged(id, before)
		}
	}
	p.reviewer.Post(p.path(draft, "hazards"), map[string]any{"title": "x"}).WantError(http.StatusConflict, "conflict")

	// Roles: each step refused to those who may not take it.
	for _, tr := range []struct {
		c      *apitest.Client
		id     uint64
		action string
		body   map[string]any
	}{
		{p.reviewer, submitted, "start", map[string]any{"photo_ids": []uint64{p.photo(p.reviewer)}}},
		{p.entUser, submitted, "review", map[string]any{"approved": true}},
		{p.other, submitted, "review", map[string]any{"approved": true}},
		{p.reviewer, pendingAdmin, "approve", map[string]any{"approved": true}},
		{p.entUser, pendingAdmin, "approve", map[string]any{"approved": true}},
		{p.reviewer, approved, "cancel", map[string]any{"reason": "x"}},
		{p.entUser, submitted, "assign", map[string]any{"reviewer_id": p.other.UserID()}},
		{p.other, submitted, "assign", map[string]any{"reviewer_id": p.other.UserID()}},
		{p.entUser, submitted, "hazards", map[string]any{"title": "x"}},
		{p.reviewer, draft, "submit", map[string]any{}},
	} {
		before := p.get(tr.id)
		tr.c.Post(p.path(tr.id, tr.action), tr.body).WantError(http.StatusForbidden, "forbidden")
		p.unchanged(tr.id, before)
	}
	p.reviewer.Patch(p.path(draft, ""), map[string]any{"title": "x"}).WantError(http.StatusForbidden, "forbidden")
	p.reviewer.Post("/api/v1/filings", p.body(p.reviewer, nil)).WantError(http.StatusForbidden, "forbidden")

	// A stale version is refused; a PATCH that changes nothing is a 422.
	d := p.get(draft)
	p.entUser.Post(p.path(draft, "submit"), map[string]any{"version": d.Version - 1}).WantError(http.StatusConflict, "conflict")
	p.entUser.Patch(p.path(draft, ""), map[string]any{"title": "再次改名"}).Want(http.StatusOK)
	p.entUser.Patch(p.path(draft, ""), map[string]any{}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.entUser.Post(p.path(draft, "submit"), map[string]any{"version": p.get(draft).Version}).Want(http.StatusOK)

	// A deactivated enterprise files nothing more.
	another := p.file(map[string]any{"submit": false})
	p.admin.Patch("/api/v1/enterprises/"+itoa(p.ent), map[string]any{"status": "inactive"}).Want(http.StatusOK)
	p.entUser.Post("/api/v1/filings", p.body(p.entUser, nil)).WantError(http.StatusForbidden, "forbidden")
	before := p.get(another)
	p.entUser.Post(p.path(another, "submit"), map[string]any{}).WantError(http.StatusForbidden, "forbidden")
	p.unchanged(another, before)
}

// TestFilingExpiryByTheClock: an approved filing not started by its planned end can no longer start
// and expires with the sweep, which tells the enterprise and the reviewer; work in progress past its
// end does not expire but is flagged.
func TestFilingExpiryByTheClock(t *testing.T) {
	p := newFilingPark(t)
	idle := p.file(nil)
	working := p.file(nil)
	for _, id := range []uint64{idle, working} {
		p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	}
	p.env.Clock.Set(p.start.Add(3 * time.Hour))
	p.entUser.Post(p.path(working, "start"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).Want(http.StatusOK)

	// Before the planned end the sweep leaves it alone.
	schedule := func() {
		t.Helper()
		if err := p.env.App.Jobs.Schedule(t.Context()); err != nil {
			t.Fatal(err)
		}
		runJobs(t, p.env)
	}
	schedule()
	if d := p.get(idle); d.Status != "approved" {
		t.Fatalf("expired early: %+v", d)
	}
	p.env.Clock.Set(p.start.Add(8 * time.Hour)) // the planned end
	before := p.get(idle)
	p.entUser.Post(p.path(idle, "start"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).WantError(http.StatusConflict, "conflict")
	p.unchanged(idle, before)
	if b := p.admin.Get("/api/v1/filings/board").Want(http.StatusOK).Map(); b["approved"].(float64) != 0 || b["overrun"].(float64) != 1 {
		t.Fatalf("board at the planned end: %v", b)
	}
	p.env.Clock.Advance(15 * time.Minute)
	schedule()
	d := p.get(idle)
	if d.Status != "expired" || d.StatusLabel != "已过期" {
		t.Fatalf("not expired: %+v", d)
	}
	last := d.Events[len(d.Events)-1]
	if last.Action != "expired" || last.Actor.Role != "system" || last.Actor.RoleLabel != "系统" || last.FromStatus != "approved" {
		t.Fatalf("expiry step: %+v", last)
	}
	if w := p.get(working); w.Status != "in_progress" || !w.Overrun {
		t.Fatalf("work in progress: %+v", w)
	}
	if k := kindsOf(p.entUser); len(k) == 0 || k[0] != "filing_decision" {
		t.Fatalf("enterprise not told of the expiry: %v", k)
	}
	if k := kindsOf(p.reviewer); len(k) == 0 || k[0] != "filing_progress" {
		t.Fatalf("reviewer not told of the expiry: %v", k)
	}
	// A second sweep finds nothing more.
	p.env.Clock.Advance(15 * time.Minute)
	schedule()
	wantFilingActions(t, p.get(idle), "created", "submitted", "approved", "expired")
	p.entUser.Post(p.path(idle, "cancel"), map[string]any{"reason": "x"}).WantError(http.StatusConflict, "conflict")
}

// TestFilingConcurrentReviewers: the reviewer and several admins decide on one filing at once, some
// approving and some asking for changes: exactly one decision wins, the others are 409 and leave no
// trace.
func TestFilingConcurrentReviewers(t *testing.T) {
	p := newFilingPark(t)
	id := p.file(nil)
	deciders := []*apitest.Client{p.reviewer, p.admin}
	for range 8 {
		deciders = append(deciders, p.env.CreateUser("admin", 0))
	}
	statuses := make([]int, len(deciders))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range deciders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := map[string]any{"approved": true, "comment": fmt.Sprint("同意 ", i)}
			if i%2 == 1 {
				body = map[string]any{"approved": false, "items": []string{fmt.Sprint("意见 ", i)}}
			}
			statuses[i] = c.Post(p.path(id, "review"), body).Status
		}()
	}
	close(start)
	wg.Wait()
	sort.Ints(statuses)
	want := append([]int{http.StatusOK}, slices.Repeat([]int{http.StatusConflict}, len(deciders)-1)...)
	if !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want one 200 and the rest 409", statuses)
	}
	d := p.get(id)
	if len(d.Events) != 3 || d.Version != 3 {
		t.Fatalf("after the race: %v v%d", d.actions(), d.Version)
	}
	switch d.Status {
	case "approved":
		if len(d.Items) != 0 {
			t.Fatalf("approved with items: %+v", d.Items)
		}
	case "changes_requested":
		if len(d.Items) != 1 || d.ChangeRounds != 1 {
			t.Fatalf("changes requested: %+v", d)
		}
	default:
		t.Fatalf("status %s", d.Status)
	}
}

// TestFilingConcurrentCodes: simultaneous filings get consecutive codes of the park's day.
func TestFilingConcurrentCodes(t *testing.T) {
	p := newFilingPark(t)
	const n = 20
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = p.body(p.entUser, nil)
	}
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := p.entUser.Post("/api/v1/filings", bodies[i])
			if r.Status == http.StatusCreated {
				codes[i] = r.Field("code").(string)
			}
		}()
	}
	wg.Wait()
	sort.Strings(codes)
	for i, c := range codes {
		if want := fmt.Sprintf("BB-20261202-%04d", i+1); c != want {
			t.Fatalf("codes %v: position %d is %q, want %s", codes, i, c, want)
		}
	}
}

// TestFilingBOLA: another enterprise's user gets a 404 on every route naming the filing, exactly as
// for one that does not exist, sees none of it in lists, boards, weeks and statistics, nor its photos;
// nothing changes.
func TestFilingBOLA(t *testing.T) {
	p := newFilingPark(t)
	draft := p.file(map[string]any{"submit": false})
	approved := p.file(nil)
	p.reviewer.Post(p.path(approved, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	spy := p.rivalUser
	for _, id := range []uint64{draft, approved} {
		before := p.get(id)
		for _, action := range []string{"submit", "assign", "review", "approve", "resubmit", "start", "complete", "cancel", "hazards"} {
			body := map[string]any{"approved": true, "reason": "x", "photo_ids": []uint64{p.photo(spy)}, "reviewer_id": p.other.UserID()}
			mine := spy.Post(p.path(id, action), body).WantError(http.StatusNotFound, "not_found")
			none := spy.Post(p.path(id+100000, action), body).WantError(http.StatusNotFound, "not_found")
			if !bytes.Equal(mine.Body, none.Body) {
				t.Errorf("%s: %s vs %s", action, mine.Body, none.Body)
			}
		}
		spy.Get(p.path(id, "")).WantError(http.StatusNotFound, "not_found")
		spy.Patch(p.path(id, ""), map[string]any{"title": "x"}).WantError(http.StatusNotFound, "not_found")
		p.unchanged(id, before)
	}
	for _, path := range []string{"/api/v1/filings?enterprise_id=" + itoa(p.ent), "/api/v1/filings?queue=true", "/api/v1/filings/board",
		"/api/v1/filings/weeks/2026-W49", "/api/v1/filings/stats?enterprise_id=" + itoa(p.ent), "/api/v1/filings?q=BB"} {
		r := spy.Get(path).Want(http.StatusOK)
		if regexp.MustCompile(`"enterprise_id":`+itoa(p.ent)+`[,}]`).Match(r.Body) || strings.Contains(string(r.Body), "东方化工") ||
			strings.Contains(string(r.Body), "BB-") {
			t.Errorf("%s leaks: %s", path, r.Body)
		}
	}
	d := p.get(approved)
	spy.Get("/api/v1/photos/"+itoa(d.PermitPhotos[0].ID)).WantError(http.StatusNotFound, "not_found")
	p.entUser.Get("/api/v1/photos/" + itoa(d.PermitPhotos[0].ID)).Want(http.StatusOK)
	p.other.Get("/api/v1/photos/" + itoa(d.PermitPhotos[0].ID)).Want(http.StatusOK)
	// Its own enterprise sees it everywhere.
	if b := p.entUser.Get("/api/v1/filings/board").Want(http.StatusOK).Map(); b["approved"].(float64) != 1 {
		t.Fatalf("own board: %v", b)
	}
}

// TestFilingHostileInput: malformed or impossible filings are refused with a Chinese reason per field
// and leave nothing behind: no filing, no photo link, no code used.
func TestFilingHostileInput(t *testing.T) {
	p := newFilingPark(t)
	p.file(nil)
	count := func() (filings, links int64) {
		p.env.App.DB.Model(&model.Filing{}).Count(&filings)
		p.env.App.DB.Model(&model.PhotoLink{}).Count(&links)
		return
	}
	f0, l0 := count()
	many := make([]uint64, 21)
	for i := range many {
		many[i] = p.photo(p.entUser)
	}
	contractor := map[string]any{"name": "宏安建设", "uscc": p.env.USCC(), "workers": 6, "manager": "陈志远", "manager_mobile": p.env.Mobile()}
	for field, over := range map[string]map[string]any{
		"planned_start":             {"planned_start": "明天早上"},
		"planned_end":               {"planned_end": p.at(time.Hour)},
		"planned_start ":            {"planned_start": p.at(-time.Hour)},
		"planned_end ":              {"planned_end": p.at(400 * 24 * time.Hour)},
		"planned_start  ":           {"planned_start": "0000-01-01T00:00:00+08:00"},
		"title":                     {"title": strings.Repeat("动", 129)},
		"title ":                    {"title": "   "},
		"responsible_mobile":        {"responsible_mobile": "12345"},
		"watcher_name":              {"watcher_name": ""},
		"safety_measures":           {"safety_measures": strings.Repeat("措", 4001)},
		"latitude":                  {"latitude": 91.0},
		"latitude ":                 {"longitude": nil},
		"permit_photo_ids":          {"permit_photo_ids": []uint64{}},
		"permit_photo_ids ":         {"permit_photo_ids": []uint64{p.photo(p.rivalUser)}},
		"permit_photo_ids  ":        {"permit_photo_ids": []uint64{99999999}},
		"attachment_photo_ids":      {"attachment_photo_ids": many},
		"contractor.name":           {"kind": "contractor", "grade": ""},
		"contractor.uscc":           {"kind": "contractor", "grade": "", "contractor": map[string]any{"name": "宏安建设", "uscc": "91330100MA2D31720Z", "workers": 6, "manager": "陈", "manager_mobile": p.env.Mobile()}},
		"contractor.workers":        {"kind": "contractor", "grade": "", "contractor": map[string]any{"name": "宏安建设", "uscc": contractor["uscc"], "workers": -3, "manager": "陈", "manager_mobile": p.env.Mobile()}},
		"contractor.manager_mobile": {"contractor": map[string]any{"name": "宏安建设", "manager_mobile": "x"}},
	} {
		field = strings.TrimSpace(field)
		r := p.entUser.Post("/api/v1/filings", p.body(p.entUser, over)).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError(field) == "" {
			t.Errorf("%v: no reason for %s: %s", over, field, r.Body)
		}
	}
	if f, l := count(); f != f0 || l != l0 {
		t.Fatalf("refused filings left rows: %d filings (was %d), %d links (was %d)", f, f0, l, l0)
	}
	code := p.entUser.Post("/api/v1/filings", p.body(p.entUser, map[string]any{"kind": "contractor", "grade": "", "contractor": contractor})).
		Want(http.StatusCreated).Field("code")
	if code != "BB-20261202-0002" {
		t.Fatalf("code after refused filings %v, want BB-20261202-0002 (gap-free)", code)
	}

	// Decisions and answers.
	id := p.file(nil)
	for _, body := range []map[string]any{
		{}, {"approved": "yes"}, {"approved": false}, {"approved": false, "items": []string{"  "}},
		{"approved": false, "items": slices.Repeat([]string{"意见"}, 21)}, {"approved": true, "items": []string{"意见"}},
		{"approved": false, "items": []string{strings.Repeat("意", 501)}},
	} {
		r := p.reviewer.Post(p.path(id, "review"), body)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("review %v: %d %s", body, r.Status, r.Body)
		}
	}
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": false, "items": []string{"补充检测记录"}}).Want(http.StatusOK)
	item := p.get(id).Items[0].ID
	for _, answers := range [][]any{
		{map[string]any{"item_id": item + 1000, "note": "x", "photo_ids": []uint64{p.photo(p.entUser)}}},
		{map[string]any{"item_id": item, "note": "", "photo_ids": []uint64{p.photo(p.entUser)}}},
		{map[string]any{"item_id": item, "note": "x", "photo_ids": []uint64{p.photo(p.entUser)}}, map[string]any{"item_id": item, "note": "x", "photo_ids": []uint64{p.photo(p.entUser)}}},
	} {
		p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": answers}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
	p.admin.Post(p.path(id, "assign"), map[string]any{"reviewer_id": p.entUser.UserID()}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Post(p.path(id, "assign"), map[string]any{"reviewer_id": 99999999}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	for _, q := range []string{"status=done", "status=submitted,nope", "kind=x", "group=x", "from=2026-13-01", "sort=id", "queue=maybe", "q=" + strings.Repeat("查", 65)} {
		p.admin.Get("/api/v1/filings?"+q).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
	p.admin.Get("/api/v1/filings/board?date=2026-02-30").WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Get("/api/v1/filings/weeks/2026-W54").WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Get("/api/v1/filings/stats?from=2026-12-02&to=2026-12-01").WantError(http.StatusUnprocessableEntity, "validation_failed")
	if l := p.admin.Get("/api/v1/filings?q=%25_!&status=submitted,changes_requested").Want(http.StatusOK); l.Field("total").(float64) != 0 {
		t.Fatalf("LIKE wildcards matched: %s", l.Body)
	}
	// A code's start finds the codes, in any case; its wildcards are literal.
	for q, want := range map[string]float64{"bb-20261202-000": 3, "BB-20261202-0003": 1, "BB-2026120_": 0, "BB-%25": 0, "二号罐区": 3, "三号罐区": 0} {
		if l := p.admin.Get("/api/v1/filings?q=" + q).Want(http.StatusOK); l.Field("total").(float64) != want {
			t.Errorf("q=%s: %s", q, l.Body)
		}
	}
}

// TestFilingAssignment: without a cadre a submitted filing waits for a reviewer and the office hears
// of it; an inspector may take it, nobody else's; the office may move it to anyone active.
func TestFilingAssignment(t *testing.T) {
	p := newFilingPark(t)
	p.admin.Patch("/api/v1/enterprises/"+itoa(p.ent), map[string]any{"cadre_id": 0}).Want(http.StatusOK)
	id := p.file(nil)
	d := p.get(id)
	if d.Reviewer != nil {
		t.Fatalf("reviewer without a cadre: %+v", d.Reviewer)
	}
	if f := feedOf(p.admin); f.Total != 1 || f.Items[0].Kind != "filing_review" {
		t.Fatalf("office feed: %+v", f)
	}
	if q := p.admin.Get("/api/v1/filings?queue=true").Want(http.StatusOK); q.Field("total").(float64) != 1 {
		t.Fatalf("office queue: %s", q.Body)
	}
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.other.Post(p.path(id, "assign"), map[string]any{"reviewer_id": p.other.UserID()}).Want(http.StatusOK)
	p.reviewer.Post(p.path(id, "assign"), map[string]any{"reviewer_id": p.reviewer.UserID()}).WantError(http.StatusForbidden, "forbidden")
	disabled := p.env.Inspector()
	p.admin.Patch("/api/v1/users/"+itoa(disabled.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	p.admin.Post(p.path(id, "assign"), map[string]any{"reviewer_id": disabled.UserID()}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Post(p.path(id, "assign"), map[string]any{"reviewer_id": p.reviewer.UserID()}).Want(http.StatusOK)
	d = p.get(id)
	if d.Reviewer == nil || d.Reviewer.ID != p.reviewer.UserID() {
		t.Fatalf("reassigned: %+v", d.Reviewer)
	}
	wantFilingActions(t, d, "created", "submitted", "assigned", "assigned")
	if k := kindsOf(p.reviewer); !slices.Equal(k, []string{"filing_review"}) {
		t.Fatalf("new reviewer's feed %v", k)
	}
	p.other.Post(p.path(id, "review"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
}

// TestFilingEditAndCancel: a draft and a filing sent back are edited (photos replaced), submitted
// drafts are complete; the enterprise cancels before the work starts, the office too, and the other
// side hears of it.
func TestFilingEditAndCancel(t *testing.T) {
	p := newFilingPark(t)
	r := p.entUser.Post("/api/v1/filings", map[string]any{"kind": "confined_space", "title": "三号反应釜清理",
		"planned_start": p.at(24 * time.Hour), "planned_end": p.at(30 * time.Hour)}).Want(http.StatusCreated)
	id := r.ID()
	p.entUser.Post(p.path(id, "submit"), map[string]any{}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	keep, drop := p.photo(p.entUser), p.photo(p.entUser)
	body := p.body(p.entUser, map[string]any{"kind": nil, "grade": nil, "title": nil, "planned_start": nil, "planned_end": nil, "submit": nil,
		"permit_photo_ids": []uint64{keep, drop}, "attachment_photo_ids": []uint64{p.photo(p.entUser)}})
	p.entUser.Patch(p.path(id, ""), body).Want(http.StatusOK)
	added := p.photo(p.entUser)
	p.entUser.Patch(p.path(id, ""), map[string]any{"permit_photo_ids": []uint64{keep, added}, "attachment_photo_ids": []uint64{}}).Want(http.StatusOK)
	d := p.get(id)
	var permits []uint64
	for _, ph := range d.PermitPhotos {
		permits = append(permits, ph.ID)
	}
	sort.Slice(permits, func(i, j int) bool { return permits[i] < permits[j] })
	if !slices.Equal(permits, []uint64{keep, added}) || len(d.AttachmentPhotos) != 0 || d.Location != "二号罐区东侧管廊" {
		t.Fatalf("after edits: permits %v, %+v", permits, d)
	}
	if !strings.Contains(d.Events[1].Comment, "安全措施") || !strings.Contains(d.Events[2].Comment, "作业票照片") {
		t.Fatalf("edit steps do not say what changed: %+v", d.Events)
	}
	p.entUser.Patch(p.path(id, ""), map[string]any{"longitude": 120.16}).Want(http.StatusOK)
	p.entUser.Patch(p.path(id, ""), map[string]any{"clear_coordinates": true}).Want(http.StatusOK)
	if d = p.get(id); !strings.Contains(d.Events[len(d.Events)-1].Comment, "坐标") {
		t.Fatalf("clearing the coordinates: %+v", d.Events)
	}
	p.entUser.Post(p.path(id, "submit"), map[string]any{"version": d.Version}).Want(http.StatusOK)

	// Sent back, it may be edited again, and resubmitted once the items are answered.
	p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": false, "items": []string{"监护人应持证"}}).Want(http.StatusOK)
	p.entUser.Patch(p.path(id, ""), map[string]any{"watcher_name": "赵敏（持证）"}).Want(http.StatusOK)
	d = p.get(id)
	p.entUser.Post(p.path(id, "resubmit"), map[string]any{"answers": []any{map[string]any{"item_id": d.Items[0].ID, "note": "已更换持证监护人",
		"photo_ids": []uint64{p.photo(p.entUser)}}}}).Want(http.StatusOK)

	// Cancelled by the enterprise: the reviewer hears of it.
	p.entUser.Post(p.path(id, "cancel"), map[string]any{"reason": " "}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.entUser.Post(p.path(id, "cancel"), map[string]any{"reason": "设备厂家延期到场"}).Want(http.StatusOK)
	if k := kindsOf(p.reviewer); len(k) == 0 || k[0] != "filing_progress" {
		t.Fatalf("reviewer feed %v", k)
	}
	// Cancelled by the office after approval: the enterprise hears of it.
	approved := p.file(nil)
	p.reviewer.Post(p.path(approved, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	p.admin.Post(p.path(approved, "cancel"), map[string]any{"reason": "园区今日开展应急演练，暂停动火"}).Want(http.StatusOK)
	if d := p.get(approved); d.Status != "cancelled" {
		t.Fatalf("office cancel: %+v", d)
	}
	if k := kindsOf(p.entUser); len(k) == 0 || k[0] != "filing_decision" {
		t.Fatalf("enterprise feed %v", k)
	}
}

// TestFilingFindingOpensHazard: an on-site finding opens a hazard of source filing for the filing's
// enterprise together with its timeline entry; a refused one opens neither.
func TestFilingFindingOpensHazard(t *testing.T) {
	p := newFilingPark(t)
	id := p.file(nil)
	hazard := func(over map[string]any) map[string]any {
		b := map[string]any{"category": "operation", "level": "general", "title": "动火点周边可燃物未清理", "description": "10 米内堆放木托盘",
			"requirement": "开工前清理", "deadline": "2026-12-02", "photo_ids": []uint64{p.photo(p.reviewer)}}
		for k, v := range over {
			b[k] = v
		}
		return b
	}
	var hazards0 int64
	p.env.App.DB.Model(&model.Hazard{}).Count(&hazards0)
	p.reviewer.Post(p.path(id, "hazards"), hazard(map[string]any{"photo_ids": []uint64{}})).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.reviewer.Post(p.path(id, "hazards"), hazard(map[string]any{"deadline": "2026-12-01"})).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.entUser.Post(p.path(id, "hazards"), hazard(nil)).WantError(http.StatusForbidden, "forbidden")
	var hazards1 int64
	p.env.App.DB.Model(&model.Hazard{}).Count(&hazards1)
	if hazards1 != hazards0 || len(p.get(id).Events) != 2 {
		t.Fatal("a refused finding left a hazard or a step")
	}
	p.reviewer.Post(p.path(id, "hazards"), hazard(nil), "Idempotency-Key", "finding-1").Want(http.StatusOK)
	d := p.get(id)
	last := d.Events[len(d.Events)-1]
	if last.Action != "hazard_opened" || last.Hazard == nil || !strings.HasPrefix(last.Hazard.Code, "YH-20261202-") || d.Status != "submitted" {
		t.Fatalf("finding step: %+v", last)
	}
	h := p.entUser.Get("/api/v1/hazards/" + itoa(last.Hazard.ID)).Want(http.StatusOK)
	if h.Field("source") != "filing" || h.Field("source_label") != "安全生产报备" || h.Field("origin_type") != "filing" ||
		h.Field("origin_id").(float64) != float64(id) || h.Field("location") != "二号罐区东侧管廊" || h.Field("enterprise_id").(float64) != float64(p.ent) {
		t.Fatalf("hazard: %s", h.Body)
	}
	if l := p.admin.Get("/api/v1/hazards?source=filing").Want(http.StatusOK); l.Field("total").(float64) != 1 {
		t.Fatalf("hazards of source filing: %s", l.Body)
	}
	if k := kindsOf(p.entUser); len(k) == 0 || k[0] != "hazard_assigned" {
		t.Fatalf("enterprise not told of the hazard: %v", k)
	}
}

// TestFilingWeekAndStats: the week view counts the week's operations by status and day, and the
// statistics give count, first-pass approval rate and median review times by kind and enterprise.
func TestFilingWeekAndStats(t *testing.T) {
	p := newFilingPark(t)
	// A: approved at the first review two hours after filing.
	a := p.file(nil)
	p.env.Clock.Advance(2 * time.Hour)
	p.reviewer.Post(p.path(a, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	// B: sent back after an hour, resubmitted, approved three hours after filing.
	p.env.Clock.Set(p.start)
	b := p.file(map[string]any{"kind": "confined_space", "grade": "", "planned_start": p.at(26 * time.Hour), "planned_end": p.at(30 * time.Hour)})
	p.env.Clock.Advance(time.Hour)
	p.reviewer.Post(p.path(b, "review"), map[string]any{"approved": false, "items": []string{"补充通风方案"}}).Want(http.StatusOK)
	p.env.Clock.Advance(time.Hour)
	p.entUser.Post(p.path(b, "resubmit"), map[string]any{"answers": []any{map[string]any{"item_id": p.get(b).Items[0].ID, "note": "已补充",
		"photo_ids": []uint64{p.photo(p.entUser)}}}}).Want(http.StatusOK)
	p.env.Clock.Advance(time.Hour)
	p.reviewer.Post(p.path(b, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	// C: cancelled while waiting; D: a draft, not in the figures.
	p.env.Clock.Set(p.start)
	c := p.file(map[string]any{"planned_start": p.at(48 * time.Hour), "planned_end": p.at(50 * time.Hour)})
	p.entUser.Post(p.path(c, "cancel"), map[string]any{"reason": "取消"}).Want(http.StatusOK)
	p.file(map[string]any{"submit": false})

	var st struct {
		From, To string
		Total    struct {
			Count               int      `json:"count"`
			Approved            int      `json:"approved"`
			FirstPass           int      `json:"first_pass"`
			FirstPassRate       *float64 `json:"first_pass_rate"`
			MedianReviewHours   *float64 `json:"median_review_hours"`
			MedianApprovalHours *float64 `json:"median_approval_hours"`
			Cancelled           int      `json:"cancelled"`
		} `json:"total"`
		ByKind []struct {
			Kind     string `json:"kind"`
			Count    int    `json:"count"`
			Approved int    `json:"approved"`
		} `json:"by_kind"`
		ByEnterprise []struct {
			EnterpriseID uint64 `json:"enterprise_id"`
			Count        int    `json:"count"`
		} `json:"by_enterprise"`
	}
	p.admin.Get("/api/v1/filings/stats").Want(http.StatusOK).JSON(&st)
	tot := st.Total
	if st.From != "2026-09-04" || st.To != "2026-12-02" || tot.Count != 3 || tot.Approved != 2 || tot.FirstPass != 1 || *tot.FirstPassRate != 0.5 ||
		*tot.MedianReviewHours != 1.5 || *tot.MedianApprovalHours != 2.5 || tot.Cancelled != 1 {
		t.Fatalf("totals: %+v", st)
	}
	if len(st.ByKind) != 13 || st.ByKind[0].Kind != "hot_work" || st.ByKind[0].Count != 2 || st.ByKind[1].Count != 1 || st.ByKind[1].Approved != 1 {
		t.Fatalf("by kind: %+v", st.ByKind)
	}
	if len(st.ByEnterprise) != 2 || st.ByEnterprise[0].Count != 3 || st.ByEnterprise[1].Count != 0 {
		t.Fatalf("by enterprise: %+v", st.ByEnterprise)
	}
	p.entUser.Get("/api/v1/filings/stats?enterprise_id=" + itoa(p.rival)).Want(http.StatusOK).JSON(&st)
	if st.Total.Count != 3 || len(st.ByEnterprise) != 1 {
		t.Fatalf("enterprise's own figures: %+v", st)
	}
	p.admin.Get("/api/v1/filings/stats?from=2026-12-03&to=2026-12-05").Want(http.StatusOK).JSON(&st)
	if st.Total.Count != 0 || st.Total.FirstPassRate != nil || st.Total.MedianReviewHours != nil {
		t.Fatalf("empty period: %+v", st.Total)
	}

	var week struct {
		Filed      int `json:"filed"`
		Operations int `json:"operations"`
		ByStatus   []struct {
			Status string `json:"status"`
			Count  int    `json:"count"`
		} `json:"by_status"`
		Items []struct {
			ID     uint64 `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
		Days []struct {
			IDs []uint64 `json:"ids"`
		} `json:"days"`
	}
	p.admin.Get("/api/v1/filings/weeks/2026-W49").Want(http.StatusOK).JSON(&week)
	if week.Filed != 3 || week.Operations != 3 || len(week.ByStatus) != 2 || week.ByStatus[0].Status != "approved" || week.ByStatus[0].Count != 2 {
		t.Fatalf("week: %+v", week)
	}
	if len(week.Items) != 3 || week.Items[0].ID != a || week.Items[2].Status != "cancelled" {
		t.Fatalf("week's operations: %+v", week.Items)
	}
	if d := week.Days; !slices.Equal(d[2].IDs, []uint64{a}) || !slices.Equal(d[3].IDs, []uint64{b}) || len(d[4].IDs) != 0 {
		t.Fatalf("days: Wed %v, Thu %v, Fri %v", d[2].IDs, d[3].IDs, d[4].IDs)
	}
	p.admin.Get("/api/v1/filings/weeks/2026-W48").Want(http.StatusOK).JSON(&week)
	if week.Operations != 0 || week.Filed != 0 {
		t.Fatalf("previous week: %+v", week)
	}
}

// hostileFiling files an approved hot-work operation of enterprise A starting within the hour, so
// that the hostile sweeps meet a filing on every filing route, the board included.
func (p *hostilePark) hostileFiling() uint64 {
	p.env.T.Helper()
	now := p.env.Clock.Now()
	id := p.entA.Post("/api/v1/filings", p.filingBody(now)).Want(http.StatusCreated).ID()
	p.admin.Post("/api/v1/filings/"+itoa(id)+"/review", map[string]any{"approved": true}).Want(http.StatusOK)
	return id
}

func (p *hostilePark) filingBody(now time.Time) map[string]any {
	return map[string]any{"kind": "hot_work", "grade": "level2", "title": "甲方管廊动火", "location": "管廊", "submit": true,
		"planned_start": now.Add(time.Hour).Format(time.RFC3339), "planned_end": now.Add(5 * time.Hour).Format(time.RFC3339),
		"content": "焊接", "hazard_identification": "火花", "safety_measures": "监护", "responsible_name": "王工", "responsible_mobile": "13905710001",
		"watcher_name": "李工", "watcher_mobile": "13905710002", "permit_photo_ids": []uint64{p.env.InsertPhoto(p.entA.UserID())}}
}
