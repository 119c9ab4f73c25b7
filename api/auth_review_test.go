package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

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

// loginAt posts credentials from the client address ip, IPv4 or IPv6.
func loginAt(env *apitest.Env, ip, username, password string) int {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	rec := httptest.NewRecorder()
	env.App.Handler.ServeHTTP(rec, req)
	return rec.Code
}

// wantLogin fails unless a sign-in from ip gets status.
func wantLogin(t *testing.T, env *apitest.Env, ip, username, password string, status int, what string) {
	t.Helper()
	if got := loginAt(env, ip, username, password); got != status {
		t.Fatalf("%s: sign-in from %s got %d, want %d", what, ip, got, status)
	}
}

// spendAccountBudget fails the account's password from ten addresses, five times each: the whole
// budget of failures over all addresses, none of them over its own limit.
func spendAccountBudget(t *testing.T, env *apitest.Env, name, net3 string) {
	t.Helper()
	for a := 1; a <= 10; a++ {
		for i := 0; i < 5; i++ {
			wantLogin(t, env, fmt.Sprintf("%s.%d", net3, a), name, "Wrong-pass1", http.StatusUnauthorized, "a stranger's guess")
		}
	}
}

// TestKnownAddressKeepsTheHolderIn: strangers who spend an account's budget of failures over many
// addresses lock out unknown addresses only; an address the account signed in from within 30 days
// (the holder's office) still signs in with the right password.
func TestKnownAddressKeepsTheHolderIn(t *testing.T) {
	limiterBackends(t, func(t *testing.T, env *apitest.Env, advance func(time.Duration)) {
		name := usernameOf(env.Inspector())
		const office, elsewhere = "198.51.100.60", "198.51.100.61"
		wantLogin(t, env, office, name, testPassword, http.StatusOK, "the holder at the office")

		spendAccountBudget(t, env, name, "203.0.113")
		wantLogin(t, env, elsewhere, name, testPassword, http.StatusTooManyRequests, "an unknown address after the budget")
		wantLogin(t, env, office, name, testPassword, http.StatusOK, "the office after the budget")
		// A known address has its own limits still: five failures there stop it too.
		for i := 0; i < 5; i++ {
			wantLogin(t, env, office, name, "Wrong-pass1", http.StatusUnauthorized, "a typo at the office")
		}
		wantLogin(t, env, office, name, testPassword, http.StatusTooManyRequests, "the office after five of its own failures")

		// Each success keeps the address for 30 days from then.
		advance(29 * 24 * time.Hour)
		wantLogin(t, env, office, name, testPassword, http.StatusOK, "the office 29 days on")
		advance(29 * 24 * time.Hour)
		spendAccountBudget(t, env, name, "203.0.114")
		wantLogin(t, env, office, name, testPassword, http.StatusOK, "29 days after the last success")
		advance(31 * 24 * time.Hour)
		spendAccountBudget(t, env, name, "203.0.115")
		wantLogin(t, env, office, name, testPassword, http.StatusTooManyRequests, "31 days after the last success")
	})
}

// TestIPv6ClientsAreCountedPerSlash64: a subscriber gets a whole /64, so counting each IPv6
// address apart gave one attacker 2^64 fresh addresses.
func TestIPv6ClientsAreCountedPerSlash64(t *testing.T) {
	env := apitest.New(t)
	name := usernameOf(env.Inspector())
	for i := 1; i <= 5; i++ {
		wantLogin(t, env, fmt.Sprintf("2001:db8:1:2::%x", i), name, "Wrong-pass1", http.StatusUnauthorized, "a guess")
	}
	wantLogin(t, env, "2001:db8:1:2:ffff:ffff:ffff:ffff", name, testPassword, http.StatusTooManyRequests, "the same /64")
	wantLogin(t, env, "2001:db8:1:3::1", name, testPassword, http.StatusOK, "another /64")

	// The per-address limit spans the /64 too.
	for i := 0; i < 20; i++ {
		wantLogin(t, env, fmt.Sprintf("2001:db8:9:9::%x", i+1), fmt.Sprintf("nobody_%d", i), "Wrong-pass1", http.StatusUnauthorized, "a guess")
	}
	wantLogin(t, env, "2001:db8:9:9:abcd::1", name, testPassword, http.StatusTooManyRequests, "the 21st attempt from the /64")
	// An IPv4 client seen as an IPv4-mapped IPv6 address is that IPv4 address.
	for i := 0; i < 5; i++ {
		wantLogin(t, env, "198.51.100.80", name, "Wrong-pass1", http.StatusUnauthorized, "a guess")
	}
	wantLogin(t, env, "::ffff:198.51.100.80", name, testPassword, http.StatusTooManyRequests, "the same IPv4 address, mapped")
}

// TestLimiterOutageDoesNotOpenTheDoor: when Redis fails, the attempt is counted in process instead
// of not at all, so guessing goes on being limited.
func TestLimiterOutageDoesNotOpenTheDoor(t *testing.T) {
	mr := miniredis.RunT(t)
	env := apitest.New(t, apitest.WithEnv("REDIS_ADDR", mr.Addr()))
	name := usernameOf(env.Inspector())
	mr.SetError("ERR simulated outage")
	for i := 0; i < 5; i++ {
		wantLogin(t, env, "198.51.100.70", name, "Wrong-pass1", http.StatusUnauthorized, "a guess while Redis fails")
	}
	wantLogin(t, env, "198.51.100.70", name, testPassword, http.StatusTooManyRequests, "the 6th attempt while Redis fails")
	wantLogin(t, env, "198.51.100.71", name, testPassword, http.StatusOK, "another address while Redis fails")
	mr.SetError("")
	wantLogin(t, env, "198.51.100.72", name, testPassword, http.StatusOK, "after Redis is back")
}
