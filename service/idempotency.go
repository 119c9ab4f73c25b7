package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"parksafe/model"
)

// IdempotencyTTL is how long a stored answer is replayed, from the moment it was stored. A phone's
// outbox may hold a submission over a long weekend or a trip without signal, and a retry after the
// key is forgotten would write again, so keys are kept for a month, not a day.
const IdempotencyTTL = 30 * 24 * time.Hour

// IdempotencyLease is how long a request's claim on its key holds without renewal. Hold renews it
// while the request runs, so it runs out only when the request's process died (a crash, a kill) or
// lost the database; a retry may then take the key over.
const IdempotencyLease = 30 * time.Second

// Replay is a stored answer to send again.
type Replay struct {
	Status int
	Body   []byte
}

// Fingerprint is what an Idempotency-Key stands for: a retry must match it, or the key was reused
// for another request.
type Fingerprint struct {
	// Route is the method and the route template: "POST /api/v1/hazards/:id/verify".
	Route string
	// Path is the concrete path; only its hash is stored, so any length is fine.
	Path string
	// BodyHash is the SHA-256 (hex) of the body the handler reads, or "" for a body it streams.
	BodyHash string
}

// Claim is a request's hold on its Idempotency-Key while it runs. The request's context carries it
// (WithClaim), and the request's transactions fence it (transact), so that a write commits only while
// the claim is the request's and a request that wrote is never run again.
type Claim struct {
	id      uint64
	token   string
	clock   Clock
	written atomic.Bool
}

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
		Updates(map[string]any{"committed_at": now, "expires_at": now.Add(IdempotencyTTL)})
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

// Idempotency stores the first answer to a request per user and Idempotency-Key.
type Idempotency struct {
	db    *gorm.DB
	clock Clock
	// Wait is how long a retry waits for the request holding its key before it is told to come back
	// (503 with Retry-After).
	Wait time.Duration
	poll time.Duration
	// AnswerRetries is how often storing an answer is tried again after a failure, with pauses
	// doubling from AnswerPause to 2 s; together well inside IdempotencyLease, so that a retry that
	// finds the lease run out knows nobody is storing the answer any more.
	AnswerRetries int
	AnswerPause   time.Duration
}

// NewIdempotency returns the store.
func NewIdempotency(db *gorm.DB, clock Clock) *Idempotency {
	return &Idempotency{db: db, clock: clock, Wait: 10 * time.Second, poll: 100 * time.Millisecond,
		AnswerRetries: 8, AnswerPause: 100 * time.Millisecond}
}

var errKeyReused = &Error{Code: CodeValidation, Message: "Idempotency-Key 已用于另一个不同的请求，请换一个新的 Key",
	Fields: map[string]string{"Idempotency-Key": "已用于另一个不同的请求"}}

// errAnswerLost answers a retry of a request that wrote but whose answer could not be stored: the
// write stands and must not be made again, and the record shows what happened.
var errAnswerLost = Conflict("该请求已处理成功，但未能保存处理结果；请刷新后查看，无需再次提交")

