package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"

	"github.com/gin-gonic/gin"

	"parksafe/service"
)

// IdempotencyStore is the storage side of idempotent requests.
type IdempotencyStore interface {
	Begin(ctx context.Context, userID uint64, key string, fp service.Fingerprint) (*service.Replay, error)
	Complete(ctx context.Context, userID uint64, key string, status int, body []byte) error
	Abort(ctx context.Context, userID uint64, key string) error
}

// Idempotent makes a creating route honour the Idempotency-Key header: the first request with a
// key runs and its successful answer is kept; a retry by the same user with the same key and body
// gets that answer back (with Idempotent-Replayed: true) and creates nothing. Failures are not kept,
// so a corrected or later retry runs afresh. The request is fingerprinted by its route, its path and
// the body the handler reads (any body but a multipart upload, which is not buffered to spare
// memory), so a key reused for a different request is refused.
func Idempotent(store IdempotencyStore, onError ErrorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
		actor, ok := ActorOf(c)
		if key == "" || !ok {
			c.Next()
			return
		}
		fp := service.Fingerprint{Route: c.Request.Method + " " + c.FullPath(), Path: c.Request.URL.Path}
		if c.Request.Body != nil && c.ContentType() != "multipart/form-data" {
			body, err := io.ReadAll(c.Request.Body)
			if err != nil {
				onError(c, tooLargeOr(err))
				return
			}
			c.Request.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.Sum256(body)
			fp.BodyHash = hex.EncodeToString(sum[:])
		}
		ctx := c.Request.Context()
		replay, err := store.Begin(ctx, actor.ID, key, fp)
		if err != nil {
			onError(c, err)
			return
		}
		if replay != nil {
			c.Header("Idempotent-Replayed", "true")
			c.Data(replay.Status, "application/json; charset=utf-8", replay.Body)
			c.Abort()
			return
		}
		// The outcome is recorded even when the client has gone: a key left claimed but unanswered
		// makes every retry wait and get 409 until it expires.
		ctx = context.WithoutCancel(ctx)
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		completed := false
		defer func() {
			if !completed {
				// A panic or a failure: release the key so that the retry runs again.
				if err := store.Abort(ctx, actor.ID, key); err != nil {
					Log(c).WarnContext(ctx, "idempotency abort", "err", err)
				}
			}
		}()
		c.Next()
		if status := rec.Status(); status >= 200 && status < 300 {
			if err := store.Complete(ctx, actor.ID, key, status, rec.body.Bytes()); err != nil {
				Log(c).WarnContext(ctx, "idempotency complete", "err", err)
				return
			}
			completed = true
		}
	}
}

// recorder keeps a copy of the response body while writing it through.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
