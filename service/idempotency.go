package service

import (
	"context"
	"errors"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"parksafe/model"
)

// IdempotencyTTL is how long a stored answer is replayed.
const IdempotencyTTL = 24 * time.Hour

// Replay is a stored answer to send again.
type Replay struct {
	Status int
	Body   []byte
}

// Idempotency stores the first answer to a creating request per user and Idempotency-Key.
type Idempotency struct {
	db    *gorm.DB
	clock Clock
	// Wait is how long a duplicate waits for the first request to finish before it gets 409.
	Wait time.Duration
	poll time.Duration
}

// NewIdempotency returns the store.
func NewIdempotency(db *gorm.DB, clock Clock) *Idempotency {
	return &Idempotency{db: db, clock: clock, Wait: 10 * time.Second, poll: 100 * time.Millisecond}
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

var errKeyReused = &Error{Code: CodeValidation, Message: "Idempotency-Key 已用于另一个不同的请求，请换一个新的 Key",
	Fields: map[string]string{"Idempotency-Key": "已用于另一个不同的请求"}}

// Begin claims key for userID. It returns a Replay when the same request already succeeded; nil when
// the caller owns the key and must call Complete or Abort.
func (s *Idempotency) Begin(ctx context.Context, userID uint64, key string, fp Fingerprint) (*Replay, error) {
	if len(key) > 128 || key == "" || !printable(key) {
		return nil, Invalid("Idempotency-Key", "Idempotency-Key 应为 1 到 128 个字符的文本")
	}
	key = keyDigest(key)
	pathHash := hashToken(fp.Path)
	deadline := time.Now().Add(s.Wait)
	for {
		now := s.clock.Now()
		rec := model.IdempotencyRecord{UserID: userID, Key: key, Route: fp.Route, PathHash: pathHash, RequestHash: fp.BodyHash,
			ExpiresAt: now.Add(IdempotencyTTL)}
		err := s.db.WithContext(ctx).Create(&rec).Error
		if err == nil {
			return nil, nil
		}
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, err
		}
		var old model.IdempotencyRecord
		err = s.db.WithContext(ctx).Where("user_id = ? AND `key` = ?", userID, key).First(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue // the first request was aborted between our insert and our read
		} else if err != nil {
			return nil, err
		}
		if !now.Before(old.ExpiresAt) {
			// An undeletable expired record would otherwise send this loop round forever.
			if err := s.db.WithContext(ctx).Where("id = ?", old.ID).Delete(&model.IdempotencyRecord{}).Error; err != nil {
				return nil, err
			}
			continue
		}
		if !fingerprintMatches(&old, fp, pathHash) {
			return nil, errKeyReused
		}
		if old.StatusCode != 0 {
			return &Replay{Status: old.StatusCode, Body: old.Body}, nil
		}
		if time.Now().After(deadline) {
			return nil, Conflict("相同的请求正在处理中，请稍后再试")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
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

// Complete stores the answer for key.
func (s *Idempotency) Complete(ctx context.Context, userID uint64, key string, status int, body []byte) error {
	return s.db.WithContext(ctx).Model(&model.IdempotencyRecord{}).Where("user_id = ? AND `key` = ?", userID, keyDigest(key)).
		Updates(map[string]any{"status_code": status, "body": body}).Error
}

// Abort releases key so that a corrected or later retry runs afresh.
func (s *Idempotency) Abort(ctx context.Context, userID uint64, key string) error {
	return s.db.WithContext(ctx).Where("user_id = ? AND `key` = ? AND status_code = 0", userID, keyDigest(key)).Delete(&model.IdempotencyRecord{}).Error
}

// Purge removes expired records.
func (s *Idempotency) Purge(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.clock.Now()).Delete(&model.IdempotencyRecord{})
	return res.RowsAffected, res.Error
}

// keyDigest is how a key is stored: its SHA-256 in hex, so that keys compare byte for byte even under
// MySQL's case- and space-insensitive collations.
func keyDigest(key string) string { return hashToken(key) }

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
