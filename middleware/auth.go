package middleware

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"parksafe/service"
)

// Authenticator checks an access token against the account as it is now.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (service.Actor, error)
}

// Auth requires a valid bearer token and leaves the actor in the context.
func Auth(a Authenticator, onError ErrorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			c.Header("WWW-Authenticate", `Bearer realm="parksafe"`)
			onError(c, service.Unauthenticated("请先登录"))
			return
		}
		actor, err := a.Authenticate(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			if service.ErrorCode(err) == service.CodeUnauthenticated {
				c.Header("WWW-Authenticate", `Bearer realm="parksafe", error="invalid_token"`)
			}
			onError(c, err)
			return
		}
		c.Set(keyActor, actor)
		c.Next()
	}
}

// Roles lets only the given roles through.
func Roles(onError ErrorWriter, roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, _ := ActorOf(c)
		if err := a.Require(roles...); err != nil {
			onError(c, err)
			return
		}
		c.Next()
	}
}

// BodyLimit refuses request bodies larger than n bytes: at once when Content-Length says so, and
// while reading otherwise (the reader fails and the handler answers 413).
func BodyLimit(n int64, onError ErrorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			onError(c, &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大"})
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}
