package api_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/golang-jwt/jwt/v5"

	"parksafe/apitest"
)

// testPassword is the password apitest.CreateUser gives every account.
const testPassword = "Passw0rd-x"

// usernameOf is the username of a client made by apitest.CreateUser.
func usernameOf(c *apitest.Client) string { return c.User["username"].(string) }

// errorMessage returns the message of an error envelope.
func errorMessage(t *testing.T, r *apitest.Response) string {
	t.Helper()
	var env struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	r.JSON(&env)
	return env.Error.Message
}

// wantField fails unless r is a 422 naming field.
func wantField(t *testing.T, r *apitest.Response, field string) {
	t.Helper()
	r.WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError(field) == "" {
		t.Fatalf("want a reason for field %q, got %s", field, r.Body)
	}
}

// login posts credentials from a given client address (RemoteAddr), for the rate limits.
func login(env *apitest.Env, addr, username, password string) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	env.App.Handler.ServeHTTP(rec, req)
	return rec
}

// bearer returns a client presenting token.
func bearer(env *apitest.Env, token string) *apitest.Client {
	c := env.Anon()
	c.Token = token
	return c
}

func TestLoginWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	wrong := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": usernameOf(insp), "password": "Wrong-pass1"}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	unknown := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": "nobody_here", "password": "Wrong-pass1"}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	if m1, m2 := errorMessage(t, wrong), errorMessage(t, unknown); m1 != m2 {
		t.Fatalf("wrong password says %q but unknown user says %q: that tells which accounts exist", m1, m2)
	}
	wantField(t, env.Anon().Post("/api/v1/auth/login", map[string]any{"username": "", "password": ""}), "username")

	// The mobile number works as the login name too, and the answer has the documented shape.
	r := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": insp.User["phone"], "password": testPassword}).Want(http.StatusOK)
	m := r.Map()
	if m["token_type"] != "Bearer" || m["access_token"] == "" || m["refresh_token"] == "" || m["expires_in"].(float64) != 900 {
		t.Fatalf("token shape: %s", r.Body)
	}
	for _, k := range []string{"id", "name", "username", "phone", "role", "role_label", "enterprise_id", "status", "wechat_bound"} {
		if _, ok := m["user"].(map[string]any)[k]; !ok {
			t.Errorf("user lacks %q: %s", k, r.Body)
		}
	}
}

func TestDisabledAccountLosesAccessAtOnce(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	insp.Get("/api/v1/me").Want(http.StatusOK)
	env.Admin().Patch("/api/v1/users/"+itoa(insp.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)

	insp.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": insp.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
	// The right password gets the very answer a wrong one gets, so that a disabled account does not
	// confirm a guessed password; the message still tells its holder where to turn.
	right := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": usernameOf(insp), "password": testPassword}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	wrong := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": usernameOf(insp), "password": "Wrong-pass1"}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	if m1, m2 := errorMessage(t, right), errorMessage(t, wrong); m1 != m2 || !strings.Contains(m1, "停用") {
		t.Fatalf("disabled account: right password says %q, wrong one %q; want the same answer mentioning 停用", m1, m2)
	}

	// Enabling it again lets the user sign in (the old tokens stay dead).
	env.Admin().Patch("/api/v1/users/"+itoa(insp.UserID()), map[string]any{"status": "active"}).Want(http.StatusOK)
	insp.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Login(usernameOf(insp), testPassword).Get("/api/v1/me").Want(http.StatusOK)
}

