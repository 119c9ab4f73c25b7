package model

import "time"

// Bulletin kinds.
const (
	BulletinGeneral       = "general"
	BulletinHygieneWeekly = "hygiene_weekly"
	BulletinLeaderWeekly  = "leader_weekly"
	BulletinHazardNotice  = "hazard_notice"
)

// Bulletin statuses.
const (
	BulletinDraft      = "draft"
	BulletinPublishing = "publishing"
	BulletinPublished  = "published"
	BulletinFailed     = "failed"
)

// Bulletin is a notice (通报) of the park office, published to the Official Account and readable in
// the mini-program. The publishing fields record each step's result as it happens (cover uploaded,
// inline images uploaded, draft added, submitted), so that a job resumed after a crash continues
// where it stopped and never submits twice: SubmittingAt is written before freepublish/submit is
// called and PublishID right after it answers.
type Bulletin struct {
	ID              uint64  `gorm:"primaryKey"`
	Title           string  `gorm:"size:128;not null"`
	Kind            string  `gorm:"size:24;not null;index:idx_bulletins_kind_week,priority:1"`
	Week            string  `gorm:"size:8;not null;default:'';index:idx_bulletins_kind_week,priority:2"`
	Number          string  `gorm:"size:64;not null;default:''"`
	ContentMarkdown string  `gorm:"type:mediumtext;not null"`
	CoverPhotoID    *uint64 `gorm:"index"`
	Status          string  `gorm:"size:16;not null;index"`
	// PublishAttempt counts publish requests; jobs carry it so a job of an earlier attempt never
	// touches a later one.
	PublishAttempt int    `gorm:"not null;default:0"`
	ThumbMediaID   string `gorm:"size:128;not null;default:''"`
	// WXImages maps photo ids of the content to the URLs uploadimg returned (JSON object).
	WXImages     string `gorm:"type:text;not null"`
	DraftMediaID string `gorm:"size:128;not null;default:''"`
	SubmittingAt *time.Time
	PublishID    *int64 `gorm:"index"`
	ArticleURL   string `gorm:"size:512;not null;default:''"`
	ArticleID    string `gorm:"size:128;not null;default:''"`
	PublishedAt  *time.Time
	Error        string `gorm:"type:text;not null"`
	AuthorID     uint64 `gorm:"not null"`
	Version      int    `gorm:"not null;default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time `gorm:"index"`

	// ReportedPhotos lists, for a generated weekly notice, the photos of the records it reports (a
	// JSON array of ids): the only photos its content may show. NULL for a notice the office wrote.
	ReportedPhotos *string `gorm:"type:text"`
	// ContentHTML is ContentMarkdown rendered and sanitized when it was written, with each photo as
	// <img src="photo:N"> for the reader's signed link; NULL until a row from before it is first read.
	ContentHTML *string `gorm:"type:mediumtext"`

	Author *User `gorm:"foreignKey:AuthorID"`
}

// WeeklyNotice is the one generated notice of each kind and ISO week. Its primary key is what keeps
// admins who generate the same week at the same moment from making two drafts with two numbers.
type WeeklyNotice struct {
	Kind       string `gorm:"primaryKey;size:24"`
	Week       string `gorm:"primaryKey;size:8"`
	BulletinID uint64 `gorm:"not null;uniqueIndex"`
}
