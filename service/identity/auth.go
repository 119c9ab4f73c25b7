// Package identity owns who is calling: password and WeChat sign-in with the failure limits, access
// and refresh tokens and their revocation, the accounts the park office manages, and the purge of
// expired sign-in rows.
package identity

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
	"parksafe/wechat"
)

// Failed sign-in limits, counted over the window. An account is limited per client address, so
// that whoever guesses from one place cannot lock its holder out; over all addresses together it has
// a budget ten times larger, which bounds guessing from many addresses at once. An address the
// account signed in from within loginKnownAddressTTL is its holder's (their office, their home) and
// is spared that budget, so that strangers spending it cannot lock the holder out either.
const (
	loginFailuresPerAccountAddress = 5
	loginFailuresPerAddress        = 20
	loginFailuresPerAccount        = 50
	loginFailureWindow             = 15 * time.Minute
	loginKnownAddressTTL           = 30 * 24 * time.Hour
	bindTicketTTL                  = 5 * time.Minute
)

// errBadCredentials is the one answer to a failed password sign-in, whether the account is unknown,
// the password wrong or the account disabled: a disabled account must not confirm a guessed password,
// yet its holder is told where to turn.
var errBadCredentials = service.Unauthenticated("用户名或密码错误；账号如已停用，请联系园区管理办公室")

// MiniProgram is what sign-in needs of the WeChat mini-program API.
type MiniProgram interface {
	Configured() bool
	Code2Session(ctx context.Context, code string) (wechat.Session, error)
	PhoneNumber(ctx context.Context, phoneCode string) (wechat.Phone, error)
}

// Session is what a successful sign-in yields.
type Session struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    int
	User         model.User
}

// WeChatLogin is the result of a WeChat sign-in: a session when the openid is bound, otherwise a
// single-use ticket for binding it by phone number.
type WeChatLogin struct {
	Session   *Session
	BindToken string
}

// JobPurge deletes expired refresh tokens and bind tickets; scheduled daily.
const JobPurge = "identity.purge"

// Retention of sign-in rows, counted from when they expired.
const (
	// RetainExpiredRefreshTokens keeps a refresh token for a day after it expires. Used and revoked
	// tokens must stay until then: presenting a used one is how a stolen token is detected.
	RetainExpiredRefreshTokens = 24 * time.Hour
	// RetainExpiredBindTickets keeps a WeChat bind ticket for a day after it expires.
	RetainExpiredBindTickets = 24 * time.Hour
)

// AuthConfig sizes the sign-in service.
type AuthConfig struct {
	// RefreshTTL is the lifetime of a refresh token.
	RefreshTTL time.Duration
	// BcryptCost is the password hashing cost; 0 means bcrypt's default (tests use the minimum).
	BcryptCost int
}

// Auth signs people in and checks who is calling.
type Auth struct {
	db         *gorm.DB
	signer     *TokenSigner
	limiter    FailureLimiter
	mini       MiniProgram
	clock      service.Clock
	log        *slog.Logger
	refreshTTL time.Duration
	bcryptCost int
	dummyOnce  sync.Once
	dummyHash  []byte
}

// NewAuth wires the sign-in service.
func NewAuth(db *gorm.DB, signer *TokenSigner, limiter FailureLimiter, mini MiniProgram, clock service.Clock, cfg AuthConfig, log *slog.Logger) *Auth {
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Auth{db: db, signer: signer, limiter: limiter, mini: mini, clock: clock, log: log, refreshTTL: cfg.RefreshTTL, bcryptCost: cfg.BcryptCost}
}

// Register schedules the daily purge of expired refresh tokens and bind tickets on queue.
func (a *Auth) Register(queue *jobs.Queue) {
	jobs.EveryCounted(queue, JobPurge, 24*time.Hour, "purged expired sign-in rows", a.Purge)
}

// Purge deletes the refresh tokens and bind tickets that expired longer ago than their retention and
// returns how many.
func (a *Auth) Purge(ctx context.Context) (int64, error) {
	now := a.clock.Now()
	tokens, err := service.PurgeBatched(ctx, a.db, &model.RefreshToken{}, "expires_at < ?", now.Add(-RetainExpiredRefreshTokens))
	if err != nil {
		return tokens, err
	}
	tickets, err := service.PurgeBatched(ctx, a.db, &model.WeChatBindTicket{}, "expires_at < ?", now.Add(-RetainExpiredBindTickets))
	return tokens + tickets, err
}

