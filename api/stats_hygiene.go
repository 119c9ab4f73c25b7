package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// HygieneStatResponse is one enterprise's hygiene record over the window.
type HygieneStatResponse struct {
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	Checks         int    `json:"checks" example:"4"`
	FailedChecks   int    `json:"failed_checks" example:"2"`
	FailedAreas    int    `json:"failed_areas" example:"3"`
	// RepeatOffender is true when the enterprise failed in at least two weeks of the window.
	RepeatOffender bool `json:"repeat_offender"`
}

// HygieneStatsResponse is the hygiene table over the last `weeks` ISO weeks, this week included.
type HygieneStatsResponse struct {
	Weeks    int                   `json:"weeks" example:"4"`
	FromWeek string                `json:"from_week" example:"2026-W07"`
	ToWeek   string                `json:"to_week" example:"2026-W10"`
	Items    []HygieneStatResponse `json:"items"`
}

// hygieneStats godoc
//
//	@Summary	Hygiene figures per enterprise: checks, failed areas, repeat offenders (an enterprise user: own only)
//	@Tags		stats
//	@Produce	json
//	@Security	Bearer
//	@Param		weeks	query		int	false	"window in ISO weeks, this week included (1 to 52, default 4)"
//	@Success	200		{object}	HygieneStatsResponse
//	@Failure	422		{object}	ErrorBody
//	@Router		/stats/hygiene [get]
func (s *Server) hygieneStats(c *gin.Context) {
	q := newQuery(c)
	weeks := q.int("weeks")
	if !q.ok() {
		return
	}
	st, err := s.Hygiene.Stats(c.Request.Context(), actor(c), weeks)
	if err != nil {
		respondError(c, err)
		return
	}
	out := HygieneStatsResponse{Weeks: st.Weeks, FromWeek: st.From.String(), ToWeek: st.To.String(), Items: make([]HygieneStatResponse, 0, len(st.Items))}
	for _, it := range st.Items {
		out.Items = append(out.Items, HygieneStatResponse{EnterpriseID: it.EnterpriseID, EnterpriseName: it.EnterpriseName,
			Checks: it.Checks, FailedChecks: it.FailedChecks, FailedAreas: it.FailedAreas, RepeatOffender: it.RepeatOffender})
	}
	c.JSON(http.StatusOK, out)
}
