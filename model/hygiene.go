package model

import "time"

// Hygiene check areas (门前三包): the three frontage areas checked every Friday.
const (
	AreaDoorway = "doorway"
	AreaDitch   = "ditch"
	AreaRoad    = "road"
)

// HygieneCheck is one enterprise's weekly frontage check. One per enterprise per ISO week: the unique
// index backs the service's pre-check against two inspectors filing at once.
type HygieneCheck struct {
	ID           uint64 `gorm:"primaryKey"`
	EnterpriseID uint64 `gorm:"not null;uniqueIndex:idx_hygiene_checks_ent_week,priority:1;index:idx_hygiene_checks_ent_date,priority:1"`
	// Week is the ISO week (YYYY-Www) of CheckDate in the park's zone.
	Week      string `gorm:"size:8;not null;uniqueIndex:idx_hygiene_checks_ent_week,priority:2;index"`
	CheckDate string `gorm:"size:10;not null;index;index:idx_hygiene_checks_ent_date,priority:2;index:idx_hygiene_checks_passed_date,priority:2"`
	// OnSchedule tells whether CheckDate is that week's Friday.
	OnSchedule bool `gorm:"not null"`
	// Deadline is the park-local date by which failed areas must be cleared; empty when all passed.
	Deadline    string `gorm:"size:10;not null;default:''"`
	Passed      bool   `gorm:"not null;index;index:idx_hygiene_checks_passed_date,priority:1"`
	FailedAreas int    `gorm:"not null;default:0"`
	InspectorID uint64 `gorm:"not null;index"`
	Note        string `gorm:"type:text;not null"`
	Version     int    `gorm:"not null;default:1"`
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Enterprise *Enterprise    `gorm:"foreignKey:EnterpriseID"`
	Inspector  *User          `gorm:"foreignKey:InspectorID"`
	Areas      []*HygieneArea `gorm:"foreignKey:CheckID"`
}

// HygieneArea is the rating of one frontage area of a check. A failed area opens a hazard, linked
// both ways: HazardID here, OriginType "hygiene_area" and OriginID on the hazard.
type HygieneArea struct {
	ID       uint64  `gorm:"primaryKey"`
	CheckID  uint64  `gorm:"not null;index"`
	Area     string  `gorm:"size:16;not null"`
	Passed   bool    `gorm:"not null"`
	Note     string  `gorm:"type:text;not null"`
	HazardID *uint64 `gorm:"index"`

	Hazard *Hazard `gorm:"foreignKey:HazardID"`
}