// HashPassword returns the bcrypt hash of a password after checking its strength.
func (a *Auth) HashPassword(pw string) (string, error) {
	if reason := passwordProblem(pw); reason != "" {
		return "", service.Invalid("password", reason)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), a.bcryptCost)
	return string(h), err
}

func passwordProblem(pw string) string {
	switch {
	case len(pw) < 8:
		return "密码至少 8 位"
	case len(pw) > 72:
		return "密码不能超过 72 位"
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letter = true
		}
	}
	if !letter || !digit {
		return "密码需同时包含字母和数字"
	}
	return ""
}

// Login checks a username or mobile and password. Every attempt is charged to the limits before the
// password is checked, so parallel requests cannot exceed them; a success is given back, clears
// the failures of the account from that address and makes the address known to the account. Too
// many failures get rate_limited until the window passes.
func (a *Auth) Login(ctx context.Context, login, password, clientIP string) (*Session, error) {
	login = strings.TrimSpace(login)
	var v service.Validator
	v.Check(login != "", "username", "请输入用户名或手机号")
	v.Check(password != "", "password", "请输入密码")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u model.User
	err := a.db.WithContext(ctx).Where("username = ? OR mobile = ?", login, login).First(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	// Failures are counted per account, not per spelling of it: otherwise alternating the username
	// and the mobile number would double the guesses allowed.
	addr := clientAddress(clientIP)
	accountKey, addrKey := "login:acct:"+strings.ToLower(login), "login:ip:"+addr
	if u.ID != 0 {
		accountKey = "login:uid:" + strconv.FormatUint(u.ID, 10)
	}
	pairKey := accountKey + "@" + addr
	knownKey := "login:known:" + pairKey
	limits := []Limit{{pairKey, loginFailuresPerAccountAddress}, {addrKey, loginFailuresPerAddress}}
	// Asked for unknown accounts too, so that the time taken does not tell them apart.
	known, err := a.limiter.Remembered(ctx, knownKey)
	if err != nil {
		a.log.WarnContext(ctx, "login limiter", "err", err)
	}
	budget := ""
	if !known {
		budget = accountKey
		limits = append(limits, Limit{accountKey, loginFailuresPerAccount})
	}
	if err := a.reserve(ctx, limits...); err != nil {
		return nil, err
	}
	hash := []byte(u.PasswordHash)
	if u.ID == 0 || len(hash) == 0 {
		// Compare against a fixed hash anyway so that response time does not tell which accounts exist.
		hash = a.fakeHash()
	}
	// A disabled account stays a failure even with the right password, for the limits too: were it
	// given back, the limit would tell the right password apart.
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || u.ID == 0 || u.PasswordHash == "" ||
		u.Status != model.StatusActive {
		return nil, errBadCredentials
	}
	a.forgive(ctx, pairKey, addrKey, budget)
	if err := a.limiter.Remember(ctx, knownKey, loginKnownAddressTTL); err != nil {
		a.log.WarnContext(ctx, "login limiter", "err", err)
	}
	return a.issue(ctx, &u, "")
}

// clientAddress is what the sign-in limits count a client address as: an IPv4 address, or the /64
// of an IPv6 one, since a single subscriber is given a whole /64 and would otherwise have a fresh
// address for every guess.
func clientAddress(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	prefix, err := addr.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return prefix.String()
}

func (a *Auth) fakeHash() []byte {
	a.dummyOnce.Do(func() {
		a.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("parksafe-dummy-password"), a.bcryptCost)
	})
	return a.dummyHash
}

