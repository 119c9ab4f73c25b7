package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/model"
	"parksafe/service/hazard"
	"parksafe/service/hygiene"
	"parksafe/service/photo"
)

// HygieneAreaRequest rates one frontage area.
type HygieneAreaRequest struct {
	Area   string `json:"area" enums:"doorway,ditch,road" example:"doorway"`
	Passed *bool  `json:"passed" example:"false"`
	// Note describes what is wrong; required when the area failed.
	Note string `json:"note" example:"门口堆放废弃纸箱和木托盘，有火灾隐患"`
	// PhotoIDs are uploaded photos (POST /photos); at least one when the area failed.
	PhotoIDs []uint64 `json:"photo_ids"`
}

// HygieneCheckRequest files a Friday check: all three areas, each exactly once.
type HygieneCheckRequest struct {
	EnterpriseID uint64 `json:"enterprise_id" example:"3"`
	// CheckDate is the park-local date checked, not in the future; empty means today.
	CheckDate string `json:"check_date" example:"2026-03-06"`
	// Deadline is the date failed areas must be cleared by; required when an area failed.
	Deadline string `json:"deadline" example:"2026-03-09"`
	Note     string `json:"note"`
	// Requirement is the rectification requirement of the opened hazards; a standard one when empty.
	Requirement string               `json:"requirement" example:"立即清理杂物和垃圾，消除火灾等隐患"`
	Areas       []HygieneAreaRequest `json:"areas"`
}

// HygieneAreaPatchRequest corrects one area, named by area; omitted fields stay as they are.
type HygieneAreaPatchRequest struct {
	Area   string  `json:"area" enums:"doorway,ditch,road"`
	Passed *bool   `json:"passed"`
	Note   *string `json:"note"`
	// PhotoIDs only with a change from passed to failed (then at least one).
	PhotoIDs []uint64 `json:"photo_ids"`
}

// HygieneCheckPatchRequest corrects a check while none of its hazards has left pending_rectify.
// Failed → passed voids the area's hazard; passed → failed opens one.
type HygieneCheckPatchRequest struct {
	Note     *string `json:"note"`
	Deadline *string `json:"deadline" example:"2026-03-10"`
	// Requirement is used for hazards opened by this correction.
	Requirement string                    `json:"requirement"`
	Areas       []HygieneAreaPatchRequest `json:"areas"`
	// Version is the version the correction is based on; a stale one is 409.
	Version *int `json:"version"`
}

// HygieneAreaResponse is one rated area with its photos and the current state of its hazard.
type HygieneAreaResponse struct {
	ID          uint64          `json:"id,omitempty"`
	Area        string          `json:"area" example:"doorway"`
	AreaLabel   string          `json:"area_label" example:"门口"`
	Passed      bool            `json:"passed"`
	Result      string          `json:"result" example:"failed"`
	ResultLabel string          `json:"result_label" example:"不合格"`
	Note        string          `json:"note"`
	Photos      []PhotoResponse `json:"photos"`
	HazardID    *uint64         `json:"hazard_id"`
	HazardCode  string          `json:"hazard_code,omitempty" example:"YH-20260306-0001"`
	// HazardStatus is the hazard's current status; Rectified is true once the enterprise submitted
	// its rectification (pending_verify, pending_approval) or the hazard is closed.
	HazardStatus      string `json:"hazard_status,omitempty" example:"pending_rectify"`
	HazardStatusLabel string `json:"hazard_status_label,omitempty" example:"待整改"`
	HazardDeadline    string `json:"hazard_deadline,omitempty" example:"2026-03-09"`
	HazardOverdue     bool   `json:"hazard_overdue"`
	Rectified         bool   `json:"rectified"`
}

