package middleware_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"parksafe/middleware"
	"parksafe/service"
)

// writeError is a stand-in for api.respondError: the envelope with the error's code.
func writeError(c *gin.Context, err error) {
	var de *service.Error
	if !errors.As(err, &de) {
		de = &service.Error{Code: service.CodeInternal, Message: "服务器内部错误"}
	}
	c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": gin.H{"code": de.Code, "message": de.Message}})
}

func TestRecoveryAnswers500WithoutDetails(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	r := gin.New()
	r.Use(middleware.RequestID(), middleware.AccessLog(log), middleware.Recovery(writeError))
	r.GET("/boom", func(c *gin.Context) { panic("secret connection string user:pw@db") })
	r.GET("/after", func(c *gin.Context) { c.String(http.StatusOK, "fine") })

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "internal" || body.Error.Message == "" {
		t.Fatalf("body %s", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("the answer leaks the panic: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "secret connection string") || !strings.Contains(logs.String(), `"status":500`) {
		t.Fatalf("the panic and its 500 should be logged: %s", logs.String())
	}
	// The server goes on serving.
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/after", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("after a panic: %d", rec.Code)
	}
}

func TestRecoveryAfterPartialWrite(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(middleware.Recovery(writeError))
	r.GET("/half", func(c *gin.Context) {
		c.String(http.StatusOK, "partial")
		panic("late")
	})
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/half", nil))
	// The status is already sent; the body must not get an envelope glued onto it.
	if rec.Body.String() != "partial" {
		t.Fatalf("body %q", rec.Body.String())
	}
}
