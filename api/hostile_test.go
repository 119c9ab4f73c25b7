package api_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/api"
	"parksafe/apitest"
	"parksafe/apitest/testimg"
	"parksafe/model"
)

// hostilePark is a park with one record of every kind belonging to enterprise A, and a signed-in
// client for each role, for sweeping every route with hostile input.
type hostilePark struct {
	env                  *apitest.Env
	admin, insp          *apitest.Client
	entA, entB           *apitest.Client
	a, b                 uint64
	photo, hazard, check uint64
	leader, interview    uint64
	draft, notification  uint64
	spareUser            uint64 // an account the sweep may edit without signing anyone out
	filing               uint64
	today, nextWeek      string
	lastWeek             string
}

func newHostilePark(t *testing.T) *hostilePark {
	t.Helper()
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h"))
	p := &hostilePark{env: env, admin: env.Admin(), insp: env.Inspector()}
	p.a, p.b = env.CreateEnterprise("甲化工"), env.CreateEnterprise("乙化工")
	p.entA, p.entB = env.EnterpriseUser(p.a), env.EnterpriseUser(p.b)
	spare := env.EnterpriseUser(p.a)
	p.spareUser = spare.UserID()
	today := env.App.Park.Today()
	p.today, p.nextWeek = today.Format(time.DateOnly), today.AddDate(0, 0, 7).Format(time.DateOnly)
	p.lastWeek = env.App.Park.WeekOf(env.Clock.Now().AddDate(0, 0, -7)).String()

	jpg := testimg.JPEG(testimg.Gradient(64, 48, 7), 80)
	p.photo = p.entA.UploadPhoto(jpg)
	p.hazard = p.insp.Post("/api/v1/hazards", p.hazardBody(p.a)).Want(http.StatusCreated).ID()
	p.check = p.insp.Post("/api/v1/hygiene-checks", map[string]any{"enterprise_id": p.a, "check_date": p.today, "deadline": p.nextWeek,
		"areas": []map[string]any{area("doorway", false, "门口堆放纸箱", p.insp.UploadPhoto(testimg.JPEG(testimg.Gradient(64, 48, 8), 80))),
			area("ditch", true, ""), area("road", true, "")}}).Want(http.StatusCreated).ID()
	p.leader = p.entA.Post("/api/v1/leader-inspections", p.leaderBody()).Want(http.StatusCreated).ID()
	p.interview = p.admin.Post("/api/v1/interviews", map[string]any{"enterprise_id": p.a, "week": p.lastWeek,
		"scheduled_at": today.AddDate(0, 0, 3).Format("2006-01-02") + "T09:30:00+08:00", "place": "管委会三楼"}).Want(http.StatusCreated).ID()
	p.draft = p.admin.Post("/api/v1/bulletins", map[string]any{"title": "草稿通报", "kind": "general",
		"content_markdown": "各企业：\n\n![现场](photo:" + itoa(p.photo) + ")"}).Want(http.StatusCreated).ID()
	var n model.Notification
	if err := env.App.DB.Where("user_id = ?", p.entA.UserID()).Order("id").First(&n).Error; err != nil {
		t.Fatalf("enterprise A has no notification: %v", err)
	}
	p.notification = n.ID
	p.filing = p.hostileFiling()
	return p
}

func (p *hostilePark) hazardBody(ent uint64) map[string]any {
	return map[string]any{"enterprise_id": ent, "category": "fire", "level": "general", "title": "消防通道堆放杂物",
		"description": "二号罐区东侧", "location": "二号罐区", "latitude": 30.27, "longitude": 120.15, "requirement": "立即清理",
		"deadline": p.nextWeek, "photo_ids": []uint64{p.env.InsertPhoto(p.insp.UserID())}}
}

func (p *hostilePark) leaderBody() map[string]any {
	return map[string]any{"inspected_on": p.today, "leader_name": "王主任", "participants": "安全总监", "areas": "罐区",
		"findings": "未发现问题", "problems_found": 0, "problems_fixed": 0, "photo_ids": []uint64{p.env.InsertPhoto(p.entA.UserID())}}
}

// idFor is enterprise A's record named by the :id of a route, 0 for a route it does not know.
func (p *hostilePark) idFor(path string) uint64 {
	for _, r := range []struct {
		prefix string
		id     uint64
	}{{"/enterprises/", p.a}, {"/users/", p.spareUser}, {"/hazards/", p.hazard}, {"/hygiene-checks/", p.check},
		{"/leader-inspections/", p.leader}, {"/interviews/", p.interview}, {"/bulletins/", p.draft}, {"/photos/", p.photo},
		{"/filings/", p.filing}} {
		if strings.Contains(path, r.prefix) {
			return r.id
		}
	}
	return 0
}

