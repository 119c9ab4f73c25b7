package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

// hazardPark is a small park for hazard tests: an inspector, two enterprises with a user each.
// Everyone signs in up front, because access tokens are checked against the wall clock while the
// tests move the app's clock forward.
type hazardPark struct {
	env                *apitest.Env
	admin, insp        *apitest.Client
	ent, other         uint64
	entUser, otherUser *apitest.Client
	today, nextWeek    string
}

func newHazardPark(t *testing.T, opts ...apitest.Option) *hazardPark {
	env := apitest.New(t, append([]apitest.Option{apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h")}, opts...)...) // tests walk the clock over days
	p := &hazardPark{env: env, admin: env.Admin(), insp: env.Inspector()}
	p.ent = env.CreateEnterprise("")
	p.other = env.CreateEnterprise("")
	p.entUser = env.EnterpriseUser(p.ent)
	p.otherUser = env.EnterpriseUser(p.other)
	p.today = env.App.Park.Today().Format(time.DateOnly)
	p.nextWeek = env.App.Park.Today().AddDate(0, 0, 7).Format(time.DateOnly)
	return p
}

// photo stands in for POST /photos: a photo row uploaded by c.
func (p *hazardPark) photo(c *apitest.Client) uint64 {
	p.env.T.Helper()
	ph := model.Photo{UploaderID: c.UserID(), SHA256: fmt.Sprintf("%064d", p.env.Seq()), Size: 1024, Width: 800, Height: 600,
		ContentType: "image/jpeg", StorageKey: "test/key", ThumbKey: "test/thumb"}
	if err := p.env.App.DB.Create(&ph).Error; err != nil {
		p.env.T.Fatalf("photo: %v", err)
	}
	return ph.ID
}

// body is a valid hazard report by c for enterprise ent, with overrides applied.
func (p *hazardPark) body(c *apitest.Client, ent uint64, over map[string]any) map[string]any {
	b := map[string]any{"enterprise_id": ent, "category": "fire", "level": "general", "title": "消防通道堆放杂物",
		"description": "二号罐区东侧消防通道堆放废旧托盘", "location": "二号罐区东侧", "latitude": 30.27, "longitude": 120.15,
		"requirement": "立即清理", "deadline": p.nextWeek, "photo_ids": []uint64{p.photo(c)}}
	for k, v := range over {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// report creates a hazard as the inspector and returns its id.
func (p *hazardPark) report(ent uint64, over map[string]any) uint64 {
	p.env.T.Helper()
	return p.insp.Post("/api/v1/hazards", p.body(p.insp, ent, over)).Want(http.StatusCreated).ID()
}

func (p *hazardPark) path(id uint64, action string) string {
	if action == "" {
		return "/api/v1/hazards/" + itoa(id)
	}
	return "/api/v1/hazards/" + itoa(id) + "/" + action
}

func (p *hazardPark) rectify(id uint64) *apitest.Response {
	return p.entUser.Post(p.path(id, "rectification"), map[string]any{"description": "已清理完毕", "photo_ids": []uint64{p.photo(p.entUser)}})
}

// hazard is the detail as the admin sees it.
type hazardDoc struct {
	ID          uint64  `json:"id"`
	Code        string  `json:"code"`
	Status      string  `json:"status"`
	StatusLabel string  `json:"status_label"`
	Deadline    string  `json:"deadline"`
	Overdue     bool    `json:"overdue"`
	RejectCount int     `json:"reject_count"`
	Version     int     `json:"version"`
	ClosedAt    *string `json:"closed_at"`
	DuplicateOf *uint64 `json:"duplicate_of"`
	Photos      []struct {
		ID uint64 `json:"id"`
	} `json:"photos"`
	Rectifications []struct {
		Description string `json:"description"`
		Photos      []struct {
			ID uint64 `json:"id"`
		} `json:"photos"`
		Submitter struct {
			ID   uint64 `json:"id"`
			Name string `json:"name"`
		} `json:"submitter"`
	} `json:"rectifications"`
	Events []struct {
		Action     string `json:"action"`
		FromStatus string `json:"from_status"`
		ToStatus   string `json:"to_status"`
		Comment    string `json:"comment"`
		Actor      struct {
			ID   uint64 `json:"id"`
			Role string `json:"role"`
		} `json:"actor"`
	} `json:"events"`
	Extensions []struct {
		NewDeadline string `json:"new_deadline"`
		Status      string `json:"status"`
	} `json:"extensions"`
}

func (p *hazardPark) get(id uint64) hazardDoc {
	p.env.T.Helper()
	var d hazardDoc
	p.admin.Get(p.path(id, "")).Want(http.StatusOK).JSON(&d)
	return d
}

func (d hazardDoc) actions() []string {
	out := []string{}
	for _, e := range d.Events {
		out = append(out, e.Action)
	}
	return out
}

func wantActions(t *testing.T, d hazardDoc, want ...string) {
	t.Helper()
	if got := d.actions(); !slices.Equal(got, want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
}

func TestHazardLoopWithRejection(t *testing.T) {
	p := newHazardPark(t)
	r := p.insp.Post("/api/v1/hazards", p.body(p.insp, p.ent, nil)).Want(http.StatusCreated)
	id := r.ID()
	code := r.Field("code").(string)
	if want := "YH-" + strings.ReplaceAll(p.today, "-", "") + "-0001"; code != want {
		t.Fatalf("code %s, want %s", code, want)
	}
	if r.Field("status") != "pending_rectify" || r.Field("status_label") != "待整改" || r.Field("source") != "snapshot" ||
		r.Field("level_label") != "一般隐患" || r.Field("category_label") != "消防" || r.Field("overdue") != false {
		t.Fatalf("created: %s", r.Body)
	}
	if r.Field("reporter.id").(float64) != float64(p.insp.UserID()) || len(r.Field("photos").([]any)) != 1 {
		t.Fatalf("reporter/photos: %s", r.Body)
	}

	// The enterprise sees it in its list and rectifies; a retry with the same key replays the answer.
	l := p.entUser.Get("/api/v1/hazards").Want(http.StatusOK)
	if l.Field("total").(float64) != 1 || l.Field("items.0.code") != code || l.Field("items.0.enterprise_name") == "" {
		t.Fatalf("enterprise list: %s", l.Body)
	}
	rect := map[string]any{"description": "已清理", "photo_ids": []uint64{p.photo(p.entUser)}}
	first := p.entUser.Post(p.path(id, "rectification"), rect, "Idempotency-Key", "rect-1").Want(http.StatusOK)
	again := p.entUser.Post(p.path(id, "rectification"), rect, "Idempotency-Key", "rect-1").Want(http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("replay: %s", again.Body)
	}
	if d := p.get(id); d.Status != "pending_verify" || len(d.Rectifications) != 1 || len(d.Rectifications[0].Photos) != 1 ||
		d.Rectifications[0].Submitter.ID != p.entUser.UserID() {
		t.Fatalf("after rectification: %+v", d)
	}

	// A rejection needs a reason, and a decision must be stated.
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": false}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.insp.Post(p.path(id, "verify"), map[string]any{"comment": "好"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if d := p.get(id); d.Status != "pending_verify" || len(d.Events) != 2 {
		t.Fatalf("refused verify changed the hazard: %+v", d)
	}
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": false, "comment": "仍有杂物"}).Want(http.StatusOK)
	d := p.get(id)
	if d.Status != "pending_rectify" || d.RejectCount != 1 {
		t.Fatalf("after reject: %+v", d)
	}

	// Round again, now with the version the client saw; a stale version is refused.
	p.rectify(id).Want(http.StatusOK)
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": true, "version": d.Version}).WantError(http.StatusConflict, "conflict")
	cur := p.get(id)
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": true, "comment": "整改到位", "version": cur.Version}).Want(http.StatusOK)
	d = p.get(id)
	if d.Status != "closed" || d.ClosedAt == nil || d.RejectCount != 1 || len(d.Rectifications) != 2 {
		t.Fatalf("closed: %+v", d)
	}
	wantActions(t, d, "created", "rectification_submitted", "verify_rejected", "rectification_submitted", "verified")
	last := d.Events[len(d.Events)-1]
	if last.FromStatus != "pending_verify" || last.ToStatus != "closed" || last.Actor.ID != p.insp.UserID() ||
		last.Actor.Role != "inspector" || last.Comment != "整改到位" {
		t.Fatalf("last event: %+v", last)
	}

	// closed is final: every transition is refused naming the state, and nothing changes.
	for _, tc := range []struct {
		c      *apitest.Client
		action string
		body   map[string]any
	}{
		{p.entUser, "rectification", map[string]any{"description": "x", "photo_ids": []uint64{p.photo(p.entUser)}}},
		{p.insp, "verify", map[string]any{"approved": true}},
		{p.admin, "approve", map[string]any{"approved": true}},
		{p.insp, "void", map[string]any{"reason": "误报"}},
		{p.entUser, "extension", map[string]any{"deadline": p.nextWeek, "reason": "x"}},
		{p.insp, "extension/decision", map[string]any{"approved": true}},
	} {
		r := tc.c.Post(p.path(id, tc.action), tc.body).WantError(http.StatusConflict, "conflict")
		if !strings.Contains(string(r.Body), "已销号") {
			t.Fatalf("%s: message does not name the state: %s", tc.action, r.Body)
		}
	}
	if after := p.get(id); after.Version != d.Version || len(after.Events) != len(d.Events) {
		t.Fatalf("final hazard changed: %+v", after)
	}
}

func TestHazardMajorNeedsApproval(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, map[string]any{"level": "major", "source": "special_check"})
	// Approval is only for pending_approval.
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": true}).WantError(http.StatusConflict, "conflict")
	p.rectify(id).Want(http.StatusOK)
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	if d := p.get(id); d.Status != "pending_approval" || d.ClosedAt != nil {
		t.Fatalf("major after verify: %+v", d)
	}
	p.insp.Post(p.path(id, "approve"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.entUser.Post(p.path(id, "approve"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": false}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": false, "comment": "未按要求加装防护"}).Want(http.StatusOK)
	if d := p.get(id); d.Status != "pending_rectify" || d.RejectCount != 1 {
		t.Fatalf("approval rejected: %+v", d)
	}
	p.rectify(id).Want(http.StatusOK)
	p.insp.Post(p.path(id, "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	p.admin.Post(p.path(id, "approve"), map[string]any{"approved": true, "comment": "同意销号"}).Want(http.StatusOK)
	d := p.get(id)
	if d.Status != "closed" || d.ClosedAt == nil {
		t.Fatalf("approved: %+v", d)
	}
	wantActions(t, d, "created", "rectification_submitted", "verified", "approval_rejected", "rectification_submitted", "verified", "approved")
}

func TestHazardReportRefusals(t *testing.T) {
	p := newHazardPark(t)
	yesterday := p.env.App.Park.Today().AddDate(0, 0, -1).Format(time.DateOnly)
	inactive := p.env.CreateEnterprise("")
	p.admin.Patch("/api/v1/enterprises/"+itoa(inactive), map[string]any{"status": "inactive"}).Want(http.StatusOK)
	cases := []struct {
		name  string
		c     *apitest.Client
		over  map[string]any
		code  int
		field string
	}{
		{"enterprise user", p.entUser, nil, http.StatusForbidden, ""},
		{"no photo", p.insp, map[string]any{"photo_ids": []uint64{}}, 422, "photo_ids"},
		{"photo missing", p.insp, map[string]any{"photo_ids": nil}, 422, "photo_ids"},
		{"someone else's photo", p.insp, map[string]any{"photo_ids": []uint64{p.photo(p.admin)}}, 422, "photo_ids"},
		{"unknown category", p.insp, map[string]any{"category": "weather"}, 422, "category"},
		{"unknown level", p.insp, map[string]any{"level": "huge"}, 422, "level"},
		{"unknown source", p.insp, map[string]any{"source": "rumour"}, 422, "source"},
		{"staff may not pose as leader inspection", p.insp, map[string]any{"source": "leader_inspection"}, 422, "source"},
		{"past deadline", p.insp, map[string]any{"deadline": yesterday}, 422, "deadline"},
		{"bad deadline", p.insp, map[string]any{"deadline": "2026-02-30"}, 422, "deadline"},
		{"no title", p.insp, map[string]any{"title": " "}, 422, "title"},
		{"long title", p.insp, map[string]any{"title": strings.Repeat("长", 129)}, 422, "title"},
		{"no requirement", p.insp, map[string]any{"requirement": nil}, 422, "requirement"},
		{"latitude range", p.insp, map[string]any{"latitude": 91}, 422, "latitude"},
		{"half coordinates", p.insp, map[string]any{"longitude": nil}, 422, "latitude"},
		{"unknown enterprise", p.insp, map[string]any{"enterprise_id": 99999}, 422, "enterprise_id"},
		{"inactive enterprise", p.insp, map[string]any{"enterprise_id": inactive}, 422, "enterprise_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.c.Post("/api/v1/hazards", p.body(tc.c, p.ent, tc.over))
			if tc.code == http.StatusForbidden {
				r.WantError(tc.code, "forbidden")
				return
			}
			r.WantError(tc.code, "validation_failed")
			if r.FieldError(tc.field) == "" {
				t.Fatalf("no reason for %s: %s", tc.field, r.Body)
			}
		})
	}
	p.insp.Post("/api/v1/hazards", []byte(`{"enterprise_id": `)).WantError(http.StatusBadRequest, "bad_request")
	p.insp.Post("/api/v1/hazards", []byte(`{"enterprise_id": "x"}`)).WantError(http.StatusUnprocessableEntity, "validation_failed")
	var n int64
	p.env.App.DB.Model(&model.Hazard{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d hazards created by refused reports", n)
	}
	// Refused reports used no number: the first real one is 0001.
	r := p.insp.Post("/api/v1/hazards", p.body(p.insp, p.ent, nil)).Want(http.StatusCreated)
	if !strings.HasSuffix(r.Field("code").(string), "-0001") {
		t.Fatalf("code after refusals: %s", r.Field("code"))
	}
}

func TestHazardRectificationRefusals(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	p.insp.Post(p.path(id, "rectification"), map[string]any{"description": "x", "photo_ids": []uint64{p.photo(p.insp)}}).
		WantError(http.StatusForbidden, "forbidden")
	p.entUser.Post(p.path(id, "rectification"), map[string]any{"description": "已清理"}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.entUser.Post(p.path(id, "rectification"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	// A photo the enterprise user did not upload rolls the whole step back.
	r := p.entUser.Post(p.path(id, "rectification"), map[string]any{"description": "已清理", "photo_ids": []uint64{p.photo(p.insp)}}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("photo_ids") == "" {
		t.Fatalf("no photo reason: %s", r.Body)
	}
	if d := p.get(id); d.Status != "pending_rectify" || d.Version != 1 || len(d.Rectifications) != 0 || len(d.Events) != 1 {
		t.Fatalf("refused rectification changed the hazard: %+v", d)
	}
	// Verification before rectification is a state conflict naming the state.
	r = p.insp.Post(p.path(id, "verify"), map[string]any{"approved": true}).WantError(http.StatusConflict, "conflict")
	if !strings.Contains(string(r.Body), "待整改") {
		t.Fatalf("conflict message: %s", r.Body)
	}
	p.rectify(id).Want(http.StatusOK)
	p.entUser.Post(p.path(id, "verify"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.rectify(id).WantError(http.StatusConflict, "conflict")
}

func TestHazardVoid(t *testing.T) {
	p := newHazardPark(t)
	a := p.report(p.ent, nil)
	b := p.report(p.ent, nil)
	c := p.report(p.ent, nil)
	p.entUser.Post(p.path(b, "void"), map[string]any{"reason": "重复"}).WantError(http.StatusForbidden, "forbidden")
	p.insp.Post(p.path(b, "void"), map[string]any{"reason": " "}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	for _, dup := range []uint64{b, 999999} {
		r := p.insp.Post(p.path(b, "void"), map[string]any{"reason": "重复", "duplicate_of": dup}).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError("duplicate_of") == "" {
			t.Fatalf("duplicate_of %d: %s", dup, r.Body)
		}
	}
	p.insp.Post(p.path(b, "void"), map[string]any{"reason": "与前一条重复", "duplicate_of": a}).Want(http.StatusOK)
	d := p.get(b)
	if d.Status != "void" || d.DuplicateOf == nil || *d.DuplicateOf != a {
		t.Fatalf("voided: %+v", d)
	}
	wantActions(t, d, "created", "voided")
	// A void hazard is no original, and is final.
	p.insp.Post(p.path(c, "void"), map[string]any{"reason": "重复", "duplicate_of": b}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	r := p.insp.Post(p.path(b, "void"), map[string]any{"reason": "again"}).WantError(http.StatusConflict, "conflict")
	if !strings.Contains(string(r.Body), "已作废") {
		t.Fatalf("message: %s", r.Body)
	}
	p.entUser.Post(p.path(b, "rectification"), map[string]any{"description": "x", "photo_ids": []uint64{p.photo(p.entUser)}}).
		WantError(http.StatusConflict, "conflict")
	// Only from pending_rectify.
	p.rectify(a).Want(http.StatusOK)
	p.insp.Post(p.path(a, "void"), map[string]any{"reason": "误报"}).WantError(http.StatusConflict, "conflict")
	// The code of a void hazard stays taken.
	n := p.report(p.ent, nil)
	if !strings.HasSuffix(p.get(n).Code, "-0004") {
		t.Fatalf("code after void: %s", p.get(n).Code)
	}
}

func TestHazardExtension(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	later := p.env.App.Park.Today().AddDate(0, 0, 14).Format(time.DateOnly)
	p.insp.Post(p.path(id, "extension"), map[string]any{"deadline": later, "reason": "备件"}).WantError(http.StatusForbidden, "forbidden")
	for _, body := range []map[string]any{
		{"deadline": p.nextWeek, "reason": "备件"}, // not later than the current deadline
		{"deadline": p.today, "reason": "备件"},
		{"deadline": "someday", "reason": "备件"},
		{"deadline": later},
	} {
		p.entUser.Post(p.path(id, "extension"), body).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
	p.insp.Post(p.path(id, "extension/decision"), map[string]any{"approved": true}).WantError(http.StatusConflict, "conflict")
	p.entUser.Post(p.path(id, "extension"), map[string]any{"deadline": later, "reason": "备件到货需要时间"}).Want(http.StatusOK)
	p.entUser.Post(p.path(id, "extension"), map[string]any{"deadline": later, "reason": "再次"}).WantError(http.StatusConflict, "conflict")
	p.entUser.Post(p.path(id, "extension/decision"), map[string]any{"approved": true}).WantError(http.StatusForbidden, "forbidden")
	p.insp.Post(p.path(id, "extension/decision"), map[string]any{"approved": true, "comment": "同意"}).Want(http.StatusOK)
	d := p.get(id)
	if d.Deadline != later || len(d.Extensions) != 1 || d.Extensions[0].Status != "approved" || d.Status != "pending_rectify" {
		t.Fatalf("after approval: %+v", d)
	}
	// A second request is rejected, with a reason.
	later2 := p.env.App.Park.Today().AddDate(0, 0, 30).Format(time.DateOnly)
	p.entUser.Post(p.path(id, "extension"), map[string]any{"deadline": later2, "reason": "还需要时间"}).Want(http.StatusOK)
	p.insp.Post(p.path(id, "extension/decision"), map[string]any{"approved": false}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	p.insp.Post(p.path(id, "extension/decision"), map[string]any{"approved": false, "comment": "期限已足够"}).Want(http.StatusOK)
	d = p.get(id)
	if d.Deadline != later || d.Extensions[1].Status != "rejected" {
		t.Fatalf("after rejection: %+v", d)
	}
	wantActions(t, d, "created", "extension_requested", "extension_approved", "extension_requested", "extension_rejected")
	// No extension once rectified.
	p.rectify(id).Want(http.StatusOK)
	p.entUser.Post(p.path(id, "extension"), map[string]any{"deadline": later2, "reason": "x"}).WantError(http.StatusConflict, "conflict")
}

func TestHazardOverdueAndListFilters(t *testing.T) {
	p := newHazardPark(t)
	due := p.report(p.ent, map[string]any{"deadline": p.today, "title": "100% 阀门泄漏"})
	later := p.report(p.ent, map[string]any{"category": "equipment", "level": "major"})
	closed := p.report(p.ent, map[string]any{"deadline": p.today})
	p.rectify(closed).Want(http.StatusOK)
	p.insp.Post(p.path(closed, "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	mine := p.report(p.other, map[string]any{"deadline": p.today})

	if p.get(due).Overdue {
		t.Fatal("overdue before the deadline day ended")
	}
	// Just past the end of the deadline day in the park's zone.
	end := p.env.App.Park.EndOfDay(p.env.App.Park.Today())
	p.env.Clock.Set(end)
	if !p.get(due).Overdue || p.get(closed).Overdue || p.get(later).Overdue {
		t.Fatal("overdue flags wrong after the deadline")
	}
	ids := func(c *apitest.Client, query string) []uint64 {
		t.Helper()
		var l struct {
			Items []struct {
				ID uint64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		c.Get("/api/v1/hazards?" + query).Want(http.StatusOK).JSON(&l)
		out := []uint64{}
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		if !strings.Contains(query, "page=") && l.Total != len(out) {
			t.Fatalf("%s: total %d, items %d", query, l.Total, len(out))
		}
		return out
	}
	check := func(c *apitest.Client, query string, want ...uint64) {
		t.Helper()
		if got := ids(c, query); !slices.Equal(got, want) {
			t.Fatalf("%s: got %v, want %v", query, got, want)
		}
	}
	check(p.admin, "", mine, closed, later, due)
	check(p.admin, "overdue=true", mine, due)
	check(p.admin, "overdue=false", closed, later)
	check(p.admin, "status=closed", closed)
	check(p.admin, "level=major", later)
	check(p.admin, "category=equipment", later)
	check(p.admin, "source=snapshot&enterprise_id="+itoa(p.ent), closed, later, due)
	check(p.admin, "q=100%25", due) // a literal %, not a wildcard
	check(p.admin, "q="+p.get(later).Code, later)
	check(p.admin, "sort=deadline&enterprise_id="+itoa(p.ent), due, closed, later)
	check(p.admin, "from="+p.today+"&to="+p.today, mine, closed, later, due)
	tomorrow := p.env.App.Park.Today().AddDate(0, 0, 1).Format(time.DateOnly)
	check(p.admin, "from="+tomorrow)
	check(p.admin, "page=2&page_size=3", due)
	// An enterprise user sees its own, whatever the filters say.
	check(p.otherUser, "", mine)
	check(p.otherUser, "enterprise_id="+itoa(p.ent)) // filters narrow, never widen
	check(p.entUser, "overdue=true", due)
	for _, bad := range []string{"status=open", "level=x", "category=x", "source=x", "overdue=maybe", "from=2026-13-01",
		"from=2026-03-02&to=2026-03-01", "sort=title", "page_size=101", "enterprise_id=x"} {
		p.admin.Get("/api/v1/hazards?"+bad).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
}

// TestHazardBOLA tries every hazard endpoint as another enterprise's user: each answers 404, as for
// a hazard that does not exist, and nothing changes.
func TestHazardBOLA(t *testing.T) {
	p := newHazardPark(t)
	pending := p.report(p.ent, nil)
	verifying := p.report(p.ent, nil)
	p.rectify(verifying).Want(http.StatusOK)
	before := map[uint64]hazardDoc{pending: p.get(pending), verifying: p.get(verifying)}
	spy := p.otherUser
	for _, id := range []uint64{pending, verifying} {
		spy.Get(p.path(id, "")).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "rectification"), map[string]any{"description": "x", "photo_ids": []uint64{p.photo(spy)}}).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "verify"), map[string]any{"approved": true}).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "approve"), map[string]any{"approved": true}).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "void"), map[string]any{"reason": "x"}).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "extension"), map[string]any{"deadline": "2099-01-01", "reason": "x"}).WantError(http.StatusNotFound, "not_found")
		spy.Post(p.path(id, "extension/decision"), map[string]any{"approved": true}).WantError(http.StatusNotFound, "not_found")
		// A record that does not exist answers the same.
		spy.Get(p.path(id+1000, "")).WantError(http.StatusNotFound, "not_found")
	}
	if l := spy.Get("/api/v1/hazards?enterprise_id=" + itoa(p.ent)).Want(http.StatusOK); l.Field("total").(float64) != 0 {
		t.Fatalf("list leaks: %s", l.Body)
	}
	if o := spy.Get("/api/v1/stats/overview?enterprise_id=" + itoa(p.ent)).Want(http.StatusOK); o.Field("found").(float64) != 0 {
		t.Fatalf("overview leaks: %s", o.Body)
	}
	if e := spy.Get("/api/v1/stats/enterprises").Want(http.StatusOK); len(e.Field("items").([]any)) != 1 ||
		e.Field("items.0.enterprise_id").(float64) != float64(p.other) {
		t.Fatalf("ranking leaks: %s", e.Body)
	}
	spy.Post("/api/v1/hazards", p.body(spy, p.ent, nil)).WantError(http.StatusForbidden, "forbidden")
	for id, b := range before {
		a := p.get(id)
		if a.Version != b.Version || a.Status != b.Status || len(a.Events) != len(b.Events) || len(a.Rectifications) != len(b.Rectifications) {
			t.Fatalf("hazard %d changed: %+v -> %+v", id, b, a)
		}
	}
	// The photos of the hazard are linked to its enterprise only.
	var links []model.PhotoLink
	p.env.App.DB.Where("owner_type IN ?", []string{"hazard", "rectification"}).Find(&links)
	for _, l := range links {
		if l.EnterpriseID == nil || *l.EnterpriseID != p.ent {
			t.Fatalf("photo link %+v not scoped to the hazard's enterprise", l)
		}
	}
}

// TestHazardConcurrentVerify: of ten simultaneous verifications exactly one wins.
func TestHazardConcurrentVerify(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	p.rectify(id).Want(http.StatusOK)
	inspectors := []*apitest.Client{p.insp, p.admin}
	for range 8 {
		inspectors = append(inspectors, p.env.Inspector())
	}
	statuses := make([]int, len(inspectors))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range inspectors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.Post(p.path(id, "verify"), map[string]any{"approved": true, "comment": fmt.Sprint("验收 ", i)}).Status
		}()
	}
	close(start)
	wg.Wait()
	sort.Ints(statuses)
	want := append([]int{http.StatusOK}, slices.Repeat([]int{http.StatusConflict}, len(inspectors)-1)...)
	if !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want one 200 and the rest 409", statuses)
	}
	d := p.get(id)
	wantActions(t, d, "created", "rectification_submitted", "verified")
	if d.Status != "closed" || d.Version != 3 {
		t.Fatalf("after race: %+v", d)
	}
}

// TestHazardConcurrentCodes: fifty simultaneous reports get fifty consecutive codes of the day.
func TestHazardConcurrentCodes(t *testing.T) {
	p := newHazardPark(t)
	const n = 50
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = p.body(p.insp, p.ent, nil)
	}
	codes := make([]string, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := p.insp.Post("/api/v1/hazards", bodies[i])
			statuses[i] = r.Status
			if r.Status == http.StatusCreated {
				var h struct {
					Code string `json:"code"`
				}
				json.Unmarshal(r.Body, &h)
				codes[i] = h.Code
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusCreated {
			t.Fatalf("report %d: status %d", i, s)
		}
	}
	sort.Strings(codes)
	day := strings.ReplaceAll(p.today, "-", "")
	for i, c := range codes {
		if want := fmt.Sprintf("YH-%s-%04d", day, i+1); c != want {
			t.Fatalf("codes %v: position %d is %s, want %s", codes, i, c, want)
		}
	}
}

// TestHazardExtensionRetried: a phone retrying its extension request with the same Idempotency-Key
// gets the first answer back, not a 409 for the request it made itself.
func TestHazardExtensionRetried(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	body := map[string]any{"deadline": p.env.App.Park.Today().AddDate(0, 0, 14).Format(time.DateOnly), "reason": "备件到货需要时间"}
	first := p.entUser.Post(p.path(id, "extension"), body, "Idempotency-Key", "ext-1").Want(http.StatusOK)
	again := p.entUser.Post(p.path(id, "extension"), body, "Idempotency-Key", "ext-1").Want(http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("retry not replayed: %s", again.Body)
	}
	if d := p.get(id); len(d.Extensions) != 1 {
		t.Fatalf("%d extension requests after a retry", len(d.Extensions))
	}
}