func TestAccountChangesRevokeEarlierTokens(t *testing.T) {
	env := apitest.New(t)
	e1, e2 := env.CreateEnterprise(""), env.CreateEnterprise("")
	cases := []struct {
		name   string
		client func() *apitest.Client
		change func(c *apitest.Client)
	}{
		{"role", env.Inspector, func(c *apitest.Client) {
			env.Admin().Patch("/api/v1/users/"+itoa(c.UserID()), map[string]any{"role": "admin"}).Want(http.StatusOK)
		}},
		{"enterprise", func() *apitest.Client { return env.EnterpriseUser(e1) }, func(c *apitest.Client) {
			env.Admin().Patch("/api/v1/users/"+itoa(c.UserID()), map[string]any{"enterprise_id": e2}).Want(http.StatusOK)
		}},
		{"password reset by admin", env.Inspector, func(c *apitest.Client) {
			env.Admin().Patch("/api/v1/users/"+itoa(c.UserID()), map[string]any{"password": "Reset-pass9"}).Want(http.StatusOK)
		}},
		{"password changed by the user", env.Inspector, func(c *apitest.Client) {
			env.Login(usernameOf(c), testPassword).Put("/api/v1/me/password",
				map[string]any{"old_password": testPassword, "new_password": "Changed-pass9"}).Want(http.StatusNoContent)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.client()
			c.Get("/api/v1/me").Want(http.StatusOK)
			tc.change(c)
			c.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
			env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": c.RefreshToken}).
				WantError(http.StatusUnauthorized, "unauthenticated")
		})
	}

	// A change that does not touch what the account may do keeps it signed in.
	insp := env.Inspector()
	env.Admin().Patch("/api/v1/users/"+itoa(insp.UserID()), map[string]any{"name": "改名后的检查员"}).Want(http.StatusOK)
	insp.Get("/api/v1/me").Want(http.StatusOK)
}

// forge signs claims with method and key.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestForgedTokensAreRefused(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	secret := env.App.Config.JWTSecret
	now := env.Clock.Now()
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "parksafe", "aud": []string{"parksafe-api"}, "sub": strconv.FormatUint(admin.UserID(), 10),
			"av": 1, "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "jti": "x"}
	}
	with := func(k string, v any) jwt.MapClaims {
		c := good()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	// The control: a token made like ours is accepted, so each refusal below is due to its one defect.
	bearer(env, forge(t, jwt.SigningMethodHS256, secret, good())).Get("/api/v1/me").Want(http.StatusOK)

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	none := forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good())
	goodToken := forge(t, jwt.SigningMethodHS256, secret, good())
	parts := strings.Split(goodToken, ".")
	cases := map[string]string{
		"wrong secret":         forge(t, jwt.SigningMethodHS256, []byte("another-secret-0123456789abcdef0123"), good()),
		"alg none":             none,
		"alg none, no dot":     strings.TrimSuffix(none, "."),
		"HS512 with our key":   forge(t, jwt.SigningMethodHS512, secret, good()),
		"RS256":                forge(t, jwt.SigningMethodRS256, rsaKey, good()),
		"wrong issuer":         forge(t, jwt.SigningMethodHS256, secret, with("iss", "someone-else")),
		"no issuer":            forge(t, jwt.SigningMethodHS256, secret, with("iss", nil)),
		"wrong audience":       forge(t, jwt.SigningMethodHS256, secret, with("aud", []string{"other-api"})),
		"no audience":          forge(t, jwt.SigningMethodHS256, secret, with("aud", nil)),
		"expired":              forge(t, jwt.SigningMethodHS256, secret, with("exp", now.Add(-time.Minute).Unix())),
		"no exp":               forge(t, jwt.SigningMethodHS256, secret, with("exp", nil)),
		"issued in the future": forge(t, jwt.SigningMethodHS256, secret, with("iat", now.Add(time.Hour).Unix())),
		"subject not a number": forge(t, jwt.SigningMethodHS256, secret, with("sub", "admin")),
		"unknown subject":      forge(t, jwt.SigningMethodHS256, secret, with("sub", "999999")),
		"old auth version":     forge(t, jwt.SigningMethodHS256, secret, with("av", 0)),
		"payload swapped":      parts[0] + "." + strings.Split(forge(t, jwt.SigningMethodHS256, secret, with("sub", "2")), ".")[1] + "." + parts[2],
		"garbage":              "not-a-jwt",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			r := bearer(env, tok).Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
			if r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}
}

func TestMalformedAuthorizationHeader(t *testing.T) {
	env := apitest.New(t)
	token := env.Admin().Token
	for _, h := range []string{"", "Bearer", "Bearer ", "Bearer  ", "Basic YWRtaW46cGFzcw==", "Token " + token, token} {
		env.Anon().Get("/api/v1/me", "Authorization", h).WantError(http.StatusUnauthorized, "unauthenticated")
	}
	env.Anon().Get("/api/v1/me", "Authorization", "bearer "+token).Want(http.StatusOK)
}

