package model

import "time"

// RefreshToken is one opaque refresh token, stored as its SHA-256. Tokens rotate: using one marks it
// used and issues the next of the same family; presenting a used one revokes the whole family.
type RefreshToken struct {
	ID        uint64    `gorm:"primaryKey"`
	UserID    uint64    `gorm:"not null;index"`
	FamilyID  string    `gorm:"size:36;not null;index"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null;index"`
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// WeChatBindTicket remembers, for a few minutes and one use, which openid asked to be bound to an
// account, so that the phone-number step cannot be replayed or forged.
type WeChatBindTicket struct {
	ID        uint64    `gorm:"primaryKey"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	OpenID    string    `gorm:"size:64;not null"`
	UnionID   string    `gorm:"size:64;not null;default:''"`
	ExpiresAt time.Time `gorm:"not null;index"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// IdempotencyRecord is one Idempotency-Key of one user: the request it stands for and, once
// answered, the answer, so that a retry from a phone on a poor network gets the answer back instead
// of a duplicate. While the request runs the record is its claim on the key: Token names the request
// holding it, for as long as LeaseUntil (renewed while it runs, so a crashed request's claim runs
// out). CommittedAt is written in the transaction of the request's own write, so a request that has
// written is never run again. StatusCode 0 means no answer is stored yet.
type IdempotencyRecord struct {
	ID     uint64 `gorm:"primaryKey"`
	UserID uint64 `gorm:"not null;uniqueIndex:idx_idem_user_key,priority:1"`
	Key    string `gorm:"size:128;not null;uniqueIndex:idx_idem_user_key,priority:2"`
	// Route is the method and route template ("POST /api/v1/hazards/:id/verify"); records from before
	// PathHash existed hold the concrete path after it.
	Route string `gorm:"size:160;not null"`
	// PathHash is the SHA-256 of the concrete path: bounded, however long the path.
	PathHash    string `gorm:"size:64;not null;default:''"`
	RequestHash string `gorm:"size:64;not null"`
	Token       string `gorm:"size:32;not null;default:''"`
	LeaseUntil  *time.Time
	CommittedAt *time.Time
	StatusCode  int    `gorm:"not null;default:0"`
	Body        []byte `gorm:"type:mediumblob"`
	// ExpiresAt is when the record may go: a day after the answer was stored, or, while none is,
	// a day after the request wrote or made its claim.
	ExpiresAt time.Time `gorm:"not null;index"`
	CreatedAt time.Time
}
