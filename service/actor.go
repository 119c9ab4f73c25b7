// Package service is the core every area of ParkSafe's business rules shares: the Actor and its
// roles and scopes, the one domain error type and the Validator, the park's clock, dates and ISO
// weeks, paging, the retrying transaction (Transact) with the idempotency claim it fences, the one
// sequence counter, read-only snapshots and batched purges. The areas themselves (hazard, hygiene,
// leader, bulletin, …) are its subpackages. None of it sees HTTP: handlers call the areas with a
// context and an Actor.
package service

import (
	"gorm.io/gorm"

	"parksafe/model"
)

// RoleLabels maps each role to its Chinese label.
var RoleLabels = map[string]string{
	model.RoleAdmin:      "园区管理员",
	model.RoleInspector:  "园区检查人员",
	model.RoleEnterprise: "企业用户",
}

// Actor is the signed-in user a service call acts for.
type Actor struct {
	ID           uint64
	Name         string
	Role         string
	EnterpriseID uint64 // set for and only for the enterprise role
}

// IsAdmin reports whether the actor is park office staff.
func (a Actor) IsAdmin() bool { return a.Role == model.RoleAdmin }

// IsStaff reports whether the actor works for the park (admin or inspector) and so sees every
// enterprise.
func (a Actor) IsStaff() bool { return a.Role == model.RoleAdmin || a.Role == model.RoleInspector }

// IsEnterprise reports whether the actor speaks for one enterprise.
func (a Actor) IsEnterprise() bool { return a.Role == model.RoleEnterprise }

// Require returns ErrForbiddenRole unless the actor has one of roles.
func (a Actor) Require(roles ...string) error {
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return ErrForbiddenRole
}

// Scope limits a query to the records the actor may see: staff see every enterprise, an enterprise
// user only rows whose column equals its own enterprise. Every query for enterprise-owned records goes
// through it, so that another enterprise's record is simply not found (404), never forbidden.
func (a Actor) Scope(column string) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		if a.IsStaff() {
			return db
		}
		if a.IsEnterprise() && a.EnterpriseID != 0 {
			return db.Where(column+" = ?", a.EnterpriseID)
		}
		return db.Where("1 = 0")
	}
}
