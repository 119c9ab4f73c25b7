package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/model"
	"parksafe/service/leader"
)

// InterviewRequest schedules an interview (约谈).
type InterviewRequest struct {
	EnterpriseID uint64 `json:"enterprise_id" example:"3"`
	// Reason defaults to the missed weeks, e.g. "2026年第48周未按要求开展主要负责人带队检查".
	Reason string `json:"reason"`
	// Week is a single related week; Weeks several. Both may be given.
	Week        string   `json:"week" example:"2026-W48"`
	Weeks       []string `json:"weeks"`
	ScheduledAt string   `json:"scheduled_at" example:"2026-12-02T09:30:00+08:00"`
	Place       string   `json:"place" example:"园区管委会三楼会议室"`
	// Attendee defaults to the enterprise's principal in person.
	Attendee string `json:"attendee"`
}

func (r InterviewRequest) input() leader.InterviewInput {
	weeks := r.Weeks
	if strings.TrimSpace(r.Week) != "" {
		weeks = append([]string{r.Week}, weeks...)
	}
	return leader.InterviewInput{EnterpriseID: r.EnterpriseID, Reason: r.Reason, Weeks: weeks, ScheduledAt: r.ScheduledAt,
		Place: r.Place, Attendee: r.Attendee}
}

// InterviewPatchRequest changes an interview; omitted fields stay as they are. An enterprise user may
// send only feedback (and version), on its own interview while it is held.
type InterviewPatchRequest struct {
	Reason      *string  `json:"reason"`
	Weeks       []string `json:"weeks"`
	ScheduledAt *string  `json:"scheduled_at"`
	Place       *string  `json:"place"`
	Attendee    *string  `json:"attendee"`
	// Status moves forward only: scheduled → held → closed. Becoming held sets feedback_due, unless
	// given, to 5 working days after the interview; closing needs minutes and result.
	Status      *string `json:"status" enums:"scheduled,held,closed"`
	Minutes     *string `json:"minutes"`
	Commitments *string `json:"commitments"`
	FeedbackDue *string `json:"feedback_due" example:"2026-12-09"`
	// Feedback is the enterprise's written feedback (enterprise users only).
	Feedback *string `json:"feedback"`
	Result   *string `json:"result"`
	// Version is the version the edit is based on; a stale one is 409.
	Version *int `json:"version"`
}

func (r InterviewPatchRequest) input() leader.InterviewPatch {
	return leader.InterviewPatch{Reason: r.Reason, Weeks: r.Weeks, ScheduledAt: r.ScheduledAt, Place: r.Place, Attendee: r.Attendee,
		Status: r.Status, Minutes: r.Minutes, Commitments: r.Commitments, FeedbackDue: r.FeedbackDue, Feedback: r.Feedback,
		Result: r.Result, Version: r.Version}
}

// InterviewResponse is an interview as clients see it.
type InterviewResponse struct {
	ID             uint64    `json:"id" example:"5"`
	EnterpriseID   uint64    `json:"enterprise_id" example:"3"`
	EnterpriseName string    `json:"enterprise_name" example:"龙池石化有限公司"`
	Reason         string    `json:"reason"`
	Weeks          []string  `json:"weeks"`
	ScheduledAt    time.Time `json:"scheduled_at"`
	Place          string    `json:"place"`
	Attendee       string    `json:"attendee" example:"王建国（主要负责人本人）"`
	Status         string    `json:"status" example:"held"`
	StatusLabel    string    `json:"status_label" example:"已约谈"`
	Minutes        string    `json:"minutes"`
	Commitments    string    `json:"commitments"`
	FeedbackDue    string    `json:"feedback_due" example:"2026-12-09"`
	// FeedbackOverdue is true while the interview is held, the feedback is missing and its due date has passed.
	FeedbackOverdue bool       `json:"feedback_overdue"`
	Feedback        string     `json:"feedback"`
	FeedbackAt      *time.Time `json:"feedback_at"`
	FeedbackByName  string     `json:"feedback_by_name,omitempty"`
	Result          string     `json:"result"`
	HeldAt          *time.Time `json:"held_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	CreatedByID     uint64     `json:"created_by_id"`
	CreatedByName   string     `json:"created_by_name"`
	Version         int        `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func (s *Server) interview(iv *model.Interview) InterviewResponse {
	out := InterviewResponse{ID: iv.ID, EnterpriseID: iv.EnterpriseID, Reason: iv.Reason, Weeks: []string{}, ScheduledAt: s.local(iv.ScheduledAt),
		Place: iv.Place, Attendee: iv.Attendee, Status: iv.Status, StatusLabel: leader.InterviewStatusLabels[iv.Status], Minutes: iv.Minutes,
		Commitments: iv.Commitments, FeedbackDue: iv.FeedbackDue, Feedback: iv.Feedback, FeedbackAt: s.localPtr(iv.FeedbackAt),
		Result: iv.Result, HeldAt: s.localPtr(iv.HeldAt), ClosedAt: s.localPtr(iv.ClosedAt), CreatedByID: iv.CreatedByID,
		Version: iv.Version, CreatedAt: s.local(iv.CreatedAt), UpdatedAt: s.local(iv.UpdatedAt)}
	if iv.Weeks != "" {
		out.Weeks = strings.Split(iv.Weeks, ",")
	}
	out.FeedbackOverdue = iv.Status == model.InterviewHeld && iv.Feedback == "" && iv.FeedbackDue != "" &&
		s.date(s.Park.Now()) > iv.FeedbackDue
	if iv.Enterprise != nil {
		out.EnterpriseName = iv.Enterprise.Name
	}
	if iv.CreatedBy != nil {
		out.CreatedByName = iv.CreatedBy.Name
	}
	if iv.FeedbackBy != nil {
		out.FeedbackByName = iv.FeedbackBy.Name
	}
	return out
}

// createInterview godoc
//
//	@Summary	Schedule an interview (约谈) with an enterprise (admin)
//	@Tags		interviews
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		Idempotency-Key	header		string				false	"retry key"
//	@Param		body			body		InterviewRequest	true	"interview"
//	@Success	201				{object}	InterviewResponse
//	@Failure	403				{object}	ErrorBody
//	@Failure	422				{object}	ErrorBody
//	@Router		/interviews [post]
func (s *Server) createInterview(c *gin.Context) {
	var req InterviewRequest
	if !bindJSON(c, &req) {
		return
	}
	iv, err := s.Interviews.Create(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.interview(iv))
}

// listInterviews godoc
//
//	@Summary	List interviews, latest first (an enterprise user sees only its own)
//	@Tags		interviews
//	@Produce	json
//	@Security	Bearer
//	@Param		enterprise_id	query		int		false	"enterprise"
//	@Param		status			query		string	false	"scheduled, held or closed"
//	@Param		week			query		string	false	"related ISO week, e.g. 2026-W48"
//	@Param		page			query		int		false	"page, from 1"
//	@Param		page_size		query		int		false	"1 to 100"
//	@Param		after		query		string		false	"the previous page's next: continues after its last row"
//	@Success	200				{object}	ListResponse[InterviewResponse]
//	@Failure	422				{object}	ErrorBody
//	@Router		/interviews [get]
func (s *Server) listInterviews(c *gin.Context) {
	q := newQuery(c)
	f := leader.InterviewFilter{EnterpriseID: q.uint("enterprise_id"), Status: q.str("status"), Week: q.str("week")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Interviews.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.interview))
}

