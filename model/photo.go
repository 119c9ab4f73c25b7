package model

import "time"

// Photo is one uploaded image. Identical bytes share storage (by SHA-256) but each upload is its own
// Photo, so capture time, coordinates and uploader stay with the upload that carried them.
type Photo struct {
	ID          uint64 `gorm:"primaryKey"`
	UploaderID  uint64 `gorm:"not null;index"`
	SHA256      string `gorm:"column:sha256;size:64;not null;index"`
	Size        int64  `gorm:"not null"`
	Width       int    `gorm:"not null"`
	Height      int    `gorm:"not null"`
	ContentType string `gorm:"size:32;not null"`
	// StorageKey and ThumbKey name the original and the JPEG thumbnail in the blob store.
	StorageKey string `gorm:"size:128;not null"`
	ThumbKey   string `gorm:"size:128;not null"`
	// TakenAt, Latitude and Longitude are what the client sent; the Exif ones what the file carried.
	TakenAt       *time.Time
	Latitude      *float64
	Longitude     *float64
	ExifTakenAt   *time.Time
	ExifLatitude  *float64
	ExifLongitude *float64
	// LinkedAt is set when a record first uses the photo; unlinked photos are removed after a day.
	LinkedAt  *time.Time `gorm:"index"`
	CreatedAt time.Time  `gorm:"index"`
}

// PhotoLink records that a record uses a photo. EnterpriseID is the enterprise whose users may see
// that record (NULL: every signed-in user, e.g. a published bulletin), which is what decides who may
// read the photo.
type PhotoLink struct {
	ID           uint64  `gorm:"primaryKey"`
	PhotoID      uint64  `gorm:"not null;uniqueIndex:idx_photo_links_owner,priority:4;index"`
	OwnerType    string  `gorm:"size:32;not null;uniqueIndex:idx_photo_links_owner,priority:1"`
	OwnerID      uint64  `gorm:"not null;uniqueIndex:idx_photo_links_owner,priority:2"`
	Role         string  `gorm:"size:32;not null;default:'';uniqueIndex:idx_photo_links_owner,priority:3"`
	EnterpriseID *uint64 `gorm:"index"`
	Position     int     `gorm:"not null;default:0"`
	CreatedAt    time.Time
}

// Blob is one content hash whose original and thumbnail the blob store holds (or is about to). Its
// row is what uploads and deletions of those bytes lock, so that instances sharing a bucket never
// delete bytes another has just decided to reuse: a deletion removes the objects and the row only
// while it holds the row and no photo has the hash.
type Blob struct {
	SHA256    string `gorm:"column:sha256;primaryKey;size:64;not null"`
	CreatedAt time.Time
}
