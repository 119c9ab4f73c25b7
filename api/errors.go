package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"parksafe/database"
	"parksafe/middleware"
	"parksafe/service"
	"parksafe/storage"
)

// statusOf maps each domain error code to its HTTP status; it is the only such map.
var statusOf = map[string]int{
	service.CodeBadRequest:           http.StatusBadRequest,
	service.CodeValidation:           http.StatusUnprocessableEntity,
	service.CodeUnauthenticated:      http.StatusUnauthorized,
	service.CodeForbidden:            http.StatusForbidden,
	service.CodeNotFound:             http.StatusNotFound,
	service.CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	service.CodeConflict:             http.StatusConflict,
	service.CodePayloadTooLarge:      http.StatusRequestEntityTooLarge,
	service.CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	service.CodeRateLimited:          http.StatusTooManyRequests,
	service.CodeInternal:             http.StatusInternalServerError,
	service.CodeUnavailable:          http.StatusServiceUnavailable,
}

// ErrorBody is the error envelope.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is a stable code, a Chinese message to show as is, and per-field reasons.
type ErrorDetail struct {
	Code    string            `json:"code" example:"validation_failed"`
	Message string            `json:"message" example:"提交的信息有误：请填写企业名称"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var errInternal = &service.Error{Code: service.CodeInternal, Message: "服务器内部错误，请稍后再试"}

// errOutage answers a request the database or the blob store could not serve for now (outage).
// Retry-After tells the phone's outbox to keep the submission and send it again.
var errOutage = &service.Error{Code: service.CodeUnavailable, Message: "服务暂时不可用，请稍后再试", RetryAfter: 5}

// outage reports whether err means that what ParkSafe stands on is away for now: the database
// (database.Unavailable) or the blob store (storage.ErrUnavailable). It is the one place the API
// tells an outage from a bug.
func outage(err error) bool {
	return database.Unavailable(err) || errors.Is(err, storage.ErrUnavailable)
}

// errTooLargeToStore answers content the database refused for its size: retrying cannot help.
var errTooLargeToStore = &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大，无法保存，请精简后重试"}

// respondError writes err in the envelope. Domain errors keep their code; a cancelled request is
// not logged as a failure; content the database refused for its size is a 413; an outage of the
// database or the blob store (outage) is a 503 with Retry-After;
// anything else is logged with the request and answered as an opaque 500.
func respondError(c *gin.Context, err error) {
	var de *service.Error
	if !errors.As(err, &de) {
		switch {
		case errors.Is(err, context.Canceled):
			c.AbortWithStatus(499)
			return
		case database.TooLarge(err):
			middleware.Log(c).WarnContext(c.Request.Context(), "statement too large for the database", "err", err,
				"method", c.Request.Method, "path", c.Request.URL.Path)
			de = errTooLargeToStore
		case outage(err):
			middleware.Log(c).WarnContext(c.Request.Context(), "database or blob store unavailable", "err", err,
				"method", c.Request.Method, "path", c.Request.URL.Path)
			de = errOutage
		default:
			middleware.Log(c).ErrorContext(c.Request.Context(), "internal error", "err", err,
				"method", c.Request.Method, "path", c.Request.URL.Path)
			de = errInternal
		}
	}
	status, ok := statusOf[de.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if de.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(de.RetryAfter))
	}
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: de.Code, Message: de.Message, Fields: de.Fields}})
}
