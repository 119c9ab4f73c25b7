package api_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"parksafe/apitest"
	"parksafe/service"
	"parksafe/service/identity"
)

// userCount is the number of accounts, read through the API.
func userCount(env *apitest.Env) int {
	return int(env.Admin().Get("/api/v1/users?page_size=1").Want(http.StatusOK).Field("total").(float64))
}

func TestCreateUsersOfEveryRole(t *testing.T) {
	env := apitest.New(t)
	eid := env.CreateEnterprise("")
	for _, tc := range []struct {
		role, label string
		eid         uint64
	}{{"admin", "园区管理员", 0}, {"inspector", "园区检查人员", 0}, {"enterprise", "企业用户", eid}} {
		body := map[string]any{"name": "新账号", "username": "new_" + tc.role, "mobile": env.Mobile(), "password": "Initial-pass1", "role": tc.role}
		if tc.eid != 0 {
			body["enterprise_id"] = tc.eid
		}
		r := env.Admin().Post("/api/v1/users", body).Want(http.StatusCreated)
		m := r.Map()
		if m["role"] != tc.role || m["role_label"] != tc.label || m["status"] != "active" || m["status_label"] != "正常" || m["wechat_bound"] != false {
			t.Fatalf("%s: %s", tc.role, r.Body)
		}
		if tc.eid != 0 && (uint64(m["enterprise_id"].(float64)) != eid || m["enterprise_name"] == "") {
			t.Fatalf("enterprise account: %s", r.Body)
		}
		env.Login("new_"+tc.role, "Initial-pass1").Get("/api/v1/me").Want(http.StatusOK)
		env.Admin().Get("/api/v1/users/" + itoa(r.ID())).Want(http.StatusOK)
	}
}

func TestCreateUserRefusals(t *testing.T) {
	env := apitest.New(t)
	eid := env.CreateEnterprise("")
	taken := env.Mobile()
	env.Admin().Post("/api/v1/users", map[string]any{"name": "已有", "username": "taken_name", "mobile": taken, "role": "inspector"}).Want(http.StatusCreated)
	before := userCount(env)

	valid := func(k string, v any) map[string]any {
		b := map[string]any{"name": "张三", "username": "zhangsan", "mobile": "13700000001", "password": "Initial-pass1", "role": "inspector"}
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"enterprise role without enterprise", valid("role", "enterprise"), "enterprise_id"},
		{"inspector with enterprise", valid("enterprise_id", eid), "enterprise_id"},
		{"unknown enterprise", func() map[string]any { b := valid("role", "enterprise"); b["enterprise_id"] = 99999; return b }(), "enterprise_id"},
		{"unknown role", valid("role", "boss"), "role"},
		{"no name", valid("name", nil), "name"},
		{"no mobile", valid("mobile", nil), "mobile"},
		{"landline", valid("mobile", "02112345678"), "mobile"},
		{"short mobile", valid("mobile", "1390000000"), "mobile"},
		{"mobile starting 12", valid("mobile", "12900000000"), "mobile"},
		{"weak password", valid("password", "abc"), "password"},
		{"password without digits", valid("password", "onlyletters"), "password"},
		{"username is a mobile", valid("username", "13900000009"), "username"},
		{"username with spaces", valid("username", "a b c"), "username"},
		{"bad status", valid("status", "sleeping"), "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, env.Admin().Post("/api/v1/users", tc.body), tc.field)
		})
	}
	r := env.Admin().Post("/api/v1/users", valid("mobile", taken)).WantError(http.StatusConflict, "conflict")
	if r.FieldError("mobile") == "" {
		t.Errorf("duplicate mobile should name the field: %s", r.Body)
	}
	r = env.Admin().Post("/api/v1/users", valid("username", "taken_name")).WantError(http.StatusConflict, "conflict")
	if r.FieldError("username") == "" {
		t.Errorf("duplicate username should name the field: %s", r.Body)
	}
	wantField(t, env.Admin().Post("/api/v1/users", valid("enterprise_id", "one")), "enterprise_id")
	if after := userCount(env); after != before {
		t.Fatalf("refused requests changed the account count from %d to %d", before, after)
	}
}

func TestUsersAreForAdminsOnly(t *testing.T) {
	env := apitest.New(t)
	eid := env.CreateEnterprise("")
	insp, ent := env.Inspector(), env.EnterpriseUser(eid)
	before := userCount(env)
	for _, c := range []*apitest.Client{insp, ent} {
		c.Get("/api/v1/users").WantError(http.StatusForbidden, "forbidden")
		c.Get("/api/v1/users/"+itoa(c.UserID())).WantError(http.StatusForbidden, "forbidden")
		c.Post("/api/v1/users", map[string]any{"name": "x", "mobile": env.Mobile(), "role": "admin"}).WantError(http.StatusForbidden, "forbidden")
		c.Patch("/api/v1/users/"+itoa(c.UserID()), map[string]any{"role": "admin"}).WantError(http.StatusForbidden, "forbidden")
		c.Get("/api/v1/me").Want(http.StatusOK)
	}
	env.Anon().Get("/api/v1/users").WantError(http.StatusUnauthorized, "unauthenticated")
	if userCount(env) != before {
		t.Fatal("a refused request created an account")
	}
	if r := env.Admin().Get("/api/v1/users/" + itoa(insp.UserID())).Want(http.StatusOK); r.Field("role") != "inspector" {
		t.Fatalf("the inspector promoted itself: %s", r.Body)
	}
}

