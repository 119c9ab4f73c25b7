package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"parksafe/apitest"
)

// enterpriseBody is a valid enterprise registration with one field overridden (nil removes it).
func enterpriseBody(env *apitest.Env, k string, v any) map[string]any {
	n := env.Seq()
	b := map[string]any{
		"name": fmt.Sprintf("测试石化有限公司%d", n), "uscc": env.USCC(), "kind": "hazchem_operation",
		"address": "化工园区纬二路 8 号", "principal_name": "陈总", "principal_mobile": env.Mobile(),
		"safety_officer_name": "刘工", "safety_officer_mobile": env.Mobile(), "major_hazard_count": 1,
	}
	if k != "" {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

func enterpriseCount(env *apitest.Env) int {
	return int(env.Admin().Get("/api/v1/enterprises?page_size=1").Want(http.StatusOK).Field("total").(float64))
}

func TestEnterpriseUSCCVectors(t *testing.T) {
	env := apitest.New(t)
	for _, v := range apitest.USCCVectors(t) {
		t.Run(v.Code, func(t *testing.T) {
			before := enterpriseCount(env)
			r := env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "uscc", v.Code))
			if v.Valid {
				if r.Want(http.StatusCreated).Field("uscc") != v.Code {
					t.Fatalf("stored USCC differs: %s", r.Body)
				}
				return
			}
			wantField(t, r, "uscc")
			if enterpriseCount(env) != before {
				t.Fatal("an enterprise with a bad USCC was stored")
			}
		})
	}
}

func TestCreateEnterprise(t *testing.T) {
	env := apitest.New(t)
	cadre := env.Inspector()
	body := enterpriseBody(env, "cadre_id", cadre.UserID())
	body["uscc"] = "91330100716105852f" // lower case is accepted and stored upper case
	r := env.Admin().Post("/api/v1/enterprises", body).Want(http.StatusCreated)
	m := r.Map()
	if m["uscc"] != "91330100716105852F" || m["kind_label"] != "危化品经营" || m["status"] != "active" || m["status_label"] != "正常" ||
		m["cadre_name"] != cadre.User["name"] || m["version"].(float64) != 1 || m["major_hazard_count"].(float64) != 1 {
		t.Fatalf("created: %s", r.Body)
	}
	env.Admin().Get("/api/v1/enterprises/" + itoa(r.ID())).Want(http.StatusOK)
}

func TestCreateEnterpriseRefusals(t *testing.T) {
	env := apitest.New(t)
	taken := enterpriseBody(env, "", nil)
	env.Admin().Post("/api/v1/enterprises", taken).Want(http.StatusCreated)
	eid := env.CreateEnterprise("")
	entUser := env.EnterpriseUser(eid)
	off := env.Inspector()
	env.Admin().Patch("/api/v1/users/"+itoa(off.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	before := enterpriseCount(env)

	for _, tc := range []struct {
		name, key string
		value     any
		field     string
	}{
		{"no name", "name", nil, "name"},
		{"no USCC", "uscc", nil, "uscc"},
		{"bad kind", "kind", "factory", "kind"},
		{"no principal", "principal_name", nil, "principal_name"},
		{"bad principal mobile", "principal_mobile", "1234567", "principal_mobile"},
		{"no principal mobile", "principal_mobile", nil, "principal_mobile"},
		{"bad safety officer mobile", "safety_officer_mobile", "0571-8888888", "safety_officer_mobile"},
		{"negative installations", "major_hazard_count", -1, "major_hazard_count"},
		{"installations not a number", "major_hazard_count", "two", "major_hazard_count"},
		{"bad status", "status", "closed", "status"},
		{"cadre is an enterprise user", "cadre_id", entUser.UserID(), "cadre_id"},
		{"cadre is an admin", "cadre_id", env.Admin().UserID(), "cadre_id"},
		{"cadre is disabled", "cadre_id", off.UserID(), "cadre_id"},
		{"cadre does not exist", "cadre_id", 99999, "cadre_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantField(t, env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, tc.key, tc.value)), tc.field)
		})
	}
	r := env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "name", taken["name"])).WantError(http.StatusConflict, "conflict")
	if r.FieldError("name") == "" {
		t.Errorf("duplicate name should name the field: %s", r.Body)
	}
	r = env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "uscc", taken["uscc"])).WantError(http.StatusConflict, "conflict")
	if r.FieldError("uscc") == "" {
		t.Errorf("duplicate USCC should name the field: %s", r.Body)
	}
	if after := enterpriseCount(env); after != before {
		t.Fatalf("refused registrations changed the count from %d to %d", before, after)
	}
}

