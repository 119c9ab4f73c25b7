// Package park owns the park's register of enterprises: their registration with a checked USCC,
// kind, principal and safety officer, the cadre responsible for each, and their status.
package park

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// EnterpriseKinds maps each kind to its Chinese label.
var EnterpriseKinds = map[string]string{
	model.KindHazchemProduction: "危化品生产",
	model.KindHazchemOperation:  "危化品经营",
	model.KindChemicalOther:     "其他化工",
}

// EnterpriseStatusLabels maps each enterprise status to its Chinese label.
var EnterpriseStatusLabels = map[string]string{model.StatusActive: "正常", model.StatusInactive: "已停用"}

// EnterpriseInput is the full set of fields of an enterprise; in a patch, nil means "unchanged".
type EnterpriseInput struct {
	Name                *string
	USCC                *string
	Kind                *string
	Address             *string
	PrincipalName       *string
	PrincipalMobile     *string
	SafetyOfficerName   *string
	SafetyOfficerMobile *string
	MajorHazardCount    *int
	CadreID             *uint64 // 0 clears the cadre
	Status              *string
	Version             *int // in a patch: the version the edit is based on
}

// EnterpriseFilter narrows an enterprise list.
type EnterpriseFilter struct {
	Kind   string
	Status string
	Q      string
}

// Enterprises manages the park's enterprises.
type Enterprises struct {
	db   *gorm.DB
	park service.ParkTime
}

// NewEnterprises returns the enterprise service. The park's clock dates a registration, from which
// the weekly routines start counting what the enterprise owes.
func NewEnterprises(db *gorm.DB, park service.ParkTime) *Enterprises {
	return &Enterprises{db: db, park: park}
}

