package api_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service/idempotency"
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
		case http.StatusServiceUnavailable: // still in flight after the wait: come back later
			if r.Header.Get("Retry-After") == "" {
				t.Fatalf("in flight without Retry-After: %s", r.Body)
			}
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

// hazardCount counts every hazard.
func hazardCount(env *apitest.Env) int64 {
	var n int64
	env.App.DB.Model(&model.Hazard{}).Count(&n)
	return n
}

// TestIdempotencyAnswerSurvivesABlip: the hazard is created, then storing its answer fails twice (a
// database blip); the answer is stored on a later try, and the phone's retry gets it.
func TestIdempotencyAnswerSurvivesABlip(t *testing.T) {
	p := newHazardPark(t)
	body := p.body(p.insp, p.ent, nil)
	f := injectFault(t, p.env.App.DB, "update", 2, driver.ErrBadConn, setting("idempotency_records", "status_code"))
	first := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "blip").Want(http.StatusCreated)
	if f.hits.Load() != 2 {
		t.Fatalf("the answer was stored after %d failures, want 2", f.hits.Load())
	}
	again := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "blip").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("retry after a blip: %s, first %s", again.Body, first.Body)
	}
	if n := hazardCount(p.env); n != 1 {
		t.Fatalf("%d hazards from one key", n)
	}
}

// TestIdempotencyNeverRunsASucceededWriteTwice: when the hazard was committed but its answer could
// not be stored however often it was tried, the key stays claimed: while its lease lasts a retry is
// told to come back, and then learns that the report was made; nothing is created twice.
func TestIdempotencyNeverRunsASucceededWriteTwice(t *testing.T) {
	p := newHazardPark(t)
	p.env.App.Idempotency.AnswerRetries = 2
	p.env.App.Idempotency.Wait = 50 * time.Millisecond

	body := p.body(p.insp, p.ent, nil)
	injectFault(t, p.env.App.DB, "update", 1000, driver.ErrBadConn, setting("idempotency_records", "status_code"))
	p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "lost-answer").Want(http.StatusCreated)
	p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "lost-answer").WantError(http.StatusServiceUnavailable, "unavailable")
	p.env.Clock.Advance(time.Minute)
	r := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "lost-answer").WantError(http.StatusConflict, "conflict")
	if !strings.Contains(string(r.Body), "已处理成功") {
		t.Fatalf("the retry is not told the report was made: %s", r.Body)
	}
	if n := hazardCount(p.env); n != 1 {
		t.Fatalf("%d hazards from one key", n)
	}
}

// TestIdempotencyWriteCommittedButNotReadBack: the hazard commits, then reading it back fails; the
// phone sees a 503 and retries, and the retry must not report the hazard a second time.
func TestIdempotencyWriteCommittedButNotReadBack(t *testing.T) {
	p := newHazardPark(t)
	body := p.body(p.insp, p.ent, nil)
	injectFault(t, p.env.App.DB, "query", 1, driver.ErrBadConn, outsideTx("hazards"))
	p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "unread").WantError(http.StatusServiceUnavailable, "unavailable")
	p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "unread").WantError(http.StatusConflict, "conflict")
	if n := hazardCount(p.env); n != 1 {
		t.Fatalf("%d hazards from one key", n)
	}
}

// TestIdempotencyClaimOutlivesNoCrash: a request dies with the database (the hazard is not written
// and the key cannot be released either). Its claim is a lease: a retry meanwhile is told to come
// back (503 with Retry-After), and once the lease has run out the retry takes the key over.
func TestIdempotencyClaimOutlivesNoCrash(t *testing.T) {
	p := newHazardPark(t)
	p.env.App.Idempotency.Wait = 50 * time.Millisecond
	body := p.body(p.insp, p.ent, nil)
	injectFault(t, p.env.App.DB, "create", 1, driver.ErrBadConn, table("hazards"))
	injectFault(t, p.env.App.DB, "delete", 1, driver.ErrBadConn, table("idempotency_records"))
	first := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "crash")
	if first.Status < 500 {
		t.Fatalf("the failing report answered %d %s", first.Status, first.Body)
	}
	r := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "crash").WantError(http.StatusServiceUnavailable, "unavailable")
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Fatalf("Retry-After %q while the claim is held", r.Header.Get("Retry-After"))
	}
	p.env.Clock.Advance(time.Minute)
	p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "crash").Want(http.StatusCreated)
	if n := hazardCount(p.env); n != 1 {
		t.Fatalf("%d hazards from one key", n)
	}
}

