package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/middleware"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
)

// PersonRef names a user on a record.
type PersonRef struct {
	ID   uint64 `json:"id" example:"7"`
	Name string `json:"name" example:"张伟"`
}

// ActorRef names the user who took a step on the timeline, with the role they acted in.
type ActorRef struct {
	ID        uint64 `json:"id" example:"7"`
	Name      string `json:"name" example:"张伟"`
	Role      string `json:"role" example:"inspector"`
	RoleLabel string `json:"role_label" example:"园区检查人员"`
}

// HazardResponse is a hazard as its detail shows it.
type HazardResponse struct {
	ID             uint64          `json:"id" example:"101"`
	Code           string          `json:"code" example:"YH-20260306-0007"`
	EnterpriseID   uint64          `json:"enterprise_id" example:"3"`
	EnterpriseName string          `json:"enterprise_name" example:"龙池石化有限公司"`
	Source         string          `json:"source" example:"snapshot"`
	SourceLabel    string          `json:"source_label" example:"随手拍"`
	Category       string          `json:"category" example:"fire"`
	CategoryLabel  string          `json:"category_label" example:"消防"`
	Level          string          `json:"level" example:"general"`
	LevelLabel     string          `json:"level_label" example:"一般隐患"`
	Title          string          `json:"title" example:"罐区消防通道堆放杂物"`
	Description    string          `json:"description"`
	Location       string          `json:"location" example:"二号罐区东侧"`
	Latitude       *float64        `json:"latitude"`
	Longitude      *float64        `json:"longitude"`
	Requirement    string          `json:"requirement"`
	Deadline       string          `json:"deadline" example:"2026-03-13"`
	Status         string          `json:"status" example:"pending_rectify"`
	StatusLabel    string          `json:"status_label" example:"待整改"`
	Overdue        bool            `json:"overdue"`
	RejectCount    int             `json:"reject_count"`
	DuplicateOf    *uint64         `json:"duplicate_of"`
	OriginType     string          `json:"origin_type,omitempty"`
	OriginID       uint64          `json:"origin_id,omitempty"`
	Reporter       PersonRef       `json:"reporter"`
	Photos         []PhotoResponse `json:"photos"`
	CreatedAt      time.Time       `json:"created_at"`
	ClosedAt       *time.Time      `json:"closed_at"`
	Version        int             `json:"version" example:"1"`
}

// HazardListItem is a hazard as a list row on a phone shows it: no long text and at most one
// thumbnail, so that a page of 20 stays a few kilobytes on a weak network; GET /hazards/{id} has the rest.
type HazardListItem struct {
	ID             uint64      `json:"id" example:"101"`
	Code           string      `json:"code" example:"YH-20260306-0007"`
	EnterpriseID   uint64      `json:"enterprise_id" example:"3"`
	EnterpriseName string      `json:"enterprise_name" example:"龙池石化有限公司"`
	Source         string      `json:"source" example:"snapshot"`
	SourceLabel    string      `json:"source_label" example:"随手拍"`
	Category       string      `json:"category" example:"fire"`
	CategoryLabel  string      `json:"category_label" example:"消防"`
	Level          string      `json:"level" example:"general"`
	LevelLabel     string      `json:"level_label" example:"一般隐患"`
	Title          string      `json:"title" example:"罐区消防通道堆放杂物"`
	Location       string      `json:"location" example:"二号罐区东侧"`
	Deadline       string      `json:"deadline" example:"2026-03-13"`
	Status         string      `json:"status" example:"pending_rectify"`
	StatusLabel    string      `json:"status_label" example:"待整改"`
	Overdue        bool        `json:"overdue"`
	RejectCount    int         `json:"reject_count"`
	Thumb          *PhotoThumb `json:"thumb"`
	CreatedAt      time.Time   `json:"created_at"`
	Version        int         `json:"version" example:"1"`
}

// PhotoThumb is a photo's signed thumbnail link with the id that renews it (GET /photos/{id}) once
// it has expired.
type PhotoThumb struct {
	ID       uint64 `json:"id" example:"12"`
	ThumbURL string `json:"thumb_url"`
}

// RectificationResponse is one rectification report with its after-photos.
type RectificationResponse struct {
	ID          uint64          `json:"id"`
	Description string          `json:"description"`
	Photos      []PhotoResponse `json:"photos"`
	Submitter   PersonRef       `json:"submitter"`
	CreatedAt   time.Time       `json:"created_at"`
}

