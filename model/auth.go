package model

import "time"

// RefreshToken is one opaque refresh token, stored as its SHA-256. Tokens rotate: using one marks it
// used and issues the next of the same family; presenting a used one revokes the whole family.
type RefreshToken struct {
	ID        uint64    `gorm:"primaryKey"`
	UserID    uint64    `gorm:"not null;index"`
	FamilyID  string    `gorm:"size:36;not null;index"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
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
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time
}

// IdempotencyRecord keeps the first successful answer to a creating request sent with an
// Idempotency-Key, so a retry from a phone on a poor network gets it back instead of a duplicate.
// StatusCode 0 means the first request is still being handled.
type IdempotencyRecord struct {
	ID     uint64 `gorm:"primaryKey"`
	UserID uint64 `gorm:"not null;uniqueIndex:idx_idem_user_key,priority:1"`
	Key    string `gorm:"size:128;not null;uniqueIndex:idx_idem_user_key,priority:2"`
	// Route is the method and route template ("POST /api/v1/hazards/:id/verify"); records from before
	// PathHash existed hold the concrete path after it.
	Route string `gorm:"size:160;not null"`
	// PathHash is the SHA-256 of the concrete path: bounded, however long the path.
	PathHash    string    `gorm:"size:64;not null;default:''"`
	RequestHash string    `gorm:"size:64;not null"`
	StatusCode  int       `gorm:"not null;default:0"`
	Body        []byte    `gorm:"type:mediumblob"`
	ExpiresAt   time.Time `gorm:"not null;index"`
	CreatedAt   time.Time
}