// getInterview godoc
//
//	@Summary	One interview (an enterprise user: only its own, others 404)
//	@Tags		interviews
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"interview id"
//	@Success	200	{object}	InterviewResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/interviews/{id} [get]
func (s *Server) getInterview(c *gin.Context) {
	id, ok := pathID(c, "约谈记录")
	if !ok {
		return
	}
	iv, err := s.Interviews.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.interview(iv))
}

// updateInterview godoc
//
//	@Summary		Record an interview's progress (admin), or the enterprise's written feedback
//	@Description	Admin: status scheduled → held → closed (never backwards, 409), minutes, commitments,
//	@Description	feedback_due, result. Enterprise user: only feedback, on its own interview while held.
//	@Tags			interviews
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id		path		int						true	"interview id"
//	@Param			Idempotency-Key	header	string	false	"retry key"
//	@Param			body	body		InterviewPatchRequest	true	"changes"
//	@Success		200		{object}	InterviewResponse
//	@Failure		403		{object}	ErrorBody
//	@Failure		404		{object}	ErrorBody
//	@Failure		409		{object}	ErrorBody	"transition not allowed, or stale version"
//	@Failure		422		{object}	ErrorBody
//	@Router			/interviews/{id} [patch]
func (s *Server) updateInterview(c *gin.Context) {
	id, ok := pathID(c, "约谈记录")
	if !ok {
		return
	}
	var req InterviewPatchRequest
	if !bindJSON(c, &req) {
		return
	}
	iv, err := s.Interviews.Update(c.Request.Context(), actor(c), id, req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.interview(iv))
}

// InterviewProposalRequest names the week whose missing enterprises to propose interviews for.
type InterviewProposalRequest struct {
	Week string `json:"week" example:"2026-W48"`
}

// InterviewProposalsResponse lists the proposed interviews; nothing has been created.
type InterviewProposalsResponse struct {
	Week  string                      `json:"week" example:"2026-W48"`
	Items []InterviewProposalResponse `json:"items"`
}

// InterviewProposalResponse is an interview to create with POST /interviews, prefilled.
type InterviewProposalResponse struct {
	EnterpriseID   uint64   `json:"enterprise_id" example:"3"`
	EnterpriseName string   `json:"enterprise_name" example:"龙池石化有限公司"`
	Weeks          []string `json:"weeks"`
	MissedStreak   int      `json:"missed_streak" example:"1"`
	Reason         string   `json:"reason" example:"2026年第48周未按要求开展主要负责人带队检查"`
	Attendee       string   `json:"attendee" example:"王建国（主要负责人本人）"`
	// ExistingInterviewID is an interview already recorded for this enterprise and week, if any.
	ExistingInterviewID *uint64 `json:"existing_interview_id"`
}

// proposeInterviews godoc
//
//	@Summary	Propose (not create) interviews for the enterprises missing from a week's report (admin)
//	@Tags		interviews
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		body	body		InterviewProposalRequest	true	"week"
//	@Success	200		{object}	InterviewProposalsResponse
//	@Failure	403		{object}	ErrorBody
//	@Failure	422		{object}	ErrorBody
//	@Router		/interviews/from-week [post]
func (s *Server) proposeInterviews(c *gin.Context) {
	var req InterviewProposalRequest
	if !bindJSON(c, &req) {
		return
	}
	ps, err := s.Interviews.ProposeFromWeek(c.Request.Context(), actor(c), strings.TrimSpace(req.Week))
	if err != nil {
		respondError(c, err)
		return
	}
	out := InterviewProposalsResponse{Week: strings.TrimSpace(req.Week), Items: make([]InterviewProposalResponse, 0, len(ps))}
	for _, p := range ps {
		out.Items = append(out.Items, InterviewProposalResponse{EnterpriseID: p.EnterpriseID, EnterpriseName: p.EnterpriseName,
			Weeks: p.Weeks, MissedStreak: p.MissedStreak, Reason: p.Reason, Attendee: p.Attendee, ExistingInterviewID: p.ExistingInterviewID})
	}
	c.JSON(http.StatusOK, out)
}