// HazardEventResponse is one entry of the timeline.
type HazardEventResponse struct {
	ID              uint64    `json:"id"`
	Action          string    `json:"action" example:"verify_rejected"`
	ActionLabel     string    `json:"action_label" example:"验收驳回"`
	FromStatus      string    `json:"from_status" example:"pending_verify"`
	FromStatusLabel string    `json:"from_status_label" example:"待验收"`
	ToStatus        string    `json:"to_status" example:"pending_rectify"`
	ToStatusLabel   string    `json:"to_status_label" example:"待整改"`
	Actor           ActorRef  `json:"actor"`
	Comment         string    `json:"comment"`
	CreatedAt       time.Time `json:"created_at"`
}

// ExtensionResponse is a deadline extension request and its decision.
type ExtensionResponse struct {
	ID          uint64     `json:"id"`
	OldDeadline string     `json:"old_deadline" example:"2026-03-13"`
	NewDeadline string     `json:"new_deadline" example:"2026-03-20"`
	Reason      string     `json:"reason"`
	Status      string     `json:"status" example:"pending"`
	StatusLabel string     `json:"status_label" example:"待审批"`
	Requester   PersonRef  `json:"requester"`
	Decider     *PersonRef `json:"decider"`
	Comment     string     `json:"comment"`
	DecidedAt   *time.Time `json:"decided_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

// HazardDetailResponse is a hazard with its rectifications, timeline and extension requests.
type HazardDetailResponse struct {
	HazardResponse
	Rectifications []RectificationResponse `json:"rectifications"`
	Events         []HazardEventResponse   `json:"events"`
	Extensions     []ExtensionResponse     `json:"extensions"`
}

// HazardRequest reports a hazard.
type HazardRequest struct {
	EnterpriseID uint64   `json:"enterprise_id" example:"3"`
	Source       string   `json:"source" enums:"snapshot,special_check" example:"snapshot"`
	Category     string   `json:"category" enums:"equipment,operation,management,fire,hygiene,environment,other" example:"fire"`
	Level        string   `json:"level" enums:"general,major" example:"general"`
	Title        string   `json:"title" example:"罐区消防通道堆放杂物"`
	Description  string   `json:"description" example:"二号罐区东侧消防通道堆放废旧托盘约 20 个"`
	Location     string   `json:"location" example:"二号罐区东侧"`
	Latitude     *float64 `json:"latitude" example:"30.2741"`
	Longitude    *float64 `json:"longitude" example:"120.1551"`
	Requirement  string   `json:"requirement" example:"立即清理，保持消防通道畅通"`
	Deadline     string   `json:"deadline" example:"2026-03-13"`
	PhotoIDs     []uint64 `json:"photo_ids"`
}

// RectificationRequest reports that a hazard is put right.
type RectificationRequest struct {
	Description string   `json:"description" example:"已清理全部杂物并划定禁停标线"`
	PhotoIDs    []uint64 `json:"photo_ids"`
	Version     *int     `json:"version"`
}

// DecisionRequest approves or rejects; a rejection needs a comment.
type DecisionRequest struct {
	Approved *bool  `json:"approved" example:"true"`
	Comment  string `json:"comment" example:"现场复核已整改到位"`
	// Version, when given, must be the hazard's current version (else 409).
	Version *int `json:"version"`
}

// VoidRequest voids a hazard.
type VoidRequest struct {
	Reason      string  `json:"reason" example:"与 YH-20260306-0003 重复上报"`
	DuplicateOf *uint64 `json:"duplicate_of"`
	Version     *int    `json:"version"`
}

// ExtensionRequest asks for a later deadline.
type ExtensionRequest struct {
	Deadline string `json:"deadline" example:"2026-03-20"`
	Reason   string `json:"reason" example:"备件到货需 5 天"`
	Version  *int   `json:"version"`
}

func (s *Server) hazard(h *hazard.Item) HazardResponse {
	out := HazardResponse{ID: h.ID, Code: h.Code, EnterpriseID: h.EnterpriseID, Source: h.Source,
		SourceLabel: hazard.SourceLabels[h.Source], Category: h.Category, CategoryLabel: hazard.CategoryLabels[h.Category],
		Level: h.Level, LevelLabel: hazard.LevelLabels[h.Level], Title: h.Title, Description: h.Description,
		Location: h.Location, Latitude: h.Latitude, Longitude: h.Longitude, Requirement: h.Requirement, Deadline: h.Deadline,
		Status: h.Status, StatusLabel: hazard.StatusLabels[h.Status], Overdue: h.Overdue, RejectCount: h.RejectCount,
		DuplicateOf: h.DuplicateOf, OriginType: h.OriginType, OriginID: h.OriginID, Reporter: PersonRef{ID: h.ReporterID},
		Photos: s.photos(h.Photos), CreatedAt: s.local(h.CreatedAt), ClosedAt: s.localPtr(h.ClosedAt), Version: h.Version}
	if h.Enterprise != nil {
		out.EnterpriseName = h.Enterprise.Name
	}
	out.Reporter = personRef(h.ReporterID, h.Reporter)
	return out
}

func (s *Server) hazardListItem(h *hazard.Item) HazardListItem {
	out := HazardListItem{ID: h.ID, Code: h.Code, EnterpriseID: h.EnterpriseID, Source: h.Source,
		SourceLabel: hazard.SourceLabels[h.Source], Category: h.Category, CategoryLabel: hazard.CategoryLabels[h.Category],
		Level: h.Level, LevelLabel: hazard.LevelLabels[h.Level], Title: h.Title, Location: h.Location, Deadline: h.Deadline,
		Status: h.Status, StatusLabel: hazard.StatusLabels[h.Status], Overdue: h.Overdue, RejectCount: h.RejectCount,
		CreatedAt: s.local(h.CreatedAt), Version: h.Version}
	if h.Enterprise != nil {
		out.EnterpriseName = h.Enterprise.Name
	}
	if len(h.Photos) > 0 {
		out.Thumb = &PhotoThumb{ID: h.Photos[0].ID}
		if s.PhotoLinks != nil {
			_, out.Thumb.ThumbURL = s.PhotoLinks.Links(&h.Photos[0])
		}
	}
	return out
}

func personRef(id uint64, u *model.User) PersonRef {
	p := PersonRef{ID: id}
	if u != nil {
		p.Name = u.Name
	}
	return p
}

func (s *Server) hazardDetail(d *hazard.Detail) HazardDetailResponse {
	out := HazardDetailResponse{HazardResponse: s.hazard(&d.Item), Rectifications: []RectificationResponse{},
		Events: []HazardEventResponse{}, Extensions: []ExtensionResponse{}}
	for _, r := range d.Rectifications {
		out.Rectifications = append(out.Rectifications, RectificationResponse{ID: r.ID, Description: r.Description,
			Photos: s.photos(r.Photos), Submitter: personRef(r.SubmitterID, r.Submitter), CreatedAt: s.local(r.CreatedAt)})
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, HazardEventResponse{ID: e.ID, Action: e.Action, ActionLabel: hazard.ActionLabels[e.Action],
			FromStatus: e.FromStatus, FromStatusLabel: hazard.StatusLabels[e.FromStatus], ToStatus: e.ToStatus,
			ToStatusLabel: hazard.StatusLabels[e.ToStatus],
			Actor:         ActorRef{ID: e.ActorID, Name: e.ActorName, Role: e.ActorRole, RoleLabel: service.RoleLabels[e.ActorRole]},
			Comment:       e.Comment, CreatedAt: s.local(e.CreatedAt)})
	}
	for _, x := range d.Extensions {
		ext := ExtensionResponse{ID: x.ID, OldDeadline: x.OldDeadline, NewDeadline: x.NewDeadline, Reason: x.Reason, Status: x.Status,
			StatusLabel: hazard.ExtensionStatusLabels[x.Status], Requester: personRef(x.RequesterID, x.Requester),
			Comment: x.Comment, DecidedAt: s.localPtr(x.DecidedAt), CreatedAt: s.local(x.CreatedAt)}
		if x.DeciderID != nil {
			d := personRef(*x.DeciderID, x.Decider)
			ext.Decider = &d
		}
		out.Extensions = append(out.Extensions, ext)
	}
	return out
}

// createHazard godoc
//
//	@Summary		Report a hazard (inspector, admin)
//	@Description	At least one discovery photo (uploaded first with POST /photos); deadline not before today.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string			false	"retry key"
//	@Param			body			body		HazardRequest	true	"hazard"
//	@Success		201				{object}	HazardDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/hazards [post]
func (s *Server) createHazard(c *gin.Context) {
	var req HazardRequest
	if !bindJSON(c, &req) {
		return
	}
	found := hazard.Finding{Category: req.Category, Level: req.Level, Title: req.Title, Description: req.Description,
		Location: req.Location, Latitude: req.Latitude, Longitude: req.Longitude, Requirement: req.Requirement,
		Deadline: req.Deadline, PhotoIDs: req.PhotoIDs}
	d, err := s.Hazards.Create(c.Request.Context(), actor(c), found.Input(req.EnterpriseID, req.Source, "", 0, ""))
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.hazardDetail(d))
}

// hazardFilter reads the list and export filters.
func hazardFilter(q *query) hazard.Filter {
	return hazard.Filter{Status: q.str("status"), EnterpriseID: q.uint("enterprise_id"), Level: q.str("level"),
		Category: q.str("category"), Source: q.str("source"), Overdue: q.boolPtr("overdue"), Q: q.str("q"),
		From: q.str("from"), To: q.str("to"), Sort: q.str("sort")}
}

// listHazards godoc
//
//	@Summary		List hazards (an enterprise user sees only its own)
//	@Description	Compact rows (first discovery photo's thumbnail, no description or requirement); GET /hazards/{id} has the rest.
//	@Tags			hazards
//	@Produce		json
//	@Security		Bearer
//	@Param			status			query		string	false	"pending_rectify, pending_verify, pending_approval, closed or void"
//	@Param			enterprise_id	query		int		false	"enterprise"
//	@Param			level			query		string	false	"general or major"
//	@Param			category		query		string	false	"equipment, operation, management, fire, hygiene, environment or other"
//	@Param			source			query		string	false	"snapshot, hygiene_check, leader_inspection, special_check or filing"
//	@Param			overdue			query		bool	false	"only overdue (true) or only not overdue (false)"
//	@Param			q				query		string	false	"code, title, description or location contains"
//	@Param			from			query		string	false	"reported on or after, YYYY-MM-DD (park time)"
//	@Param			to				query		string	false	"reported on or before, YYYY-MM-DD (park time)"
//	@Param			sort			query		string	false	"-created_at (default), created_at, deadline or -deadline"
//	@Param			page			query		int		false	"page, from 1; page × page_size ≤ 10,000"
//	@Param			page_size		query		int		false	"1 to 100"
//	@Param			after			query		string	false	"the previous page's next: continues after its last row (same filters and sort)"
//	@Success		200				{object}	ListResponse[HazardListItem]
//	@Failure		422				{object}	ErrorBody
//	@Router			/hazards [get]
func (s *Server) listHazards(c *gin.Context) {
	q := newQuery(c)
	f := hazardFilter(q)
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Hazards.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.hazardListItem))
}

// exportHazards godoc
//
//	@Summary		Download the hazard ledger (隐患台账) as .xlsx
//	@Description	Same filters as the list (sort is ignored: the ledger is oldest first). An enterprise user gets its own hazards only.
//	@Tags			hazards
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		Bearer
//	@Param			status			query		string	false	"status"
//	@Param			enterprise_id	query		int		false	"enterprise"
//	@Param			level			query		string	false	"general or major"
//	@Param			category		query		string	false	"category"
//	@Param			source			query		string	false	"source"
//	@Param			overdue			query		bool	false	"overdue"
//	@Param			q				query		string	false	"text"
//	@Param			from			query		string	false	"YYYY-MM-DD"
//	@Param			to				query		string	false	"YYYY-MM-DD"
//	@Success		200				{file}		file
//	@Failure		422				{object}	ErrorBody
//	@Router			/hazards/export [get]
func (s *Server) exportHazards(c *gin.Context) {
	q := newQuery(c)
	f := hazardFilter(q)
	if !q.ok() {
		return
	}
	f.Sort = ""
	file, err := s.Hazards.Export(c.Request.Context(), actor(c), f)
	if err != nil {
		respondError(c, err)
		return
	}
	defer file.Close()
	name := "隐患台账-" + s.Park.Now().In(s.Park.Loc).Format("20060102") + ".xlsx"
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", `attachment; filename="hazard-ledger.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
	c.Status(http.StatusOK)
	if err := file.Write(c.Writer); err != nil {
		// The status line is out already; all that is left is to note the broken download.
		middleware.Log(c).WarnContext(c.Request.Context(), "write hazard ledger", "err", err)
	}
}

