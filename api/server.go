// Package api is ParkSafe's HTTP layer: the router, one file per resource with its request and
// response DTOs, and the error envelope. Handlers bind, call one service method and respond.
package api

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"parksafe/middleware"
	"parksafe/service"
	"parksafe/service/bulletin"
	"parksafe/service/filing"
	"parksafe/service/hazard"
	"parksafe/service/hygiene"
	"parksafe/service/idempotency"
	"parksafe/service/identity"
	"parksafe/service/leader"
	"parksafe/service/notify"
	"parksafe/service/park"
	"parksafe/service/photo"
)

// Deps is everything the HTTP layer needs, built in main.
type Deps struct {
	Log            *slog.Logger
	DB             *gorm.DB // for /readyz
	Registry       *prometheus.Registry
	Park           service.ParkTime
	MaxBodyBytes   int64
	TrustedProxies []string

	Auth        *identity.Auth
	Users       *identity.Users
	Enterprises *park.Enterprises
	Idempotency *idempotency.Store
	PhotoLinks  PhotoLinker

	Hygiene   *hygiene.Service
	Bulletins *bulletin.Service
	Notifier  *notify.Notifier

	LeaderInspections *leader.Inspections
	Interviews        *leader.Interviews
	Photos            *photo.Service
	MaxPhotoBytes     int64  // body limit of uploads (MAX_PHOTO_BYTES)
	TempDir           string // where uploads are read ahead of their handler (DATA_DIR/tmp)
	Hazards           *hazard.Service
	Filings           *filing.Filings
}

// Server holds the dependencies the handlers use.
type Server struct {
	Deps
}

// actor returns the signed-in actor (routes behind Auth always have one).
func actor(c *gin.Context) service.Actor {
	a, _ := middleware.ActorOf(c)
	return a
}

// local renders an instant in the park's time zone, so that clients see +08:00 offsets.
func (s *Server) local(t time.Time) time.Time { return t.In(s.Park.Loc) }

// localPtr is local for optional instants.
func (s *Server) localPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(s.Park.Loc)
	return &l
}

// date renders a park-local date as YYYY-MM-DD.
func (s *Server) date(t time.Time) string { return t.In(s.Park.Loc).Format(time.DateOnly) }