func TestAccessTokenExpiresOnTheServiceClock(t *testing.T) {
	env := apitest.New(t)
	c := env.Login(apitest.AdminUsername, apitest.AdminPassword)
	env.Clock.Advance(14 * time.Minute)
	c.Get("/api/v1/me").Want(http.StatusOK)
	env.Clock.Advance(2 * time.Minute)
	r := c.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	if !strings.Contains(errorMessage(t, r), "过期") {
		t.Errorf("an expired token should say so: %s", r.Body)
	}
	// The refresh token outlives it and yields a working access token.
	r = env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": c.RefreshToken}).Want(http.StatusOK)
	bearer(env, r.Field("access_token").(string)).Get("/api/v1/me").Want(http.StatusOK)
}

func TestRefreshRotationAndReuse(t *testing.T) {
	env := apitest.New(t)
	c := env.Login(apitest.AdminUsername, apitest.AdminPassword)
	other := env.Login(apitest.AdminUsername, apitest.AdminPassword) // another device, another family
	first := c.RefreshToken

	r := env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": first}).Want(http.StatusOK)
	second := r.Field("refresh_token").(string)
	if second == first {
		t.Fatal("refresh token did not rotate")
	}
	bearer(env, r.Field("access_token").(string)).Get("/api/v1/me").Want(http.StatusOK)

	// The spent token comes back: someone copied it. It is refused and so is the newer one.
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": first}).WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": second}).WantError(http.StatusUnauthorized, "unauthenticated")
	// The other device's family is untouched.
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": other.RefreshToken}).Want(http.StatusOK)

	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": "made-up"}).WantError(http.StatusUnauthorized, "unauthenticated")
	wantField(t, env.Anon().Post("/api/v1/auth/refresh", map[string]any{}), "refresh_token")

	// Refresh tokens expire too (30 days by default).
	late := env.Login(apitest.AdminUsername, apitest.AdminPassword)
	env.Clock.Advance(31 * 24 * time.Hour)
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": late.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
}

func TestLogoutRevokes(t *testing.T) {
	env := apitest.New(t)
	c := env.Login(apitest.AdminUsername, apitest.AdminPassword)
	keep := env.Login(apitest.AdminUsername, apitest.AdminPassword)
	env.Anon().Post("/api/v1/auth/logout", map[string]any{"refresh_token": c.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
	c.Post("/api/v1/auth/logout", map[string]any{"refresh_token": c.RefreshToken}).Want(http.StatusNoContent)
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": c.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": keep.RefreshToken}).Want(http.StatusOK)

	// Without a body, every session of the user ends.
	a, b := env.Login(apitest.AdminUsername, apitest.AdminPassword), env.Login(apitest.AdminUsername, apitest.AdminPassword)
	a.Post("/api/v1/auth/logout", nil).Want(http.StatusNoContent)
	for _, x := range []*apitest.Client{a, b} {
		env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": x.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
	}
}

func TestChangePassword(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	elsewhere := env.Login(usernameOf(insp), testPassword)

	wantField(t, insp.Put("/api/v1/me/password", map[string]any{"old_password": "Not-the-pass1", "new_password": "Good-newpass1"}), "old_password")
	wantField(t, insp.Put("/api/v1/me/password", map[string]any{"old_password": testPassword, "new_password": "short1"}), "new_password")
	wantField(t, insp.Put("/api/v1/me/password", map[string]any{"old_password": testPassword, "new_password": "onlyletters"}), "new_password")
	wantField(t, insp.Put("/api/v1/me/password", map[string]any{"old_password": testPassword, "new_password": testPassword}), "new_password")
	// Nothing changed: the old password and both sessions still work.
	env.Login(usernameOf(insp), testPassword)
	elsewhere.Get("/api/v1/me").Want(http.StatusOK)

	insp.Put("/api/v1/me/password", map[string]any{"old_password": testPassword, "new_password": "Good-newpass1"}).Want(http.StatusNoContent)
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": elsewhere.RefreshToken}).WantError(http.StatusUnauthorized, "unauthenticated")
	elsewhere.Get("/api/v1/me").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/login", map[string]any{"username": usernameOf(insp), "password": testPassword}).WantError(http.StatusUnauthorized, "unauthenticated")
	env.Login(usernameOf(insp), "Good-newpass1").Get("/api/v1/me").Want(http.StatusOK)
}