// getHazard godoc
//
//	@Summary	One hazard with photos, rectifications, timeline and extensions
//	@Tags		hazards
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"hazard id"
//	@Success	200	{object}	HazardDetailResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/hazards/{id} [get]
func (s *Server) getHazard(c *gin.Context) {
	id, ok := pathID(c, "隐患")
	if !ok {
		return
	}
	d, err := s.Hazards.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.hazardDetail(d))
}

// hazardAction binds a request of type R, calls do with the hazard id and answers the detail.
func hazardAction[R any](s *Server, c *gin.Context, do func(id uint64, req *R) (*hazard.Detail, error)) {
	id, ok := pathID(c, "隐患")
	if !ok {
		return
	}
	var req R
	if !bindJSON(c, &req) {
		return
	}
	d, err := do(id, &req)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.hazardDetail(d))
}

// submitRectification godoc
//
//	@Summary		Submit the rectification with after-photos (the hazard's enterprise)
//	@Description	pending_rectify → pending_verify.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int						true	"hazard id"
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		RectificationRequest	true	"rectification"
//	@Success		200				{object}	HazardDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody	"not pending rectification, or changed meanwhile"
//	@Failure		422				{object}	ErrorBody
//	@Router			/hazards/{id}/rectification [post]
func (s *Server) submitRectification(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *RectificationRequest) (*hazard.Detail, error) {
		return s.Hazards.SubmitRectification(c.Request.Context(), actor(c), id,
			hazard.RectificationInput{Description: r.Description, PhotoIDs: r.PhotoIDs, Version: r.Version})
	})
}