// TestIdempotencyTakenOverClaimCannotCommit: a request stalls before it writes, its lease runs out
// and a retry takes the key over and creates the interview. When the stalled request wakes, its
// write is refused: one interview, not two.
func TestIdempotencyTakenOverClaimCannotCommit(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	ent := env.CreateEnterprise("")
	body := map[string]any{"enterprise_id": ent, "reason": "带队检查未开展", "attendee": "主要负责人",
		"scheduled_at": env.App.Park.Now().Add(72 * time.Hour).Format(time.RFC3339)}
	entered, resume := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	err := env.App.DB.Callback().Query().After("gorm:query").Register("test:stall", func(db *gorm.DB) {
		if db.Statement.Table == "enterprises" && first.CompareAndSwap(false, true) {
			close(entered)
			<-resume
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	stalled := make(chan *apitest.Response)
	go func() { stalled <- admin.Post("/api/v1/interviews", body, "Idempotency-Key", "stall") }()
	<-entered
	env.Clock.Advance(time.Minute)
	retry := admin.Post("/api/v1/interviews", body, "Idempotency-Key", "stall").Want(http.StatusCreated)
	close(resume)
	late := <-stalled
	if late.Status < 400 {
		t.Fatalf("the stalled request still wrote: %d %s", late.Status, late.Body)
	}
	var n int64
	env.App.DB.Model(&model.Interview{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d interviews from one key", n)
	}
	again := admin.Post("/api/v1/interviews", body, "Idempotency-Key", "stall").Want(http.StatusCreated)
	if again.ID() != retry.ID() {
		t.Fatalf("the replay names interview %d, the retry made %d", again.ID(), retry.ID())
	}
}

// TestIdempotencyAnswerKeptFromTheAnswer: the time a stored answer is replayed starts when the answer
// is stored, not when the request arrived, and outlasts a phone's weekend without signal.
func TestIdempotencyAnswerKeptFromTheAnswer(t *testing.T) {
	p := newHazardPark(t)
	body := p.body(p.insp, p.ent, nil)
	err := p.env.App.DB.Callback().Create().After("gorm:create").Register("test:slow", func(db *gorm.DB) {
		if db.Statement.Table == "hazards" {
			p.env.Clock.Advance(2 * time.Hour) // the report took two hours to store
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	first := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "slow").Want(http.StatusCreated)
	p.env.Clock.Advance(3 * 24 * time.Hour) // a Friday round retried on Monday
	again := p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "slow").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.ID() != first.ID() {
		t.Fatalf("three days after the answer the retry was not replayed: %s", again.Body)
	}
	p.env.Clock.Advance(idempotency.TTL - 3*24*time.Hour - time.Hour)
	again = p.insp.Post("/api/v1/hazards", body, "Idempotency-Key", "slow").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.ID() != first.ID() {
		t.Fatalf("an hour before the answer expires the retry was not replayed: %s", again.Body)
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

// TestHazardDecisionsAreReplayed: a phone that lost the answer to a decision and sends it again
// with the same Idempotency-Key gets the first answer back, not a 409 for its own success.
func TestHazardDecisionsAreReplayed(t *testing.T) {
	p := newHazardPark(t)
	retried := func(c *apitest.Client, path string, body map[string]any) {
		t.Helper()
		key := "decide-" + itoa(uint64(p.env.Seq()))
		first := c.Post(path, body, "Idempotency-Key", key).Want(http.StatusOK)
		again := c.Post(path, body, "Idempotency-Key", key).Want(http.StatusOK)
		if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
			t.Fatalf("%s retried: %s", path, again.Body)
		}
	}
	general := p.report(p.ent, nil)
	p.rectify(general).Want(http.StatusOK)
	retried(p.insp, p.path(general, "verify"), map[string]any{"approved": true, "comment": "整改到位"})

	major := p.report(p.ent, map[string]any{"level": "major"})
	p.rectify(major).Want(http.StatusOK)
	p.insp.Post(p.path(major, "verify"), map[string]any{"approved": true}).Want(http.StatusOK)
	retried(p.admin, p.path(major, "approve"), map[string]any{"approved": true})

	voided := p.report(p.ent, nil)
	retried(p.insp, p.path(voided, "void"), map[string]any{"reason": "重复上报"})

	extended := p.report(p.ent, nil)
	p.entUser.Post(p.path(extended, "extension"), map[string]any{"deadline": p.env.App.Park.Today().AddDate(0, 0, 14).Format(time.DateOnly),
		"reason": "备件到货需要时间"}).Want(http.StatusOK)
	retried(p.insp, p.path(extended, "extension/decision"), map[string]any{"approved": true})

	for id, want := range map[uint64][]string{general: {"created", "rectification_submitted", "verified"}, voided: {"created", "voided"}} {
		wantActions(t, p.get(id), want...)
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

// TestCorrectionsAreReplayed: a versioned correction retried with its Idempotency-Key gets its own
// answer back instead of a 409 for the version it moved on itself.
func TestCorrectionsAreReplayed(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	b := admin.Post("/api/v1/bulletins", map[string]any{"title": "通知", "kind": "general", "content_markdown": "正文"}).Want(http.StatusCreated)
	path := "/api/v1/bulletins/" + itoa(b.ID())
	patch := map[string]any{"title": "关于安全检查的通知", "version": 1}
	first := admin.Patch(path, patch, "Idempotency-Key", "fix-title").Want(http.StatusOK)
	again := admin.Patch(path, patch, "Idempotency-Key", "fix-title").Want(http.StatusOK)
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("retried correction: %s", again.Body)
	}
	admin.Patch(path, patch).WantError(http.StatusConflict, "conflict") // without a key it is stale
}