// HygieneCheckResponse is a check with its three areas.
type HygieneCheckResponse struct {
	ID             uint64 `json:"id" example:"7"`
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	Week           string `json:"week" example:"2026-W10"`
	CheckDate      string `json:"check_date" example:"2026-03-06"`
	// OnSchedule is true when the check was done on the week's Friday.
	OnSchedule    bool                  `json:"on_schedule"`
	Deadline      string                `json:"deadline" example:"2026-03-09"`
	Passed        bool                  `json:"passed"`
	Result        string                `json:"result" example:"failed"`
	ResultLabel   string                `json:"result_label" example:"不合格"`
	FailedAreas   int                   `json:"failed_areas" example:"1"`
	InspectorID   uint64                `json:"inspector_id"`
	InspectorName string                `json:"inspector_name"`
	Note          string                `json:"note"`
	Areas         []HygieneAreaResponse `json:"areas"`
	Version       int                   `json:"version"`
	CreatedAt     time.Time             `json:"created_at"`
	UpdatedAt     time.Time             `json:"updated_at"`
}

// HygieneBoardChecked is an enterprise checked in the week.
type HygieneBoardChecked struct {
	CheckID        uint64 `json:"check_id"`
	EnterpriseID   uint64 `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	CheckDate      string `json:"check_date"`
	OnSchedule     bool   `json:"on_schedule"`
	Passed         bool   `json:"passed"`
	Result         string `json:"result"`
	ResultLabel    string `json:"result_label"`
	FailedAreas    int    `json:"failed_areas"`
}

// HygieneBoardFailed is a check with failed areas, with only those areas.
type HygieneBoardFailed struct {
	CheckID        uint64                `json:"check_id"`
	EnterpriseID   uint64                `json:"enterprise_id"`
	EnterpriseName string                `json:"enterprise_name"`
	CheckDate      string                `json:"check_date"`
	Deadline       string                `json:"deadline"`
	Areas          []HygieneAreaResponse `json:"areas"`
	// Rectified is true when every failed area's hazard is rectified.
	Rectified bool `json:"rectified"`
}

// HygieneBoardEnterprise is an active enterprise not yet checked in the week.
type HygieneBoardEnterprise struct {
	EnterpriseID   uint64 `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
}

// HygieneBoardResponse is a week's round.
type HygieneBoardResponse struct {
	Week       string                   `json:"week" example:"2026-W10"`
	Friday     string                   `json:"friday" example:"2026-03-06"`
	Checked    []HygieneBoardChecked    `json:"checked"`
	Failed     []HygieneBoardFailed     `json:"failed"`
	NotChecked []HygieneBoardEnterprise `json:"not_checked"`
}

// hygieneResultLabels labels a check's or an area's result.
var hygieneResultLabels = map[bool]string{true: "合格", false: "不合格"}

func hygieneResult(passed bool) string {
	if passed {
		return "passed"
	}
	return "failed"
}

func (s *Server) hygieneArea(a *model.HygieneArea, photos hygiene.Photos) HygieneAreaResponse {
	out := HygieneAreaResponse{ID: a.ID, Area: a.Area, AreaLabel: hygiene.AreaLabels[a.Area], Passed: a.Passed,
		Result: hygieneResult(a.Passed), ResultLabel: hygieneResultLabels[a.Passed], Note: a.Note,
		Photos: s.photos(photo.WithRole(photos[a.ID], "")), HazardID: a.HazardID}
	if h := a.Hazard; h != nil {
		out.HazardCode, out.HazardStatus, out.HazardStatusLabel, out.HazardDeadline = h.Code, h.Status, hazard.StatusLabels[h.Status], h.Deadline
		out.HazardOverdue = hazard.Overdue(h, s.Park.Now())
		out.Rectified = hazard.Rectified(h.Status)
	}
	return out
}