func TestEnterpriseVisibility(t *testing.T) {
	env := apitest.New(t)
	own, other := env.CreateEnterprise("自家化工有限公司"), env.CreateEnterprise("别家化工有限公司")
	ent, insp := env.EnterpriseUser(own), env.Inspector()

	r := ent.Get("/api/v1/enterprises").Want(http.StatusOK)
	if r.Field("total").(float64) != 1 || uint64(r.Field("items.0.id").(float64)) != own {
		t.Fatalf("an enterprise user lists others: %s", r.Body)
	}
	if r := ent.Get("/api/v1/enterprises?q=别家").Want(http.StatusOK); r.Field("total").(float64) != 0 {
		t.Fatalf("search reaches another enterprise: %s", r.Body)
	}
	ent.Get("/api/v1/enterprises/" + itoa(own)).Want(http.StatusOK)
	ent.Get("/api/v1/enterprises/"+itoa(other)).WantError(http.StatusNotFound, "not_found")
	ent.Get("/api/v1/enterprises/99999").WantError(http.StatusNotFound, "not_found")
	ent.Patch("/api/v1/enterprises/"+itoa(own), map[string]any{"name": "改名"}).WantError(http.StatusForbidden, "forbidden")
	ent.Post("/api/v1/enterprises", enterpriseBody(env, "", nil)).WantError(http.StatusForbidden, "forbidden")

	if r := insp.Get("/api/v1/enterprises").Want(http.StatusOK); r.Field("total").(float64) != 2 {
		t.Fatalf("an inspector should read all: %s", r.Body)
	}
	insp.Get("/api/v1/enterprises/" + itoa(other)).Want(http.StatusOK)
	insp.Post("/api/v1/enterprises", enterpriseBody(env, "", nil)).WantError(http.StatusForbidden, "forbidden")
	insp.Patch("/api/v1/enterprises/"+itoa(other), map[string]any{"name": "改名"}).WantError(http.StatusForbidden, "forbidden")
	if enterpriseCount(env) != 2 {
		t.Fatal("a refused request created an enterprise")
	}
	if r := env.Admin().Get("/api/v1/enterprises/" + itoa(other)).Want(http.StatusOK); r.Field("name") != "别家化工有限公司" {
		t.Fatalf("a refused edit changed the enterprise: %s", r.Body)
	}
	env.Anon().Get("/api/v1/enterprises").WantError(http.StatusUnauthorized, "unauthenticated")
}

func TestListEnterprisesFilters(t *testing.T) {
	env := apitest.New(t)
	for _, kind := range []string{"hazchem_production", "hazchem_production", "hazchem_operation", "chemical_other"} {
		env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "kind", kind)).Want(http.StatusCreated)
	}
	last := env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "status", "inactive")).Want(http.StatusCreated)
	for q, want := range map[string]int{
		"": 5, "kind=hazchem_production": 2, "kind=chemical_other": 1, "status=inactive": 1, "status=active": 4,
		"q=" + last.Field("uscc").(string): 1, "q=测试石化": 5, "q=%25": 0,
	} {
		if got := int(env.Admin().Get("/api/v1/enterprises?" + q).Want(http.StatusOK).Field("total").(float64)); got != want {
			t.Errorf("?%s: total %d, want %d", q, got, want)
		}
	}
	for q, field := range map[string]string{"kind=x": "kind", "status=x": "status", "page_size=101": "page_size", "page=abc": "page"} {
		wantField(t, env.Admin().Get("/api/v1/enterprises?"+q), field)
	}
}

func TestUpdateEnterprise(t *testing.T) {
	env := apitest.New(t)
	a := env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "", nil)).Want(http.StatusCreated)
	b := env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "", nil)).Want(http.StatusCreated)
	path := "/api/v1/enterprises/" + itoa(a.ID())
	cadre := env.Inspector()

	r := env.Admin().Patch(path, map[string]any{"address": "纬三路 1 号", "cadre_id": cadre.UserID(), "version": 1}).Want(http.StatusOK)
	if r.Field("address") != "纬三路 1 号" || r.Field("version").(float64) != 2 || r.Field("cadre_name") != cadre.User["name"] ||
		r.Field("name") != a.Field("name") {
		t.Fatalf("patch: %s", r.Body)
	}
	env.Admin().Patch(path, map[string]any{"address": "别处", "version": 1}).WantError(http.StatusConflict, "conflict")
	env.Admin().Patch(path, map[string]any{"name": b.Field("name")}).WantError(http.StatusConflict, "conflict")
	env.Admin().Patch(path, map[string]any{"uscc": b.Field("uscc")}).WantError(http.StatusConflict, "conflict")
	wantField(t, env.Admin().Patch(path, map[string]any{"uscc": "914403001922038217"}), "uscc")
	wantField(t, env.Admin().Patch(path, map[string]any{"principal_mobile": "110"}), "principal_mobile")
	r = env.Admin().Get(path).Want(http.StatusOK)
	if r.Field("address") != "纬三路 1 号" || r.Field("version").(float64) != 2 {
		t.Fatalf("refused edits changed the enterprise: %s", r.Body)
	}
	// cadre_id 0 clears the cadre.
	if r := env.Admin().Patch(path, map[string]any{"cadre_id": 0}).Want(http.StatusOK); r.Field("cadre_id") != nil {
		t.Fatalf("cadre not cleared: %s", r.Body)
	}
	env.Admin().Patch("/api/v1/enterprises/99999", map[string]any{"address": "x"}).WantError(http.StatusNotFound, "not_found")
}
