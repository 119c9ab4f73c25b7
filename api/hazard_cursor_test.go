package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

type hazardPage struct {
	Items []struct {
		ID    uint64 `json:"id"`
		Code  string `json:"code"`
		Title string `json:"title"`
	} `json:"items"`
	Total        *int64  `json:"total"`
	TotalAtLeast bool    `json:"total_at_least"`
	Next         *string `json:"next"`
}

func (p *hazardPark) list(query string) hazardPage {
	p.env.T.Helper()
	var l hazardPage
	p.admin.Get("/api/v1/hazards?" + query).Want(http.StatusOK).JSON(&l)
	return l
}

// Scrolling by cursor while hazards are reported: every hazard there was when the scroll began is
// shown exactly once, in every sort, although all share one creation instant and one deadline (the
// id breaks the ties) and new ones arrive between pages.
func TestHazardCursorScrollsUnderInserts(t *testing.T) {
	p := newHazardPark(t)
	var before []uint64
	for range 7 {
		before = append(before, p.report(p.ent, nil))
	}
	for _, sort := range []string{"-created_at", "created_at", "deadline", "-deadline"} {
		l := p.list("page_size=3&sort=" + sort)
		if l.Total == nil || *l.Total < 7 || l.Next == nil {
			t.Fatalf("%s: first page total %v next %v", sort, l.Total, l.Next)
		}
		seen := map[uint64]int{}
		for pages := 0; ; pages++ {
			for _, it := range l.Items {
				seen[it.ID]++
			}
			if l.Next == nil || pages > 10 {
				break
			}
			p.report(p.ent, map[string]any{"title": "翻页时新报的隐患"})
			l = p.list("page_size=3&sort=" + sort + "&after=" + url.QueryEscape(*l.Next))
			if l.Total != nil {
				t.Fatalf("%s: a page after a cursor is not counted, got total %d", sort, *l.Total)
			}
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("%s: hazard %d shown %d times", sort, id, n)
			}
		}
		for _, id := range before {
			if seen[id] != 1 {
				t.Errorf("%s: hazard %d skipped", sort, id)
			}
		}
	}
}

// A cursor continues only the list it came from: under another sort or other filters, or mangled,
// it is refused with a reason, as are numbered pages beyond the first 10,000 rows.
func TestHazardCursorRefusedElsewhere(t *testing.T) {
	p := newHazardPark(t)
	for range 3 {
		p.report(p.ent, nil)
	}
	l := p.list("page_size=2")
	if l.Next == nil {
		t.Fatal("no next on a full first page")
	}
	after := url.QueryEscape(*l.Next)
	for _, q := range []string{"sort=deadline&after=" + after, "status=closed&after=" + after, "q=罐区&after=" + after,
		"after=not-a-cursor", "after=" + after[:len(after)-2], "after=" + after + "&page=2"} {
		r := p.admin.Get("/api/v1/hazards?page_size=2&"+q).WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError("after") == "" && r.FieldError("page") == "" {
			t.Errorf("%s: no reason for the cursor: %s", q, r.Body)
		}
	}
	last := p.list("page_size=2&after=" + after)
	if len(last.Items) != 1 || last.Next != nil {
		t.Fatalf("last page: %d items, next %v", len(last.Items), last.Next)
	}
	p.list("page=500&page_size=20")
	r := p.admin.Get("/api/v1/hazards?page=501&page_size=20").WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("page") == "" {
		t.Fatalf("deep page: %s", r.Body)
	}
}

// Search finds two-character Chinese terms anywhere in the code, title, description or location, a
// single character (also a field's last), codes by their start in any case, and nothing that only
// shares characters.
func TestHazardSearchFindsChineseTerms(t *testing.T) {
	p := newHazardPark(t)
	tank := p.report(p.ent, map[string]any{"title": "围堰破损", "description": "雨水外溢", "location": "二号罐区"})
	fire := p.report(p.ent, map[string]any{"title": "动火作业未办票", "description": "焊接无监护", "location": "装置区"})
	other := p.report(p.ent, map[string]any{"title": "叉车超速", "description": "区内限速五公里", "location": "仓库"})
	var code string
	for _, it := range p.list("page_size=10").Items {
		if it.ID == other {
			code = it.Code
		}
	}
	for q, want := range map[string][]uint64{
		"罐区": {tank}, "动火": {fire}, "火作": {fire}, "动火作业未办票": {fire}, "区": {tank, fire, other},
		"库": {other}, "监护": {fire}, "区罐": nil, "罐火": nil, code: {other}, code[len(code)-4:]: {other},
		"ABC": nil, strings.ToLower(code[:11]): {tank, fire, other},
	} {
		var got []uint64
		for _, it := range p.list("page_size=10&q=" + url.QueryEscape(q)).Items {
			got = append(got, it.ID)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("q=%s: got %v, want %v", q, got, want)
		}
	}
}

// A hazard's corrected description is what search finds: the index changes in the correction's
// transaction.
func TestHazardSearchFollowsCorrections(t *testing.T) {
	env, insp := newHygieneEnv(t)
	eid := env.CreateEnterprise("")
	r := insp.Post("/api/v1/hygiene-checks", checkBody(eid, "2026-03-06", "2026-03-09",
		area("doorway", false, "门口纸箱", env.InsertPhoto(insp.UserID())), area("ditch", true, ""), area("road", true, ""))).Want(http.StatusCreated)
	door := num(r.Field("areas.0.hazard_id"))
	found := func(q string) bool {
		var l hazardPage
		insp.Get("/api/v1/hazards?q=" + url.QueryEscape(q)).Want(http.StatusOK).JSON(&l)
		return len(l.Items) == 1 && l.Items[0].ID == door
	}
	if !found("纸箱") {
		t.Fatal("the reported description is not found")
	}
	insp.Patch("/api/v1/hygiene-checks/"+itoa(r.ID()), map[string]any{"version": 1,
		"areas": []map[string]any{{"area": "doorway", "note": "木托盘堆放"}}}).Want(http.StatusOK)
	if !found("托盘") || found("纸箱") {
		t.Fatalf("after the correction: 托盘 %v, 纸箱 %v", found("托盘"), found("纸箱"))
	}
}