func (s *Server) hygieneCheck(c *model.HygieneCheck, photos hygiene.Photos) HygieneCheckResponse {
	out := HygieneCheckResponse{ID: c.ID, EnterpriseID: c.EnterpriseID, Week: c.Week, CheckDate: c.CheckDate, OnSchedule: c.OnSchedule,
		Deadline: c.Deadline, Passed: c.Passed, Result: hygieneResult(c.Passed), ResultLabel: hygieneResultLabels[c.Passed],
		FailedAreas: c.FailedAreas, InspectorID: c.InspectorID, Note: c.Note, Areas: make([]HygieneAreaResponse, 0, len(c.Areas)),
		Version: c.Version, CreatedAt: s.local(c.CreatedAt), UpdatedAt: s.local(c.UpdatedAt)}
	if c.Enterprise != nil {
		out.EnterpriseName = c.Enterprise.Name
	}
	if c.Inspector != nil {
		out.InspectorName = c.Inspector.Name
	}
	for _, a := range c.Areas {
		out.Areas = append(out.Areas, s.hygieneArea(a, photos))
	}
	return out
}

func (r HygieneCheckRequest) input() hygiene.Input {
	in := hygiene.Input{EnterpriseID: r.EnterpriseID, CheckDate: r.CheckDate, Deadline: r.Deadline, Note: r.Note, Requirement: r.Requirement}
	for _, a := range r.Areas {
		in.Areas = append(in.Areas, hygiene.AreaInput{Area: a.Area, Passed: a.Passed, Note: a.Note, PhotoIDs: a.PhotoIDs})
	}
	return in
}

func (r HygieneCheckPatchRequest) input() hygiene.Patch {
	in := hygiene.Patch{Note: r.Note, Deadline: r.Deadline, Requirement: r.Requirement, Version: r.Version}
	for _, a := range r.Areas {
		in.Areas = append(in.Areas, hygiene.AreaPatch{Area: a.Area, Passed: a.Passed, Note: a.Note, PhotoIDs: a.PhotoIDs})
	}
	return in
}

// createHygieneCheck godoc
//
//	@Summary		File a Friday hygiene check (inspector/admin)
//	@Description	All three areas (doorway, ditch, road) exactly once. A failed area needs a note and at least one
//	@Description	photo and opens a hygiene hazard (source hygiene_check) with the check's deadline in the same
//	@Description	transaction. One check per enterprise per ISO week of check_date.
//	@Tags			hygiene
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		HygieneCheckRequest	true	"check"
//	@Success		201				{object}	HygieneCheckResponse
//	@Failure		403				{object}	ErrorBody	"enterprise users cannot file checks"
//	@Failure		409				{object}	ErrorBody	"enterprise already checked this week"
//	@Failure		422				{object}	ErrorBody	"e.g. areas[1].area duplicate, failed area without photo, future date"
//	@Router			/hygiene-checks [post]
func (s *Server) createHygieneCheck(c *gin.Context) {
	var req HygieneCheckRequest
	if !bindJSON(c, &req) {
		return
	}
	check, photos, err := s.Hygiene.Create(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.hygieneCheck(check, photos))
}

// listHygieneChecks godoc
//
//	@Summary	List hygiene checks, newest first (an enterprise user sees only its own)
//	@Tags		hygiene
//	@Produce	json
//	@Security	Bearer
//	@Param		week			query		string	false	"ISO week YYYY-Www"
//	@Param		enterprise_id	query		int		false	"enterprise"
//	@Param		result			query		string	false	"passed or failed"
//	@Param		page			query		int		false	"page, from 1"
//	@Param		page_size		query		int		false	"1 to 100"
//	@Param		after		query		string		false	"the previous page's next: continues after its last row"
//	@Success	200				{object}	ListResponse[HygieneCheckResponse]
//	@Failure	422				{object}	ErrorBody
//	@Router		/hygiene-checks [get]
func (s *Server) listHygieneChecks(c *gin.Context) {
	q := newQuery(c)
	f := hygiene.Filter{Week: q.str("week"), EnterpriseID: q.uint("enterprise_id"), Result: q.str("result")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, photos, err := s.Hygiene.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, func(check **model.HygieneCheck) HygieneCheckResponse { return s.hygieneCheck(*check, photos) }))
}

// getHygieneCheck godoc
//
//	@Summary	One hygiene check with its areas, photos and the linked hazards' current status
//	@Tags		hygiene
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"check id"
//	@Success	200	{object}	HygieneCheckResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/hygiene-checks/{id} [get]
func (s *Server) getHygieneCheck(c *gin.Context) {
	id, ok := pathID(c, "卫生检查记录")
	if !ok {
		return
	}
	check, photos, err := s.Hygiene.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.hygieneCheck(check, photos))
}