// reserve charges one sign-in attempt to limits, or answers rate_limited when one is used up.
func (a *Auth) reserve(ctx context.Context, limits ...Limit) error {
	wait, err := a.limiter.Reserve(ctx, loginFailureWindow, limits...)
	if err != nil {
		// Going on would check passwords without limit; the shared limiter falls back to the
		// in-process one (FallbackLimiter), so this is a limiter with nothing left to fall back on.
		a.log.ErrorContext(ctx, "login limiter", "err", err)
		return service.Unavailable("登录服务暂时不可用，请稍后再试")
	}
	if wait > 0 {
		secs := int(wait.Round(time.Second) / time.Second)
		if secs < 1 {
			secs = 1
		}
		return &service.Error{Code: service.CodeRateLimited, Message: fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试", (secs+59)/60), RetryAfter: secs}
	}
	return nil
}

// forgive undoes what a successful sign-in was charged: the account's failures from this address are
// forgotten, and the attempt is given back to the address and to the account's overall budget
// (accountKey, "" when the address is known and was not charged to it), whose earlier failures
// (perhaps someone else's, from elsewhere) still count.
func (a *Auth) forgive(ctx context.Context, pairKey, addrKey, accountKey string) {
	err := a.limiter.Reset(ctx, pairKey)
	if err == nil {
		err = a.limiter.Release(ctx, addrKey)
	}
	if err == nil && accountKey != "" {
		err = a.limiter.Release(ctx, accountKey)
	}
	if err != nil {
		a.log.WarnContext(ctx, "login limiter", "err", err)
	}
}

// issue creates an access token and a refresh token of family (a new family when empty).
func (a *Auth) issue(ctx context.Context, u *model.User, family string) (*Session, error) {
	return a.issueTx(ctx, a.db.WithContext(ctx), u, family)
}

func (a *Auth) issueTx(_ context.Context, tx *gorm.DB, u *model.User, family string) (*Session, error) {
	now := a.clock.Now()
	access, err := a.signer.Sign(u.ID, u.AuthVersion, now)
	if err != nil {
		return nil, err
	}
	if family == "" {
		family = randomToken(18)
	}
	refresh := randomToken(32)
	rt := model.RefreshToken{UserID: u.ID, FamilyID: family, TokenHash: service.HashToken(refresh), ExpiresAt: now.Add(a.refreshTTL)}
	if err := tx.Create(&rt).Error; err != nil {
		return nil, err
	}
	return &Session{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(a.signer.TTL() / time.Second), User: *u}, nil
}

var errBadRefresh = service.Unauthenticated("登录已失效，请重新登录")

// Refresh rotates a refresh token: the presented one is spent and a new pair issued. A token that was
// already spent means it was copied, so its whole family is revoked and the caller must sign in again.
func (a *Auth) Refresh(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, service.Invalid("refresh_token", "缺少 refresh_token")
	}
	var out *Session
	var reused bool
	var rt model.RefreshToken
	err := service.Transact(ctx, a.db, func(tx *gorm.DB) error {
		out, reused, rt = nil, false, model.RefreshToken{}
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", service.HashToken(token)).First(&rt).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errBadRefresh
			}
			return err
		}
		now := a.clock.Now()
		if rt.RevokedAt != nil || !now.Before(rt.ExpiresAt) {
			return errBadRefresh
		}
		if rt.UsedAt != nil {
			reused = true
			return revokeFamily(tx, rt.FamilyID, now)
		}
		res := tx.Model(&model.RefreshToken{}).Where("id = ? AND used_at IS NULL", rt.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			reused = true
			return revokeFamily(tx, rt.FamilyID, now)
		}
		u, err := activeUser(tx, rt.UserID)
		if err != nil {
			return err
		}
		out, err = a.issueTx(ctx, tx, u, rt.FamilyID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if reused {
		a.log.WarnContext(ctx, "refresh token reused; family revoked", "user_id", rt.UserID)
		return nil, errBadRefresh
	}
	return out, nil
}

// revokeFamily revokes every live token of a family in the transaction that found the reuse, so a
// failed revocation fails the request instead of leaving the copied family alive.
func revokeFamily(tx *gorm.DB, familyID string, now time.Time) error {
	return tx.Model(&model.RefreshToken{}).Where("family_id = ? AND revoked_at IS NULL", familyID).Update("revoked_at", now).Error
}

// revokeSessions revokes every live refresh token of a user. It goes with raising the account's
// auth_version in the same transaction: that refuses the access tokens, this stops a refresh token
// from minting new ones.
func revokeSessions(tx *gorm.DB, userID uint64, now time.Time) error {
	return tx.Model(&model.RefreshToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
}

// Logout revokes the refresh token's family. An unknown token is not an error: the result is the same.
func (a *Auth) Logout(ctx context.Context, actor service.Actor, token string) error {
	if token == "" {
		return a.db.WithContext(ctx).Model(&model.RefreshToken{}).
			Where("user_id = ? AND revoked_at IS NULL", actor.ID).Update("revoked_at", a.clock.Now()).Error
	}
	var rt model.RefreshToken
	err := a.db.WithContext(ctx).Where("token_hash = ? AND user_id = ?", service.HashToken(token), actor.ID).First(&rt).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return a.db.WithContext(ctx).Model(&model.RefreshToken{}).
		Where("family_id = ? AND revoked_at IS NULL", rt.FamilyID).Update("revoked_at", a.clock.Now()).Error
}

func activeUser(db *gorm.DB, id uint64) (*model.User, error) {
	var u model.User
	if err := db.First(&u, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, errBadRefresh
		}
		return nil, err
	}
	if u.Status != model.StatusActive {
		return nil, service.Unauthenticated("账号已停用，请联系园区管理办公室")
	}
	return &u, nil
}

// Authenticate checks an access token on every request against the account as it is now: a
// disabled account, or one whose role, enterprise or password changed since the token was issued,
// is refused at once.
func (a *Auth) Authenticate(ctx context.Context, token string) (service.Actor, error) {
	id, av, err := a.signer.Parse(token)
	if err != nil {
		return service.Actor{}, err
	}
	var u model.User
	if err := a.db.WithContext(ctx).Select("id", "name", "role", "enterprise_id", "status", "auth_version").First(&u, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return service.Actor{}, errBadToken
		}
		return service.Actor{}, err
	}
	if u.Status != model.StatusActive {
		return service.Actor{}, service.Unauthenticated("账号已停用，请联系园区管理办公室")
	}
	if u.AuthVersion != av {
		return service.Actor{}, service.Unauthenticated("账号信息已变更，请重新登录")
	}
	return actorOf(&u), nil
}

