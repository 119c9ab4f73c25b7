package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

func TestParseErrorShapes(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int64
		wantAPI  string
	}{
		{"CommonError", util.NewCommonError("Send", 40003, "invalid openid"), 40003, "my/api"},
		{"wrapped CommonError", fmt.Errorf("x: %w", util.NewCommonError("Send", 45009, "quota")), 45009, "my/api"},
		{"formatted", errors.New("Code2Session error : errcode=40029 , errmsg=invalid code rid: 1"), 40029, "my/api"},
		{"compact", errors.New("errcode=40007,errmsg=invalid media_id"), 40007, "my/api"},
		{"negative", errors.New("AddMaterial error : errcode=-1 , errmsg=system error"), -1, "my/api"},
		{"token fetch", errors.New("get access_token error : errcode=40013 , errormsg=invalid appid"), 40013, apiToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ParseError("my/api", tt.err)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("ParseError = %#v, want *APIError", err)
			}
			if apiErr.Code != tt.wantCode || apiErr.API != tt.wantAPI {
				t.Errorf("got code %d api %q, want %d %q", apiErr.Code, apiErr.API, tt.wantCode, tt.wantAPI)
			}
		})
	}
	if ParseError("x", nil) != nil {
		t.Error("ParseError(nil) != nil")
	}
	if _, ok := AsAPIError(errors.New("http get error : uri=x , statusCode=502")); ok {
		t.Error("HTTP status error treated as API error")
	}
	apiErr, _ := AsAPIError(errors.New("Code2Session error : errcode=40029 , errmsg=invalid code"))
	if got := apiErr.Error(); !strings.Contains(got, "errcode=40029") || !strings.Contains(got, "invalid code") {
		t.Errorf("APIError.Error() = %q", got)
	}
}

func TestParseErrorRedactsCredentials(t *testing.T) {
	raw := errors.New("http get error : uri=http://h/sns/jscode2session?appid=a&secret=S3CRET&js_code=CODE&grant_type=x , statusCode=502")
	err := ParseError(apiCode2Session, raw)
	msg := err.Error()
	for _, leak := range []string{"S3CRET", "CODE"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error %q leaks %q", msg, leak)
		}
	}
	if !errors.Is(err, raw) || !IsTransient(err) {
		t.Errorf("redacted error lost its chain or status: %v", err)
	}

	urlErr := &url.Error{Op: "Post", URL: "http://h/x?access_token=TOKEN", Err: syscall.ECONNREFUSED}
	err = ParseError(apiDraftAdd, urlErr)
	if strings.Contains(err.Error(), "TOKEN") {
		t.Errorf("error %q leaks the access token", err)
	}
	var got *url.Error
	if !errors.As(err, &got) || strings.Contains(got.URL, "TOKEN") || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("url.Error not preserved cleanly: %#v", got)
	}
}

func TestIsStaleToken(t *testing.T) {
	for code, want := range map[int64]bool{40001: true, 42001: true, 40014: true, 40029: false, -1: false} {
		if got := IsStaleToken(&APIError{Code: code, API: apiPhoneNumber}); got != want {
			t.Errorf("IsStaleToken(%d) = %v, want %v", code, got, want)
		}
	}
	if !IsStaleToken(errors.New("template msg send error : errcode=42001 , errmsg=access_token expired")) {
		t.Error("formatted 42001 not recognised")
	}
	// From the token endpoint 40001 means a wrong secret; retrying is useless.
	if IsStaleToken(errors.New("get access_token error : errcode=40001 , errormsg=invalid credential")) {
		t.Error("token endpoint 40001 treated as stale token")
	}
	if IsStaleToken(nil) || IsStaleToken(io.EOF) {
		t.Error("non-API errors treated as stale token")
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"system busy", &APIError{Code: -1}, true},
		{"invalid code", &APIError{Code: 40029}, false},
		{"quota", &APIError{Code: 45009}, false},
		{"502", errors.New("http post error : uri=x , statusCode=502"), true},
		{"503 multipart", errors.New("http code error : uri=x , statusCode=503"), true},
		{"404", errors.New("http get error : uri=x , statusCode=404"), false},
		{"timeout", &url.Error{Op: "Get", URL: "x", Err: timeoutErr{}}, true},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"refused", &url.Error{Op: "Get", URL: "x", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, true},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"eof", &url.Error{Op: "Post", URL: "x", Err: io.EOF}, true},
		{"canceled", &url.Error{Op: "Get", URL: "x", Err: context.Canceled}, false},
		{"not configured", ErrNotConfigured, false},
	}
	for _, tt := range tests {
		if got := IsTransient(tt.err); got != tt.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
