package api_test

import (
	"bytes"
	"net/http"
	"sync"
	"testing"

	"parksafe/apitest"
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
