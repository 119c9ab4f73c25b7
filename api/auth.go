package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"parksafe/service/identity"
)

// LoginRequest signs in with a username or mobile number and a password.
type LoginRequest struct {
	Username string `json:"username" example:"admin"`
	Password string `json:"password" example:"s3cret-pass"`
}

// TokenResponse is a signed-in session.
type TokenResponse struct {
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	TokenType    string       `json:"token_type" example:"Bearer"`
	ExpiresIn    int          `json:"expires_in" example:"900"`
	User         UserResponse `json:"user"`
}

// WeChatLoginRequest carries the code of wx.login.
type WeChatLoginRequest struct {
	Code string `json:"code"`
}

// WeChatLoginResponse is either a session (bound: true) or a bind token for the phone-number step.
type WeChatLoginResponse struct {
	Bound     bool   `json:"bound"`
	BindToken string `json:"bind_token,omitempty"`
	*TokenResponse
}

// WeChatBindRequest binds the WeChat account to the pre-registered account with that phone number.
type WeChatBindRequest struct {
	BindToken string `json:"bind_token"`
	PhoneCode string `json:"phone_code"`
}

// RefreshRequest carries a refresh token.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// PasswordRequest changes the signed-in user's password.
type PasswordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) tokens(sess *identity.Session) TokenResponse {
	return TokenResponse{AccessToken: sess.AccessToken, RefreshToken: sess.RefreshToken, TokenType: "Bearer",
		ExpiresIn: sess.ExpiresIn, User: s.user(&sess.User)}
}

// login godoc
//
//	@Summary	Sign in with username or mobile and password
//	@Tags		auth
//	@Accept		json
//	@Produce	json
//	@Param		body	body		LoginRequest	true	"credentials"
//	@Success	200		{object}	TokenResponse
//	@Failure	401		{object}	ErrorBody	"wrong credentials, unknown or disabled account: one answer for all"
//	@Failure	422		{object}	ErrorBody
//	@Failure	429		{object}	ErrorBody	"too many failures of the account from this address, from this address (an IPv6 address counts as its /64), or of the account overall (not counted for an address the account signed in from within 30 days); see Retry-After"
//	@Router		/auth/login [post]
func (s *Server) login(c *gin.Context) {
	var req LoginRequest
	if !bindJSON(c, &req) {
		return
	}
	sess, err := s.Auth.Login(c.Request.Context(), req.Username, req.Password, c.ClientIP())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tokens(sess))
}

// wechatLogin godoc
//
//	@Summary		Sign in with the code of wx.login
//	@Description	A bound WeChat account gets tokens; an unknown one gets {bound: false, bind_token} for /auth/wechat/bind.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		WeChatLoginRequest	true	"wx.login code"
//	@Success		200		{object}	WeChatLoginResponse
//	@Failure		422		{object}	ErrorBody
//	@Failure		503		{object}	ErrorBody	"WeChat sign-in not configured or not reachable"
//	@Router			/auth/wechat/login [post]
func (s *Server) wechatLogin(c *gin.Context) {
	var req WeChatLoginRequest
	if !bindJSON(c, &req) {
		return
	}
	res, err := s.Auth.WeChatLogin(c.Request.Context(), req.Code)
	if err != nil {
		respondError(c, err)
		return
	}
	if res.Session == nil {
		c.JSON(http.StatusOK, WeChatLoginResponse{Bound: false, BindToken: res.BindToken})
		return
	}
	t := s.tokens(res.Session)
	c.JSON(http.StatusOK, WeChatLoginResponse{Bound: true, TokenResponse: &t})
}

