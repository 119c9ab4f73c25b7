package middleware

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service"
)

// RequestID takes the caller's X-Request-ID when it is a sane token, or makes one, and echoes it.
func RequestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !saneID(id) {
			b := make([]byte, 12)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(keyRequestID, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

func saneID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// AccessLog gives each request a logger carrying its ID and writes one structured line when it ends.
func AccessLog(base *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		log := base.With("request_id", RequestIDOf(c))
		c.Set(keyLogger, log)
		c.Next()
		attrs := []any{
			"method", c.Request.Method, "path", c.Request.URL.Path, "route", c.FullPath(),
			"status", c.Writer.Status(), "bytes", c.Writer.Size(), "ms", float64(time.Since(start).Microseconds()) / 1000,
			"client_ip", c.ClientIP(),
		}
		if a, ok := ActorOf(c); ok {
			attrs = append(attrs, "user_id", a.ID)
		}
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		log.Log(c.Request.Context(), level, "request", attrs...)
	}
}

// Recovery turns a panic into a 500 internal answer without details, logging the stack.
func Recovery(onError ErrorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				Log(c).ErrorContext(c.Request.Context(), "panic", "panic", r, "stack", string(debug.Stack()))
				if !c.Writer.Written() {
					onError(c, service.Errorf(service.CodeInternal, "服务器内部错误，请稍后再试"))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}
