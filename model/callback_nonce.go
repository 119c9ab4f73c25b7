package model

import "time"

// CallbackNonce remembers an authenticated WeChat callback by its signed timestamp and nonce until
// the timestamp is long out of the accepted window, so that a captured request is refused when it
// comes again, by whichever instance it reaches. A periodic job deletes expired rows.
type CallbackNonce struct {
	Timestamp int64     `gorm:"primaryKey;autoIncrement:false"`
	Nonce     string    `gorm:"primaryKey;size:64"`
	ExpiresAt time.Time `gorm:"not null;index"`
}