// routes lists every route of the router, so that a route added later is swept too.
func routes(t *testing.T, env *apitest.Env) gin.RoutesInfo {
	rs := env.App.Handler.(*gin.Engine).Routes()
	if len(rs) < 50 {
		t.Fatalf("only %d routes found", len(rs))
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Method+rs[i].Path < rs[j].Method+rs[j].Path })
	return rs
}

// fill replaces the route's parameters by values.
func fill(path string, values map[string]string) string {
	parts := strings.Split(path, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			parts[i] = values[s[1:]]
		}
	}
	return strings.Join(parts, "/")
}

var (
	long100k  = strings.Repeat("隐", 100_000)
	han       = regexp.MustCompile(`\p{Han}`)
	leakWords = []string{"goroutine ", "panic", "runtime error", "sql:", "SQL", "sqlite", "mysql", "gorm", "Error 1", ".go:", "syntax error", "UNIQUE constraint", "Duplicate entry", "strconv."}
)

// hostileIDs are path parameters naming no record.
var hostileIDs = []string{"abc", "-1", "0", "18446744073709551616", "18446744073709551615", "9223372036854775808", "99999999999", "1%27%20OR%201=1--", "1.5", "%00", "%E2%80%AE1", "%FF"}

// hostileWeeks are :week parameters.
var hostileWeeks = []string{"2026-W99", "9999-W01", "0000-W01", "garbage", "2026-W00", "2026W10", "-2026-W10", "%FF%FE-W01", "2026-W1%27", "99999999999-W01"}

// hostileQueries are query strings sent to every GET route.
var hostileQueries = []string{
	"page=-1", "page=0&page_size=0", "page_size=100000", "page=99999999999&page_size=100", "page=9223372036854775807&page_size=100",
	"page=abc", "page_size=-5", "week=2026-W99", "week=9999-W01", "week=garbage", "week=0000-W01", "weeks=-1", "weeks=100000",
	"from=2026-02-30&to=0000-01-01", "from=0000-01-01&to=9999-12-31", "from=9999-12-31&to=0001-01-01", "from=garbage", "to=2026-13-01",
	"q=" + url.QueryEscape("' OR 1=1; DROP TABLE users; --"), "q=" + url.QueryEscape("%_\\"), "q=" + url.QueryEscape(long100k[:30000]),
	"q=%00%E2%80%AE", "q=%FF%FE%C0", "q=%ED%A0%80", "status=%FF&kind=%FF&role=%FF&from=%FF", "week=%FF", "enterprise_id=-1", "enterprise_id=18446744073709551616", "enterprise_id=18446744073709551615", "enterprise_id=abc",
	"status=garbage&level=garbage&category=garbage&source=garbage&kind=garbage&role=garbage&result=garbage",
	"overdue=maybe&unread=maybe&on_time=maybe", "sort=" + url.QueryEscape("id; DROP TABLE hazards"), "sort=-created_at",
	"exp=99999999999999999999&sig=x", "exp=-1&sig=", "signature=x&timestamp=-1&nonce=&echostr=" + url.QueryEscape("<x>"),
}

// rawBodies are request bodies that are malformed or of the wrong shape for any route.
var rawBodies = []string{
	"", "{", "[", "nul", `"str"`, "123", "[]", "null", "{}", `{"a":1}{"b":2}`, "1e309", "\x00\x01",
	strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
	strings.Repeat(`{"a":`, 20_000) + "1" + strings.Repeat("}", 20_000),
	`{"version": 1e309, "id": 18446744073709551616, "enterprise_id": -1, "photo_ids": "1"}`,
	`{"` + long100k + `": 1}`,
}

// requestTypes are the JSON bodies of the routes that take one, with a body the route accepts from
// the role that may send it: the sweep changes one field of it at a time.
type bodyRoute struct {
	dto  any
	role string // admin, inspector, a
	base func(p *hostilePark) map[string]any
}

