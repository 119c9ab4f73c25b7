package model

import "time"

// Push statuses of a notification's subscribe message.
const (
	PushNone    = ""        // no template configured for the event: feed only
	PushPending = "pending" // a send job is queued
	PushSending = "sending" // the grant is spent and WeChat is being called
	PushSent    = "sent"
	PushSkipped = "skipped" // no quota, no openid or no template when the job ran
	PushFailed  = "failed"
)

// Notification is one entry of a user's in-app feed. DedupeKey makes an event on a record reach a
// user once (a sweep running on two instances, a retried transition).
type Notification struct {
	ID         uint64     `gorm:"primaryKey"`
	UserID     uint64     `gorm:"not null;index:idx_notifications_user,priority:1;index:idx_notifications_user_unread,priority:1"`
	Kind       string     `gorm:"size:48;not null"`
	Title      string     `gorm:"size:128;not null"`
	Body       string     `gorm:"type:text;not null"`
	Link       string     `gorm:"size:128;not null;default:''"`
	DedupeKey  *string    `gorm:"size:191;uniqueIndex"`
	PushStatus string     `gorm:"size:16;not null;default:''"`
	PushError  string     `gorm:"size:255;not null;default:''"`
	ReadAt     *time.Time `gorm:"index;index:idx_notifications_user_unread,priority:2"`
	CreatedAt  time.Time  `gorm:"index:idx_notifications_user,priority:2;index:idx_notifications_user_unread,priority:3"`
}

// SubscriptionQuota is how many one-time subscribe messages of a template a user has granted and not
// yet been sent (WeChat allows one message per grant).
type SubscriptionQuota struct {
	UserID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	TemplateID string `gorm:"primaryKey;size:64"`
	Remaining  int    `gorm:"not null;default:0"`
	UpdatedAt  time.Time
}
