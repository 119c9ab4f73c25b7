// Package middleware holds ParkSafe's gin middleware: request IDs, access logs, panic recovery,
// metrics, body limits, authentication, roles and idempotent replays.
package middleware

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"parksafe/service"
)

// Keys under which middleware leaves values in the gin context.
const (
	keyRequestID = "request_id"
	keyLogger    = "logger"
	keyActor     = "actor"
)

// ErrorWriter writes an error in the API's envelope; api provides it so that one map decides statuses.
type ErrorWriter func(c *gin.Context, err error)

// Log returns the request's logger (with its request ID), or the default one outside a request.
func Log(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// RequestIDOf returns the request's ID.
func RequestIDOf(c *gin.Context) string { return c.GetString(keyRequestID) }

// ActorOf returns the signed-in actor; ok is false on routes without authentication.
func ActorOf(c *gin.Context) (service.Actor, bool) {
	v, ok := c.Get(keyActor)
	if !ok {
		return service.Actor{}, false
	}
	return v.(service.Actor), true
}