var bodyRoutes = map[string]bodyRoute{
	"POST /api/v1/auth/login":        {api.LoginRequest{}, "anon", func(p *hostilePark) map[string]any { return map[string]any{"username": "nobody", "password": "x"} }},
	"POST /api/v1/auth/wechat/login": {api.WeChatLoginRequest{}, "anon", func(p *hostilePark) map[string]any { return map[string]any{"code": "bad"} }},
	"POST /api/v1/auth/wechat/bind":  {api.WeChatBindRequest{}, "anon", func(p *hostilePark) map[string]any { return map[string]any{"bind_token": "x", "phone_code": "y"} }},
	"POST /api/v1/auth/refresh":      {api.RefreshRequest{}, "anon", func(p *hostilePark) map[string]any { return map[string]any{"refresh_token": "x"} }},
	"POST /api/v1/auth/logout":       {api.RefreshRequest{}, "inspector", func(p *hostilePark) map[string]any { return map[string]any{"refresh_token": "x"} }},
	"PUT /api/v1/me/password": {api.PasswordRequest{}, "inspector", func(p *hostilePark) map[string]any {
		return map[string]any{"old_password": "wrong", "new_password": "x"}
	}},
	"POST /api/v1/enterprises":         {api.EnterpriseRequest{}, "admin", nil},
	"PATCH /api/v1/enterprises/:id":    {api.EnterpriseRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/users":               {api.UserRequest{}, "admin", nil},
	"PATCH /api/v1/users/:id":          {api.UserRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/hygiene-checks":      {api.HygieneCheckRequest{}, "inspector", nil},
	"PATCH /api/v1/hygiene-checks/:id": {api.HygieneCheckPatchRequest{}, "inspector", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/bulletins": {api.BulletinRequest{}, "admin", func(p *hostilePark) map[string]any {
		return map[string]any{"title": "通知", "kind": "general", "content_markdown": "正文"}
	}},
	"POST /api/v1/bulletins/generate": {api.GenerateBulletinRequest{}, "admin", func(p *hostilePark) map[string]any {
		return map[string]any{"kind": "hygiene_weekly", "week": p.lastWeek}
	}},
	"PATCH /api/v1/bulletins/:id":        {api.BulletinRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/bulletins/:id/publish": {nil, "admin", nil},
	"POST /api/v1/notifications/read":    {api.ReadNotificationsRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{"ids": []uint64{p.notification}} }},
	"POST /api/v1/me/subscriptions":      {api.SubscribeRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{"template_ids": []string{"tmpl"}} }},
	"POST /api/v1/leader-inspections":    {api.LeaderInspectionRequest{}, "a", func(p *hostilePark) map[string]any { return p.leaderBody() }},
	"POST /api/v1/interviews": {api.InterviewRequest{}, "admin", func(p *hostilePark) map[string]any {
		return map[string]any{"enterprise_id": p.a, "week": p.lastWeek, "scheduled_at": p.nextWeek + "T09:30:00+08:00", "place": "会议室"}
	}},
	"POST /api/v1/interviews/from-week": {api.InterviewProposalRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{"week": p.lastWeek} }},
	"PATCH /api/v1/interviews/:id":      {api.InterviewPatchRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/photos":               {nil, "a", nil},
	"POST /api/v1/hazards":              {api.HazardRequest{}, "inspector", func(p *hostilePark) map[string]any { return p.hazardBody(p.a) }},
	"POST /api/v1/hazards/:id/rectification": {api.RectificationRequest{}, "a", func(p *hostilePark) map[string]any {
		return map[string]any{"description": "已清理", "photo_ids": []uint64{p.env.InsertPhoto(p.entA.UserID())}}
	}},
	"POST /api/v1/hazards/:id/verify": {api.DecisionRequest{}, "inspector", func(p *hostilePark) map[string]any {
		return map[string]any{"approved": false, "comment": "未整改到位"}
	}},
	"POST /api/v1/hazards/:id/approve":              {api.DecisionRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{"approved": false, "comment": "退回"} }},
	"POST /api/v1/hazards/:id/void":                 {api.VoidRequest{}, "inspector", nil},
	"POST /api/v1/hazards/:id/extension":            {api.ExtensionRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{"deadline": p.nextWeek, "reason": "备件"} }},
	"POST /api/v1/hazards/:id/extension/decision":   {api.DecisionRequest{}, "inspector", func(p *hostilePark) map[string]any { return map[string]any{"approved": false, "comment": "不同意"} }},
	"POST /api/v1/wechat/official-account/callback": {nil, "anon", nil},
	"POST /api/v1/filings":                          {api.FilingRequest{}, "a", func(p *hostilePark) map[string]any { return p.filingBody(p.env.Clock.Now()) }},
	"PATCH /api/v1/filings/:id":                     {api.FilingPatchRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{} }},
	"POST /api/v1/filings/:id/submit":               {api.FilingVersionRequest{}, "a", nil},
	"POST /api/v1/filings/:id/assign":               {api.FilingAssignRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{"reviewer_id": p.insp.UserID()} }},
	"POST /api/v1/filings/:id/review": {api.FilingDecisionRequest{}, "admin", func(p *hostilePark) map[string]any {
		return map[string]any{"approved": false, "items": []string{"补充"}}
	}},
	"POST /api/v1/filings/:id/approve":  {api.FilingDecisionRequest{}, "admin", func(p *hostilePark) map[string]any { return map[string]any{"approved": true} }},
	"POST /api/v1/filings/:id/resubmit": {api.FilingResubmitRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{"answers": []any{}} }},
	"POST /api/v1/filings/:id/start": {api.FilingStepRequest{}, "a", func(p *hostilePark) map[string]any {
		return map[string]any{"photo_ids": []uint64{p.env.InsertPhoto(p.entA.UserID())}}
	}},
	"POST /api/v1/filings/:id/complete": {api.FilingStepRequest{}, "a", func(p *hostilePark) map[string]any {
		return map[string]any{"photo_ids": []uint64{p.env.InsertPhoto(p.entA.UserID())}}
	}},
	// A stale version keeps the sweep from cancelling the filing every other route is swept on.
	"POST /api/v1/filings/:id/cancel": {api.FilingCancelRequest{}, "a", func(p *hostilePark) map[string]any { return map[string]any{"reason": "计划调整", "version": 0} }},
	"POST /api/v1/filings/:id/hazards": {api.FilingHazardRequest{}, "inspector", func(p *hostilePark) map[string]any {
		return map[string]any{"category": "fire", "level": "general", "title": "动火点可燃物", "description": "d", "requirement": "清理",
			"deadline": p.nextWeek, "photo_ids": []uint64{p.env.InsertPhoto(p.insp.UserID())}}
	}},
}