// Begin claims key for userID. It returns a Replay when the same request already has an answer, and
// otherwise a Claim: the caller runs the request under it (WithClaim, Hold) and ends with Complete or
// Release. A claim whose lease ran out before its request wrote is taken over; a retry of a request
// that is still running waits up to Wait and is then told to come back.
func (s *Idempotency) Begin(ctx context.Context, userID uint64, key string, fp Fingerprint) (*Claim, *Replay, error) {
	if len(key) > 128 || key == "" || !printable(key) {
		return nil, nil, Invalid("Idempotency-Key", "Idempotency-Key 应为 1 到 128 个字符的文本")
	}
	key = keyDigest(key)
	pathHash := hashToken(fp.Path)
	deadline := time.Now().Add(s.Wait)
	for {
		now := s.clock.Now()
		token, lease := newClaimToken(), now.Add(IdempotencyLease)
		rec := model.IdempotencyRecord{UserID: userID, Key: key, Route: fp.Route, PathHash: pathHash, RequestHash: fp.BodyHash,
			Token: token, LeaseUntil: &lease, ExpiresAt: now.Add(IdempotencyTTL)}
		err := s.db.WithContext(ctx).Create(&rec).Error
		if err == nil {
			return &Claim{id: rec.ID, token: token, clock: s.clock}, nil, nil
		}
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, nil, err
		}
		var old model.IdempotencyRecord
		err = s.db.WithContext(ctx).Where("user_id = ? AND `key` = ?", userID, key).First(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // released between our insert and our read
		} else if err != nil {
			return nil, nil, err
		}
		if !now.Before(old.ExpiresAt) {
			// An undeletable expired record would otherwise send this loop round forever.
			if err := s.db.WithContext(ctx).Where("id = ? AND expires_at <= ?", old.ID, now).Delete(&model.IdempotencyRecord{}).Error; err != nil {
				return nil, nil, err
			}
			continue
		}
		if !fingerprintMatches(&old, fp, pathHash) {
			return nil, nil, errKeyReused
		}
		if old.StatusCode != 0 {
			return nil, &Replay{Status: old.StatusCode, Body: old.Body}, nil
		}
		if old.LeaseUntil == nil || !now.Before(*old.LeaseUntil) {
			if old.CommittedAt != nil {
				return nil, nil, errAnswerLost
			}
			// Its request died before it wrote: take the key over, unless it was renewed meanwhile.
			res := s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).
				Where("id = ? AND token = ? AND status_code = 0 AND committed_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)", old.ID, old.Token, now).
				Updates(map[string]any{"token": token, "lease_until": lease})
			if res.Error != nil {
				return nil, nil, res.Error
			}
			if res.RowsAffected == 1 {
				return &Claim{id: old.ID, token: token, clock: s.clock}, nil, nil
			}
			continue
		}
		if time.Now().After(deadline) {
			return nil, nil, &Error{Code: CodeUnavailable, Message: "相同的请求正在处理中，请稍后再试",
				RetryAfter: max(1, int(old.LeaseUntil.Sub(now).Seconds()+0.999))}
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(s.poll):
		}
	}
}

// fingerprintMatches reports whether the request fingerprinted by fp (with pathHash the hash of its
// path) is the one r was made for. A record from before route templates holds the concrete path in
// Route and a body hash only for bodies declared as JSON.
func fingerprintMatches(r *model.IdempotencyRecord, fp Fingerprint, pathHash string) bool {
	if r.PathHash == "" {
		return r.Route == fp.Route+" "+fp.Path && (r.RequestHash == "" || r.RequestHash == fp.BodyHash)
	}
	return r.Route == fp.Route && r.PathHash == pathHash && r.RequestHash == fp.BodyHash
}

// Hold renews claim's lease while its request runs, until the returned stop is called; stop returns
// once renewing has ended.
func (s *Idempotency) Hold(claim *Claim) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(IdempotencyLease / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				// A failed renewal is tried again at the next tick; the lease has room for two.
				ctx, cancel := context.WithTimeout(context.Background(), IdempotencyLease/3)
				s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.id, claim.token).
					Update("lease_until", s.clock.Now().Add(IdempotencyLease))
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-finished
	}
}

// Complete stores the answer of claim's request, to be replayed for a day from now. A failure to
// store it is tried again (AnswerRetries): the request has done its work, and its key is never
// released.
func (s *Idempotency) Complete(ctx context.Context, claim *Claim, status int, body []byte) error {
	pause := s.AnswerPause
	for attempt := 0; ; attempt++ {
		now := s.clock.Now()
		err := s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.id, claim.token).
			Updates(map[string]any{"status_code": status, "body": body, "expires_at": now.Add(IdempotencyTTL), "lease_until": now}).Error
		if err == nil || attempt >= s.AnswerRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

// Release ends claim's request without an answer to keep: the key is freed so that a corrected or
// later retry runs afresh, unless the request wrote, in which case the key stays taken (a retry must
// not write again) and its lease ends now, so that a retry learns so at once.
func (s *Idempotency) Release(ctx context.Context, claim *Claim) error {
	if !claim.written.Load() {
		res := s.db.WithContext(ctx).Where("id = ? AND token = ? AND status_code = 0 AND committed_at IS NULL", claim.id, claim.token).
			Delete(&model.IdempotencyRecord{})
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
	}
	return s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.id, claim.token).
		Update("lease_until", s.clock.Now()).Error
}

// Purge removes expired records.
func (s *Idempotency) Purge(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.clock.Now()).Delete(&model.IdempotencyRecord{})
	return res.RowsAffected, res.Error
}

// keyDigest is how a key is stored: its SHA-256 in hex, so that keys compare byte for byte even under
// MySQL's case- and space-insensitive collations.
func keyDigest(key string) string { return hashToken(key) }

func newClaimToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// printable reports whether key is valid UTF-8 without control characters. Header values are raw
// bytes; the key column is utf8mb4 on MySQL, which refuses other bytes with an error.
func printable(key string) bool {
	if !utf8.ValidString(key) {
		return false
	}
	for _, r := range key {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
