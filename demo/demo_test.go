package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parksafe/apitest"
	"parksafe/demo"
	"parksafe/service"
)

func TestBuildMakesTheParkOfTheStory(t *testing.T) {
	env := apitest.New(t)
	p, err := demo.Build(context.Background(), env.App)
	if err != nil {
		t.Fatal(err)
	}
	admin := env.Admin()
	list := admin.Get("/api/v1/enterprises?page_size=100").Want(http.StatusOK)
	var body struct {
		Total int
		Items []struct {
			ID               uint64 `json:"id"`
			USCC             string `json:"uscc"`
			Kind             string `json:"kind"`
			PrincipalMobile  string `json:"principal_mobile"`
			SafetyMobile     string `json:"safety_officer_mobile"`
			MajorHazardCount int    `json:"major_hazard_count"`
			CadreID          *uint64
			CadreName        string `json:"cadre_name"`
		}
	}
	list.JSON(&body)
	kinds := map[string]int{}
	installations := 0
	for _, e := range body.Items {
		kinds[e.Kind]++
		installations += e.MajorHazardCount
		if !service.ValidUSCC(e.USCC) || !service.ValidMobile(e.PrincipalMobile) || !service.ValidMobile(e.SafetyMobile) || e.CadreName == "" {
			t.Errorf("enterprise %d: %+v", e.ID, e)
		}
		if _, ok := p.EnterpriseUsers[e.ID]; !ok {
			t.Errorf("enterprise %d has no account", e.ID)
		}
	}
	if body.Total != 13 || len(p.Enterprises) != 13 || kinds["hazchem_production"]+kinds["hazchem_operation"] != 11 || kinds["chemical_other"] != 2 || installations != 18 {
		t.Fatalf("%d enterprises, kinds %v, %d installations", body.Total, kinds, installations)
	}
	experts := 0
	for _, u := range p.Inspectors {
		if u.Role != "inspector" {
			t.Errorf("%s has role %s", u.Name, u.Role)
		}
		if strings.Contains(u.Name, "专家") {
			experts++
		}
	}
	if len(p.Inspectors) != 11 || experts != 3 {
		t.Fatalf("%d inspectors of whom %d experts", len(p.Inspectors), experts)
	}
	if n := admin.Get("/api/v1/users?role=inspector").Want(http.StatusOK).Field("total").(float64); n != 11 {
		t.Fatalf("%v inspector accounts", n)
	}
	if len(p.Credentials) != 24 {
		t.Fatalf("%d credentials", len(p.Credentials))
	}
	for _, c := range p.Credentials {
		me := env.Login(c.Username, c.Password).Get("/api/v1/me").Want(http.StatusOK)
		if me.Field("name") != c.Name {
			t.Errorf("%s signs in as %s", c.Username, me.Body)
		}
	}
	// An enterprise account sees its own enterprise only.
	e := p.Enterprises[0]
	u := p.EnterpriseUsers[e.ID]
	var cred demo.Credential
	for _, c := range p.Credentials {
		if c.Username == *u.Username {
			cred = c
		}
	}
	if r := env.Login(cred.Username, cred.Password).Get("/api/v1/enterprises").Want(http.StatusOK); r.Field("total").(float64) != 1 {
		t.Fatalf("enterprise account sees %s", r.Body)
	}

	// The demo's mobiles are made up: whoever really has one of those numbers must not get the
	// account by WeChat phone binding.
	for i, id := range []uint64{p.Inspectors[0].ID, u.ID} {
		acct := admin.Get(fmt.Sprintf("/api/v1/users/%d", id)).Want(http.StatusOK)
		if acct.Field("mobile_confirmed") != false {
			t.Fatalf("demo account with a confirmed mobile: %s", acct.Body)
		}
		code, phoneCode := fmt.Sprintf("%s-code%d", t.Name(), i), fmt.Sprintf("%s-phone%d", t.Name(), i)
		env.WeChat.SetSession(code, fmt.Sprintf("%s-openid%d", t.Name(), i), "")
		env.WeChat.SetPhone(phoneCode, acct.Field("phone").(string))
		tk := env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": code}).Want(http.StatusOK).Field("bind_token")
		env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk, "phone_code": phoneCode}).
			WantError(http.StatusForbidden, "forbidden")
	}
}

func TestSeedPrintsWorkingCredentialsAndRunsOnce(t *testing.T) {
	env := apitest.New(t)
	var out bytes.Buffer
	if err := demo.Seed(context.Background(), env.App, &out); err != nil {
		t.Fatal(err)
	}
	logins := 0
	for _, line := range strings.Split(out.String(), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.HasPrefix(f[1], "Park-") {
			env.Login(f[0], f[1]).Get("/api/v1/me").Want(http.StatusOK)
			logins++
		}
	}
	if logins != 24 {
		t.Fatalf("%d printed credentials worked; output:\n%s", logins, out.String())
	}
	out.Reset()
	if err := demo.Seed(context.Background(), env.App, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "nothing was done") {
		t.Fatalf("second run: %s", out.String())
	}
	if n := env.Admin().Get("/api/v1/enterprises").Want(http.StatusOK).Field("total").(float64); n != 13 {
		t.Fatalf("%v enterprises after a second run", n)
	}
}
