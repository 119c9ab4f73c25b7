package service

import (
	"errors"
	"fmt"
)

// Error codes are stable English identifiers the client switches on; api maps each to an HTTP status.
const (
	CodeBadRequest           = "bad_request"
	CodeValidation           = "validation_failed"
	CodeUnauthenticated      = "unauthenticated"
	CodeForbidden            = "forbidden"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeConflict             = "conflict"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeRateLimited          = "rate_limited"
	CodeInternal             = "internal"
	CodeUnavailable          = "unavailable"
)

// Error is the one domain error: a stable code, a Chinese message fit to show a user as is, and for
// validation failures a Chinese reason per field. Any other error reaching the API is a bug or an
// outage and is answered as an opaque 500.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter, in whole seconds, tells the client when to try again (rate_limited, unavailable).
	RetryAfter int
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an Error with a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, or CodeInternal for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// NotFound reports a missing record, named in Chinese (e.g. "隐患"). It is also the answer for a record
// of another enterprise, so that its existence is never revealed.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: what + "不存在"}
}

// Conflict reports a state clash: a stale version, a duplicate, a transition not allowed.
func Conflict(format string, args ...any) *Error { return Errorf(CodeConflict, format, args...) }

// Forbidden reports an action the signed-in role may not take.
func Forbidden(msg string) *Error { return &Error{Code: CodeForbidden, Message: msg} }

// ErrForbiddenRole is the usual refusal for a role without the right.
var ErrForbiddenRole = Forbidden("您没有执行此操作的权限")

// ErrStale answers an update based on an old version of a record.
var ErrStale = Conflict("记录已被他人修改，请刷新后重试")

// Unauthenticated reports missing, invalid or revoked credentials.
func Unauthenticated(msg string) *Error { return &Error{Code: CodeUnauthenticated, Message: msg} }

// Unavailable reports a dependency that is not configured or not reachable.
func Unavailable(msg string) *Error { return &Error{Code: CodeUnavailable, Message: msg} }

// BadRequest reports a request that could not be read at all.
func BadRequest(msg string) *Error { return &Error{Code: CodeBadRequest, Message: msg} }

// Invalid reports a single field failing validation.
func Invalid(field, reason string) *Error {
	return &Error{Code: CodeValidation, Message: "提交的信息有误：" + reason, Fields: map[string]string{field: reason}}
}

// Validator collects per-field reasons so that a client sees every problem of a form at once.
type Validator struct {
	fields map[string]string
	first  string
}

// Check records reason for field when ok is false; the first reason per field wins.
func (v *Validator) Check(ok bool, field, reason string) bool {
	if ok {
		return true
	}
	v.Add(field, reason)
	return false
}

// Add records reason for field unless it already has one.
func (v *Validator) Add(field, reason string) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, dup := v.fields[field]; dup {
		return
	}
	if v.first == "" {
		v.first = reason
	}
	v.fields[field] = reason
}

// Has reports whether field already failed.
func (v *Validator) Has(field string) bool { _, ok := v.fields[field]; return ok }

// Err returns a validation_failed Error with every recorded field, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := "提交的信息有误：" + v.first
	if len(v.fields) > 1 {
		msg = fmt.Sprintf("提交的信息有误（%d 项）：%s", len(v.fields), v.first)
	}
	return &Error{Code: CodeValidation, Message: msg, Fields: v.fields}
}
