package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"parksafe/model"
)

// TestKeyedRequestOutlivesItsClient: a phone that gives up right after its report was committed
// (the read-back of the new hazard runs after the client hung up) must get the report's answer when
// it retries with the same key, not a 409 saying it succeeded, and the hazard exists once.
func TestKeyedRequestOutlivesItsClient(t *testing.T) {
	p := newHazardPark(t)
	body, err := json.Marshal(p.body(p.insp, p.ent, nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx, hangUp := context.WithCancel(context.Background())
	defer hangUp()
	var hungUp atomic.Bool
	err = p.env.App.DB.Callback().Query().Before("gorm:query").Register("test:hang_up_after_commit", func(db *gorm.DB) {
		if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); db.Statement.Table == "hazards" && !inTx && hungUp.CompareAndSwap(false, true) {
			hangUp()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/v1/hazards", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.insp.Token)
	req.Header.Set("Idempotency-Key", "lost-signal-1")
	rec := httptest.NewRecorder()
	p.env.App.Handler.ServeHTTP(rec, req)
	if !hungUp.Load() {
		t.Fatal("the client never hung up: the read-back was not reached")
	}

	retry := p.insp.Do(http.MethodPost, "/api/v1/hazards", body, "Idempotency-Key", "lost-signal-1", "Content-Type", "application/json")
	if retry.Status != http.StatusCreated || retry.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry after the client hung up: %d %s (first answer %d)", retry.Status, retry.Body, rec.Code)
	}
	var n int64
	p.env.App.DB.Model(&model.Hazard{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d hazards, want 1", n)
	}
}