// TestLoginRateLimitPerAccount runs with the in-process limiter and with the Redis one that several
// instances share (REDIS_ADDR).
func TestLoginRateLimitPerAccount(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		env := apitest.New(t)
		testLoginRateLimit(t, env, env.Clock.Advance)
	})
	t.Run("redis", func(t *testing.T) {
		mr := miniredis.RunT(t)
		env := apitest.New(t, apitest.WithEnv("REDIS_ADDR", mr.Addr()))
		testLoginRateLimit(t, env, func(d time.Duration) { env.Clock.Advance(d); mr.FastForward(d) })
	})
}

func testLoginRateLimit(t *testing.T, env *apitest.Env, advance func(time.Duration)) {
	insp := env.Inspector()
	name := usernameOf(insp)
	for i := 0; i < 5; i++ {
		if rec := login(env, "198.51.100.7", name, "Wrong-pass1"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, rec.Code)
		}
	}
	// Even the right password now waits, from that address.
	rec := login(env, "198.51.100.7", name, testPassword)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: status %d, want 429; %s", rec.Code, rec.Body)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	secs, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
	if body.Error.Code != "rate_limited" || !strings.Contains(body.Error.Message, "分钟") || secs < 1 || secs > 15*60 {
		t.Fatalf("429: Retry-After %q, body %s", rec.Header().Get("Retry-After"), rec.Body)
	}
	// Other accounts are not affected, and neither is the account from anywhere else: whoever fails
	// from one address cannot lock its holder out.
	if rec := login(env, "198.51.100.7", apitest.AdminUsername, apitest.AdminPassword); rec.Code != http.StatusOK {
		t.Fatalf("another account: %d", rec.Code)
	}
	if rec := login(env, "203.0.113.9", name, testPassword); rec.Code != http.StatusOK {
		t.Fatalf("the same account from another address: %d %s", rec.Code, rec.Body)
	}
	advance(16 * time.Minute)
	if rec := login(env, "198.51.100.7", name, testPassword); rec.Code != http.StatusOK {
		t.Fatalf("after the window: %d %s", rec.Code, rec.Body)
	}
}

func TestLoginRateLimitCountsTheAccountNotTheSpelling(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	names := []string{usernameOf(insp), insp.User["phone"].(string)}
	for i := 0; i < 5; i++ {
		login(env, "198.51.100.8", names[i%2], "Wrong-pass1")
	}
	if rec := login(env, "198.51.100.8", names[1], testPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("5 failures split between username and mobile: status %d, want 429", rec.Code)
	}
}