// wechatBind godoc
//
//	@Summary	Bind WeChat to the pre-registered account whose confirmed mobile is the shared phone number
//	@Tags		auth
//	@Accept		json
//	@Produce	json
//	@Param		body	body		WeChatBindRequest	true	"bind token and getPhoneNumber code"
//	@Success	200		{object}	TokenResponse
//	@Failure	401		{object}	ErrorBody	"bind token expired or used (every attempt uses it, a failed one too)"
//	@Failure	403		{object}	ErrorBody	"no active account whose confirmed mobile is that number: ask the park office"
//	@Failure	409		{object}	ErrorBody	"the account is bound to another WeChat, or this WeChat to another account"
//	@Failure	503		{object}	ErrorBody
//	@Router		/auth/wechat/bind [post]
func (s *Server) wechatBind(c *gin.Context) {
	var req WeChatBindRequest
	if !bindJSON(c, &req) {
		return
	}
	sess, err := s.Auth.WeChatBind(c.Request.Context(), req.BindToken, req.PhoneCode)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tokens(sess))
}

// refresh godoc
//
//	@Summary		Exchange a refresh token for a new pair
//	@Description	Refresh tokens rotate; presenting a spent one revokes its whole family.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		RefreshRequest	true	"refresh token"
//	@Success		200		{object}	TokenResponse
//	@Failure		401		{object}	ErrorBody
//	@Router			/auth/refresh [post]
func (s *Server) refresh(c *gin.Context) {
	var req RefreshRequest
	if !bindJSON(c, &req) {
		return
	}
	sess, err := s.Auth.Refresh(c.Request.Context(), req.RefreshToken)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tokens(sess))
}

// logout godoc
//
//	@Summary	Revoke a refresh token (all of the user's when none is given)
//	@Tags		auth
//	@Accept		json
//	@Security	Bearer
//	@Param		body	body	RefreshRequest	false	"refresh token"
//	@Success	204
//	@Failure	401	{object}	ErrorBody
//	@Router		/auth/logout [post]
func (s *Server) logout(c *gin.Context) {
	var req RefreshRequest
	if c.Request.ContentLength != 0 && !bindJSON(c, &req) {
		return
	}
	if err := s.Auth.Logout(c.Request.Context(), actor(c), req.RefreshToken); err != nil {
		respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// MeResponse is the signed-in user's account with the park's calendar, so that a phone shows "this
// week" and "today" as the park counts them whatever its own time zone.
type MeResponse struct {
	UserResponse
	Park ParkCalendar `json:"park"`
}

// ParkCalendar is the park's current date and ISO week in its time zone.
type ParkCalendar struct {
	Today    string `json:"today" example:"2026-03-06"`
	Week     string `json:"week" example:"2026-W10"`
	Weekday  int    `json:"weekday" example:"5"`
	TimeZone string `json:"time_zone" example:"Asia/Shanghai"`
}

func (s *Server) parkCalendar() ParkCalendar {
	now := s.Park.Now()
	wd := int(now.In(s.Park.Loc).Weekday())
	if wd == 0 {
		wd = 7 // ISO: Monday 1 … Sunday 7, as weeks are counted
	}
	return ParkCalendar{Today: s.date(now), Week: s.Park.WeekOf(now).String(), Weekday: wd, TimeZone: s.Park.Loc.String()}
}

// me godoc
//
//	@Summary	The signed-in user's account, with the park's current date and ISO week
//	@Tags		me
//	@Produce	json
//	@Security	Bearer
//	@Success	200	{object}	MeResponse
//	@Failure	401	{object}	ErrorBody
//	@Router		/me [get]
func (s *Server) me(c *gin.Context) {
	u, err := s.Auth.Me(c.Request.Context(), actor(c))
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, MeResponse{UserResponse: s.user(u), Park: s.parkCalendar()})
}

// changePassword godoc
//
//	@Summary		Change the signed-in user's password
//	@Description	Signs the user out on every other device.
//	@Tags			me
//	@Accept			json
//	@Security		Bearer
//	@Param			body	body	PasswordRequest	true	"old and new password"
//	@Success		204
//	@Failure		422	{object}	ErrorBody
//	@Router			/me/password [put]
func (s *Server) changePassword(c *gin.Context) {
	var req PasswordRequest
	if !bindJSON(c, &req) {
		return
	}
	if err := s.Auth.ChangePassword(c.Request.Context(), actor(c), req.OldPassword, req.NewPassword); err != nil {
		respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
