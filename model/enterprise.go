package model

import "time"

// Enterprise kinds.
const (
	KindHazchemProduction = "hazchem_production"
	KindHazchemOperation  = "hazchem_operation"
	KindChemicalOther     = "chemical_other"
)

// Enterprise is a company in the park, identified by its 统一社会信用代码.
type Enterprise struct {
	ID                  uint64  `gorm:"primaryKey"`
	Name                string  `gorm:"size:128;not null;uniqueIndex"`
	USCC                string  `gorm:"column:uscc;size:18;not null;uniqueIndex"`
	Kind                string  `gorm:"size:32;not null"`
	Address             string  `gorm:"size:255;not null;default:''"`
	PrincipalName       string  `gorm:"size:64;not null;default:''"`
	PrincipalMobile     string  `gorm:"size:20;not null;default:''"`
	SafetyOfficerName   string  `gorm:"size:64;not null;default:''"`
	SafetyOfficerMobile string  `gorm:"size:20;not null;default:''"`
	MajorHazardCount    int     `gorm:"not null;default:0"`
	CadreID             *uint64 `gorm:"index"`
	Status              string  `gorm:"size:16;not null;index"`
	Version             int     `gorm:"not null;default:1"`
	CreatedAt           time.Time
	UpdatedAt           time.Time

	Cadre *User `gorm:"foreignKey:CadreID"`
}
