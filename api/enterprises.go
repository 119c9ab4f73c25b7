package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/model"
	"parksafe/service/park"
)

// EnterpriseResponse is an enterprise as clients see it.
type EnterpriseResponse struct {
	ID                  uint64    `json:"id" example:"3"`
	Name                string    `json:"name" example:"龙池石化有限公司"`
	USCC                string    `json:"uscc" example:"914403001922038216"`
	Kind                string    `json:"kind" example:"hazchem_production"`
	KindLabel           string    `json:"kind_label" example:"危化品生产"`
	Address             string    `json:"address"`
	PrincipalName       string    `json:"principal_name"`
	PrincipalMobile     string    `json:"principal_mobile"`
	SafetyOfficerName   string    `json:"safety_officer_name"`
	SafetyOfficerMobile string    `json:"safety_officer_mobile"`
	MajorHazardCount    int       `json:"major_hazard_count"`
	CadreID             *uint64   `json:"cadre_id"`
	CadreName           string    `json:"cadre_name,omitempty"`
	Status              string    `json:"status" example:"active"`
	StatusLabel         string    `json:"status_label" example:"正常"`
	Version             int       `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
}

// EnterpriseRequest creates or edits an enterprise; in PATCH, omitted fields stay as they are.
type EnterpriseRequest struct {
	Name                *string `json:"name" example:"龙池石化有限公司"`
	USCC                *string `json:"uscc" example:"914403001922038216"`
	Kind                *string `json:"kind" enums:"hazchem_production,hazchem_operation,chemical_other"`
	Address             *string `json:"address"`
	PrincipalName       *string `json:"principal_name"`
	PrincipalMobile     *string `json:"principal_mobile"`
	SafetyOfficerName   *string `json:"safety_officer_name"`
	SafetyOfficerMobile *string `json:"safety_officer_mobile"`
	MajorHazardCount    *int    `json:"major_hazard_count"`
	// CadreID is the assigned park cadre (an inspector); 0 clears it.
	CadreID *uint64 `json:"cadre_id"`
	Status  *string `json:"status" enums:"active,inactive"`
	// Version is the version the edit is based on (PATCH only); a stale one is 409.
	Version *int `json:"version"`
}

func (r EnterpriseRequest) input() park.EnterpriseInput {
	return park.EnterpriseInput{Name: r.Name, USCC: r.USCC, Kind: r.Kind, Address: r.Address, PrincipalName: r.PrincipalName,
		PrincipalMobile: r.PrincipalMobile, SafetyOfficerName: r.SafetyOfficerName, SafetyOfficerMobile: r.SafetyOfficerMobile,
		MajorHazardCount: r.MajorHazardCount, CadreID: r.CadreID, Status: r.Status, Version: r.Version}
}

func (s *Server) enterprise(e *model.Enterprise) EnterpriseResponse {
	out := EnterpriseResponse{ID: e.ID, Name: e.Name, USCC: e.USCC, Kind: e.Kind, KindLabel: park.EnterpriseKinds[e.Kind],
		Address: e.Address, PrincipalName: e.PrincipalName, PrincipalMobile: e.PrincipalMobile, SafetyOfficerName: e.SafetyOfficerName,
		SafetyOfficerMobile: e.SafetyOfficerMobile, MajorHazardCount: e.MajorHazardCount, CadreID: e.CadreID, Status: e.Status,
		StatusLabel: park.EnterpriseStatusLabels[e.Status], Version: e.Version, CreatedAt: s.local(e.CreatedAt)}
	if e.Cadre != nil {
		out.CadreName = e.Cadre.Name
	}
	return out
}

// createEnterprise godoc
//
//	@Summary	Register an enterprise (admin)
//	@Tags		enterprises
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		Idempotency-Key	header		string				false	"retry key"
//	@Param		body			body		EnterpriseRequest	true	"enterprise"
//	@Success	201				{object}	EnterpriseResponse
//	@Failure	409				{object}	ErrorBody	"name or USCC taken"
//	@Failure	422				{object}	ErrorBody	"e.g. USCC check character wrong"
//	@Router		/enterprises [post]
func (s *Server) createEnterprise(c *gin.Context) {
	var req EnterpriseRequest
	if !bindJSON(c, &req) {
		return
	}
	e, err := s.Enterprises.Create(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.enterprise(e))
}

// listEnterprises godoc
//
//	@Summary	List enterprises (an enterprise user sees only its own)
//	@Tags		enterprises
//	@Produce	json
//	@Security	Bearer
//	@Param		kind		query		string	false	"hazchem_production, hazchem_operation or chemical_other"
//	@Param		status		query		string	false	"active or inactive"
//	@Param		q			query		string	false	"name or USCC contains"
//	@Param		page		query		int		false	"page, from 1"
//	@Param		page_size	query		int		false	"1 to 100"
//	@Success	200			{object}	ListResponse[EnterpriseResponse]
//	@Router		/enterprises [get]
func (s *Server) listEnterprises(c *gin.Context) {
	q := newQuery(c)
	f := park.EnterpriseFilter{Kind: q.str("kind"), Status: q.str("status"), Q: q.str("q")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Enterprises.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.enterprise))
}

// getEnterprise godoc
//
//	@Summary	One enterprise (an enterprise user: only its own, others 404)
//	@Tags		enterprises
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"enterprise id"
//	@Success	200	{object}	EnterpriseResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/enterprises/{id} [get]
func (s *Server) getEnterprise(c *gin.Context) {
	id, ok := pathID(c, "企业")
	if !ok {
		return
	}
	e, err := s.Enterprises.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.enterprise(e))
}

// updateEnterprise godoc
//
//	@Summary	Edit an enterprise (admin)
//	@Tags		enterprises
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		id		path		int					true	"enterprise id"
//	@Param		Idempotency-Key	header	string	false	"retry key"
//	@Param		body	body		EnterpriseRequest	true	"fields to change"
//	@Success	200		{object}	EnterpriseResponse
//	@Failure	409		{object}	ErrorBody
//	@Failure	422		{object}	ErrorBody
//	@Router		/enterprises/{id} [patch]
func (s *Server) updateEnterprise(c *gin.Context) {
	id, ok := pathID(c, "企业")
	if !ok {
		return
	}
	var req EnterpriseRequest
	if !bindJSON(c, &req) {
		return
	}
	e, err := s.Enterprises.Update(c.Request.Context(), actor(c), id, req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.enterprise(e))
}