func (r *DecisionRequest) input() hazard.DecisionInput {
	return hazard.DecisionInput{Approved: r.Approved, Comment: r.Comment, Version: r.Version}
}

// verifyHazard godoc
//
//	@Summary		Verify a rectification (inspector, admin)
//	@Description	Approved: general → closed, major → pending_approval. Rejected (comment required): → pending_rectify, reject_count + 1.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int				true	"hazard id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		DecisionRequest	true	"decision"
//	@Success		200		{object}	HazardDetailResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/hazards/{id}/verify [post]
func (s *Server) verifyHazard(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *DecisionRequest) (*hazard.Detail, error) {
		return s.Hazards.Verify(c.Request.Context(), actor(c), id, r.input())
	})
}

// approveHazard godoc
//
//	@Summary		Approve closing a major hazard (admin)
//	@Description	pending_approval → closed; rejected (comment required) → pending_rectify, reject_count + 1.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int				true	"hazard id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		DecisionRequest	true	"decision"
//	@Success		200		{object}	HazardDetailResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/hazards/{id}/approve [post]
func (s *Server) approveHazard(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *DecisionRequest) (*hazard.Detail, error) {
		return s.Hazards.Approve(c.Request.Context(), actor(c), id, r.input())
	})
}

// voidHazard godoc
//
//	@Summary		Void a hazard reported by mistake or twice (inspector, admin)
//	@Description	pending_rectify → void; reason required; duplicate_of names another hazard that is not void.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int			true	"hazard id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		VoidRequest	true	"reason"
//	@Success		200		{object}	HazardDetailResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/hazards/{id}/void [post]
func (s *Server) voidHazard(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *VoidRequest) (*hazard.Detail, error) {
		return s.Hazards.Void(c.Request.Context(), actor(c), id,
			hazard.VoidInput{Reason: r.Reason, DuplicateOf: r.DuplicateOf, Version: r.Version})
	})
}

