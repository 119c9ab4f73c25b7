package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-contrib/gzip"
	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	_ "parksafe/docs" // generated OpenAPI document
	"parksafe/middleware"
	"parksafe/model"
	"parksafe/service"
)

// NewRouter builds the whole HTTP surface; every route is declared here.
func NewRouter(d Deps) *gin.Engine {
	s := &Server{Deps: d}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic(err) // validated by config already
	}
	metrics := middleware.NewMetrics(d.Registry)
	r.Use(middleware.RequestID(), middleware.AccessLog(d.Log), middleware.Recovery(respondError), metrics.Handler())
	r.NoRoute(func(c *gin.Context) { respondError(c, service.Errorf(service.CodeNotFound, "接口不存在")) })
	r.NoMethod(func(c *gin.Context) {
		respondError(c, service.Errorf(service.CodeMethodNotAllowed, "接口不支持 %s 方法", c.Request.Method))
	})

	// Outside /api/v1: operations, the API reference, and what a browser or an <image src> opens
	// without an Authorization header (signed photo links, published bulletins, WeChat's callback).
	// The metrics registered on d.Registry are not served here but on METRICS_ADDR (app.Serve).
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/swagger/*any", ginSwagger.WrapHandler(swaggerFiles.Handler))
	r.GET("/swagger", func(c *gin.Context) { c.Redirect(http.StatusFound, "/swagger/index.html") })
	r.GET("/files/photos/:id/:variant", s.servePhoto)
	r.GET("/p/bulletins/:id", s.bulletinPage)

	// JSON shrinks several-fold under gzip, which is what a phone on a plant road needs; the photo
	// files, the /metrics handler (which negotiates its own) and the xlsx ledger (a zip already) stay
	// outside it.
	compress := gzip.Gzip(gzip.DefaultCompression, gzip.WithCustomShouldCompressFn(shouldGzip))
	v1 := r.Group("/api/v1", compress, middleware.BodyLimit(d.MaxBodyBytes, respondError))
	auth := middleware.Auth(d.Auth, respondError)
	admin := middleware.Roles(respondError, model.RoleAdmin)
	staff := middleware.Roles(respondError, model.RoleAdmin, model.RoleInspector)
	enterprise := middleware.Roles(respondError, model.RoleEnterprise)
	// Every request that changes something a phone may send again after losing the answer honours
	// Idempotency-Key: creations, decisions, corrections. PATCH /users and PUT /me/password do not,
	// so that no fingerprint of a body with a password is stored.
	idem := middleware.Idempotent(d.Idempotency, respondError, d.TempDir)

	v1.POST("/auth/login", s.login)
	v1.POST("/auth/wechat/login", s.wechatLogin)
	v1.POST("/auth/wechat/bind", s.wechatBind)
	v1.POST("/auth/refresh", s.refresh)
	v1.GET("/wechat/official-account/callback", s.oaCallbackVerify)
	v1.POST("/wechat/official-account/callback", s.oaCallback)

	in := v1.Group("", auth)
	in.POST("/auth/logout", s.logout)
	in.GET("/me", s.me)
	in.PUT("/me/password", s.changePassword)
	in.GET("/me/subscriptions", s.subscriptions)
	in.POST("/me/subscriptions", idem, s.subscribe)
	in.GET("/notifications", s.listNotifications)
	in.POST("/notifications/read", s.readNotifications)

	in.GET("/enterprises", s.listEnterprises)
	in.POST("/enterprises", admin, idem, s.createEnterprise)
	in.GET("/enterprises/:id", s.getEnterprise)
	in.PATCH("/enterprises/:id", admin, idem, s.updateEnterprise)

	in.GET("/users", admin, s.listUsers)
	in.POST("/users", admin, idem, s.createUser)
	in.GET("/users/:id", admin, s.getUser)
	in.PATCH("/users/:id", admin, s.updateUser)

	// Photo uploads are multipart and up to MaxPhotoBytes, so they get their own body limit instead of
	// v1's JSON one.
	upload := r.Group("/api/v1", compress, middleware.BodyLimit(d.MaxPhotoBytes+multipartSlack, respondError), auth)
	upload.POST("/photos", idem, s.uploadPhoto)
	in.GET("/photos/:id", s.getPhoto)

	// Hazards: transitions check visibility before role in the service, so that another enterprise's
	// user gets 404 on every hazard route rather than learning the hazard exists.
	in.POST("/hazards", staff, idem, s.createHazard)
	in.GET("/hazards", s.listHazards)
	in.GET("/hazards/export", s.exportHazards) // before /hazards/:id
	in.GET("/hazards/:id", s.getHazard)
	in.POST("/hazards/:id/rectification", idem, s.submitRectification)
	in.POST("/hazards/:id/verify", idem, s.verifyHazard)
	in.POST("/hazards/:id/approve", idem, s.approveHazard)
	in.POST("/hazards/:id/void", idem, s.voidHazard)
	in.POST("/hazards/:id/extension", idem, s.requestExtension)
	in.POST("/hazards/:id/extension/decision", idem, s.decideExtension)

	in.POST("/hygiene-checks", staff, idem, s.createHygieneCheck)
	in.GET("/hygiene-checks", s.listHygieneChecks)
	in.GET("/hygiene-checks/weeks/:week", s.hygieneWeek)
	in.GET("/hygiene-checks/:id", s.getHygieneCheck)
	in.PATCH("/hygiene-checks/:id", staff, idem, s.updateHygieneCheck)

	in.POST("/leader-inspections", enterprise, idem, s.fileLeaderInspection)
	in.GET("/leader-inspections", s.listLeaderInspections)
	in.GET("/leader-inspections/weeks/:week", s.leaderWeeklyReport)
	in.GET("/leader-inspections/:id", s.getLeaderInspection)

	in.POST("/interviews", admin, idem, s.createInterview)
	in.POST("/interviews/from-week", admin, s.proposeInterviews)
	in.GET("/interviews", s.listInterviews)
	in.GET("/interviews/:id", s.getInterview)
	// An enterprise user may PATCH its own interview's written feedback; the service checks which fields.
	in.PATCH("/interviews/:id", middleware.Roles(respondError, model.RoleAdmin, model.RoleEnterprise), idem, s.updateInterview)

	in.GET("/bulletins", s.listBulletins)
	in.POST("/bulletins", admin, idem, s.createBulletin)
	in.POST("/bulletins/generate", admin, idem, s.generateBulletin)
	in.GET("/bulletins/:id", s.getBulletin)
	in.PATCH("/bulletins/:id", admin, idem, s.updateBulletin)
	in.POST("/bulletins/:id/publish", admin, idem, s.publishBulletin)

	// Filings (安全生产报备): like hazards, the steps check visibility before role in the service.
	in.POST("/filings", enterprise, idem, s.createFiling)
	in.GET("/filings", s.listFilings)
	in.GET("/filings/kinds", s.filingKinds)
	in.GET("/filings/board", s.filingBoard)
	in.GET("/filings/stats", s.filingStats)
	in.GET("/filings/weeks/:week", s.filingWeek)
	in.GET("/filings/:id", s.getFiling)
	in.PATCH("/filings/:id", idem, s.updateFiling)
	in.POST("/filings/:id/submit", idem, s.submitFiling)
	in.POST("/filings/:id/assign", idem, s.assignFiling)
	in.POST("/filings/:id/review", idem, s.reviewFiling)
	in.POST("/filings/:id/approve", idem, s.approveFiling)
	in.POST("/filings/:id/resubmit", idem, s.resubmitFiling)
	in.POST("/filings/:id/start", idem, s.startFiling)
	in.POST("/filings/:id/complete", idem, s.completeFiling)
	in.POST("/filings/:id/cancel", idem, s.cancelFiling)
	in.POST("/filings/:id/hazards", idem, s.openFilingHazard)

	in.GET("/stats/overview", s.statsOverview)
	in.GET("/stats/enterprises", s.statsEnterprises)
	in.GET("/stats/trend", s.statsTrend)
	in.GET("/stats/hygiene", s.hygieneStats)
	in.GET("/stats/leader-inspections", s.leaderInspectionStats)
	return r
}

// shouldGzip reports whether the client accepts gzip (a q of 0 refuses it) and the route answers
// JSON rather than an already-compressed file.
func shouldGzip(c *gin.Context) bool {
	if strings.HasSuffix(c.Request.URL.Path, "/hazards/export") || strings.Contains(c.GetHeader("Connection"), "Upgrade") {
		return false
	}
	for _, part := range strings.Split(c.GetHeader("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