// updateHygieneCheck godoc
//
//	@Summary		Correct a hygiene check (inspector/admin)
//	@Description	Allowed while none of its hazards has left pending_rectify (else 409). Changes the note, the
//	@Description	deadline (carried to the open hazards), area notes (carried to the hazard description) and
//	@Description	area ratings: failed → passed voids the area's hazard, passed → failed opens one and needs
//	@Description	a note and photo_ids. Photos of an area whose rating does not change cannot be changed.
//	@Tags			hygiene
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int							true	"check id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		HygieneCheckPatchRequest	true	"corrections"
//	@Success		200		{object}	HygieneCheckResponse
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"a hazard is being rectified, or stale version"
//	@Failure		422		{object}	ErrorBody
//	@Router			/hygiene-checks/{id} [patch]
func (s *Server) updateHygieneCheck(c *gin.Context) {
	id, ok := pathID(c, "卫生检查记录")
	if !ok {
		return
	}
	var req HygieneCheckPatchRequest
	if !bindJSON(c, &req) {
		return
	}
	check, photos, err := s.Hygiene.Update(c.Request.Context(), actor(c), id, req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.hygieneCheck(check, photos))
}

// hygieneWeek godoc
//
//	@Summary		A week's hygiene round: checked, failed (with the hazards' status), not checked
//	@Description	not_checked lists active enterprises without a check in the week, so the office sees who
//	@Description	is left during the round. An enterprise user sees only its own entry.
//	@Tags			hygiene
//	@Produce		json
//	@Security		Bearer
//	@Param			week	path		string	true	"ISO week YYYY-Www"
//	@Success		200		{object}	HygieneBoardResponse
//	@Failure		422		{object}	ErrorBody	"not a week, e.g. 2026-W99"
//	@Router			/hygiene-checks/weeks/{week} [get]
func (s *Server) hygieneWeek(c *gin.Context) {
	b, err := s.Hygiene.WeeklyBoard(c.Request.Context(), actor(c), c.Param("week"))
	if err != nil {
		respondError(c, err)
		return
	}
	out := HygieneBoardResponse{Week: b.Week.String(), Friday: s.date(b.Friday), Checked: make([]HygieneBoardChecked, 0, len(b.Checked)),
		Failed: make([]HygieneBoardFailed, 0, len(b.Failed)), NotChecked: make([]HygieneBoardEnterprise, 0, len(b.NotChecked))}
	for _, ch := range b.Checked {
		out.Checked = append(out.Checked, HygieneBoardChecked{CheckID: ch.ID, EnterpriseID: ch.EnterpriseID, EnterpriseName: ch.Enterprise.Name,
			CheckDate: ch.CheckDate, OnSchedule: ch.OnSchedule, Passed: ch.Passed, Result: hygieneResult(ch.Passed),
			ResultLabel: hygieneResultLabels[ch.Passed], FailedAreas: ch.FailedAreas})
	}
	for _, ch := range b.Failed {
		f := HygieneBoardFailed{CheckID: ch.ID, EnterpriseID: ch.EnterpriseID, EnterpriseName: ch.Enterprise.Name, CheckDate: ch.CheckDate,
			Deadline: ch.Deadline, Areas: []HygieneAreaResponse{}, Rectified: true}
		for _, a := range ch.Areas {
			if a.Passed {
				continue
			}
			ar := s.hygieneArea(a, b.Photos)
			f.Rectified = f.Rectified && ar.Rectified
			f.Areas = append(f.Areas, ar)
		}
		out.Failed = append(out.Failed, f)
	}
	for _, e := range b.NotChecked {
		out.NotChecked = append(out.NotChecked, HygieneBoardEnterprise{EnterpriseID: e.ID, EnterpriseName: e.Name})
	}
	c.JSON(http.StatusOK, out)
}
