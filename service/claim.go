package service

import (
	"context"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
)

// Claim is a request's hold on its Idempotency-Key while it runs. The request's context carries it
// (WithClaim), and the request's transactions fence it (Transact), so that a write commits only while
// the claim is the request's and a request that wrote is never run again.
type Claim struct {
	id      uint64
	token   string
	clock   Clock
	ttl     time.Duration
	written atomic.Bool
}

// NewClaim returns the claim of the idempotency record id under token; a write that fences it keeps
// the record for ttl.
func NewClaim(id uint64, token string, clock Clock, ttl time.Duration) *Claim {
	return &Claim{id: id, token: token, clock: clock, ttl: ttl}
}

// ID is the idempotency record the claim holds.
func (c *Claim) ID() uint64 { return c.id }

// Token tells this claim apart from a later one on the same record.
func (c *Claim) Token() string { return c.token }

// Written reports whether a transaction of the claim's request has committed.
func (c *Claim) Written() bool { return c.written.Load() }

type claimKey struct{}

// WithClaim returns ctx carrying claim, for the request's transactions to fence.
func WithClaim(ctx context.Context, claim *Claim) context.Context {
	return context.WithValue(ctx, claimKey{}, claim)
}

func claimOf(ctx context.Context) *Claim {
	c, _ := ctx.Value(claimKey{}).(*Claim)
	return c
}

var errClaimLost = Conflict("该请求已由一次重试接手处理，请以重试的结果为准")

// fence marks the claim's request as having written, inside its transaction tx; it fails when the
// claim was taken over meanwhile, which rolls the write back. Only the first write of a request
// needs it: afterwards no retry may take the key over.
func (c *Claim) fence(tx *gorm.DB) error {
	if c == nil || c.written.Load() {
		return nil
	}
	now := c.clock.Now()
	res := tx.Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", c.id, c.token).
		Updates(map[string]any{"committed_at": now, "expires_at": now.Add(c.ttl)})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errClaimLost
	}
	return nil
}

func (c *Claim) markCommitted() {
	if c != nil {
		c.written.Store(true)
	}
}
