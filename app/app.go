// Package app wires ParkSafe together from its configuration: database, services, WeChat clients,
// background jobs and the HTTP router. main uses it to serve; the integration tests use it to run the
// very same wiring against a fresh database and a fake WeChat.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
	"gorm.io/gorm"

	"parksafe/api"
	"parksafe/config"
	"parksafe/database"
	"parksafe/service"
	"parksafe/service/bulletin"
	"parksafe/service/filing"
	"parksafe/service/hazard"
	"parksafe/service/hygiene"
	"parksafe/service/idempotency"
	"parksafe/service/identity"
	"parksafe/service/jobs"
	"parksafe/service/leader"
	"parksafe/service/notify"
	"parksafe/service/park"
	"parksafe/service/photo"
	"parksafe/storage"
	"parksafe/wechat"
)

// App is a wired ParkSafe instance.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	DB      *gorm.DB
	Park    service.ParkTime
	Handler http.Handler
	// Metrics serves the Prometheus metrics of Handler, the Go runtime and the process; Serve puts
	// it on METRICS_ADDR, never on the API's address.
	Metrics http.Handler

	Auth        *identity.Auth
	Users       *identity.Users
	Enterprises *park.Enterprises
	Idempotency *idempotency.Store
	Hygiene     *hygiene.Service

	// Jobs is the persistent job queue; Worker runs its jobs in this instance (Run), and tests drive
	// it directly with Worker.RunDue.
	Jobs              *jobs.Queue
	Worker            *jobs.Worker
	Notifier          *notify.Notifier
	Bulletins         *bulletin.Service
	LeaderInspections *leader.Inspections
	Interviews        *leader.Interviews
	Photos            *photo.Service
	Hazards           *hazard.Service
	Filings           *filing.Filings

	redis   *redis.Client
	closers []func() error
}

// Options adjust the wiring for tests.
type Options struct {
	Clock service.Clock
	// BcryptCost overrides the password hashing cost (tests use the minimum).
	BcryptCost int
	// SkipMigrate leaves the schema alone (a test database copied from a migrated template).
	SkipMigrate bool
}

