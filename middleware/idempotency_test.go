package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"parksafe/middleware"
	"parksafe/service"
	"parksafe/service/idempotency"
)

type anyone struct{}

func (anyone) Authenticate(context.Context, string) (service.Actor, error) {
	return service.Actor{ID: 7, Role: "admin"}, nil
}

// ctxStore is an idempotency store that, like the database, refuses work on a cancelled context.
type ctxStore struct{ completed, released bool }

func (s *ctxStore) Begin(ctx context.Context, userID uint64, key string, fp idempotency.Fingerprint) (*service.Claim, *idempotency.Replay, error) {
	return &service.Claim{}, nil, ctx.Err()
}

func (s *ctxStore) Hold(*service.Claim) func() { return func() {} }

func (s *ctxStore) Complete(ctx context.Context, claim *service.Claim, status int, body []byte) error {
	s.completed = ctx.Err() == nil
	return ctx.Err()
}

func (s *ctxStore) Release(ctx context.Context, claim *service.Claim) error {
	s.released = ctx.Err() == nil
	return ctx.Err()
}

// TestIdempotencyRecordsAfterTheClientLeft: a phone that drops the connection once the record is
// created must still find its answer kept; with the request's context the key was left claimed and
// unanswered, so every retry was turned away until it expired.
func TestIdempotencyRecordsAfterTheClientLeft(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	store := &ctxStore{}
	ctx, cancel := context.WithCancel(context.Background())
	r := gin.New()
	r.POST("/things", middleware.Auth(anyone{}, writeError), middleware.Idempotent(store, writeError, t.TempDir()), func(c *gin.Context) {
		cancel() // the client goes away while the record is written
		c.JSON(http.StatusCreated, gin.H{"id": 1})
	})
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/things", nil)
	req.Header.Set("Authorization", "Bearer x")
	req.Header.Set("Idempotency-Key", "k1")
	r.ServeHTTP(httptest.NewRecorder(), req)
	if !store.completed {
		t.Fatal("the answer was not kept once the client had gone")
	}
}
