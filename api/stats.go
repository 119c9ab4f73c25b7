package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"parksafe/service/hazard"
)

// CountResponse is the number of hazards with one value of an enum.
type CountResponse struct {
	Key   string `json:"key" example:"general"`
	Label string `json:"label" example:"一般隐患"`
	Count int64  `json:"count" example:"12"`
}

// OverviewResponse is the park's (or one enterprise's) hazard figures. found excludes void hazards;
// rectification_rate = closed / found (null when nothing was found); by_level, by_category and
// by_source count found hazards, by_status counts all.
type OverviewResponse struct {
	From              string          `json:"from,omitempty" example:"2026-01-01"`
	To                string          `json:"to,omitempty" example:"2026-12-31"`
	EnterpriseID      uint64          `json:"enterprise_id,omitempty"`
	Found             int64           `json:"found" example:"946"`
	Closed            int64           `json:"closed" example:"910"`
	Open              int64           `json:"open" example:"36"`
	Overdue           int64           `json:"overdue" example:"4"`
	Void              int64           `json:"void" example:"3"`
	RectificationRate *float64        `json:"rectification_rate" example:"0.9619"`
	ByLevel           []CountResponse `json:"by_level"`
	ByCategory        []CountResponse `json:"by_category"`
	ByStatus          []CountResponse `json:"by_status"`
	BySource          []CountResponse `json:"by_source"`
}

// EnterpriseStatResponse is one enterprise's line of the ranking.
type EnterpriseStatResponse struct {
	EnterpriseID      uint64   `json:"enterprise_id" example:"3"`
	EnterpriseName    string   `json:"enterprise_name" example:"龙池石化有限公司"`
	Found             int64    `json:"found"`
	Closed            int64    `json:"closed"`
	Open              int64    `json:"open"`
	Overdue           int64    `json:"overdue"`
	Void              int64    `json:"void"`
	RectificationRate *float64 `json:"rectification_rate" example:"0.95"`
	AvgCloseHours     *float64 `json:"avg_close_hours" example:"52.5"`
}

// EnterpriseStatsResponse is the ranking, worst first (most overdue, then lowest rate, then most open).
type EnterpriseStatsResponse struct {
	Items []EnterpriseStatResponse `json:"items"`
}

// WeekCountResponse is found vs closed in one ISO week.
type WeekCountResponse struct {
	Week   string `json:"week" example:"2026-W10"`
	Monday string `json:"monday" example:"2026-03-02"`
	Found  int64  `json:"found"`
	Closed int64  `json:"closed"`
}

// TrendResponse is the weekly trend, oldest week first, this week last.
type TrendResponse struct {
	Items []WeekCountResponse `json:"items"`
}

func countsOf(cs []hazard.Count, labels map[string]string) []CountResponse {
	out := make([]CountResponse, len(cs))
	for i, c := range cs {
		out[i] = CountResponse{Key: c.Key, Label: labels[c.Key], Count: c.Count}
	}
	return out
}

func statsFilter(q *query) hazard.StatsFilter {
	return hazard.StatsFilter{From: q.str("from"), To: q.str("to"), EnterpriseID: q.uint("enterprise_id")}
}

// statsOverview godoc
//
//	@Summary	Hazard figures: found, closed, rate, open, overdue, by level/category/status/source
//	@Tags		stats
//	@Produce	json
//	@Security	Bearer
//	@Param		from			query		string	false	"reported on or after, YYYY-MM-DD"
//	@Param		to				query		string	false	"reported on or before, YYYY-MM-DD"
//	@Param		enterprise_id	query		int		false	"one enterprise (an enterprise user always gets its own)"
//	@Success	200				{object}	OverviewResponse
//	@Failure	422				{object}	ErrorBody
//	@Router		/stats/overview [get]
func (s *Server) statsOverview(c *gin.Context) {
	q := newQuery(c)
	f := statsFilter(q)
	if !q.ok() {
		return
	}
	o, err := s.Hazards.Overview(c.Request.Context(), actor(c), f)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, OverviewResponse{From: f.From, To: f.To, EnterpriseID: o.EnterpriseID,
		Found: o.Found, Closed: o.Closed, Open: o.Open, Overdue: o.Overdue, Void: o.Void, RectificationRate: o.Rate,
		ByLevel:    countsOf(o.ByLevel, hazard.LevelLabels),
		ByCategory: countsOf(o.ByCategory, hazard.CategoryLabels),
		ByStatus:   countsOf(o.ByStatus, hazard.StatusLabels),
		BySource:   countsOf(o.BySource, hazard.SourceLabels)})
}

// statsEnterprises godoc
//
//	@Summary	Per-enterprise ranking, worst first (an enterprise user gets its own line)
//	@Tags		stats
//	@Produce	json
//	@Security	Bearer
//	@Param		from			query		string	false	"reported on or after, YYYY-MM-DD"
//	@Param		to				query		string	false	"reported on or before, YYYY-MM-DD"
//	@Param		enterprise_id	query		int		false	"one enterprise"
//	@Success	200				{object}	EnterpriseStatsResponse
//	@Failure	422				{object}	ErrorBody
//	@Router		/stats/enterprises [get]
func (s *Server) statsEnterprises(c *gin.Context) {
	q := newQuery(c)
	f := statsFilter(q)
	if !q.ok() {
		return
	}
	rows, err := s.Hazards.Enterprises(c.Request.Context(), actor(c), f)
	if err != nil {
		respondError(c, err)
		return
	}
	out := EnterpriseStatsResponse{Items: make([]EnterpriseStatResponse, len(rows))}
	for i, r := range rows {
		out.Items[i] = EnterpriseStatResponse{EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName, Found: r.Found,
			Closed: r.Closed, Open: r.Open, Overdue: r.Overdue, Void: r.Void, RectificationRate: r.Rate, AvgCloseHours: r.AvgCloseHours}
	}
	c.JSON(http.StatusOK, out)
}

// statsTrend godoc
//
//	@Summary	Hazards found vs closed per ISO week over the last weeks (park time)
//	@Tags		stats
//	@Produce	json
//	@Security	Bearer
//	@Param		weeks			query		int	false	"how many weeks, 1 to 104 (default 12)"
//	@Param		enterprise_id	query		int	false	"one enterprise (an enterprise user always gets its own)"
//	@Success	200				{object}	TrendResponse
//	@Failure	422				{object}	ErrorBody
//	@Router		/stats/trend [get]
func (s *Server) statsTrend(c *gin.Context) {
	q := newQuery(c)
	weeks, ent := q.int("weeks"), q.uint("enterprise_id")
	if !q.ok() {
		return
	}
	rows, err := s.Hazards.Trend(c.Request.Context(), actor(c), weeks, ent)
	if err != nil {
		respondError(c, err)
		return
	}
	out := TrendResponse{Items: make([]WeekCountResponse, len(rows))}
	for i, r := range rows {
		out.Items[i] = WeekCountResponse{Week: r.Week.String(), Monday: s.date(r.Monday), Found: r.Found, Closed: r.Closed}
	}
	c.JSON(http.StatusOK, out)
}