// New opens the database, migrates it and builds every service and the router. WeChat must have been
// set up (wechat.Setup) by the caller, once per process.
func New(cfg config.Config, log *slog.Logger, opt Options) (_ *App, err error) {
	if opt.Clock == nil {
		opt.Clock = service.SystemClock{}
	}
	a := &App{Config: cfg, Log: log, Park: service.ParkTime{Loc: cfg.Location, Clock: opt.Clock}}
	defer func() {
		if err != nil {
			a.Close() // whatever was opened before the failure
		}
	}()
	if a.DB, err = database.Open(cfg.DBDriver, cfg.DBDSN, log); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, func() error {
		sqlDB, err := a.DB.DB()
		if err != nil {
			return err
		}
		return sqlDB.Close()
	})
	if !opt.SkipMigrate {
		if err = database.Migrate(a.DB); err != nil {
			return nil, err
		}
	}
	if len(cfg.JWTSecret) == 0 {
		if cfg.JWTSecret, err = config.LoadOrCreateSecret(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("JWT_SECRET: %w", err)
		}
		a.Config.JWTSecret = cfg.JWTSecret
	}

	var tokenCache cache.Cache = wechat.NewMemoryCache()
	var limiter identity.FailureLimiter = identity.NewMemoryLimiter(opt.Clock)
	if cfg.RedisAddr != "" {
		a.redis = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr})
		a.closers = append(a.closers, a.redis.Close)
		if err = a.redis.Ping(context.Background()).Err(); err != nil {
			return nil, fmt.Errorf("REDIS_ADDR: %w", err)
		}
		tokenCache = wechat.NewRedisCache(a.redis, "parksafe:wechat:")
		limiter = identity.NewFallbackLimiter(identity.NewRedisLimiter(a.redis, "parksafe:limit:"), limiter, log)
	}
	mini := wechat.NewMiniProgram(cfg.MiniAppID, cfg.MiniSecret, tokenCache)
	oa := wechat.NewOfficialAccount(cfg.OAAppID, cfg.OASecret, cfg.OAToken, cfg.OAAESKey, tokenCache)
	blobs, err := storage.Open(context.Background(), cfg.Storage)
	if err != nil {
		return nil, err
	}

	// The queue comes first: services enqueue their work on it, and each area registers its
	// handlers and periodic jobs on it once built (Register). Every service is given what it needs
	// by its constructor, so each is built after the ones it uses.
	a.Jobs = jobs.New(a.DB, opt.Clock, log)
	a.Worker = a.Jobs.NewWorker("")
	signer := identity.NewTokenSigner(cfg.JWTSecret, cfg.AccessTokenTTL, opt.Clock)
	a.Auth = identity.NewAuth(a.DB, signer, limiter, mini, opt.Clock,
		identity.AuthConfig{RefreshTTL: cfg.RefreshTokenTTL, BcryptCost: opt.BcryptCost}, log)
	a.Users = identity.NewUsers(a.DB, a.Auth)
	a.Enterprises = park.NewEnterprises(a.DB, a.Park)
	a.Idempotency = idempotency.New(a.DB, opt.Clock)
	a.Photos = photo.New(a.DB, blobs, a.Park,
		photo.NewSigner(cfg.PublicBaseURL, cfg.JWTSecret, cfg.PhotoURLTTL, opt.Clock),
		photo.Config{MaxBytes: cfg.MaxPhotoBytes, MaxPixels: cfg.MaxPhotoPixels, TempDir: filepath.Join(cfg.DataDir, "tmp")}, log)
	for event := range cfg.SubscribeTemplates {
		if _, ok := notify.KindLabels[event]; !ok {
			return nil, fmt.Errorf("WECHAT_SUBSCRIBE_TEMPLATES: unknown event %q", event)
		}
	}
	a.Notifier = notify.New(a.DB, a.Jobs, mini, a.Park, cfg.SubscribeTemplates, cfg.SubscribeFields, log)
	a.Hazards = hazard.New(a.DB, a.Park, a.Notifier, log)
	if err = a.Hazards.EnsureTallies(context.Background()); err != nil {
		return nil, fmt.Errorf("hazard tallies: %w", err)
	}
	if err = a.Hazards.EnsureSearch(context.Background()); err != nil {
		return nil, fmt.Errorf("hazard search index: %w", err)
	}
	a.Hygiene = hygiene.New(a.DB, a.Park, a.Hazards)
	a.LeaderInspections = leader.NewInspections(a.DB, a.Park, a.Hazards)
	a.Interviews = leader.NewInterviews(a.DB, a.Park, a.LeaderInspections, a.Notifier)
	a.Filings = a.newFilings()
	a.Bulletins = bulletin.New(a.DB, a.Jobs, oa, a.Photos, bulletin.NewWeekData(a.DB, a.Park, a.Hygiene, a.LeaderInspections, a.Filings),
		a.Park, cfg.PublicBaseURL, bulletin.Letterhead{NumberPrefix: cfg.ParkNoticePrefix, Issuer: cfg.ParkNoticeIssuer}, log)
	for _, d := range []interface{ Register(*jobs.Queue) }{a.Auth, a.Idempotency, a.Photos, a.Notifier, a.Hazards, a.Bulletins, a.Filings} {
		d.Register(a.Jobs)
	}

	gin.SetMode(gin.ReleaseMode)
	registry := prometheus.NewRegistry()
	a.Metrics = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})
	a.Handler = api.NewRouter(api.Deps{
		Log: log, DB: a.DB, Registry: registry, Park: a.Park,
		MaxBodyBytes: cfg.MaxBodyBytes, TrustedProxies: cfg.TrustedProxies,
		Auth: a.Auth, Users: a.Users, Enterprises: a.Enterprises, Idempotency: a.Idempotency,
		Hygiene:   a.Hygiene,
		Bulletins: a.Bulletins, Notifier: a.Notifier,
		LeaderInspections: a.LeaderInspections, Interviews: a.Interviews,
		Photos: a.Photos, PhotoLinks: a.Photos.Signer(), MaxPhotoBytes: cfg.MaxPhotoBytes, TempDir: filepath.Join(cfg.DataDir, "tmp"),
		Hazards: a.Hazards, Filings: a.Filings,
	})
	return a, nil
}

// EnsureAdmin creates the first admin when there is none and logs how to sign in.
func (a *App) EnsureAdmin(ctx context.Context) error {
	created, chosen, err := a.Users.EnsureAdmin(ctx, a.Config.AdminUsername, a.Config.AdminPassword)
	if err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	if created && chosen != "" {
		a.Log.Warn("first admin created with a random password; it is shown only this once",
			"username", a.Config.AdminUsername, "password", chosen)
	} else if created {
		a.Log.Info("first admin created", "username", a.Config.AdminUsername)
	}
	return nil
}

// upkeepEvery is how often an instance tidies its own disk.
const upkeepEvery = time.Hour

// Run runs the background work until ctx ends: the upkeep of this instance's own disk (Upkeep) at
// once and then every upkeepEvery, and the cluster's jobs, each claimed by one instance (and the
// periodic ones scheduled). A job cut short goes back to the queue for the next start or another
// instance.
func (a *App) Run(ctx context.Context) error {
	upkept := make(chan struct{})
	go func() {
		defer close(upkept)
		tick := time.NewTicker(upkeepEvery)
		defer tick.Stop()
		for {
			a.Upkeep(ctx)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	err := a.Worker.Run(ctx)
	<-upkept
	return err
}

// Upkeep removes what interrupted requests left on this instance's disk: staged uploads. Every
// instance does it for itself; what the instances share is swept by a cluster job.
func (a *App) Upkeep(ctx context.Context) {
	n, err := a.Photos.SweepStaged(ctx)
	if n > 0 {
		a.Log.Info("removed staged files of interrupted uploads", "count", n)
	}
	if err != nil && ctx.Err() == nil {
		a.Log.Warn("remove staged files of interrupted uploads", "err", err)
	}
}

// Close releases the database and other connections.
func (a *App) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	return errors.Join(errs...)
}