// requestExtension godoc
//
//	@Summary		Ask for a later deadline (the hazard's enterprise)
//	@Description	While pending_rectify; one pending request at a time; the new date must be later than the current deadline.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int					true	"hazard id"
//	@Param			body	body		ExtensionRequest	true	"new deadline and reason"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Success		200		{object}	HazardDetailResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody
//	@Failure		422		{object}	ErrorBody
//	@Router			/hazards/{id}/extension [post]
func (s *Server) requestExtension(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *ExtensionRequest) (*hazard.Detail, error) {
		return s.Hazards.RequestExtension(c.Request.Context(), actor(c), id,
			hazard.ExtensionInput{Deadline: r.Deadline, Reason: r.Reason, Version: r.Version})
	})
}

// decideExtension godoc
//
//	@Summary		Approve or reject the pending extension request (inspector, admin)
//	@Description	Approved, the hazard's deadline moves to the requested date; a rejection needs a comment.
//	@Tags			hazards
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int				true	"hazard id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		DecisionRequest	true	"decision"
//	@Success		200		{object}	HazardDetailResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"no pending request, or the hazard is closed or void"
//	@Failure		422		{object}	ErrorBody
//	@Router			/hazards/{id}/extension/decision [post]
func (s *Server) decideExtension(c *gin.Context) {
	hazardAction(s, c, func(id uint64, r *DecisionRequest) (*hazard.Detail, error) {
		return s.Hazards.DecideExtension(c.Request.Context(), actor(c), id, r.input())
	})
}
