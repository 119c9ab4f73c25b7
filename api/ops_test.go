package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"parksafe/apitest"
)

// chunked is a body of unknown length, so that only reading it can find it too large.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

func TestMalformedRequests(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("MAX_BODY_BYTES", "2048"))
	admin := env.Admin()
	before := userCount(env)
	admin.Post("/api/v1/users", []byte(`{"name": "张三",`)).WantError(http.StatusBadRequest, "bad_request")
	admin.Post("/api/v1/users", []byte(`not json`)).WantError(http.StatusBadRequest, "bad_request")
	admin.Post("/api/v1/users", []byte(``)).WantError(http.StatusBadRequest, "bad_request")
	admin.Post("/api/v1/users", []byte(`{"name":"a"} {"name":"b"}`)).WantError(http.StatusBadRequest, "bad_request")
	wantField(t, admin.Post("/api/v1/users", []byte(`{"name": 12}`)), "name")
	wantField(t, admin.Post("/api/v1/enterprises", []byte(`{"major_hazard_count": "3"}`)), "major_hazard_count")
	admin.Post("/api/v1/users", strings.NewReader(`name=x`), "Content-Type", "application/x-www-form-urlencoded").
		WantError(http.StatusUnsupportedMediaType, "unsupported_media_type")
	admin.Post("/api/v1/auth/login", strings.NewReader(`{}`), "Content-Type", "text/plain").
		WantError(http.StatusUnsupportedMediaType, "unsupported_media_type")
	// application/json with a charset is fine.
	admin.Post("/api/v1/auth/login", strings.NewReader(`{"username":"admin","password":"`+apitest.AdminPassword+`"}`),
		"Content-Type", "application/json; charset=utf-8").Want(http.StatusOK)

	big := `{"name": "` + strings.Repeat("长", 1000) + `"}` // 3 000+ bytes
	admin.Post("/api/v1/users", []byte(big)).WantError(http.StatusRequestEntityTooLarge, "payload_too_large")
	admin.Post("/api/v1/users", chunked{strings.NewReader(big)}, "Content-Type", "application/json").
		WantError(http.StatusRequestEntityTooLarge, "payload_too_large")
	admin.Post("/api/v1/users", chunked{strings.NewReader(big)}, "Content-Type", "application/json", "Idempotency-Key", "big-1").
		WantError(http.StatusRequestEntityTooLarge, "payload_too_large")
	env.Anon().Post("/api/v1/auth/login", chunked{strings.NewReader(big)}, "Content-Type", "application/json").
		WantError(http.StatusRequestEntityTooLarge, "payload_too_large")
	if userCount(env) != before {
		t.Fatal("a malformed request created an account")
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	env := apitest.New(t)
	env.Anon().Get("/api/v1/nothing-here").WantError(http.StatusNotFound, "not_found")
	env.Anon().Get("/nothing").WantError(http.StatusNotFound, "not_found")
	env.Admin().Do(http.MethodDelete, "/api/v1/me", nil).WantError(http.StatusMethodNotAllowed, "method_not_allowed")
	env.Anon().Do(http.MethodPut, "/api/v1/auth/login", nil).WantError(http.StatusMethodNotAllowed, "method_not_allowed")
}

func TestRequestID(t *testing.T) {
	env := apitest.New(t)
	if r := env.Anon().Get("/healthz", "X-Request-ID", "client-abc.123"); r.Header.Get("X-Request-ID") != "client-abc.123" {
		t.Fatalf("request ID not echoed: %v", r.Header)
	}
	made := regexp.MustCompile(`^[0-9a-f]{24}$`)
	for _, in := range []string{"", "has spaces in it", "<script>", strings.Repeat("a", 65)} {
		r := env.Anon().Get("/api/v1/nothing", "X-Request-ID", in)
		if got := r.Header.Get("X-Request-ID"); !made.MatchString(got) {
			t.Errorf("X-Request-ID %q answered with %q, want a fresh one", in, got)
		}
	}
	a := env.Anon().Get("/healthz").Header.Get("X-Request-ID")
	b := env.Anon().Get("/healthz").Header.Get("X-Request-ID")
	if a == b {
		t.Fatal("two requests got the same ID")
	}
}