// TestHostileRequestTypesListed keeps bodyRoutes complete: every *Request struct of the api package
// is swept (directly or nested in another).
func TestHostileRequestTypesListed(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	swept := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || swept[rt.Name()] {
			return
		}
		swept[rt.Name()] = true
		for i := 0; i < rt.NumField(); i++ {
			walk(rt.Field(i).Type)
		}
	}
	for _, br := range bodyRoutes {
		if br.dto != nil {
			walk(reflect.TypeOf(br.dto))
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok && strings.HasSuffix(ts.Name.Name, "Request") && !swept[ts.Name.Name] {
				t.Errorf("request type %s is not in bodyRoutes", ts.Name.Name)
			}
			return true
		})
	}
}

// hostileValues are JSON values of the right type for t that a careless service might choke on,
// followed by some of the wrong type.
func hostileValues(rt reflect.Type, p *hostilePark) []string {
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	var out []string
	switch rt.Kind() {
	case reflect.String:
		for _, s := range []string{"", "   ", long100k, "' OR 1=1; DROP TABLE users; --", "%_\\", "2026-02-30", "0000-01-01", "9999-12-31",
			"0001-01-01T00:00:00Z", "0000-01-01T00:00:00+08:00", "9999-12-31T23:59:59+14:00", "1900-01-01T00:00:00+08:00", "2026-W99", "9999-W01", "0000-W01", "garbage",
			"<script>alert(1)</script>", "![x](photo:18446744073709551615)![y](photo:-1)![z](photo:" + itoa(p.photo) + ")"} {
			b, _ := json.Marshal(s)
			out = append(out, string(b))
		}
		out = append(out, `"a\u0000b"`, `"\ud800"`, `"\udfff\ud800x"`, `"\u202e\u200f\ufeff名称"`, "123", "[]", "{}")
	case reflect.Int, reflect.Int64, reflect.Int32:
		out = append(out, "-1", "0", "9223372036854775807", "-9223372036854775808", "2147483648", "1.5", `"3"`, "1e309", "18446744073709551616")
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		out = append(out, "0", "18446744073709551615", "9223372036854775808", "4294967296", itoa(p.b), "-1", `"3"`, "1e309", "18446744073709551616")
	case reflect.Float64, reflect.Float32:
		out = append(out, "1e308", "-1e308", "0", "5e-324", "-0", "1e309", `"30.1"`)
	case reflect.Bool:
		out = append(out, `"true"`, "1")
	case reflect.Slice:
		elems := hostileValues(rt.Elem(), p)
		for i, e := range elems {
			if i < 6 || i >= len(elems)-2 {
				out = append(out, "["+e+"]")
			}
		}
		many := make([]string, 5000)
		for i := range many {
			many[i] = elems[0]
		}
		out = append(out, "["+strings.Join(many, ",")+"]", "{}", `"1"`)
	case reflect.Struct:
		out = append(out, "{}", "[]", "1")
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			for _, v := range hostileValues(f.Type, p) {
				out = append(out, `{"`+name+`":`+v+`}`)
			}
		}
	}
	return append(out, "null")
}

