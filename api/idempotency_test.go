package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

func TestIdempotentReplay(t *testing.T) {
	env := apitest.New(t)
	body := enterpriseBody(env, "", nil)
	first := env.Admin().Post("/api/v1/enterprises", body, "Idempotency-Key", "ent-1").Want(http.StatusCreated)
	if first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("the first answer is marked as a replay")
	}
	again := env.Admin().Post("/api/v1/enterprises", body, "Idempotency-Key", "ent-1").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("replay: header %q, body %s, first %s", again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
	}
	if n := enterpriseCount(env); n != 1 {
		t.Fatalf("%d enterprises after a retried creation", n)
	}
	// The same key for another body is a client mistake.
	other := enterpriseBody(env, "", nil)
	r := env.Admin().Post("/api/v1/enterprises", other, "Idempotency-Key", "ent-1").WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("Idempotency-Key") == "" {
		t.Fatalf("reused key should be named: %s", r.Body)
	}
	// And for another route.
	env.Admin().Post("/api/v1/users", map[string]any{"name": "甲", "mobile": env.Mobile(), "role": "inspector"}, "Idempotency-Key", "ent-1").
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if n := enterpriseCount(env); n != 1 {
		t.Fatalf("%d enterprises after refused requests", n)
	}
	// Without a key, nothing is deduplicated; over-long keys are refused.
	env.Admin().Post("/api/v1/enterprises", other).Want(http.StatusCreated)
	long := string(bytes.Repeat([]byte("k"), 129))
	wantField(t, env.Admin().Post("/api/v1/enterprises", enterpriseBody(env, "", nil), "Idempotency-Key", long), "Idempotency-Key")
}

func TestIdempotencyKeysBelongToTheUser(t *testing.T) {
	env := apitest.New(t)
	other := env.CreateUser("admin", 0)
	mobileA, mobileB := env.Mobile(), env.Mobile()
	a := env.Admin().Post("/api/v1/users", map[string]any{"name": "甲", "mobile": mobileA, "role": "inspector"}, "Idempotency-Key", "same").Want(http.StatusCreated)
	b := other.Post("/api/v1/users", map[string]any{"name": "乙", "mobile": mobileB, "role": "inspector"}, "Idempotency-Key", "same").Want(http.StatusCreated)
	if a.ID() == b.ID() || b.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another user's key replayed: %s / %s", a.Body, b.Body)
	}
}

func TestIdempotencyDoesNotKeepFailures(t *testing.T) {
	env := apitest.New(t)
	mobile := env.Mobile()
	bad := map[string]any{"name": "丙", "mobile": "12345", "role": "inspector"}
	wantField(t, env.Admin().Post("/api/v1/users", bad, "Idempotency-Key", "retry-me"), "mobile")
	// The same failing request again runs again (and fails again), not a stored answer.
	r := env.Admin().Post("/api/v1/users", bad, "Idempotency-Key", "retry-me")
	wantField(t, r, "mobile")
	if r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("a failure was replayed")
	}
	good := map[string]any{"name": "丙", "mobile": mobile, "role": "inspector"}
	first := env.Admin().Post("/api/v1/users", good, "Idempotency-Key", "retry-me").Want(http.StatusCreated)
	again := env.Admin().Post("/api/v1/users", good, "Idempotency-Key", "retry-me").Want(http.StatusCreated)
	if first.ID() != again.ID() || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the corrected retry: %s / %s", first.Body, again.Body)
	}
}

func TestIdempotentConcurrentDuplicates(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	body := enterpriseBody(env, "", nil)
	const n = 4
	var wg sync.WaitGroup
	results := make([]*apitest.Response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = admin.Post("/api/v1/enterprises", body, "Idempotency-Key", "burst")
		}()
	}
	wg.Wait()
	var id uint64
	for _, r := range results {
		switch r.Status {
		case http.StatusCreated:
			if id == 0 {
				id = r.ID()
			} else if r.ID() != id {
				t.Fatalf("two different enterprises answered: %d and %d", id, r.ID())
			}
		case http.StatusConflict: // still in flight after the wait: acceptable
		default:
			t.Fatalf("concurrent duplicate: %d %s", r.Status, r.Body)
		}
	}
	if c := enterpriseCount(env); c != 1 {
		t.Fatalf("%d enterprises from one key", c)
	}
}

