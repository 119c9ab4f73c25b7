package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// HealthResponse is the answer of /healthz and /readyz.
type HealthResponse struct {
	Status string `json:"status" example:"ok"`
	Error  string `json:"error,omitempty"`
}

// healthz godoc
//
//	@Summary	The process is up
//	@Tags		ops
//	@Produce	json
//	@Success	200	{object}	HealthResponse
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, HealthResponse{Status: "ok"})
}

// readyz godoc
//
//	@Summary	The database is reachable
//	@Tags		ops
//	@Produce	json
//	@Success	200	{object}	HealthResponse
//	@Failure	503	{object}	HealthResponse
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	sqlDB, err := s.DB.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, HealthResponse{Status: "unavailable", Error: "database unreachable"})
		return
	}
	c.JSON(http.StatusOK, HealthResponse{Status: "ok"})
}