// mutations are bodies derived from base with one field made hostile, plus every field null.
func mutations(dto any, base map[string]any, p *hostilePark) [][]byte {
	rt := reflect.TypeOf(dto)
	var out [][]byte
	nulls := map[string]json.RawMessage{}
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		nulls[name] = json.RawMessage("null")
		for _, v := range hostileValues(f.Type, p) {
			m := map[string]json.RawMessage{}
			for k, bv := range base {
				b, _ := json.Marshal(bv)
				m[k] = b
			}
			m[name] = json.RawMessage(v)
			b, err := json.Marshal(m)
			if err != nil {
				// Invalid on purpose (a lone surrogate): splice it in by hand.
				b = []byte(`{"` + name + `":` + v + `}`)
			}
			out = append(out, b)
		}
	}
	b, _ := json.Marshal(nulls)
	return append(out, b)
}

// check asserts the rules every answer obeys: no 5xx, the error envelope with a Chinese message on
// every 4xx, nothing of the implementation in the body.
func check(t *testing.T, who, req string, r *apitest.Response) bool {
	t.Helper()
	if r.Status >= 500 {
		t.Errorf("%s %s: %d %.300s", who, req, r.Status, r.Body)
		return false
	}
	body := string(r.Body)
	for _, w := range leakWords {
		if strings.Contains(body, w) && !strings.HasPrefix(req, "GET /swagger") {
			t.Errorf("%s %s: body reveals %q: %.300s", who, req, w, body)
			return false
		}
	}
	if r.Status < 400 || strings.HasPrefix(req, "GET /p/bulletins/") || strings.HasPrefix(req, "GET /swagger/") {
		return true
	}
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.Code == "" || !han.MatchString(env.Error.Message) {
		t.Errorf("%s %s: %d without a Chinese error envelope: %.300s", who, req, r.Status, body)
		return false
	}
	return true
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// TestHostileSweep sends every route, as every role, malformed and hostile requests.
func TestHostileSweep(t *testing.T) {
	p := newHostilePark(t)
	roles := []struct {
		name string
		c    *apitest.Client
	}{{"anon", p.env.Anon()}, {"admin", p.admin}, {"inspector", p.insp}, {"a", p.entA}, {"b", p.entB}}
	byName := map[string]*apitest.Client{}
	for _, r := range roles {
		byName[r.name] = r.c
	}
	sent := 0
	for _, rt := range routes(t, p.env) {
		key := rt.Method + " " + rt.Path
		good := map[string]string{"id": itoa(p.idFor(rt.Path)), "week": p.lastWeek, "variant": "thumb", "any": "index.html"}
		var paths []string
		paths = append(paths, fill(rt.Path, good))
		for param, bad := range map[string][]string{"id": hostileIDs, "week": hostileWeeks, "variant": {"original", "..%2F..%2Fetc%2Fpasswd", "x"}, "any": {"..%2F..%2Fgo.mod"}} {
			if !strings.Contains(rt.Path, ":"+param) && !strings.Contains(rt.Path, "*"+param) {
				continue
			}
			for _, v := range bad {
				vals := map[string]string{}
				for k, g := range good {
					vals[k] = g
				}
				vals[param] = v
				paths = append(paths, fill(rt.Path, vals))
			}
		}
		for _, role := range roles {
			for _, path := range paths {
				if rt.Method == http.MethodGet {
					for _, q := range hostileQueries {
						check(t, role.name, rt.Method+" "+short(path+"?"+q), role.c.Do(rt.Method, path+"?"+q, nil))
						sent++
					}
					continue
				}
				check(t, role.name, key+" "+path+" {}", role.c.Do(rt.Method, path, []byte("{}")))
				sent++
			}
			if rt.Method == http.MethodGet {
				continue
			}
			path := paths[0]
			for _, b := range rawBodies {
				check(t, role.name, rt.Method+" "+path+" "+short(b), role.c.Do(rt.Method, path, []byte(b)))
				sent++
			}
			for _, ct := range []string{"text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=gbk", "application/xml"} {
				check(t, role.name, rt.Method+" "+path+" as "+ct, role.c.Do(rt.Method, path, strings.NewReader(`{"a":1}`), "Content-Type", ct))
				sent++
			}
			for _, key := range []string{strings.Repeat("k", 10_000), "\x00", "键\u202e", " ", "\xff\xfe", strings.Repeat("键", 100)} {
				check(t, role.name, rt.Method+" "+path+" idempotency key "+short(key), role.c.Do(rt.Method, path, []byte("{}"), "Idempotency-Key", key))
				sent++
			}
		}
		// One field at a time made hostile in an otherwise acceptable body, from the role that may send it.
		br, ok := bodyRoutes[key]
		if rt.Method != http.MethodGet && !ok {
			t.Errorf("%s takes a body but is not in bodyRoutes", key)
		}
		if !ok || br.dto == nil {
			continue
		}
		base := map[string]any{}
		if br.base != nil {
			base = br.base(p)
		}
		c := byName[br.role]
		path := paths[0]
		for _, b := range mutations(br.dto, base, p) {
			check(t, br.role, rt.Method+" "+path+" "+short(string(b)), c.Do(rt.Method, path, b))
			sent++
		}
	}
	t.Logf("%d hostile requests", sent)
}

// snapshotA is how the park office sees each of enterprise A's records, to prove that requests by
// another enterprise change nothing.
func (p *hostilePark) snapshotA(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range []string{"/api/v1/enterprises/" + itoa(p.a), "/api/v1/hazards/" + itoa(p.hazard), "/api/v1/hygiene-checks/" + itoa(p.check),
		"/api/v1/leader-inspections/" + itoa(p.leader), "/api/v1/interviews/" + itoa(p.interview), "/api/v1/bulletins/" + itoa(p.draft),
		"/api/v1/photos/" + itoa(p.photo), "/api/v1/users/" + itoa(p.entA.UserID()), "/api/v1/filings/" + itoa(p.filing)} {
		out[path] = string(p.admin.Get(path).Want(http.StatusOK).Body)
	}
	out["notifications"] = string(p.entA.Get("/api/v1/notifications").Want(http.StatusOK).Body)
	return out
}

// TestHostileOtherEnterprise: enterprise B's user, on every route naming one of A's records, gets
// exactly what it gets for a record that does not exist (404 where its role may use the route), and
// nothing of A's changes; no list or report shows B any of A's rows, whatever the filters.
func TestHostileOtherEnterprise(t *testing.T) {
	p := newHostilePark(t)
	before := p.snapshotA(t)
	for _, rt := range routes(t, p.env) {
		if !strings.Contains(rt.Path, ":id") || strings.HasPrefix(rt.Path, "/files/") || strings.HasPrefix(rt.Path, "/p/") {
			continue
		}
		key := rt.Method + " " + rt.Path
		body := []byte("{}")
		if br, ok := bodyRoutes[key]; ok && br.base != nil {
			body, _ = json.Marshal(br.base(p))
		}
		if p.idFor(rt.Path) == 0 {
			t.Errorf("%s: no record of enterprise A for its :id; add one to hostilePark", key)
			continue
		}
		vals := map[string]string{"id": itoa(p.idFor(rt.Path)), "variant": "thumb"}
		if strings.HasPrefix(rt.Path, "/api/v1/users/") {
			vals["id"] = itoa(p.entA.UserID())
		}
		mine := p.entB.Do(rt.Method, fill(rt.Path, vals), body)
		vals["id"] = "99999999"
		none := p.entB.Do(rt.Method, fill(rt.Path, vals), body)
		if mine.Status != none.Status || mine.Status < 400 {
			t.Errorf("%s as B: %d for A's record, %d for none: %s", key, mine.Status, none.Status, mine.Body)
		}
		if mine.Status != http.StatusNotFound && mine.Status != http.StatusForbidden {
			t.Errorf("%s as B: %d, want 404: %s", key, mine.Status, mine.Body)
		}
		if mine.Status == http.StatusForbidden && strings.Contains(string(mine.Body), "不存在") {
			t.Errorf("%s as B: %s", key, mine.Body)
		}
	}
	// Notifications of A cannot be marked read by B.
	p.entB.Post("/api/v1/notifications/read", map[string]any{"ids": []uint64{p.notification}})
	if after := p.snapshotA(t); !reflect.DeepEqual(before, after) {
		for k := range before {
			if before[k] != after[k] {
				t.Errorf("B changed %s:\n%s\n%s", k, before[k], after[k])
			}
		}
	}

	// Lists and reports: nothing of A's, even when asked for A.
	aRow := regexp.MustCompile(`"enterprise_id":` + itoa(p.a) + `[,}]`)
	for _, rt := range routes(t, p.env) {
		if rt.Method != http.MethodGet || strings.Contains(rt.Path, ":id") || !strings.HasPrefix(rt.Path, "/api/v1/") {
			continue
		}
		path := fill(rt.Path, map[string]string{"week": p.env.App.Park.WeekOf(p.env.Clock.Now()).String()})
		for _, q := range []string{"", "?enterprise_id=" + itoa(p.a), "?enterprise_id=" + itoa(p.a) + "&q=甲", "?status=draft", "?page_size=100"} {
			r := p.entB.Get(path + q)
			if r.Status >= 500 || aRow.Match(r.Body) || strings.Contains(string(r.Body), "甲化工") ||
				strings.Contains(string(r.Body), "草稿通报") || strings.Contains(string(r.Body), "门口堆放纸箱") {
				t.Errorf("B GET %s%s: %d %.400s", path, q, r.Status, r.Body)
			}
		}
	}

	// Drafts are for the park office only; the photo of A's record is A's.
	for _, c := range []*apitest.Client{p.entA, p.entB} {
		c.Get("/api/v1/bulletins/"+itoa(p.draft)).WantError(http.StatusNotFound, "not_found")
		if strings.Contains(string(c.Get("/api/v1/bulletins?page_size=100").Want(http.StatusOK).Body), "草稿通报") {
			t.Error("an enterprise lists a draft bulletin")
		}
	}
	p.env.Anon().Get("/p/bulletins/" + itoa(p.draft)).Want(http.StatusNotFound)
	p.entB.Get("/api/v1/photos/"+itoa(p.photo)).WantError(http.StatusNotFound, "not_found")
	p.entA.Get("/api/v1/photos/" + itoa(p.photo)).Want(http.StatusOK)
}

// TestHostileDisabledAccount: a disabled account's token stops working on every signed-in route.
func TestHostileDisabledAccount(t *testing.T) {
	p := newHostilePark(t)
	for _, u := range []*apitest.Client{p.entA, p.insp} {
		p.admin.Patch("/api/v1/users/"+itoa(u.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	}
	n := 0
	for _, rt := range routes(t, p.env) {
		path := fill(rt.Path, map[string]string{"id": itoa(p.idFor(rt.Path)), "week": p.lastWeek, "variant": "thumb", "any": "index.html"})
		if p.env.Anon().Do(rt.Method, path, []byte("{}")).Status != http.StatusUnauthorized {
			continue // a public route
		}
		n++
		for _, u := range []*apitest.Client{p.entA, p.insp} {
			p.env.T.Helper()
			u.Do(rt.Method, path, []byte("{}")).WantError(http.StatusUnauthorized, "unauthenticated")
		}
	}
	if n < 40 {
		t.Fatalf("only %d signed-in routes", n)
	}
	p.env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": p.entA.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
}

// TestHostileFailedCreatesLeaveNothing: a hazard report refused after its code was drawn gives the
// code back (codes stay gap-free) and links no photo; a refused hygiene check and leader inspection
// leave no rows either.
func TestHostileFailedCreatesLeaveNothing(t *testing.T) {
	p := newHostilePark(t)
	var hz model.Hazard
	if err := p.env.App.DB.Order("id desc").First(&hz).Error; err != nil {
		t.Fatal(err)
	}
	hazards, links := count(t, p.env, &model.Hazard{}), count(t, p.env, &model.PhotoLink{})
	linked := p.hazardBody(p.a)["photo_ids"].([]uint64)[0]
	p.insp.Post("/api/v1/hazards", map[string]any{"enterprise_id": p.a, "category": "fire", "level": "general", "title": "t", "description": "d",
		"requirement": "r", "deadline": p.nextWeek, "photo_ids": []uint64{linked}}).Want(http.StatusCreated)
	hazards++
	free := p.env.InsertPhoto(p.insp.UserID())
	links = count(t, p.env, &model.PhotoLink{})
	for name, ids := range map[string][]uint64{
		"someone else's photo": {free, p.env.InsertPhoto(p.entB.UserID())},
		"a missing photo":      {free, 99999999},
	} {
		b := p.hazardBody(p.a)
		b["photo_ids"] = ids
		r := p.insp.Post("/api/v1/hazards", b)
		if r.Status < 400 || r.Status >= 500 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if n := count(t, p.env, &model.Hazard{}); n != hazards {
		t.Fatalf("%d hazards after refused reports, want %d", n, hazards)
	}
	if n := count(t, p.env, &model.PhotoLink{}); n != links {
		t.Fatalf("refused reports linked photos: %d links, want %d", n, links)
	}
	b := p.hazardBody(p.a)
	b["photo_ids"] = []uint64{free}
	code := p.insp.Post("/api/v1/hazards", b).Want(http.StatusCreated).Field("code").(string)
	var prev int
	if _, err := fmt.Sscanf(hz.Code[len(hz.Code)-4:], "%d", &prev); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%s%04d", hz.Code[:len(hz.Code)-4], prev+2); code != want {
		t.Fatalf("code after refused reports %s, want %s (gap-free)", code, want)
	}

	// A hygiene check whose second failed area uses someone else's photo opens no hazard and stores nothing.
	checks, hazards := count(t, p.env, &model.HygieneCheck{}), count(t, p.env, &model.Hazard{})
	p.insp.Post("/api/v1/hygiene-checks", map[string]any{"enterprise_id": p.b, "check_date": p.today, "deadline": p.nextWeek,
		"areas": []map[string]any{area("doorway", false, "纸箱", p.env.InsertPhoto(p.insp.UserID())), area("ditch", false, "垃圾", p.env.InsertPhoto(p.entB.UserID())),
			area("road", true, "")}}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if count(t, p.env, &model.HygieneCheck{}) != checks || count(t, p.env, &model.Hazard{}) != hazards || count(t, p.env, &model.PhotoLink{}) != links+1 {
		t.Fatal("a refused hygiene check left rows behind")
	}
}

// TestHostileUploads sends the upload route hostile form fields and EXIF: never a 5xx, and nothing
// stored or left in the staging area when it is refused.
func TestHostileUploads(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	jpg := testimg.JPEG(testimg.Gradient(32, 24, 3), 80)
	n := 0
	for _, f := range []struct{ name, value string }{
		{"taken_at", "0000-01-01T00:00:00+08:00"}, {"taken_at", "0001-01-01T00:00:00+14:00"}, {"taken_at", "9999-12-31T23:59:59-12:00"},
		{"taken_at", "2026-02-30T10:00:00+08:00"}, {"taken_at", "garbage"}, {"taken_at", strings.Repeat("9", 300)},
		{"latitude", "NaN"}, {"latitude", "Inf"}, {"latitude", "1e309"}, {"longitude", "-1e308"}, {"latitude", "\x00"},
	} {
		// Before the file, and after it: then the file is already staged when the field is refused.
		for _, parts := range [][]apitest.Part{{apitest.Field(f.name, f.value), apitest.File("a.jpg", jpg)}, {apitest.File("a.jpg", jpg), apitest.Field(f.name, f.value)}} {
			r := insp.Upload(parts)
			check(t, "inspector", "POST /api/v1/photos "+f.name+"="+short(f.value), r)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s=%q: %d %s", f.name, f.value, r.Status, r.Body)
			}
			n++
		}
	}
	assertNothingStored(t, env)
	// EXIF dates no database can hold are ignored, not a failure.
	for _, d := range []string{"0000:01:01 00:00:00", "0001:01:01 00:00:00", "9999:12:31 23:59:59"} {
		for _, off := range []string{"", "+14:00", "-12:00"} {
			data := testimg.WithExif(testimg.JPEG(testimg.Gradient(32, 24, n), 80), testimg.Exif{DateTimeOriginal: d, OffsetTime: off})
			n++
			r := insp.Upload([]apitest.Part{apitest.File("exif.jpg", data)})
			if check(t, "inspector", "POST /api/v1/photos EXIF "+d+off, r) && r.Status != http.StatusCreated {
				t.Errorf("EXIF %s%s: %d %s", d, off, r.Status, r.Body)
			}
		}
	}
	if n := blobFiles(t, env, "tmp"); n != 0 {
		t.Fatalf("%d temporary files left behind", n)
	}
}

// TestHostileSharedPhotos: the same photo given twice in one request (in two areas of a check, in a
// leader inspection and one of its hazards) is a clear answer, never a 5xx from a unique index.
func TestHostileSharedPhotos(t *testing.T) {
	p := newHostilePark(t)
	ph := p.env.InsertPhoto(p.insp.UserID())
	r := p.insp.Post("/api/v1/hygiene-checks", map[string]any{"enterprise_id": p.b, "check_date": p.today, "deadline": p.nextWeek,
		"areas": []map[string]any{area("doorway", false, "纸箱", ph, ph), area("ditch", false, "垃圾", ph), area("road", true, "", ph)}})
	check(t, "inspector", "POST /api/v1/hygiene-checks shared photo", r)
	lp := p.env.InsertPhoto(p.entB.UserID())
	b := map[string]any{"inspected_on": p.today, "leader_name": "李总", "participants": "安全总监", "areas": "罐区", "findings": "灭火器压力不足",
		"problems_found": 1, "problems_fixed": 0, "photo_ids": []uint64{lp, lp},
		"hazards": []map[string]any{{"title": "灭火器压力不足", "description": "d", "category": "fire", "level": "general", "requirement": "更换",
			"deadline": p.nextWeek, "photo_ids": []uint64{lp, lp}}, {"title": "灭火器压力不足", "description": "d", "category": "fire", "level": "general",
			"requirement": "更换", "deadline": p.nextWeek, "photo_ids": []uint64{lp}}}}
	check(t, "b", "POST /api/v1/leader-inspections shared photo", p.entB.Post("/api/v1/leader-inspections", b))
	hz := p.entA.Post("/api/v1/hazards/"+itoa(p.hazard)+"/rectification", map[string]any{"description": "已清理", "photo_ids": []uint64{p.photo, p.photo}})
	check(t, "a", "POST rectification shared photo", hz)
}