// TestIdempotencyKeysCompareExactly: keys differing only in letter case are different keys (MySQL's
// default collation would have merged them).
func TestIdempotencyKeysCompareExactly(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	body := func() map[string]any {
		return map[string]any{"name": "大小写化工" + itoa(uint64(env.Seq())), "uscc": env.USCC(), "kind": "chemical_other",
			"principal_name": "王", "principal_mobile": env.Mobile()}
	}
	a := admin.Post("/api/v1/enterprises", body(), "Idempotency-Key", "Key-1").Want(http.StatusCreated).ID()
	b := admin.Post("/api/v1/enterprises", body(), "Idempotency-Key", "key-1").Want(http.StatusCreated).ID()
	if a == b {
		t.Fatalf("keys differing in case replayed one another: %d", a)
	}
}

// TestIdempotencyFingerprintsBodiesWithoutContentType: a JSON body sent without a Content-Type is
// read by the handler all the same, so it is part of the request a key stands for.
func TestIdempotencyFingerprintsBodiesWithoutContentType(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	raw := func(v any) io.Reader {
		b, _ := json.Marshal(v)
		return bytes.NewReader(b)
	}
	one, two := enterpriseBody(env, "", nil), enterpriseBody(env, "", nil)
	first := admin.Do(http.MethodPost, "/api/v1/enterprises", raw(one), "Idempotency-Key", "no-ct").Want(http.StatusCreated)
	r := admin.Do(http.MethodPost, "/api/v1/enterprises", raw(two), "Idempotency-Key", "no-ct").
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("Idempotency-Key") == "" {
		t.Fatalf("a different body under the same key was not refused: %s", r.Body)
	}
	again := admin.Do(http.MethodPost, "/api/v1/enterprises", raw(one), "Idempotency-Key", "no-ct").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.ID() != first.ID() {
		t.Fatalf("the same body was not replayed: %s", again.Body)
	}
	if n := enterpriseCount(env); n != 1 {
		t.Fatalf("%d enterprises", n)
	}
}

// TestIdempotencyLongPath: the key's record holds the route template and a hash of the path, so a
// long path (an id with many leading zeros) is served like a short one, on every database.
func TestIdempotencyLongPath(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	path := "/api/v1/hazards/" + strings.Repeat("0", 300) + itoa(id) + "/rectification"
	body := map[string]any{"description": "已清理完毕", "photo_ids": []uint64{p.photo(p.entUser)}}
	first := p.entUser.Post(path, body, "Idempotency-Key", "long").Want(http.StatusOK)
	again := p.entUser.Post(path, body, "Idempotency-Key", "long").Want(http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("long path not replayed: %s", again.Body)
	}
	p.entUser.Post("/api/v1/hazards/"+strings.Repeat("9", 300)+"/rectification", body, "Idempotency-Key", "long-404").
		WantError(http.StatusNotFound, "not_found")
	var routes []string
	p.env.App.DB.Model(&model.IdempotencyRecord{}).Pluck("route", &routes)
	if !slices.Contains(routes, "POST /api/v1/hazards/:id/rectification") {
		t.Fatalf("stored routes %q, want the template", routes)
	}
	for _, r := range routes {
		if strings.Contains(r, "000") {
			t.Fatalf("a concrete path was stored: %q", r)
		}
	}
}

// TestIdempotencyAnswersFromTheReleaseBeforeReplay: an answer stored by the previous release (the
// concrete path in its route, no path hash) is still replayed to the phone that retries after an
// upgrade.
func TestIdempotencyAnswersFromTheReleaseBeforeReplay(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	body := enterpriseBody(env, "", nil)
	raw, _ := json.Marshal(body)
	hex := func(b []byte) string { s := sha256.Sum256(b); return fmt.Sprintf("%x", s) }
	err := env.App.DB.Create(&model.IdempotencyRecord{UserID: admin.UserID(), Key: hex([]byte("before-upgrade")),
		Route: "POST /api/v1/enterprises /api/v1/enterprises", RequestHash: hex(raw), StatusCode: http.StatusCreated,
		Body: []byte(`{"id":42}`), ExpiresAt: env.Clock.Now().Add(time.Hour)}).Error
	if err != nil {
		t.Fatal(err)
	}
	r := admin.Post("/api/v1/enterprises", body, "Idempotency-Key", "before-upgrade").Want(http.StatusCreated)
	if r.ID() != 42 || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the earlier answer was not replayed: %s", r.Body)
	}
	if n := enterpriseCount(env); n != 0 {
		t.Fatalf("%d enterprises created by a replayed request", n)
	}
}