func TestListUsersFiltersAndPages(t *testing.T) {
	env := apitest.New(t)
	e1, e2 := env.CreateEnterprise(""), env.CreateEnterprise("")
	for i := 0; i < 3; i++ {
		env.Inspector()
	}
	env.EnterpriseUser(e1)
	env.EnterpriseUser(e1)
	env.EnterpriseUser(e2)
	off := env.Inspector()
	env.Admin().Patch("/api/v1/users/"+itoa(off.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	env.Admin().Post("/api/v1/users", map[string]any{"name": "李四_特别", "mobile": "13612345678", "role": "inspector"}).Want(http.StatusCreated)

	total := func(q string) int {
		t.Helper()
		return int(env.Admin().Get("/api/v1/users?" + q).Want(http.StatusOK).Field("total").(float64))
	}
	for q, want := range map[string]int{
		"":                9, // admin + 4 inspectors + 3 enterprise + 李四
		"role=inspector":  5,
		"role=enterprise": 3,
		"role=enterprise&enterprise_id=" + itoa(e1): 2,
		"status=disabled":              1,
		"role=inspector&status=active": 4,
		"q=李四":                         1,
		"q=136123":                     1,
		"q=%25":                        0, // a literal %, not a wildcard
		"q=_":                          1, // a literal underscore: only 李四_特别
	} {
		if got := total(q); got != want {
			t.Errorf("?%s: total %d, want %d", q, got, want)
		}
	}
	r := env.Admin().Get("/api/v1/users?page=2&page_size=4").Want(http.StatusOK)
	if m := r.Map(); len(m["items"].([]any)) != 4 || m["page"].(float64) != 2 || m["page_size"].(float64) != 4 || m["total"].(float64) != 9 {
		t.Fatalf("page 2: %s", r.Body)
	}
	if items := env.Admin().Get("/api/v1/users?page=3&page_size=4").Want(http.StatusOK).Field("items").([]any); len(items) != 1 {
		t.Fatalf("page 3 has %d items", len(items))
	}
	for q, field := range map[string]string{
		"page_size=101": "page_size", "page_size=0x": "page_size", "page=abc": "page", "page=-1": "page",
		"role=boss": "role", "status=gone": "status", "enterprise_id=x": "enterprise_id",
	} {
		wantField(t, env.Admin().Get("/api/v1/users?"+q), field)
	}
}

func TestUpdateUser(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	path := "/api/v1/users/" + itoa(insp.UserID())
	r := env.Admin().Patch(path, map[string]any{"name": "王五", "version": 1}).Want(http.StatusOK)
	if r.Field("name") != "王五" || r.Field("version").(float64) != 2 {
		t.Fatalf("patch: %s", r.Body)
	}
	env.Admin().Patch(path, map[string]any{"name": "赵六", "version": 1}).WantError(http.StatusConflict, "conflict")
	wantField(t, env.Admin().Patch(path, map[string]any{"mobile": "123"}), "mobile")
	wantField(t, env.Admin().Patch(path, map[string]any{"role": "enterprise"}), "enterprise_id")
	if r := env.Admin().Get(path).Want(http.StatusOK); r.Field("name") != "王五" || r.Field("role") != "inspector" {
		t.Fatalf("refused patches changed the account: %s", r.Body)
	}
	env.Admin().Patch("/api/v1/users/99999", map[string]any{"name": "x"}).WantError(http.StatusNotFound, "not_found")
	env.Admin().Get("/api/v1/users/abc").WantError(http.StatusNotFound, "not_found")
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	self := "/api/v1/users/" + itoa(admin.UserID())
	admin.Patch(self, map[string]any{"status": "disabled"}).WantError(http.StatusForbidden, "forbidden")
	admin.Patch(self, map[string]any{"role": "inspector"}).WantError(http.StatusForbidden, "forbidden")
	admin.Get("/api/v1/me").Want(http.StatusOK)

	// With a second admin, one may disable the other.
	second := env.CreateUser("admin", 0)
	second.Patch(self, map[string]any{"status": "disabled"}).Want(http.StatusOK)
	admin.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
}

func TestLastAdminIsKept(t *testing.T) {
	env := apitest.New(t)
	adminID := env.Admin().UserID()
	// Over HTTP the caller is itself an active admin, so it is never the last one to go; a caller
	// that is not an account (a maintenance task) must still be stopped.
	system := service.Actor{ID: 0, Name: "维护任务", Role: "admin"}
	disabled := "disabled"
	_, err := env.App.Users.Update(context.Background(), system, adminID, identity.UserInput{Status: &disabled})
	if service.ErrorCode(err) != service.CodeConflict {
		t.Fatalf("disabling the last admin: %v", err)
	}
	inspector := "inspector"
	_, err = env.App.Users.Update(context.Background(), system, adminID, identity.UserInput{Role: &inspector})
	if service.ErrorCode(err) != service.CodeConflict {
		t.Fatalf("demoting the last admin: %v", err)
	}
	env.Admin().Get("/api/v1/me").Want(http.StatusOK)
}

func TestTwoAdminsDisablingEachOtherLeaveOne(t *testing.T) {
	env := apitest.New(t)
	a := env.Admin()
	b := env.CreateUser("admin", 0)
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		for _, x := range [][2]*apitest.Client{{a, b}, {b, a}} {
			wg.Add(1)
			go func(actor, target *apitest.Client) {
				defer wg.Done()
				actor.Patch("/api/v1/users/"+itoa(target.UserID()), map[string]any{"status": "disabled"})
			}(x[0], x[1])
		}
		wg.Wait()
		var active int64
		env.App.DB.Table("users").Where("role = 'admin' AND status = 'active'").Count(&active)
		if active != 1 {
			t.Fatalf("round %d: %d active admins left", round, active)
		}
		// Bring the disabled one back for the next round, signed in afresh.
		var off struct{ ID uint64 }
		env.App.DB.Table("users").Select("id").Where("role = 'admin' AND status = 'disabled'").Scan(&off)
		survivor := a
		if off.ID == a.UserID() {
			survivor = b
		}
		survivor.Patch("/api/v1/users/"+itoa(off.ID), map[string]any{"status": "active"}).Want(http.StatusOK)
		a = env.Login(apitest.AdminUsername, apitest.AdminPassword)
		b = env.Login(usernameOf(b), testPassword)
	}
}

// weChatSession binds c's account to a WeChat account through its mobile and returns the session the
// binding signed in.
func weChatSession(t *testing.T, env *apitest.Env, c *apitest.Client, openID string) *apitest.Client {
	t.Helper()
	r := bind(env, bindTicket(env, openID+"-code", openID), openID+"-phone", c.User["phone"].(string)).Want(http.StatusOK)
	wc := bearer(env, r.Field("access_token").(string))
	wc.RefreshToken = r.Field("refresh_token").(string)
	return wc
}

// TestHandoverEndsTheOldHoldersAccess: when the office gives an account to a new holder by changing
// its mobile, every session of the old holder ends and their WeChat no longer signs in.
func TestHandoverEndsTheOldHoldersAccess(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	old := env.Inspector()
	viaWeChat := weChatSession(t, env, old, p+"-old-openid")

	newMobile := env.Mobile()
	r := env.Admin().Patch("/api/v1/users/"+itoa(old.UserID()), map[string]any{"name": "接任的检查员", "mobile": newMobile, "password": "Handover-pass1"}).Want(http.StatusOK)
	if r.Field("wechat_bound") != false || r.Field("phone") != newMobile {
		t.Fatalf("after handover: %s", r.Body)
	}
	for name, c := range map[string]*apitest.Client{"password": old, "wechat": viaWeChat} {
		c.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
		env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": c.RefreshToken}).
			WantError(http.StatusUnauthorized, "unauthenticated")
		t.Logf("%s session ended", name)
	}
	env.WeChat.SetSession(p+"-again", p+"-old-openid", "")
	if r := env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-again"}).Want(http.StatusOK); r.Field("bound") != false {
		t.Fatalf("the old holder's WeChat still signs in: %s", r.Body)
	}
	// The new holder binds with the new number.
	r = bind(env, bindTicket(env, p+"-new-code", p+"-new-openid"), p+"-new-phone", newMobile).Want(http.StatusOK)
	if uint64(r.Field("user.id").(float64)) != old.UserID() {
		t.Fatalf("new holder bound to %s", r.Body)
	}
}

// TestUnbindingWeChatEndsSessions: unbinding is what the office does for a lost phone, so the
// sessions it holds end too, refresh tokens included.
func TestUnbindingWeChatEndsSessions(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	wc := weChatSession(t, env, insp, t.Name()+"-openid")
	env.Admin().Patch("/api/v1/users/"+itoa(insp.UserID()), map[string]any{"unbind_wechat": true}).Want(http.StatusOK)
	wc.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": wc.RefreshToken}).
		WantError(http.StatusUnauthorized, "unauthenticated")
}
