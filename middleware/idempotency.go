package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service"
	"parksafe/service/idempotency"
)

// keyedRequestTimeout bounds a request with an Idempotency-Key once it no longer ends with its client.
const keyedRequestTimeout = 2 * time.Minute

// IdempotencyStore is the storage side of idempotent requests (service.Idempotency).
type IdempotencyStore interface {
	Begin(ctx context.Context, userID uint64, key string, fp idempotency.Fingerprint) (*service.Claim, *idempotency.Replay, error)
	Hold(claim *service.Claim) (stop func())
	Complete(ctx context.Context, claim *service.Claim, status int, body []byte) error
	Release(ctx context.Context, claim *service.Claim) error
}

// Idempotent makes a route honour the Idempotency-Key header: the first request with a key runs and
// its successful answer is kept; a retry by the same user with the same key and request gets that
// answer back (with Idempotent-Replayed: true) and changes nothing. Failures are not kept, so a
// corrected or later retry runs afresh, unless the request had already written: then the key stays
// taken. The request is fingerprinted by its route, its path and the body the handler reads (any
// body but a multipart upload, which is not buffered to spare memory), so a key reused for a
// different request is refused.
func Idempotent(store IdempotencyStore, onError ErrorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
		actor, ok := ActorOf(c)
		if key == "" || !ok {
			c.Next()
			return
		}
		fp := idempotency.Fingerprint{Route: c.Request.Method + " " + c.FullPath(), Path: c.Request.URL.Path}
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
		claim, replay, err := store.Begin(ctx, actor.ID, key, fp)
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
		// A request with a key runs to its end even when the client has gone (a phone that lost the
		// signal): its retry is coming, and must find the answer rather than a write without one.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), keyedRequestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(service.WithClaim(ctx, claim))
		stop := store.Hold(claim)
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		answered := false
		defer func() {
			if answered {
				return
			}
			// A panic or a failure: the key is freed (or, if the request wrote, kept) for the retry.
			stop()
			if err := store.Release(ctx, claim); err != nil {
				Log(c).WarnContext(ctx, "idempotency release; the claim runs out with its lease", "err", err)
			}
		}()
		c.Next()
		if status := rec.Status(); status >= 200 && status < 300 {
			answered = true
			err := store.Complete(ctx, claim, status, rec.body.Bytes())
			stop()
			if err != nil {
				Log(c).ErrorContext(ctx, "idempotency answer not stored; a retry is told the request succeeded", "err", err)
			}
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