// Create registers an enterprise (admin only).
func (s *Enterprises) Create(ctx context.Context, actor service.Actor, in EnterpriseInput) (*model.Enterprise, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	now := s.park.Now()
	e := model.Enterprise{Status: model.StatusActive, Kind: model.KindHazchemProduction, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.apply(ctx, &e, in, true); err != nil {
		return nil, err
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		e.ID = 0
		return duplicateEnterprise(tx.Create(&e).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, e.ID)
}

// Get returns one enterprise; an enterprise user may only get its own.
func (s *Enterprises) Get(ctx context.Context, actor service.Actor, id uint64) (*model.Enterprise, error) {
	var e model.Enterprise
	err := s.db.WithContext(ctx).Scopes(actor.Scope("id")).Preload("Cadre").First(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("企业")
	}
	return &e, err
}

// List returns a page of enterprises, sorted by name; an enterprise user sees only its own.
func (s *Enterprises) List(ctx context.Context, actor service.Actor, f EnterpriseFilter, p service.Page) (*service.List[model.Enterprise], error) {
	q := s.db.WithContext(ctx).Model(&model.Enterprise{}).Scopes(actor.Scope("id"))
	if f.Kind != "" {
		if _, ok := EnterpriseKinds[f.Kind]; !ok {
			return nil, service.Invalid("kind", "企业类型不正确")
		}
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Status != "" {
		if f.Status != model.StatusActive && f.Status != model.StatusInactive {
			return nil, service.Invalid("status", "状态应为 active 或 inactive")
		}
		q = q.Where("status = ?", f.Status)
	}
	if q2 := strings.TrimSpace(f.Q); q2 != "" {
		pat := service.LikePattern(q2)
		q = q.Where("(name LIKE ? ESCAPE '!' OR uscc LIKE ? ESCAPE '!')", pat, pat)
	}
	return service.Paginate[model.Enterprise](q.Preload("Cadre"), p, "name, id")
}

// Update edits an enterprise (admin only); Version must match the stored one.
func (s *Enterprises) Update(ctx context.Context, actor service.Actor, id uint64, in EnterpriseInput) (*model.Enterprise, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	e, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if in.Version != nil && *in.Version != e.Version {
		return nil, service.ErrStale
	}
	before := e.Version
	if err := s.apply(ctx, e, in, false); err != nil {
		return nil, err
	}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&model.Enterprise{}).Where("id = ? AND version = ?", id, before).
			Select("name", "uscc", "kind", "address", "principal_name", "principal_mobile", "safety_officer_name",
				"safety_officer_mobile", "major_hazard_count", "cadre_id", "status", "version").
			Updates(&model.Enterprise{Name: e.Name, USCC: e.USCC, Kind: e.Kind, Address: e.Address, PrincipalName: e.PrincipalName,
				PrincipalMobile: e.PrincipalMobile, SafetyOfficerName: e.SafetyOfficerName, SafetyOfficerMobile: e.SafetyOfficerMobile,
				MajorHazardCount: e.MajorHazardCount, CadreID: e.CadreID, Status: e.Status, Version: before + 1})
		return duplicateEnterprise(service.Guarded(res))
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// apply validates in and copies it onto e; on create every required field must be present.
func (s *Enterprises) apply(ctx context.Context, e *model.Enterprise, in EnterpriseInput, create bool) error {
	var v service.Validator
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&e.Name, in.Name)
	set(&e.USCC, in.USCC)
	e.USCC = strings.ToUpper(e.USCC)
	set(&e.Kind, in.Kind)
	set(&e.Address, in.Address)
	set(&e.PrincipalName, in.PrincipalName)
	set(&e.PrincipalMobile, in.PrincipalMobile)
	set(&e.SafetyOfficerName, in.SafetyOfficerName)
	set(&e.SafetyOfficerMobile, in.SafetyOfficerMobile)
	set(&e.Status, in.Status)
	if in.MajorHazardCount != nil {
		e.MajorHazardCount = *in.MajorHazardCount
	}
	v.Text(e.Name, "name", "企业名称", true, 128)
	switch {
	case e.USCC == "":
		v.Add("uscc", "请填写统一社会信用代码")
	case !service.ValidUSCC(e.USCC):
		v.Add("uscc", "统一社会信用代码不正确（应为 18 位且校验位正确）")
	}
	if _, ok := EnterpriseKinds[e.Kind]; !ok {
		v.Add("kind", "企业类型应为 hazchem_production、hazchem_operation 或 chemical_other")
	}
	v.Text(e.Address, "address", "地址", false, 255)
	v.Text(e.PrincipalName, "principal_name", "主要负责人姓名", create, 64)
	v.Mobile(e.PrincipalMobile, "principal_mobile", "主要负责人手机号", create)
	v.Text(e.SafetyOfficerName, "safety_officer_name", "安全管理人员姓名", false, 64)
	v.Mobile(e.SafetyOfficerMobile, "safety_officer_mobile", "安全管理人员手机号", false)
	v.Check(e.MajorHazardCount >= 0 && e.MajorHazardCount <= 1000, "major_hazard_count", "重大危险源数量应在 0 到 1000 之间")
	v.Check(e.Status == model.StatusActive || e.Status == model.StatusInactive, "status", "状态应为 active 或 inactive")
	if in.CadreID != nil {
		if *in.CadreID == 0 {
			e.CadreID = nil
		} else {
			var n int64
			if err := s.db.WithContext(ctx).Model(&model.User{}).Where("id = ? AND role = ? AND status = ?", *in.CadreID, model.RoleInspector, model.StatusActive).Count(&n).Error; err != nil {
				return err
			}
			if v.Check(n == 1, "cadre_id", "包靠干部应为在岗的园区检查人员") {
				id := *in.CadreID
				e.CadreID = &id
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.checkUnique(ctx, e)
}

// checkUnique answers a duplicate name or code with a message naming it; the unique indexes still
// guard against a concurrent insert.
func (s *Enterprises) checkUnique(ctx context.Context, e *model.Enterprise) error {
	var other model.Enterprise
	err := s.db.WithContext(ctx).Where("(name = ? OR uscc = ?) AND id <> ?", e.Name, e.USCC, e.ID).First(&other).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if other.Name == e.Name {
		return &service.Error{Code: service.CodeConflict, Message: "企业名称“" + e.Name + "”已存在", Fields: map[string]string{"name": "企业名称已存在"}}
	}
	return &service.Error{Code: service.CodeConflict, Message: "统一社会信用代码已被“" + other.Name + "”使用", Fields: map[string]string{"uscc": "统一社会信用代码已存在"}}
}

func duplicateEnterprise(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return service.Conflict("企业名称或统一社会信用代码已存在")
	}
	return err
}