func actorOf(u *model.User) service.Actor {
	a := service.Actor{ID: u.ID, Name: u.Name, Role: u.Role}
	if u.Role == model.RoleEnterprise && u.EnterpriseID != nil {
		a.EnterpriseID = *u.EnterpriseID
	}
	return a
}

// ChangePassword sets a new password after checking the old one, and signs the user out elsewhere.
func (a *Auth) ChangePassword(ctx context.Context, actor service.Actor, oldPw, newPw string) error {
	var u model.User
	if err := a.db.WithContext(ctx).First(&u, actor.ID).Error; err != nil {
		return err
	}
	if u.PasswordHash != "" && bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(oldPw)) != nil {
		return service.Invalid("old_password", "原密码不正确")
	}
	if oldPw == newPw {
		return service.Invalid("new_password", "新密码不能与原密码相同")
	}
	if reason := passwordProblem(newPw); reason != "" {
		return service.Invalid("new_password", reason)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(newPw), a.bcryptCost)
	if err != nil {
		return err
	}
	return service.Transact(ctx, a.db, func(tx *gorm.DB) error {
		res := tx.Model(&model.User{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(map[string]any{
			"password_hash": string(hash), "auth_version": gorm.Expr("auth_version + 1"), "version": gorm.Expr("version + 1"),
		})
		if err := service.Guarded(res); err != nil {
			return err
		}
		return revokeSessions(tx, u.ID, a.clock.Now())
	})
}

// Me returns the signed-in user's account.
func (a *Auth) Me(ctx context.Context, actor service.Actor) (*model.User, error) {
	var u model.User
	if err := a.db.WithContext(ctx).First(&u, actor.ID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, service.NotFound("账号")
		}
		return nil, err
	}
	return &u, nil
}

var errWeChatOff = service.Unavailable("微信登录未开通，请使用账号密码登录")

