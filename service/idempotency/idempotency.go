// Package idempotency owns the answers kept per user and Idempotency-Key: a request's claim on its
// key, leased while it runs, the first answer replayed to a retry, and the purge of expired ones.
// The claim itself, which every write transaction fences, is service.Claim.
package idempotency

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
)

// TTL is how long a stored answer is replayed, from the moment it was stored. A phone's
// outbox may hold a submission over a long weekend or a trip without signal, and a retry after the
// key is forgotten would write again, so keys are kept for a month, not a day.
const TTL = 30 * 24 * time.Hour

// Lease is how long a request's claim on its key holds without renewal. Hold renews it
// while the request runs, so it runs out only when the request's process died (a crash, a kill) or
// lost the database; a retry may then take the key over.
const Lease = 30 * time.Second

// JobPurge removes expired idempotency records; scheduled hourly.
const JobPurge = "idempotency.purge"

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

// Store stores the first answer to a request per user and Idempotency-Key.
type Store struct {
	db    *gorm.DB
	clock service.Clock
	// Wait is how long a retry waits for the request holding its key before it is told to come back
	// (503 with Retry-After).
	Wait time.Duration
	poll time.Duration
	// AnswerRetries is how often storing an answer is tried again after a failure, with pauses
	// doubling from AnswerPause to 2 s; together well inside Lease, so that a retry that
	// finds the lease run out knows nobody is storing the answer any more.
	AnswerRetries int
	AnswerPause   time.Duration
}

// New returns the store.
func New(db *gorm.DB, clock service.Clock) *Store {
	return &Store{db: db, clock: clock, Wait: 10 * time.Second, poll: 100 * time.Millisecond,
		AnswerRetries: 8, AnswerPause: 100 * time.Millisecond}
}

var errKeyReused = &service.Error{Code: service.CodeValidation, Message: "Idempotency-Key 已用于另一个不同的请求，请换一个新的 Key",
	Fields: map[string]string{"Idempotency-Key": "已用于另一个不同的请求"}}

// errAnswerLost answers a retry of a request that wrote but whose answer could not be stored: the
// write stands and must not be made again, and the record shows what happened.
var errAnswerLost = service.Conflict("该请求已处理成功，但未能保存处理结果；请刷新后查看，无需再次提交")

// Begin claims key for userID. It returns a Replay when the same request already has an answer, and
// otherwise a Claim: the caller runs the request under it (WithClaim, Hold) and ends with Complete or
// Release. A claim whose lease ran out before its request wrote is taken over; a retry of a request
// that is still running waits up to Wait and is then told to come back.
func (s *Store) Begin(ctx context.Context, userID uint64, key string, fp Fingerprint) (*service.Claim, *Replay, error) {
	if len(key) > 128 || key == "" || !printable(key) {
		return nil, nil, service.Invalid("Idempotency-Key", "Idempotency-Key 应为 1 到 128 个字符的文本")
	}
	key = service.HashToken(key) // stored hashed, so that keys compare byte for byte on MySQL too
	pathHash := service.HashToken(fp.Path)
	deadline := time.Now().Add(s.Wait)
	for {
		now := s.clock.Now()
		token, lease := newClaimToken(), now.Add(Lease)
		rec := model.IdempotencyRecord{UserID: userID, Key: key, Route: fp.Route, PathHash: pathHash, RequestHash: fp.BodyHash,
			Token: token, LeaseUntil: &lease, ExpiresAt: now.Add(TTL)}
		err := s.db.WithContext(ctx).Create(&rec).Error
		if err == nil {
			return service.NewClaim(rec.ID, token, s.clock, TTL), nil, nil
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
				return service.NewClaim(old.ID, token, s.clock, TTL), nil, nil
			}
			continue
		}
		if time.Now().After(deadline) {
			return nil, nil, &service.Error{Code: service.CodeUnavailable, Message: "相同的请求正在处理中，请稍后再试",
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
func (s *Store) Hold(claim *service.Claim) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				// A failed renewal is tried again at the next tick; the lease has room for two.
				ctx, cancel := context.WithTimeout(context.Background(), Lease/3)
				s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.ID(), claim.Token()).
					Update("lease_until", s.clock.Now().Add(Lease))
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
func (s *Store) Complete(ctx context.Context, claim *service.Claim, status int, body []byte) error {
	pause := s.AnswerPause
	for attempt := 0; ; attempt++ {
		now := s.clock.Now()
		err := s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.ID(), claim.Token()).
			Updates(map[string]any{"status_code": status, "body": body, "expires_at": now.Add(TTL), "lease_until": now}).Error
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
func (s *Store) Release(ctx context.Context, claim *service.Claim) error {
	if !claim.Written() {
		res := s.db.WithContext(ctx).Where("id = ? AND token = ? AND status_code = 0 AND committed_at IS NULL", claim.ID(), claim.Token()).
			Delete(&model.IdempotencyRecord{})
		if res.Error != nil || res.RowsAffected == 1 {
			return res.Error
		}
	}
	return s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("id = ? AND token = ? AND status_code = 0", claim.ID(), claim.Token()).
		Update("lease_until", s.clock.Now()).Error
}

// Register schedules the hourly purge of expired records on queue.
func (s *Store) Register(queue *jobs.Queue) {
	jobs.EveryCounted(queue, JobPurge, time.Hour, "purged expired idempotency records", s.Purge)
}

// Purge removes expired records.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.clock.Now()).Delete(&model.IdempotencyRecord{})
	return res.RowsAffected, res.Error
}

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
