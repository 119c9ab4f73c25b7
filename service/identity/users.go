package identity

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
)

// UserStatusLabels maps each account status to its Chinese label.
var UserStatusLabels = map[string]string{
	model.StatusActive:   "正常",
	model.StatusDisabled: "已停用",
}

// UserInput is an account's editable fields; in a patch, nil means "unchanged".
type UserInput struct {
	Name         *string
	Username     *string // "" clears it
	Mobile       *string
	Password     *string // sets (resets) the password
	Role         *string
	EnterpriseID *uint64
	Status       *string
	UnbindWeChat bool
	Version      *int
	// MobileConfirmed says whether the office vouches for the mobile. When nil, a mobile the office
	// enters is confirmed by that very act, and an existing one keeps its state.
	MobileConfirmed *bool
}

// UserFilter narrows a user list.
type UserFilter struct {
	Role         string
	EnterpriseID uint64
	Status       string
	Q            string
}

// Users manages accounts; only admins may.
type Users struct {
	db   *gorm.DB
	auth *Auth
}

// NewUsers returns the account service.
func NewUsers(db *gorm.DB, auth *Auth) *Users { return &Users{db: db, auth: auth} }

// Create adds an account (admin only).
func (s *Users) Create(ctx context.Context, actor service.Actor, in UserInput) (*model.User, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	u := model.User{Status: model.StatusActive, AuthVersion: 1, Version: 1}
	if _, err := s.apply(ctx, &u, in, true); err != nil {
		return nil, err
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		u.ID = 0
		return duplicateUser(tx.Create(&u).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, u.ID)
}

// Get returns one account (admin only).
func (s *Users) Get(ctx context.Context, actor service.Actor, id uint64) (*model.User, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	var u model.User
	err := s.db.WithContext(ctx).Preload("Enterprise").First(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("账号")
	}
	return &u, err
}

// List returns a page of accounts (admin only).
func (s *Users) List(ctx context.Context, actor service.Actor, f UserFilter, p service.Page) (*service.List[model.User], error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Model(&model.User{})
	if f.Role != "" {
		if _, ok := service.RoleLabels[f.Role]; !ok {
			return nil, service.Invalid("role", "角色应为 admin、inspector 或 enterprise")
		}
		q = q.Where("role = ?", f.Role)
	}
	if f.Status != "" {
		if _, ok := UserStatusLabels[f.Status]; !ok {
			return nil, service.Invalid("status", "状态应为 active 或 disabled")
		}
		q = q.Where("status = ?", f.Status)
	}
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if t := strings.TrimSpace(f.Q); t != "" {
		pat := service.LikePattern(t)
		q = q.Where("(name LIKE ? ESCAPE '!' OR mobile LIKE ? ESCAPE '!' OR username LIKE ? ESCAPE '!')", pat, pat, pat)
	}
	return service.Paginate[model.User](q.Preload("Enterprise"), p, "id")
}

// Update edits an account (admin only). A change of role, enterprise, status or password, or
// unbinding WeChat, signs the account out everywhere at once. Replacing the mobile hands the account
// to another person: it also signs the account out and unbinds its WeChat, the previous holder's,
// and an account with a password must be given a new one in the same edit.
func (s *Users) Update(ctx context.Context, actor service.Actor, id uint64, in UserInput) (*model.User, error) {
	u, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if in.Version != nil && *in.Version != u.Version {
		return nil, service.ErrStale
	}
	if u.ID == actor.ID && ((in.Role != nil && *in.Role != u.Role) || (in.Status != nil && *in.Status != model.StatusActive)) {
		return nil, service.Forbidden("不能停用自己的账号或修改自己的角色")
	}
	before := *u
	sensitive, err := s.apply(ctx, u, in, false)
	if err != nil {
		return nil, err
	}
	handover := before.Mobile != nil && !service.EqualPtr(before.Mobile, u.Mobile)
	if in.UnbindWeChat || handover {
		u.OpenID, u.UnionID = nil, nil
	}
	signOut := sensitive || handover || in.UnbindWeChat
	updates := map[string]any{
		"name": u.Name, "username": u.Username, "mobile": u.Mobile, "mobile_confirmed": u.MobileConfirmed, "role": u.Role,
		"enterprise_id": u.EnterpriseID, "status": u.Status, "password_hash": u.PasswordHash, "open_id": u.OpenID,
		"union_id": u.UnionID, "version": before.Version + 1,
	}
	if signOut {
		updates["auth_version"] = before.AuthVersion + 1
	}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		if before.Role == model.RoleAdmin && (u.Role != model.RoleAdmin || u.Status != model.StatusActive) {
			if err := keepAnAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		res := tx.Model(&model.User{}).Where("id = ? AND version = ?", id, before.Version).Updates(updates)
		if err := duplicateUser(service.Guarded(res)); err != nil {
			return err
		}
		if signOut {
			return revokeSessions(tx, id, s.auth.clock.Now())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// keepAnAdmin refuses to let account id stop being an active admin when it is the last one. It runs
// inside the updating transaction and locks the active admins' rows, so two admins disabling each
// other at the same moment cannot both pass the check.
func keepAnAdmin(tx *gorm.DB, id uint64) error {
	var ids []uint64
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Model(&model.User{}).
		Where("role = ? AND status = ?", model.RoleAdmin, model.StatusActive).Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, other := range ids {
		if other != id {
			return nil
		}
	}
	return service.Conflict("至少需要保留一个在用的管理员账号")
}

// apply validates in onto u and reports whether it changed what the account may do.
func (s *Users) apply(ctx context.Context, u *model.User, in UserInput, create bool) (sensitive bool, err error) {
	var v service.Validator
	before := *u
	if in.Name != nil {
		u.Name = strings.TrimSpace(*in.Name)
	}
	if in.Mobile != nil {
		m := strings.TrimSpace(*in.Mobile)
		changed := !service.EqualPtr(before.Mobile, &m)
		u.Mobile = &m
		switch {
		case in.MobileConfirmed != nil:
			u.MobileConfirmed = *in.MobileConfirmed
		case changed:
			// The office vouches for a number by entering it; an edit form sending the present one
			// back vouches for nothing new.
			u.MobileConfirmed = true
		}
	} else if in.MobileConfirmed != nil {
		u.MobileConfirmed = *in.MobileConfirmed
	}
	if in.Username != nil {
		if name := strings.TrimSpace(*in.Username); name == "" {
			u.Username = nil
		} else {
			u.Username = &name
		}
	}
	if in.Role != nil {
		u.Role = *in.Role
	}
	if in.Status != nil {
		u.Status = *in.Status
	}
	if in.EnterpriseID != nil {
		if *in.EnterpriseID == 0 {
			u.EnterpriseID = nil
		} else {
			eid := *in.EnterpriseID
			u.EnterpriseID = &eid
		}
	}
	if u.Role != model.RoleEnterprise && in.EnterpriseID == nil {
		u.EnterpriseID = nil
	}
	v.Text(u.Name, "name", "姓名", true, 64)
	// Only the first admin, made at start, exists without a mobile; once entered, one is never cleared.
	switch {
	case u.Mobile == nil && create, u.Mobile != nil && *u.Mobile == "":
		v.Add("mobile", "请填写手机号")
	case u.Mobile != nil && !service.ValidMobile(*u.Mobile):
		v.Add("mobile", "手机号应为 11 位中国大陆手机号码")
	case u.Mobile == nil && u.MobileConfirmed:
		v.Add("mobile_confirmed", "账号还没有手机号，请先填写手机号")
	}
	if u.Username != nil {
		n := *u.Username
		v.Check(len(n) >= 3 && len(n) <= 32 && isUsername(n), "username", "用户名应为 3 到 32 位字母、数字、下划线或点")
		v.Check(!service.ValidMobile(n), "username", "用户名不能是手机号")
	}
	if _, ok := service.RoleLabels[u.Role]; !ok {
		v.Add("role", "角色应为 admin、inspector 或 enterprise")
	}
	if _, ok := UserStatusLabels[u.Status]; !ok {
		v.Add("status", "状态应为 active 或 disabled")
	}
	switch {
	case u.Role == model.RoleEnterprise && u.EnterpriseID == nil:
		v.Add("enterprise_id", "企业用户必须选择所属企业")
	case u.Role != model.RoleEnterprise && u.EnterpriseID != nil && !v.Has("role"):
		v.Add("enterprise_id", "只有企业用户可以关联企业")
	case u.EnterpriseID != nil:
		var n int64
		if err := s.db.WithContext(ctx).Model(&model.Enterprise{}).Where("id = ?", *u.EnterpriseID).Count(&n).Error; err != nil {
			return false, err
		}
		v.Check(n == 1, "enterprise_id", "所选企业不存在")
	}
	if in.Password != nil {
		hash, err := s.auth.HashPassword(*in.Password)
		if err != nil {
			var de *service.Error
			if errors.As(err, &de) {
				v.Add("password", de.Fields["password"])
			} else {
				return false, err
			}
		}
		u.PasswordHash = hash
	}
	// Replacing the mobile hands the account to another person: the previous holder's password
	// must not go with it, or they sign straight back in.
	if !create && before.PasswordHash != "" && before.Mobile != nil && !service.EqualPtr(before.Mobile, u.Mobile) && !v.Has("password") {
		switch {
		case in.Password == nil:
			v.Add("password", "更换手机号即把账号交给新的使用人，请同时为其设置新密码")
		case bcrypt.CompareHashAndPassword([]byte(before.PasswordHash), []byte(*in.Password)) == nil:
			v.Add("password", "更换手机号时设置的新密码不能与原密码相同")
		}
	}
	if err := v.Err(); err != nil {
		return false, err
	}
	if err := s.checkUnique(ctx, u); err != nil {
		return false, err
	}
	sensitive = !create && (before.Role != u.Role || !service.EqualPtr(before.EnterpriseID, u.EnterpriseID) ||
		before.Status != u.Status || in.Password != nil)
	return sensitive, nil
}

func (s *Users) checkUnique(ctx context.Context, u *model.User) error {
	q := s.db.WithContext(ctx).Model(&model.User{}).Where("id <> ?", u.ID)
	var n int64
	if u.Mobile != nil {
		if err := q.Session(&gorm.Session{}).Where("mobile = ?", *u.Mobile).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &service.Error{Code: service.CodeConflict, Message: "手机号 " + *u.Mobile + " 已被其他账号使用", Fields: map[string]string{"mobile": "手机号已被使用"}}
		}
	}
	if u.Username != nil {
		if err := q.Session(&gorm.Session{}).Where("username = ?", *u.Username).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &service.Error{Code: service.CodeConflict, Message: "用户名 " + *u.Username + " 已被使用", Fields: map[string]string{"username": "用户名已被使用"}}
		}
	}
	return nil
}

func isUsername(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func duplicateUser(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return service.Conflict("手机号、用户名或微信已被其他账号使用")
	}
	return err
}

// EnsureAdmin creates the first admin when no admin exists, and returns the password it chose when
// none was configured (to be printed once), or "" when nothing was created. The admin has no mobile
// until the office enters one: any number made up here would belong to somebody, who could then
// bind WeChat to it by phone.
func (s *Users) EnsureAdmin(ctx context.Context, username, password string) (created bool, chosen string, err error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&model.User{}).Where("role = ?", model.RoleAdmin).Count(&n).Error; err != nil {
		return false, "", err
	}
	if n > 0 {
		return false, "", nil
	}
	if password == "" {
		chosen = randomToken(9) + "7a"
		password = chosen
	}
	hash, err := s.auth.HashPassword(password)
	if err != nil {
		return false, "", err
	}
	name := username
	u := model.User{Name: "园区管理员", Username: &name, Role: model.RoleAdmin, Status: model.StatusActive, PasswordHash: hash, AuthVersion: 1, Version: 1}
	// Instances starting at once on an empty database all find no admin; the first insert wins and
	// the others find the username taken, which is that admin.
	created, err = service.CreateUnlessDuplicate(ctx, s.db, &u)
	if err != nil || !created {
		return false, "", err
	}
	return true, chosen, nil
}