func TestLoginSuccessResetsAccountCount(t *testing.T) {
	env := apitest.New(t)
	name := usernameOf(env.Inspector())
	for round := 0; round < 3; round++ {
		for i := 0; i < 4; i++ {
			if rec := login(env, "198.51.100.9", name, "Wrong-pass1"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("round %d failure %d: %d", round, i, rec.Code)
			}
		}
		if rec := login(env, "198.51.100.9", name, testPassword); rec.Code != http.StatusOK {
			t.Fatalf("round %d: success refused with %d %s", round, rec.Code, rec.Body)
		}
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	env := apitest.New(t)
	var names []string
	for i := 0; i < 11; i++ {
		names = append(names, usernameOf(env.Inspector()))
	}
	// 20 failures spread over 10 accounts (2 each): no account reaches its own limit.
	for i := 0; i < 20; i++ {
		if rec := login(env, "192.0.2.50", names[i/2], "Wrong-pass1"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	rec := login(env, "192.0.2.50", names[10], testPassword)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("21st attempt from the address: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := login(env, "192.0.2.51", names[10], testPassword); rec.Code != http.StatusOK {
		t.Fatalf("another address: %d", rec.Code)
	}
	env.Clock.Advance(16 * time.Minute)
	if rec := login(env, "192.0.2.50", names[10], testPassword); rec.Code != http.StatusOK {
		t.Fatalf("after the window: %d", rec.Code)
	}
}

// createAccount creates an account as admin without signing in, and returns its id.
func createAccount(env *apitest.Env, role, mobile string, enterpriseID uint64) uint64 {
	body := map[string]any{"name": "测试" + mobile, "mobile": mobile, "role": role}
	if enterpriseID != 0 {
		body["enterprise_id"] = enterpriseID
	}
	return env.Admin().Post("/api/v1/users", body).Want(http.StatusCreated).ID()
}

func TestWeChatLoginAndBind(t *testing.T) {
	env := apitest.New(t)
	wx := env.WeChat
	p := t.Name()
	mobile := env.Mobile()
	id := createAccount(env, "inspector", mobile, 0)

	wx.SetSession(p+"-code1", p+"-openid", p+"-unionid")
	r := env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-code1"}).Want(http.StatusOK)
	if r.Field("bound") != false || r.Field("bind_token") == nil || r.Map()["access_token"] != nil {
		t.Fatalf("unknown openid: %s", r.Body)
	}
	bind := r.Field("bind_token").(string)

	wx.SetPhone(p+"-phone1", mobile)
	r = env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": bind, "phone_code": p + "-phone1"}).Want(http.StatusOK)
	if r.Field("user.wechat_bound") != true || uint64(r.Field("user.id").(float64)) != id {
		t.Fatalf("bind: %s", r.Body)
	}
	bearer(env, r.Field("access_token").(string)).Get("/api/v1/me").Want(http.StatusOK)
	env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": bind, "phone_code": p + "-phone1"}).
		WantError(http.StatusUnauthorized, "unauthenticated")

	wx.SetSession(p+"-code2", p+"-openid", p+"-unionid")
	r = env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-code2"}).Want(http.StatusOK)
	if r.Field("bound") != true || r.Field("user.wechat_bound") != true {
		t.Fatalf("bound openid: %s", r.Body)
	}
	bearer(env, r.Field("access_token").(string)).Get("/api/v1/me").Want(http.StatusOK)

	// Disabled: the bound WeChat no longer signs in.
	env.Admin().Patch("/api/v1/users/"+itoa(id), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-code2"}).WantError(http.StatusUnauthorized, "unauthenticated")
}

func TestWeChatBindRefusals(t *testing.T) {
	env := apitest.New(t)
	wx := env.WeChat
	p := t.Name()
	ticket := func(n int) string {
		code := fmt.Sprintf("%s-code%d", p, n)
		wx.SetSession(code, fmt.Sprintf("%s-openid%d", p, n), "")
		return env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": code}).Want(http.StatusOK).Field("bind_token").(string)
	}
	mobile := env.Mobile()
	createAccount(env, "inspector", mobile, 0)
	wx.SetPhone(p+"-known", mobile)

	// Expired ticket.
	tk := ticket(1)
	env.Clock.Advance(6 * time.Minute)
	env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk, "phone_code": p + "-known"}).
		WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": "forged", "phone_code": p + "-known"}).
		WantError(http.StatusUnauthorized, "unauthenticated")

	// A phone nobody registered: ask the park office.
	wx.SetPhone(p+"-stranger", env.Mobile())
	r := env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": ticket(2), "phone_code": p + "-stranger"}).
		WantError(http.StatusForbidden, "forbidden")
	if !strings.Contains(errorMessage(t, r), "园区管理办公室") {
		t.Fatalf("403 should tell the user to ask the park office: %s", r.Body)
	}

	// A disabled account's phone.
	disabled := env.Mobile()
	did := createAccount(env, "inspector", disabled, 0)
	env.Admin().Patch("/api/v1/users/"+itoa(did), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	wx.SetPhone(p+"-disabled", disabled)
	env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": ticket(3), "phone_code": p + "-disabled"}).
		WantError(http.StatusForbidden, "forbidden")

	// Codes WeChat does not know (errcode 40029), and missing ones.
	wantField(t, env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-never-issued"}), "code")
	wantField(t, env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": ""}), "code")
	wantField(t, env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": ticket(4), "phone_code": p + "-never-issued"}), "phone_code")

	// None of this bound anything.
	var n int64
	env.App.DB.Table("users").Where("open_id IS NOT NULL").Count(&n)
	if n != 0 {
		t.Fatalf("%d accounts got bound by refused attempts", n)
	}
}

func TestWeChatNotConfigured(t *testing.T) {
	env := apitest.New(t, apitest.WithoutWeChat())
	env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": "abc"}).WantError(http.StatusServiceUnavailable, "unavailable")
	env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": "x", "phone_code": "y"}).WantError(http.StatusServiceUnavailable, "unavailable")
	// Password sign-in is unaffected.
	env.Admin().Get("/api/v1/me").Want(http.StatusOK)
}

// limiterBackends runs test once with the in-process limiter and once with the Redis one that
// several instances share (REDIS_ADDR).
func limiterBackends(t *testing.T, test func(t *testing.T, env *apitest.Env, advance func(time.Duration))) {
	t.Run("memory", func(t *testing.T) {
		env := apitest.New(t)
		test(t, env, env.Clock.Advance)
	})
	t.Run("redis", func(t *testing.T) {
		mr := miniredis.RunT(t)
		env := apitest.New(t, apitest.WithEnv("REDIS_ADDR", mr.Addr()))
		test(t, env, func(d time.Duration) { env.Clock.Advance(d); mr.FastForward(d) })
	})
}

// parallelLogins sends n sign-ins at once, the i-th from addr(i) with username(i) and password, and
// returns how many got each status.
func parallelLogins(env *apitest.Env, n int, addr, username func(i int) string, password string) map[int]int {
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- login(env, addr(i), username(i), password).Code
		}()
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	return got
}

func same(s string) func(int) string { return func(int) string { return s } }

// TestParallelWrongPasswordsGetTheLimitOfGuesses: every attempt is counted before its password is
// checked, so 80 wrong passwords sent at once get exactly as many checks as sent one by one.
func TestParallelWrongPasswordsGetTheLimitOfGuesses(t *testing.T) {
	limiterBackends(t, func(t *testing.T, env *apitest.Env, advance func(time.Duration)) {
		name := usernameOf(env.Inspector())
		got := parallelLogins(env, 80, same("198.51.100.20"), same(name), "Wrong-pass1")
		if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 75 {
			t.Fatalf("one account from one address: %v, want 5 × 401 and 75 × 429", got)
		}
		got = parallelLogins(env, 80, same("198.51.100.21"), func(i int) string { return fmt.Sprintf("nobody_%d", i) }, "Wrong-pass1")
		if got[http.StatusUnauthorized] != 20 || got[http.StatusTooManyRequests] != 60 {
			t.Fatalf("80 names from one address: %v, want 20 × 401 and 60 × 429", got)
		}
		admin := func(int) string { return apitest.AdminUsername }
		got = parallelLogins(env, 80, func(i int) string { return fmt.Sprintf("198.18.1.%d", i+1) }, admin, "Wrong-pass1")
		if got[http.StatusUnauthorized] != 50 || got[http.StatusTooManyRequests] != 30 {
			t.Fatalf("one account from 80 addresses: %v, want 50 × 401 and 30 × 429", got)
		}
		// The account's budget over all addresses is spent: it waits out the window.
		if rec := login(env, "198.18.2.1", apitest.AdminUsername, apitest.AdminPassword); rec.Code != http.StatusTooManyRequests {
			t.Fatalf("right password after the account's budget: %d", rec.Code)
		}
		advance(16 * time.Minute)
		if rec := login(env, "198.18.2.1", apitest.AdminUsername, apitest.AdminPassword); rec.Code != http.StatusOK {
			t.Fatalf("after the window: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestAccountBudgetSpansAddresses: failures spread over addresses, each below its own limit, still
// add up against the account, though to far more than one address may try.
func TestAccountBudgetSpansAddresses(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	name := usernameOf(insp)
	for a := 1; a <= 10; a++ {
		for i := 0; i < 5; i++ {
			if rec := login(env, fmt.Sprintf("198.18.3.%d", a), name, "Wrong-pass1"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("address %d failure %d: %d", a, i+1, rec.Code)
			}
		}
	}
	if rec := login(env, "198.18.3.99", name, testPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 50 failures from 10 addresses: %d, want 429", rec.Code)
	}
	insp.Get("/api/v1/me").Want(http.StatusOK) // sessions already signed in go on
}

// TestDisabledAccountCountsAsAFailure: a disabled account's right password is counted like a wrong
// one, so the limit cannot tell it apart either.
func TestDisabledAccountCountsAsAFailure(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	env.Admin().Patch("/api/v1/users/"+itoa(insp.UserID()), map[string]any{"status": "disabled"}).Want(http.StatusOK)
	for i := 0; i < 5; i++ {
		if rec := login(env, "198.51.100.30", usernameOf(insp), testPassword); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, rec.Code)
		}
	}
	if rec := login(env, "198.51.100.30", usernameOf(insp), testPassword); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("6th right password on a disabled account: %d, want 429 like wrong ones", rec.Code)
	}
}

// bindTicket starts a WeChat sign-in for openID and returns its bind token.
func bindTicket(env *apitest.Env, code, openID string) string {
	env.WeChat.SetSession(code, openID, "")
	r := env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": code}).Want(http.StatusOK)
	tk, _ := r.Field("bind_token").(string)
	if tk == "" {
		env.T.Fatalf("openid %s is already bound: %s", openID, r.Body)
	}
	return tk
}

// bind posts a bind token with a phone code that WeChat resolves to phone.
func bind(env *apitest.Env, ticket, phoneCode, phone string) *apitest.Response {
	env.WeChat.SetPhone(phoneCode, phone)
	return env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": ticket, "phone_code": phoneCode})
}

// boundAccounts counts accounts with a WeChat binding.
func boundAccounts(env *apitest.Env) int64 {
	var n int64
	env.App.DB.Table("users").Where("open_id IS NOT NULL").Count(&n)
	return n
}

// TestFirstAdminHasNoMobileToBind: the first admin is created without a mobile, so no stranger's
// WeChat phone number can bind to it.
func TestFirstAdminHasNoMobileToBind(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	me := env.Admin().Get("/api/v1/me").Want(http.StatusOK)
	if me.Field("phone") != "" || me.Field("mobile_confirmed") != false {
		t.Fatalf("first admin: %s", me.Body)
	}
	for i, placeholder := range []string{"13800000000", "13800000001"} {
		tk := bindTicket(env, fmt.Sprintf("%s-code%d", p, i), fmt.Sprintf("%s-openid%d", p, i))
		bind(env, tk, fmt.Sprintf("%s-phone%d", p, i), placeholder).WantError(http.StatusForbidden, "forbidden")
	}
	if n := boundAccounts(env); n != 0 {
		t.Fatalf("%d accounts bound", n)
	}
	// Editing the admin's name does not demand a mobile; setting one is the office's confirmation.
	self := "/api/v1/users/" + itoa(env.Admin().UserID())
	env.Admin().Patch(self, map[string]any{"name": "安环办管理员"}).Want(http.StatusOK)
	mobile := env.Mobile()
	r := env.Admin().Patch(self, map[string]any{"mobile": mobile}).Want(http.StatusOK)
	if r.Field("phone") != mobile || r.Field("mobile_confirmed") != true {
		t.Fatalf("admin with a mobile: %s", r.Body)
	}
	tk := bindTicket(env, p+"-code-own", p+"-openid-own")
	bind(env, tk, p+"-phone-own", mobile).Want(http.StatusOK)
}

// TestUnconfirmedMobileIsNotBindable: a mobile the office has not confirmed signs nobody in by phone.
func TestUnconfirmedMobileIsNotBindable(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	mobile := env.Mobile()
	r := env.Admin().Post("/api/v1/users", map[string]any{"name": "未确认", "mobile": mobile, "role": "inspector", "mobile_confirmed": false}).
		Want(http.StatusCreated)
	if r.Field("mobile_confirmed") != false {
		t.Fatalf("created: %s", r.Body)
	}
	id := r.ID()
	r = bind(env, bindTicket(env, p+"-code1", p+"-openid"), p+"-phone1", mobile).WantError(http.StatusForbidden, "forbidden")
	if !strings.Contains(errorMessage(t, r), "园区管理办公室") {
		t.Fatalf("403 should send the user to the park office: %s", r.Body)
	}
	wantField(t, env.Admin().Patch("/api/v1/users/"+itoa(id), map[string]any{"mobile_confirmed": "yes"}), "mobile_confirmed")

	r = env.Admin().Patch("/api/v1/users/"+itoa(id), map[string]any{"mobile_confirmed": true}).Want(http.StatusOK)
	if r.Field("mobile_confirmed") != true {
		t.Fatalf("confirmed: %s", r.Body)
	}
	r = bind(env, bindTicket(env, p+"-code2", p+"-openid"), p+"-phone2", mobile).Want(http.StatusOK)
	if uint64(r.Field("user.id").(float64)) != id {
		t.Fatalf("bound to %s", r.Body)
	}
}

// TestFailedBindSpendsTheTicket: a bind ticket is good for one attempt, whatever its outcome, so it
// cannot be used to try phone after phone.
func TestFailedBindSpendsTheTicket(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	mobile := env.Mobile()
	createAccount(env, "inspector", mobile, 0)

	tk := bindTicket(env, p+"-code1", p+"-openid")
	bind(env, tk, p+"-stranger", env.Mobile()).WantError(http.StatusForbidden, "forbidden")
	bind(env, tk, p+"-known1", mobile).WantError(http.StatusUnauthorized, "unauthenticated")

	tk = bindTicket(env, p+"-code2", p+"-openid")
	wantField(t, env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk, "phone_code": p + "-never-issued"}), "phone_code")
	bind(env, tk, p+"-known2", mobile).WantError(http.StatusUnauthorized, "unauthenticated")

	// A request that never made an attempt (no phone code) leaves the ticket alone.
	tk = bindTicket(env, p+"-code3", p+"-openid")
	wantField(t, env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk}), "phone_code")
	bind(env, tk, p+"-known3", mobile).Want(http.StatusOK)
}

// TestTwoWeChatsBindingOneAccountAtOnce: of two WeChat accounts binding the same account at the same
// moment, one wins and the other is told; the account ends up with the winner's openid.
func TestTwoWeChatsBindingOneAccountAtOnce(t *testing.T) {
	env := apitest.New(t)
	p := t.Name()
	for round := 0; round < 5; round++ {
		mobile := env.Mobile()
		id := createAccount(env, "inspector", mobile, 0)
		tickets := []string{
			bindTicket(env, fmt.Sprintf("%s-a%d", p, round), fmt.Sprintf("%s-openid-a%d", p, round)),
			bindTicket(env, fmt.Sprintf("%s-b%d", p, round), fmt.Sprintf("%s-openid-b%d", p, round)),
		}
		for i := range tickets {
			env.WeChat.SetPhone(fmt.Sprintf("%s-phone%d-%d", p, round, i), mobile)
		}
		var wg sync.WaitGroup
		results := make([]*apitest.Response, 2)
		for i, tk := range tickets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = env.Anon().Post("/api/v1/auth/wechat/bind", map[string]any{"bind_token": tk, "phone_code": fmt.Sprintf("%s-phone%d-%d", p, round, i)})
			}()
		}
		wg.Wait()
		var won []int
		for i, r := range results {
			switch r.Status {
			case http.StatusOK:
				won = append(won, i)
			case http.StatusConflict:
			default:
				t.Fatalf("round %d: bind %d answered %d %s", round, i, r.Status, r.Body)
			}
		}
		if len(won) != 1 {
			t.Fatalf("round %d: %d binds succeeded", round, len(won))
		}
		var openID string
		env.App.DB.Table("users").Select("open_id").Where("id = ?", id).Scan(&openID)
		if want := fmt.Sprintf("%s-openid-%c%d", p, "ab"[won[0]], round); openID != want {
			t.Fatalf("round %d: account bound to %q, the winner was %q", round, openID, want)
		}
	}
}
