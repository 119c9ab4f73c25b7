package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// LeaderStatsResponse is each active enterprise's leader-inspection record over the last weeks.
type LeaderStatsResponse struct {
	Weeks    int    `json:"weeks" example:"4"`
	FromWeek string `json:"from_week" example:"2026-W46"`
	// ToWeek is the current week: its filings count, but it counts as missed only once it is over.
	ToWeek string                   `json:"to_week" example:"2026-W49"`
	Items  []LeaderStatsRowResponse `json:"items"`
}

// LeaderStatsRowResponse is one enterprise's counts.
type LeaderStatsRowResponse struct {
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	Done           int    `json:"done" example:"3"`
	Late           int    `json:"late" example:"1"`
	Missed         int    `json:"missed" example:"0"`
}

// leaderInspectionStats godoc
//
//	@Summary		Leader inspections per enterprise over the last N weeks (an enterprise user: its own)
//	@Description	done = on the Monday, late = another day, missed = no filing; weeks before the park's first
//	@Description	filing are not counted as missed.
//	@Tags			stats
//	@Produce		json
//	@Security		Bearer
//	@Param			weeks	query		int	false	"1 to 52, usually 4 or 12 (default 4)"
//	@Success		200		{object}	LeaderStatsResponse
//	@Failure		422		{object}	ErrorBody
//	@Router			/stats/leader-inspections [get]
func (s *Server) leaderInspectionStats(c *gin.Context) {
	q := newQuery(c)
	weeks := q.int("weeks")
	if !q.ok() {
		return
	}
	st, err := s.LeaderInspections.Stats(c.Request.Context(), actor(c), weeks)
	if err != nil {
		respondError(c, err)
		return
	}
	out := LeaderStatsResponse{Weeks: st.Weeks, FromWeek: st.From.String(), ToWeek: st.To.String(), Items: make([]LeaderStatsRowResponse, 0, len(st.Items))}
	for _, r := range st.Items {
		out.Items = append(out.Items, LeaderStatsRowResponse{EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName,
			Done: r.Done, Late: r.Late, Missed: r.Missed})
	}
	c.JSON(http.StatusOK, out)
}
