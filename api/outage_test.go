package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"parksafe/apitest"
)

// TestDatabaseDownIsUnavailable: with the database gone every request that needs it answers 503
// unavailable with Retry-After, so that the phone's outbox keeps the submission and sends it again;
// a read, a write, and a write with an Idempotency-Key alike.
func TestDatabaseDownIsUnavailable(t *testing.T) {
	p := newHazardPark(t)
	body := p.body(p.insp, p.ent, nil)
	sqlDB, err := p.env.App.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	for _, r := range []*apitest.Response{
		p.insp.Get("/api/v1/hazards"),
		p.insp.Post("/api/v1/hazards", body),
		p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "down"),
		p.env.Anon().Post("/api/v1/auth/login", map[string]any{"username": "admin", "password": apitest.AdminPassword}),
	} {
		r.WantError(http.StatusServiceUnavailable, "unavailable")
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
	}
}
