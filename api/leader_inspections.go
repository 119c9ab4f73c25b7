package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service/hazard"
	"parksafe/service/leader"
)

// LeaderInspectionRequest files the week's leader inspection of the signed-in user's enterprise.
type LeaderInspectionRequest struct {
	// InspectedOn is the park-local date of the inspection, in the current or the previous ISO week.
	InspectedOn string `json:"inspected_on" example:"2026-11-30"`
	// LeaderName defaults to the enterprise's registered principal.
	LeaderName   string `json:"leader_name" example:"王建国"`
	Participants string `json:"participants" example:"安全总监李强、设备部张明、生产部赵磊"`
	Areas        string `json:"areas" example:"罐区、装卸站台、甲类仓库"`
	Findings     string `json:"findings" example:"罐区防火堤排水阀未关闭，已当场关闭；仓库一处灭火器压力不足"`
	// ProblemsFound defaults to problems_fixed plus the number of hazards attached.
	ProblemsFound *int `json:"problems_found" example:"2"`
	ProblemsFixed int  `json:"problems_fixed" example:"1"`
	// HazardsFound is the earlier name of problems_found, read when problems_found is absent.
	HazardsFound *int     `json:"hazards_found"`
	PhotoIDs     []uint64 `json:"photo_ids"`
	// Hazards are problems not fixed on the spot, opened as hazards (source leader_inspection) that the
	// park verifies like any other.
	Hazards []LeaderHazardRequest `json:"hazards"`
}

// LeaderHazardRequest is a problem not fixed on the spot.
type LeaderHazardRequest struct {
	Title       string   `json:"title" example:"灭火器压力不足"`
	Description string   `json:"description"`
	Category    string   `json:"category" enums:"equipment,operation,management,fire,hygiene,environment,other"`
	Level       string   `json:"level" enums:"general,major"`
	Location    string   `json:"location"`
	Latitude    *float64 `json:"latitude"`
	Longitude   *float64 `json:"longitude"`
	Requirement string   `json:"requirement"`
	Deadline    string   `json:"deadline" example:"2026-12-04"`
	PhotoIDs    []uint64 `json:"photo_ids"`
}

func (r LeaderInspectionRequest) input() leader.Input {
	in := leader.Input{InspectedOn: r.InspectedOn, LeaderName: r.LeaderName, Participants: r.Participants,
		Areas: r.Areas, Findings: r.Findings, ProblemsFixed: r.ProblemsFixed, PhotoIDs: r.PhotoIDs}
	switch {
	case r.ProblemsFound != nil:
		in.ProblemsFound = *r.ProblemsFound
	case r.HazardsFound != nil:
		in.ProblemsFound = *r.HazardsFound
	default:
		in.ProblemsFound = r.ProblemsFixed + len(r.Hazards)
	}
	for _, h := range r.Hazards {
		in.Hazards = append(in.Hazards, hazard.Finding{Title: h.Title, Description: h.Description, Category: h.Category,
			Level: h.Level, Location: h.Location, Latitude: h.Latitude, Longitude: h.Longitude, Requirement: h.Requirement,
			Deadline: h.Deadline, PhotoIDs: h.PhotoIDs})
	}
	return in
}