// WeChatLogin exchanges a wx.login code for the user's openid. A bound openid signs in; an unknown
// one gets a short-lived, single-use ticket for binding by phone number.
func (a *Auth) WeChatLogin(ctx context.Context, code string) (*WeChatLogin, error) {
	if a.mini == nil || !a.mini.Configured() {
		return nil, errWeChatOff
	}
	if strings.TrimSpace(code) == "" {
		return nil, service.Invalid("code", "缺少 wx.login 返回的 code")
	}
	s, err := a.mini.Code2Session(ctx, code)
	if err != nil {
		return nil, a.wechatError(ctx, err, "code")
	}
	var u model.User
	err = a.db.WithContext(ctx).Where("open_id = ?", s.OpenID).First(&u).Error
	switch {
	case err == nil:
		if u.Status != model.StatusActive {
			return nil, service.Unauthenticated("账号已停用，请联系园区管理办公室")
		}
		sess, err := a.issue(ctx, &u, "")
		if err != nil {
			return nil, err
		}
		return &WeChatLogin{Session: sess}, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	ticket := randomToken(32)
	rec := model.WeChatBindTicket{TokenHash: service.HashToken(ticket), OpenID: s.OpenID, UnionID: s.UnionID, ExpiresAt: a.clock.Now().Add(bindTicketTTL)}
	if err := a.db.WithContext(ctx).Create(&rec).Error; err != nil {
		return nil, err
	}
	return &WeChatLogin{BindToken: ticket}, nil
}

// errPhoneNotRegistered answers a phone number that is no active account's confirmed mobile.
var errPhoneNotRegistered = service.Forbidden("该手机号未在园区登记，请联系园区管理办公室开通账号")

// mainlandChina is the country code of every mobile on file (ValidMobile).
const mainlandChina = "86"

// errBindExpired answers a bind ticket that is unknown, expired or already used.
var errBindExpired = service.Unauthenticated("绑定已过期，请重新点击微信登录")

// WeChatBind spends a bind ticket: WeChat tells the phone number the user agreed to share, and the
// active account whose mobile the office confirmed as that number gets the openid bound and signs
// in. Mobiles on file are mainland China's, so a number under another country code matches none,
// whatever its digits. The ticket is spent before WeChat is asked, so it is good for one attempt
// whatever the outcome: a failed bind cannot be retried with another phone.
func (a *Auth) WeChatBind(ctx context.Context, bindToken, phoneCode string) (*Session, error) {
	if a.mini == nil || !a.mini.Configured() {
		return nil, errWeChatOff
	}
	var v service.Validator
	v.Check(bindToken != "", "bind_token", "缺少 bind_token")
	v.Check(phoneCode != "", "phone_code", "缺少手机号授权 code")
	if err := v.Err(); err != nil {
		return nil, err
	}
	ticket, err := a.spendBindTicket(ctx, bindToken)
	if err != nil {
		return nil, err
	}
	phone, err := a.mini.PhoneNumber(ctx, phoneCode)
	if err != nil {
		return nil, a.wechatError(ctx, err, "phone_code")
	}
	if phone.CountryCode != mainlandChina {
		return nil, errPhoneNotRegistered
	}
	var out *Session
	err = service.Transact(ctx, a.db, func(tx *gorm.DB) error {
		out = nil
		var u model.User
		err := tx.Where("mobile = ? AND mobile_confirmed = ? AND status = ?", phone.Number, true, model.StatusActive).First(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errPhoneNotRegistered
		} else if err != nil {
			return err
		}
		if u.OpenID != nil && *u.OpenID != ticket.OpenID {
			return service.Conflict("该账号已绑定其他微信，请联系园区管理办公室解除绑定")
		}
		updates := map[string]any{"open_id": ticket.OpenID, "version": gorm.Expr("version + 1")}
		if ticket.UnionID != "" {
			updates["union_id"] = ticket.UnionID
		}
		// The version guard makes two WeChat accounts binding this account at once a conflict for
		// the later one, rather than a session for each and the binding of the last.
		res := tx.Model(&model.User{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(updates)
		if res.Error != nil {
			if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
				return service.Conflict("该微信已绑定其他账号")
			}
			return res.Error
		}
		if res.RowsAffected != 1 {
			return service.Conflict("该账号刚刚被修改或绑定，请重新点击微信登录")
		}
		openID := ticket.OpenID
		u.OpenID = &openID
		u.Version++
		out, err = a.issueTx(ctx, tx, &u, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// spendBindTicket marks a live bind ticket used and returns it; of two requests with one ticket,
// only one gets it.
func (a *Auth) spendBindTicket(ctx context.Context, bindToken string) (*model.WeChatBindTicket, error) {
	now := a.clock.Now()
	var ticket model.WeChatBindTicket
	err := a.db.WithContext(ctx).Where("token_hash = ?", service.HashToken(bindToken)).First(&ticket).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errBindExpired
	} else if err != nil {
		return nil, err
	}
	if ticket.UsedAt != nil || !now.Before(ticket.ExpiresAt) {
		return nil, errBindExpired
	}
	res := a.db.WithContext(ctx).Model(&model.WeChatBindTicket{}).Where("id = ? AND used_at IS NULL", ticket.ID).Update("used_at", now)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, errBindExpired
	}
	return &ticket, nil
}

// wechatError turns a WeChat failure into what the user can act on: a bad code is the client's
// mistake (422); anything else means WeChat is not answering properly (503).
func (a *Auth) wechatError(ctx context.Context, err error, field string) error {
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case 40029, 40163, 40226, 45011, 40013:
			return service.Invalid(field, "微信授权码无效或已使用，请重试")
		}
	}
	if errors.Is(err, wechat.ErrNotConfigured) {
		return errWeChatOff
	}
	a.log.ErrorContext(ctx, "wechat call failed", "err", err)
	return service.Unavailable("微信服务暂时不可用，请稍后再试")
}
