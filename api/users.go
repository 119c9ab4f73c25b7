package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/identity"
)

// UserResponse is an account as clients see it.
type UserResponse struct {
	ID             uint64    `json:"id" example:"7"`
	Name           string    `json:"name" example:"张伟"`
	Username       *string   `json:"username" example:"zhangwei"`
	Phone          string    `json:"phone" example:"13912345678"`
	Mobile         string    `json:"mobile" example:"13912345678"`
	Role           string    `json:"role" example:"inspector"`
	RoleLabel      string    `json:"role_label" example:"园区检查人员"`
	EnterpriseID   *uint64   `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	Status         string    `json:"status" example:"active"`
	StatusLabel    string    `json:"status_label" example:"正常"`
	WeChatBound    bool      `json:"wechat_bound"`
	Version        int       `json:"version" example:"1"`
	CreatedAt      time.Time `json:"created_at"`
	// MobileConfirmed says the office vouches for the mobile; only then can WeChat bind by phone.
	MobileConfirmed bool `json:"mobile_confirmed" example:"true"`
}

// UserRequest creates or edits an account; in PATCH, omitted fields stay as they are.
type UserRequest struct {
	Name         *string `json:"name" example:"张伟"`
	Username     *string `json:"username" example:"zhangwei"`
	Mobile       *string `json:"mobile" example:"13912345678"`
	Password     *string `json:"password" example:"Initial-pass1"`
	Role         *string `json:"role" enums:"admin,inspector,enterprise"`
	EnterpriseID *uint64 `json:"enterprise_id"`
	Status       *string `json:"status" enums:"active,disabled"`
	// MobileConfirmed is false for a mobile the office has not checked with its holder (no WeChat
	// binding by that number); a new mobile entered without it is confirmed, the present one sent back
	// keeps its state, and true alone confirms the account's present one.
	MobileConfirmed *bool `json:"mobile_confirmed"`
	// UnbindWeChat removes the WeChat binding (PATCH only).
	UnbindWeChat bool `json:"unbind_wechat"`
	// Version is the version the edit is based on (PATCH only); a stale one is 409.
	Version *int `json:"version"`
}

func (r UserRequest) input() identity.UserInput {
	return identity.UserInput{Name: r.Name, Username: r.Username, Mobile: r.Mobile, MobileConfirmed: r.MobileConfirmed,
		Password: r.Password, Role: r.Role, EnterpriseID: r.EnterpriseID, Status: r.Status, UnbindWeChat: r.UnbindWeChat, Version: r.Version}
}

func (s *Server) user(u *model.User) UserResponse {
	// No mobile is answered as "": the mini-program shows phone as a string.
	var mobile string
	if u.Mobile != nil {
		mobile = *u.Mobile
	}
	out := UserResponse{ID: u.ID, Name: u.Name, Username: u.Username, Phone: mobile, Mobile: mobile, MobileConfirmed: u.MobileConfirmed,
		Role: u.Role, RoleLabel: service.RoleLabels[u.Role], EnterpriseID: u.EnterpriseID, Status: u.Status,
		StatusLabel: identity.UserStatusLabels[u.Status], WeChatBound: u.OpenID != nil, Version: u.Version, CreatedAt: s.local(u.CreatedAt)}
	if u.Enterprise != nil {
		out.EnterpriseName = u.Enterprise.Name
	}
	return out
}

// createUser godoc
//
//	@Summary	Create an account (admin)
//	@Tags		users
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		Idempotency-Key	header		string		false	"retry key"
//	@Param		body			body		UserRequest	true	"account"
//	@Success	201				{object}	UserResponse
//	@Failure	403				{object}	ErrorBody
//	@Failure	409				{object}	ErrorBody	"mobile or username taken"
//	@Failure	422				{object}	ErrorBody
//	@Router		/users [post]
func (s *Server) createUser(c *gin.Context) {
	var req UserRequest
	if !bindJSON(c, &req) {
		return
	}
	u, err := s.Users.Create(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.user(u))
}

// listUsers godoc
//
//	@Summary	List accounts (admin)
//	@Tags		users
//	@Produce	json
//	@Security	Bearer
//	@Param		role			query		string	false	"admin, inspector or enterprise"
//	@Param		enterprise_id	query		int		false	"enterprise"
//	@Param		status			query		string	false	"active or disabled"
//	@Param		q				query		string	false	"name, mobile or username contains"
//	@Param		page			query		int		false	"page, from 1"
//	@Param		page_size		query		int		false	"1 to 100"
//	@Success	200				{object}	ListResponse[UserResponse]
//	@Router		/users [get]
func (s *Server) listUsers(c *gin.Context) {
	q := newQuery(c)
	f := identity.UserFilter{Role: q.str("role"), EnterpriseID: q.uint("enterprise_id"), Status: q.str("status"), Q: q.str("q")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Users.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.user))
}

// getUser godoc
//
//	@Summary	One account (admin)
//	@Tags		users
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"user id"
//	@Success	200	{object}	UserResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/users/{id} [get]
func (s *Server) getUser(c *gin.Context) {
	id, ok := pathID(c, "账号")
	if !ok {
		return
	}
	u, err := s.Users.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.user(u))
}

// updateUser godoc
//
//	@Summary		Edit an account (admin)
//	@Description	Changing role, enterprise, status or password, or unbinding WeChat, signs the account out at once.
//	@Description	Replacing the mobile hands the account to a new holder: it signs the account out and unbinds its WeChat too.
//	@Description	An account with a password must get a new one (`password`, not the old one) in the request that replaces its mobile: 422 on `password` otherwise.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int			true	"user id"
//	@Param			body	body		UserRequest	true	"fields to change"
//	@Success		200		{object}	UserResponse
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/users/{id} [patch]
func (s *Server) updateUser(c *gin.Context) {
	id, ok := pathID(c, "账号")
	if !ok {
		return
	}
	var req UserRequest
	if !bindJSON(c, &req) {
		return
	}
	u, err := s.Users.Update(c.Request.Context(), actor(c), id, req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.user(u))
}
