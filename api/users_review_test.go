package api_test

import (
	"net/http"
	"strings"
	"testing"

	"parksafe/apitest"
)

// TestEditKeepsTheMobilesConfirmation: an edit form sends the mobile back with every save, and
// that vouches for nothing; only a mobile the office changes is confirmed by that act.
func TestEditKeepsTheMobilesConfirmation(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	mobile := env.Mobile()
	r := env.Admin().Post("/api/v1/users", map[string]any{"name": "未核实", "mobile": mobile, "role": "inspector", "mobile_confirmed": false}).
		Want(http.StatusCreated)
	path := "/api/v1/users/" + itoa(r.ID())

	for _, sent := range []string{mobile, " " + mobile + " "} {
		r = env.Admin().Patch(path, map[string]any{"name": "改了姓名", "mobile": sent, "role": "inspector"}).Want(http.StatusOK)
		if r.Field("mobile_confirmed") != false || r.Field("mobile") != mobile {
			t.Fatalf("edit sending the mobile back as %q: %s", sent, r.Body)
		}
	}
	bind(env, bindTicket(env, p+"-code1", p+"-openid1"), p+"-phone1", mobile).WantError(http.StatusForbidden, "forbidden")

	// Confirming it takes saying so; a confirmed mobile sent back stays confirmed.
	for i := 0; i < 2; i++ {
		body := map[string]any{"mobile": mobile}
		if i == 0 {
			body["mobile_confirmed"] = true
		}
		if r = env.Admin().Patch(path, body).Want(http.StatusOK); r.Field("mobile_confirmed") != true {
			t.Fatalf("save %d: %s", i, r.Body)
		}
	}

	// A new mobile the office enters is confirmed by that act, unless it says otherwise.
	other := env.Mobile()
	if r = env.Admin().Patch(path, map[string]any{"mobile": other, "mobile_confirmed": false}).Want(http.StatusOK); r.Field("mobile_confirmed") != false {
		t.Fatalf("new mobile entered unconfirmed: %s", r.Body)
	}
	if r = env.Admin().Patch(path, map[string]any{"mobile": env.Mobile()}).Want(http.StatusOK); r.Field("mobile_confirmed") != true {
		t.Fatalf("new mobile entered by the office: %s", r.Body)
	}
}

// TestHandoverNeedsANewPassword: replacing the mobile of an account with a password gives it to a
// new holder, so the same request must set a new password; otherwise the previous holder signs
// straight back in with the old one.
func TestHandoverNeedsANewPassword(t *testing.T) {
	env := apitest.New(t)
	old := env.Inspector()
	path := "/api/v1/users/" + itoa(old.UserID())
	before := env.Admin().Get(path).Want(http.StatusOK)
	newMobile := env.Mobile()

	r := env.Admin().Patch(path, map[string]any{"name": "接任的检查员", "mobile": newMobile})
	wantField(t, r, "password")
	if reason := r.FieldError("password"); !strings.Contains(reason, "手机号") || !strings.Contains(reason, "密码") {
		t.Fatalf("the reason should say a new mobile needs a new password: %q", reason)
	}
	r = env.Admin().Patch(path, map[string]any{"mobile": newMobile, "password": testPassword})
	wantField(t, r, "password")
	// Refused: nothing changed, the holder's session and password still work.
	if after := env.Admin().Get(path).Want(http.StatusOK); string(after.Body) != string(before.Body) {
		t.Fatalf("a refused handover changed the account:\n%s\n%s", before.Body, after.Body)
	}
	old.Get("/api/v1/me").Want(http.StatusOK)
	env.Login(usernameOf(old), testPassword)

	// Sending the present mobile back is no handover and needs no password.
	env.Admin().Patch(path, map[string]any{"name": "原检查员", "mobile": before.Field("mobile")}).Want(http.StatusOK)

	r = env.Admin().Patch(path, map[string]any{"name": "接任的检查员", "mobile": newMobile, "password": "Handover-pass1"}).Want(http.StatusOK)
	if r.Field("mobile") != newMobile {
		t.Fatalf("handover: %s", r.Body)
	}
	old.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/login", map[string]any{"username": usernameOf(old), "password": testPassword}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	env.Login(newMobile, "Handover-pass1").Get("/api/v1/me").Want(http.StatusOK)

	// An account without a password (WeChat only) has none to replace.
	id := createAccount(env, "inspector", env.Mobile(), 0)
	env.Admin().Patch("/api/v1/users/"+itoa(id), map[string]any{"mobile": env.Mobile()}).Want(http.StatusOK)
}
