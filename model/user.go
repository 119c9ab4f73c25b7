package model

import "time"

// Roles.
const (
	RoleAdmin      = "admin"
	RoleInspector  = "inspector"
	RoleEnterprise = "enterprise"
)

// Account statuses.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
	StatusInactive = "inactive" // enterprises only
)

// User is an account created by the park office. Username, Mobile and OpenID are pointers so that
// NULL, not the empty string, stands for "none" under their unique indexes.
type User struct {
	ID           uint64  `gorm:"primaryKey"`
	Name         string  `gorm:"size:64;not null"`
	Username     *string `gorm:"size:64;uniqueIndex"`
	Mobile       *string `gorm:"size:20;uniqueIndex"`
	Role         string  `gorm:"size:16;not null;index:idx_users_role_status,priority:1"`
	EnterpriseID *uint64 `gorm:"index"`
	Status       string  `gorm:"size:16;not null;index:idx_users_role_status,priority:2"`
	PasswordHash string  `gorm:"size:100;not null;default:''"`
	OpenID       *string `gorm:"size:64;uniqueIndex"`
	UnionID      *string `gorm:"size:64;index"`
	// MobileConfirmed says the park office vouches that Mobile is the holder's own number. WeChat
	// phone binding signs in to an account by its mobile alone, so it only matches confirmed ones.
	MobileConfirmed bool `gorm:"not null;default:false"`
	// AuthVersion changes whenever status, role, enterprise, password or mobile change or WeChat is
	// unbound; access tokens carry it, so a token issued before such a change is refused at once.
	AuthVersion int `gorm:"not null;default:1"`
	Version     int `gorm:"not null;default:1"`
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Enterprise *Enterprise `gorm:"foreignKey:EnterpriseID"`
}