// LeaderInspectionResponse is a filed leader inspection.
type LeaderInspectionResponse struct {
	ID             uint64 `json:"id" example:"31"`
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	Week           string `json:"week" example:"2026-W49"`
	InspectedOn    string `json:"inspected_on" example:"2026-11-30"`
	// OnTime is true when the inspection was on the week's Monday.
	OnTime        bool   `json:"on_time" example:"true"`
	OnTimeLabel   string `json:"on_time_label" example:"周一按时开展"`
	LeaderName    string `json:"leader_name"`
	Participants  string `json:"participants"`
	Areas         string `json:"areas"`
	Findings      string `json:"findings"`
	ProblemsFound int    `json:"problems_found" example:"2"`
	ProblemsFixed int    `json:"problems_fixed" example:"1"`
	// HazardsFound repeats problems_found under the contract's earlier name.
	HazardsFound int                   `json:"hazards_found" example:"2"`
	FiledByID    uint64                `json:"filed_by_id"`
	FiledByName  string                `json:"filed_by_name"`
	Photos       []PhotoResponse       `json:"photos"`
	Hazards      []LeaderHazardSummary `json:"hazards"`
	Version      int                   `json:"version"`
	CreatedAt    time.Time             `json:"created_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
}

// LeaderHazardSummary is a hazard a leader inspection opened; GET /hazards/{id} has the rest.
type LeaderHazardSummary struct {
	ID          uint64 `json:"id"`
	Code        string `json:"code" example:"YH-20261130-0003"`
	Title       string `json:"title"`
	Level       string `json:"level" example:"general"`
	LevelLabel  string `json:"level_label" example:"一般隐患"`
	Status      string `json:"status" example:"pending_rectify"`
	StatusLabel string `json:"status_label" example:"待整改"`
	Deadline    string `json:"deadline" example:"2026-12-04"`
}

func (s *Server) leaderInspection(d *leader.Detail) LeaderInspectionResponse {
	out := LeaderInspectionResponse{ID: d.ID, EnterpriseID: d.EnterpriseID, Week: d.Week, InspectedOn: d.InspectedOn, OnTime: d.OnTime,
		OnTimeLabel: leader.OnTimeLabels[d.OnTime], LeaderName: d.LeaderName, Participants: d.Participants, Areas: d.Areas,
		Findings: d.Findings, ProblemsFound: d.ProblemsFound, ProblemsFixed: d.ProblemsFixed, HazardsFound: d.ProblemsFound,
		FiledByID: d.FiledByID, Photos: s.photos(d.Photos), Hazards: make([]LeaderHazardSummary, 0, len(d.Hazards)),
		Version: d.Version, CreatedAt: s.local(d.CreatedAt), UpdatedAt: s.local(d.UpdatedAt)}
	if d.Enterprise != nil {
		out.EnterpriseName = d.Enterprise.Name
	}
	if d.FiledBy != nil {
		out.FiledByName = d.FiledBy.Name
	}
	for _, h := range d.Hazards {
		out.Hazards = append(out.Hazards, LeaderHazardSummary{ID: h.ID, Code: h.Code, Title: h.Title, Level: h.Level,
			LevelLabel: hazard.LevelLabels[h.Level], Status: h.Status, StatusLabel: hazard.StatusLabels[h.Status], Deadline: h.Deadline})
	}
	return out
}

// fileLeaderInspection godoc
//
//	@Summary		File this week's leader inspection (enterprise user, own enterprise)
//	@Description	One per enterprise per ISO week. on_time when inspected_on is the week's Monday. Attached
//	@Description	hazards open in the same transaction (503 while the hazard loop is not available).
//	@Tags			leader-inspections
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		LeaderInspectionRequest	true	"filing"
//	@Success		201				{object}	LeaderInspectionResponse
//	@Failure		403				{object}	ErrorBody	"not an enterprise user"
//	@Failure		409				{object}	ErrorBody	"already filed for that week"
//	@Failure		422				{object}	ErrorBody	"e.g. no photo, date in the future or too old"
//	@Failure		503				{object}	ErrorBody	"hazards attached while the hazard loop is unavailable"
//	@Router			/leader-inspections [post]
func (s *Server) fileLeaderInspection(c *gin.Context) {
	var req LeaderInspectionRequest
	if !bindJSON(c, &req) {
		return
	}
	d, err := s.LeaderInspections.File(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.leaderInspection(d))
}

// listLeaderInspections godoc
//
//	@Summary	List leader inspections, newest week first (an enterprise user sees only its own)
//	@Tags		leader-inspections
//	@Produce	json
//	@Security	Bearer
//	@Param		week			query		string	false	"ISO week, e.g. 2026-W49"
//	@Param		enterprise_id	query		int		false	"enterprise"
//	@Param		on_time			query		bool	false	"true: on the Monday; false: late"
//	@Param		page			query		int		false	"page, from 1"
//	@Param		page_size		query		int		false	"1 to 100"
//	@Param		after		query		string		false	"the previous page's next: continues after its last row"
//	@Success	200				{object}	ListResponse[LeaderInspectionResponse]
//	@Failure	422				{object}	ErrorBody
//	@Router		/leader-inspections [get]
func (s *Server) listLeaderInspections(c *gin.Context) {
	q := newQuery(c)
	f := leader.Filter{Week: q.str("week"), EnterpriseID: q.uint("enterprise_id"), OnTime: q.boolPtr("on_time")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.LeaderInspections.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.leaderInspection))
}

// getLeaderInspection godoc
//
//	@Summary	One leader inspection with photos and the hazards it opened
//	@Tags		leader-inspections
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"inspection id"
//	@Success	200	{object}	LeaderInspectionResponse
//	@Failure	404	{object}	ErrorBody	"missing, or another enterprise's"
//	@Router		/leader-inspections/{id} [get]
func (s *Server) getLeaderInspection(c *gin.Context) {
	id, ok := pathID(c, "带队检查记录")
	if !ok {
		return
	}
	d, err := s.LeaderInspections.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.leaderInspection(d))
}

// LeaderWeeklyReportResponse is who did the Monday leader inspection of a week.
type LeaderWeeklyReportResponse struct {
	Week   string `json:"week" example:"2026-W49"`
	Monday string `json:"monday" example:"2026-11-30"`
	// Done inspected on the Monday; Late on another day of the week; Missing (active enterprises) not at all.
	Done    []LeaderReportEntryResponse `json:"done"`
	Late    []LeaderReportEntryResponse `json:"late"`
	Missing []LeaderReportEntryResponse `json:"missing"`
}

// LeaderReportEntryResponse is one enterprise of a weekly report.
type LeaderReportEntryResponse struct {
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	// InspectionID, InspectedOn, LeaderName and FiledAt are set for done and late entries.
	InspectionID uint64     `json:"inspection_id,omitempty" example:"31"`
	InspectedOn  string     `json:"inspected_on,omitempty" example:"2026-11-30"`
	LeaderName   string     `json:"leader_name,omitempty"`
	FiledAt      *time.Time `json:"filed_at,omitempty"`
	// MissedStreak (missing entries) counts consecutive missed weeks up to and including this one.
	MissedStreak int `json:"missed_streak,omitempty" example:"2"`
}

func (s *Server) leaderReportEntries(es []leader.ReportEntry) []LeaderReportEntryResponse {
	out := make([]LeaderReportEntryResponse, 0, len(es))
	for _, e := range es {
		r := LeaderReportEntryResponse{EnterpriseID: e.EnterpriseID, EnterpriseName: e.EnterpriseName, InspectionID: e.InspectionID,
			InspectedOn: e.InspectedOn, LeaderName: e.LeaderName, MissedStreak: e.MissedStreak}
		if !e.FiledAt.IsZero() {
			at := s.local(e.FiledAt)
			r.FiledAt = &at
		}
		out = append(out, r)
	}
	return out
}

// leaderWeeklyReport godoc
//
//	@Summary	Weekly leader-inspection report: done, late, missing (an enterprise user: its own only)
//	@Tags		leader-inspections
//	@Produce	json
//	@Security	Bearer
//	@Param		week	path		string	true	"ISO week, e.g. 2026-W49"
//	@Success	200		{object}	LeaderWeeklyReportResponse
//	@Failure	422		{object}	ErrorBody	"not a week, or not begun yet"
//	@Router		/leader-inspections/weeks/{week} [get]
func (s *Server) leaderWeeklyReport(c *gin.Context) {
	rep, err := s.LeaderInspections.WeeklyReport(c.Request.Context(), actor(c), c.Param("week"))
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, LeaderWeeklyReportResponse{Week: rep.Week.String(), Monday: s.date(rep.Monday),
		Done: s.leaderReportEntries(rep.Done), Late: s.leaderReportEntries(rep.Late), Missing: s.leaderReportEntries(rep.Missing)})
}