func TestHealthAndReadiness(t *testing.T) {
	env := apitest.New(t)
	if r := env.Anon().Get("/healthz").Want(http.StatusOK); r.Field("status") != "ok" {
		t.Fatalf("healthz: %s", r.Body)
	}
	env.Anon().Get("/readyz").Want(http.StatusOK)
	sqlDB, err := env.App.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	if r := env.Anon().Get("/readyz").Want(http.StatusServiceUnavailable); r.Field("status") != "unavailable" {
		t.Fatalf("readyz with the database closed: %s", r.Body)
	}
	env.Anon().Get("/healthz").Want(http.StatusOK)
	// A request that needs the database is told to come back, never given the driver's words.
	r := env.Anon().Post("/api/v1/auth/login", map[string]any{"username": "admin", "password": "x"}).WantError(http.StatusServiceUnavailable, "unavailable")
	if strings.Contains(string(r.Body), "sql") || strings.Contains(string(r.Body), "closed") {
		t.Fatalf("503 leaks details: %s", r.Body)
	}
}

func TestMetricsAndSwagger(t *testing.T) {
	env := apitest.New(t)
	env.Admin().Get("/api/v1/me").Want(http.StatusOK)
	env.Anon().Get("/api/v1/enterprises/12345").WantError(http.StatusUnauthorized, "unauthenticated")
	env.Anon().Get("/no/such/path/" + strings.Repeat("x", 10)).Want(http.StatusNotFound)
	// Not on the API's address: METRICS_ADDR serves them (see app.Serve).
	env.Anon().Get("/metrics").WantError(http.StatusNotFound, "not_found")
	rec := httptest.NewRecorder()
	env.App.Metrics.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`parksafe_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1`,
		`parksafe_http_requests_total{method="GET",route="/api/v1/me",status="200"} 1`,
		`parksafe_http_requests_total{method="GET",route="/api/v1/enterprises/:id",status="401"} 1`,
		`route="unmatched"`,
		`parksafe_http_request_duration_seconds_bucket`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "/no/such/path") || strings.Contains(body, "enterprises/12345") {
		t.Error("raw paths leak into metric labels")
	}

	r := env.Anon().Get("/swagger/index.html").Want(http.StatusOK)
	if !strings.Contains(string(r.Body), "swagger") {
		t.Fatalf("swagger UI: %.200s", r.Body)
	}
	doc := string(env.Anon().Get("/swagger/doc.json").Want(http.StatusOK).Body)
	for _, p := range []string{"/auth/login", "/auth/wechat/login", "/auth/wechat/bind", "/auth/refresh", "/auth/logout", "/me", "/me/password", "/users/{id}", "/enterprises/{id}"} {
		if !strings.Contains(doc, `"`+p+`"`) {
			t.Errorf("swagger document lacks %s", p)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	// Behind a trusted proxy the client address comes from X-Forwarded-For, so the per-address limit
	// applies to the real client, not to the proxy.
	env := apitest.New(t, apitest.WithEnv("TRUSTED_PROXIES", "10.0.0.0/8"))
	name := usernameOf(env.Inspector())
	send := func(remote, xff string) int {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"username":"nobody","password":"Wrong-pass1"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", xff)
		req.RemoteAddr = remote + ":1234"
		rec := httptest.NewRecorder()
		env.App.Handler.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := 0; i < 20; i++ {
		send("10.1.1.1", "198.51.100.77")
	}
	if code := send("10.1.1.1", "198.51.100.77"); code != http.StatusTooManyRequests {
		t.Fatalf("client behind the proxy after 20 failures: %d", code)
	}
	if rec := login(env, "10.1.1.1", name, testPassword); rec.Code != http.StatusOK {
		t.Fatalf("another client through the same proxy: %d", rec.Code)
	}
	// An untrusted peer cannot pick its address with the header.
	for i := 0; i < 20; i++ {
		send("192.0.2.9", "198.51.100.200")
	}
	if code := send("192.0.2.9", "198.51.100.201"); code != http.StatusTooManyRequests {
		t.Fatalf("untrusted peer rotated X-Forwarded-For past the limit: %d", code)
	}
}
