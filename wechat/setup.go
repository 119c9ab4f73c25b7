package wechat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/util"
	"github.com/sirupsen/logrus"
)

// wechatOrigin is the origin silenceper hard-codes into every endpoint URL we
// use; Setup rewrites it so tests and proxies can stand in for WeChat.
const wechatOrigin = "https://api.weixin.qq.com"

// Setup wires silenceper's process-global HTTP plumbing: every request to
// https://api.weixin.qq.com is sent to apiBase instead (scheme and host
// replaced, apiBase's path prepended, original path and query kept), and each
// request is bounded by timeout.
//
// apiBase must be an absolute http or https URL without query or fragment,
// e.g. "https://api.weixin.qq.com" in production or the URL of a
// wechattest.Fake in tests. timeout must be positive.
//
// The first call must happen before any WeChat request is made, because
// silenceper keeps its URI modifier and HTTP client in unsynchronised package
// variables. Later calls only swap the base and timeout held in atomics, so
// they are safe even while requests are in flight.
//
// Setup also quiets logrus: importing silenceper's root package sets the
// global logrus logger to Debug on stdout, which would interleave debug noise
// with the application's own output.
func Setup(apiBase string, timeout time.Duration) error {
	prefix, err := parseAPIBase(apiBase)
	if err != nil {
		return err
	}
	if timeout <= 0 {
		return fmt.Errorf("wechat: setup: timeout must be positive, got %v", timeout)
	}

	logrus.SetLevel(logrus.WarnLevel)
	logrus.SetOutput(os.Stderr)

	// The installed transport doubles as the record of earlier wiring, so no
	// package-level state of our own is needed to find it again.
	if t, ok := util.DefaultHTTPClient.Transport.(*wiredTransport); ok {
		t.prefix.Store(&prefix)
		t.timeout.Store(int64(timeout))
		return nil
	}
	t := &wiredTransport{next: http.DefaultTransport}
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		// A private clone, so nobody else's tweaks to the default transport
		// (or CloseIdleConnections calls) affect WeChat traffic.
		t.next = dt.Clone()
	}
	t.prefix.Store(&prefix)
	t.timeout.Store(int64(timeout))
	util.SetURIModifier(func(uri string) string { return rewriteURI(*t.prefix.Load(), uri) })
	// Client.Timeout stays zero on purpose: it cannot be changed safely once
	// requests are running, so the transport enforces the (swappable) limit.
	util.DefaultHTTPClient = &http.Client{Transport: t}
	return nil
}

// parseAPIBase validates apiBase and returns the origin plus path prefix that
// replaces wechatOrigin, without a trailing slash.
func parseAPIBase(apiBase string) (string, error) {
	u, err := url.Parse(apiBase)
	if err != nil {
		return "", fmt.Errorf("wechat: setup: invalid api base %q: %w", apiBase, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("wechat: setup: api base %q: scheme must be http or https", apiBase)
	}
	if u.Host == "" {
		return "", fmt.Errorf("wechat: setup: api base %q: missing host", apiBase)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("wechat: setup: api base %q: must not carry user info, query or fragment", apiBase)
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"), nil
}

// rewriteURI replaces wechatOrigin at the start of uri with prefix. It works
// on the string rather than a parsed URL so the query silenceper built is
// passed on byte for byte. URLs for other hosts (e.g. WeChat Pay) are left
// alone.
func rewriteURI(prefix, uri string) string {
	rest, ok := strings.CutPrefix(uri, wechatOrigin)
	if !ok || (rest != "" && rest[0] != '/' && rest[0] != '?') {
		return uri
	}
	return prefix + rest
}

// wiredTransport applies the timeout configured by Setup. The limit covers
// the whole exchange including reading the body, like http.Client.Timeout,
// but lives in an atomic so Setup can change it at any time.
type wiredTransport struct {
	prefix  atomic.Pointer[string]
	timeout atomic.Int64 // time.Duration
	next    http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *wiredTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), time.Duration(t.timeout.Load()))
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases the request's timeout context once the caller is
// done with the body; cancelling earlier would abort the body read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the timeout context.
func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// errSetupNotCalled is reported when a client is used before Setup. Without
// Setup silenceper would talk to production WeChat with no timeout at all,
// which is never what a ParkSafe process wants (tests especially).
var errSetupNotCalled = errors.New("wechat: Setup has not been called")

// checkSetup reports errSetupNotCalled unless Setup has installed its client.
func checkSetup() error {
	if _, ok := util.DefaultHTTPClient.Transport.(*wiredTransport); !ok {
		return errSetupNotCalled
	}
	return nil
}
