package api_test

import (
	"net/http"
	"testing"

	"parksafe/apitest"
)

// TestWeChatBindRefusesANumberOutsideMainlandChina: WeChat's purePhoneNumber leaves out the country
// code, so a number registered elsewhere with the same digits as a park account's mobile must not
// sign in to that account; it gets the same answer as any unregistered number.
func TestWeChatBindRefusesANumberOutsideMainlandChina(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	mobile := env.Mobile()
	id := createAccount(env, "inspector", mobile, 0)

	stranger := env.Mobile() // registered nowhere: the answer the foreign number must match
	unknown := bind(env, bindTicket(env, p+"-code0", p+"-openid0"), p+"-phone0", stranger).WantError(http.StatusForbidden, "forbidden")
	for i, cc := range []string{"1", "852", "886", "44", ""} {
		code := p + "-foreign-" + itoa(uint64(i))
		env.WeChat.SetPhoneIn(code, cc, mobile)
		tk := bindTicket(env, code+"-login", p+"-openid-foreign")
		r := env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk, "phone_code": code}).
			WantError(http.StatusForbidden, "forbidden")
		if got, want := errorMessage(t, r), errorMessage(t, unknown); got != want {
			t.Fatalf("country code %q: %q, want the unknown number's %q", cc, got, want)
		}
	}
	if n := boundAccounts(env); n != 0 {
		t.Fatalf("%d accounts bound by numbers outside mainland China", n)
	}
	// The same digits under +86 are the holder's.
	r := bind(env, bindTicket(env, p+"-code-cn", p+"-openid-cn"), p+"-phone-cn", mobile).Want(http.StatusOK)
	if uint64(r.Field("user.id").(float64)) != id {
		t.Fatalf("bound to %s", r.Body)
	}
}
