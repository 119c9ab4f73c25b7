package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"syscall"

	"github.com/silenceper/wechat/v2/util"
)

// ErrNotConfigured is returned by every client method when the client lacks
// the credentials it needs (empty app ID or secret, or no AES key for
// Decrypt). Callers can treat the feature as switched off.
var ErrNotConfigured = errors.New("wechat: not configured")

// API names used in APIError.API and error messages. They are WeChat's URL
// paths so an error can be matched to WeChat's documentation directly.
const (
	apiToken         = "cgi-bin/token"
	apiCode2Session  = "sns/jscode2session"
	apiPhoneNumber   = "wxa/business/getuserphonenumber"
	apiSubscribeSend = "cgi-bin/message/subscribe/send"
	apiAddMaterial   = "cgi-bin/material/add_material"
	apiUploadImage   = "cgi-bin/media/uploadimg"
	apiDraftAdd      = "cgi-bin/draft/add"
	apiPublishSubmit = "cgi-bin/freepublish/submit"
	apiPublishGet    = "cgi-bin/freepublish/get"
)

// WeChat errcodes this package interprets.
const (
	errcodeSystemBusy  = -1
	errcodeInvalidCred = 40001 // access token invalid or not the latest
	errcodeExpiredTok  = 42001 // access token expired
	errcodeInvalidTok  = 40014 // access token malformed
)

// APIError is an error reported by WeChat itself: the response carried a
// non-zero errcode.
type APIError struct {
	Code    int64  // WeChat errcode, e.g. 40029 (invalid code)
	Message string // WeChat errmsg, usually including a request id ("rid")
	API     string // endpoint path, e.g. "sns/jscode2session"
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("wechat %s: errcode=%d errmsg=%s", e.API, e.Code, e.Message)
}

var (
	// errcodePattern matches the errors silenceper builds with fmt.Errorf
	// instead of returning *util.CommonError, e.g.
	// "Code2Session error : errcode=40029 , errmsg=invalid code" and
	// "get access_token error : errcode=40013 , errormsg=invalid appid".
	errcodePattern = regexp.MustCompile(`(?s)errcode=(-?\d+)\s*,\s*(?:errmsg|errormsg)=(.*)$`)
	// tokenErrPattern identifies a failure of the token fetch itself, which
	// silenceper reports from whichever call needed the token.
	tokenErrPattern = regexp.MustCompile(`^get (?:stable_)?access_token error`)
	// statusPattern extracts the HTTP status silenceper reports for non-200
	// responses ("http post error : uri=..., statusCode=502").
	statusPattern = regexp.MustCompile(`statusCode=(\d{3})\b`)
	// secretPattern finds credentials that silenceper embeds in URLs and
	// therefore in its error strings.
	secretPattern = regexp.MustCompile(`\b(access_token|secret|js_code)=[^&\s"]*`)
)

// ParseError converts an error returned by silenceper into the form this
// package hands out: nil stays nil, anything carrying a WeChat errcode
// (*util.CommonError or one of silenceper's formatted strings) becomes an
// *APIError with API set to api (or to the token endpoint when fetching the
// access token failed), and every other error is wrapped with the API name
// after credentials (access_token, secret, js_code) are redacted from its
// message. Wrapped errors keep their chain, so errors.As still finds
// *url.Error and net.Error.
func ParseError(api string, err error) error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		// Convert each part so an API error joined with a secondary failure
		// (e.g. evicting the stale token) keeps both.
		parts := joined.Unwrap()
		out := make([]error, len(parts))
		for i, e := range parts {
			out[i] = ParseError(api, e)
		}
		return errors.Join(out...)
	}
	if apiErr, ok := asAPIError(api, err); ok {
		return apiErr
	}
	return fmt.Errorf("wechat %s: %w", api, redact(err))
}

// AsAPIError reports whether err is, or wraps, a WeChat API error, converting
// silenceper's error shapes on the way.
func AsAPIError(err error) (*APIError, bool) {
	return asAPIError("", err)
}

func asAPIError(api string, err error) (*APIError, bool) {
	if err == nil {
		return nil, false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	var common *util.CommonError
	if errors.As(err, &common) && common.ErrCode != 0 {
		return &APIError{Code: common.ErrCode, Message: common.ErrMsg, API: api}, true
	}
	msg := err.Error()
	m := errcodePattern.FindStringSubmatch(msg)
	if m == nil {
		return nil, false
	}
	code, convErr := strconv.ParseInt(m[1], 10, 64)
	if convErr != nil || code == 0 {
		return nil, false
	}
	if tokenErrPattern.MatchString(msg) {
		api = apiToken
	}
	return &APIError{Code: code, Message: m[2], API: api}, true
}

// IsStaleToken reports whether err means the access token used for the call
// is no longer accepted (40001, 42001, 40014), so evicting the cached token
// and retrying can succeed. A 40001 from the token endpoint itself means a
// wrong app secret and is not stale-token.
func IsStaleToken(err error) bool {
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.API == apiToken {
		return false
	}
	switch apiErr.Code {
	case errcodeInvalidCred, errcodeExpiredTok, errcodeInvalidTok:
		return true
	}
	return false
}

// IsTransient reports whether err is worth retrying later unchanged: WeChat's
// "system busy" (-1), an HTTP 5xx, a timeout or a connection failure. Quota
// errors such as 45009 are deliberately excluded: they last until the daily
// reset, so retrying soon only burns more quota.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if apiErr, ok := AsAPIError(err); ok {
		return apiErr.Code == errcodeSystemBusy
	}
	if m := statusPattern.FindStringSubmatch(err.Error()); m != nil {
		status, _ := strconv.Atoi(m[1])
		return status >= 500
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF)
}

// redact removes credentials from err's message. silenceper puts the full
// request URL, including access_token or even the app secret, into its
// errors; those messages end up in logs.
func redact(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) && error(urlErr) == err {
		// Rebuild rather than wrap so errors.As(*url.Error) yields the clean URL.
		return &url.Error{Op: urlErr.Op, URL: redactString(urlErr.URL), Err: urlErr.Err}
	}
	msg := err.Error()
	clean := redactString(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

func redactString(s string) string {
	return secretPattern.ReplaceAllString(s, "${1}=REDACTED")
}

// redactedError carries a cleaned message while keeping the original chain
// for errors.Is/As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
