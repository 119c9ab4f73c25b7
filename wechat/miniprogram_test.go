package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
)

const phonePath = "/wxa/business/getuserphonenumber"

func TestCode2Session(t *testing.T) {
	fake.Reset()
	fake.SetSession("good", "openid-1", "union-1")
	mp := NewMiniProgram("app", "secret", nil)

	s, err := mp.Code2Session(context.Background(), "good")
	if err != nil {
		t.Fatal(err)
	}
	if s != (Session{OpenID: "openid-1", UnionID: "union-1"}) {
		t.Errorf("session = %+v", s)
	}

	_, err = mp.Code2Session(context.Background(), "bad")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 40029 || apiErr.API != apiCode2Session {
		t.Fatalf("err = %#v, want *APIError 40029 from %s", err, apiCode2Session)
	}
	if IsTransient(err) || IsStaleToken(err) {
		t.Error("invalid code classified as transient or stale token")
	}
	if n := fake.Calls("/cgi-bin/token"); n != 0 {
		t.Errorf("jscode2session fetched %d tokens, want 0", n)
	}
}

func TestCode2SessionEscapesCode(t *testing.T) {
	fake.Reset()
	code := "a&appid=evil b"
	fake.SetSession(code, "openid", "")
	if _, err := NewMiniProgram("app", "secret", nil).Code2Session(context.Background(), code); err != nil {
		t.Fatal(err)
	}
	q := fake.Requests()[0].Query
	if q.Get("js_code") != code || q.Get("appid") != "app" || len(q["appid"]) != 1 {
		t.Errorf("query = %v", q)
	}
}

func TestPhoneNumber(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	mp := NewMiniProgram("app", "secret", nil)
	phone, err := mp.PhoneNumber(context.Background(), "pc")
	if err != nil || phone != (Phone{CountryCode: "86", Number: "13800138000"}) {
		t.Fatalf("PhoneNumber = %+v, %v", phone, err)
	}
	req := fake.Requests()[1]
	if req.Query.Get("access_token") != "tok-1" || string(req.Body) != `{"code":"pc"}` {
		t.Errorf("request = %s %v", req.Body, req.Query)
	}

	_, err = mp.PhoneNumber(context.Background(), "unknown")
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != 40029 || apiErr.API != apiPhoneNumber {
		t.Fatalf("err = %v, want 40029", err)
	}
	if n := fake.Calls("/cgi-bin/token"); n != 1 {
		t.Errorf("token fetched %d times, want 1 (cached)", n)
	}
}

func TestStaleCachedTokenEvicted(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	c := NewMemoryCache()
	mp := NewMiniProgram("app", "secret", c)
	key := "gowechat_miniprogram__access_token_app"

	if _, err := mp.PhoneNumber(context.Background(), "pc"); err != nil {
		t.Fatal(err)
	}
	if c.Get(key) != "tok-1" {
		t.Fatalf("cache[%s] = %v, want tok-1", key, c.Get(key))
	}

	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	fake.FailNextErrcode(phonePath, 1, 40001)
	phone, err := mp.PhoneNumber(context.Background(), "pc")
	if err != nil || phone.Number != "13800138000" {
		t.Fatalf("PhoneNumber after stale token = %+v, %v", phone, err)
	}
	// The cached tok-1 was used and rejected, evicted, then a fresh token
	// (the fake's counter restarted, so "tok-1" again) fetched and used.
	if n := fake.Calls("/cgi-bin/token"); n != 1 {
		t.Errorf("token fetches = %d, want 1", n)
	}
	if n := fake.Calls(phonePath); n != 2 {
		t.Errorf("phone calls = %d, want 2", n)
	}
}

func TestStaleTokenFetchesTwoTokensAndCallsTwice(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	fake.FailNextErrcode(phonePath, 1, 40001)
	c := NewMemoryCache()
	mp := NewMiniProgram("app", "secret", c)
	if _, err := mp.PhoneNumber(context.Background(), "pc"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Calls("/cgi-bin/token"); n != 2 {
		t.Errorf("token fetches = %d, want 2", n)
	}
	if n := fake.Calls(phonePath); n != 2 {
		t.Errorf("phone calls = %d, want 2", n)
	}
	var tokens []string
	for _, r := range fake.Requests() {
		if r.Path == phonePath {
			tokens = append(tokens, r.Query.Get("access_token"))
		}
	}
	if len(tokens) != 2 || tokens[0] != "tok-1" || tokens[1] != "tok-2" {
		t.Errorf("tokens used = %v, want [tok-1 tok-2]", tokens)
	}
	if got := c.Get(tokenCacheKey(credential.CacheKeyMiniProgramPrefix, "app")); got != "tok-2" {
		t.Errorf("cached token = %v, want tok-2", got)
	}
}

func TestStaleTokenGivesUpAfterOneRetry(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	fake.FailNextErrcode(phonePath, 2, 42001)
	mp := NewMiniProgram("app", "secret", nil)
	_, err := mp.PhoneNumber(context.Background(), "pc")
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != 42001 || !IsStaleToken(err) {
		t.Fatalf("err = %v, want stale-token APIError 42001", err)
	}
	if n := fake.Calls(phonePath); n != 2 {
		t.Errorf("phone calls = %d, want 2", n)
	}
	if n := fake.Calls("/cgi-bin/token"); n != 2 {
		t.Errorf("token fetches = %d, want 2", n)
	}
}

func TestStaleTokenRetryWithRedisCache(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	mp := NewMiniProgram("app", "secret", NewRedisCache(rdb, "parksafe:"))

	if _, err := mp.PhoneNumber(context.Background(), "pc"); err != nil {
		t.Fatal(err)
	}
	key := "parksafe:gowechat_miniprogram__access_token_app"
	if got, _ := mr.Get(key); got != "tok-1" {
		t.Fatalf("redis %s = %q, want tok-1", key, got)
	}
	fake.FailNextErrcode(phonePath, 1, 40001)
	if _, err := mp.PhoneNumber(context.Background(), "pc"); err != nil {
		t.Fatal(err)
	}
	if got, _ := mr.Get(key); got != "tok-2" {
		t.Errorf("redis %s = %q, want tok-2", key, got)
	}
}

func TestTransientErrorNotRetried(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "13800138000")
	fake.FailNext(phonePath, 1, 502)
	_, err := NewMiniProgram("app", "secret", nil).PhoneNumber(context.Background(), "pc")
	if err == nil || !IsTransient(err) {
		t.Fatalf("err = %v, want transient", err)
	}
	if _, ok := AsAPIError(err); ok {
		t.Errorf("HTTP 502 reported as APIError: %v", err)
	}
	if n := fake.Calls(phonePath); n != 1 {
		t.Errorf("phone calls = %d, want 1 (no automatic retry)", n)
	}
	if msg := err.Error(); strings.Contains(msg, "tok-1") {
		t.Errorf("error %q leaks the access token", msg)
	}
}

func TestTransientCode2SessionDoesNotLeakSecret(t *testing.T) {
	fake.Reset()
	fake.FailNext("/sns/jscode2session", 1, 503)
	_, err := NewMiniProgram("app", "TOPSECRET", nil).Code2Session(context.Background(), "c")
	if !IsTransient(err) {
		t.Fatalf("err = %v, want transient", err)
	}
	if strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("error %q leaks the app secret", err)
	}
}

func TestTokenFetchFailure(t *testing.T) {
	fake.Reset()
	fake.FailNextErrcode("/cgi-bin/token", 1, 40001)
	_, err := NewMiniProgram("app", "wrong", nil).PhoneNumber(context.Background(), "pc")
	apiErr, ok := AsAPIError(err)
	if !ok || apiErr.API != apiToken || apiErr.Code != 40001 {
		t.Fatalf("err = %v, want token APIError", err)
	}
	// A wrong secret is not a stale token: no second attempt.
	if n := fake.Calls("/cgi-bin/token"); n != 1 {
		t.Errorf("token fetches = %d, want 1", n)
	}
}

func TestSendSubscribe(t *testing.T) {
	fake.Reset()
	mp := NewMiniProgram("app", "secret", nil)
	err := mp.SendSubscribe(context.Background(), "openid-1", "tmpl-1", "pages/order?id=1",
		map[string]string{"thing1": "A1 <gate>", "time2": "2026-01-02 10:00"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if last.Path != "/cgi-bin/message/subscribe/send" || last.Query.Get("access_token") != "tok-1" {
		t.Fatalf("request = %+v", last)
	}
	var body struct {
		ToUser     string                       `json:"touser"`
		TemplateID string                       `json:"template_id"`
		Page       string                       `json:"page"`
		Data       map[string]map[string]string `json:"data"`
	}
	if err := json.Unmarshal(last.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.ToUser != "openid-1" || body.TemplateID != "tmpl-1" || body.Page != "pages/order?id=1" ||
		body.Data["thing1"]["value"] != "A1 <gate>" || body.Data["time2"]["value"] != "2026-01-02 10:00" {
		t.Errorf("body = %s", last.Body)
	}

	fake.FailNextErrcode("/cgi-bin/message/subscribe/send", 1, 40001)
	if err := mp.SendSubscribe(context.Background(), "openid-1", "tmpl-1", "", nil); err != nil {
		t.Fatalf("after stale token: %v", err)
	}
	_, ok := AsAPIError(mp.SendSubscribe(context.Background(), "", "tmpl-1", "", nil))
	if !ok {
		t.Error("missing openid: want APIError")
	}
}

func TestMiniProgramNotConfigured(t *testing.T) {
	fake.Reset()
	ctx := context.Background()
	for _, mp := range []*MiniProgram{nil, {}, NewMiniProgram("", "secret", nil), NewMiniProgram("app", "  ", nil)} {
		if mp.Configured() {
			t.Errorf("%+v: Configured() = true", mp)
		}
		if _, err := mp.Code2Session(ctx, "c"); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("Code2Session: %v", err)
		}
		if _, err := mp.PhoneNumber(ctx, "c"); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("PhoneNumber: %v", err)
		}
		if err := mp.SendSubscribe(ctx, "o", "t", "", nil); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("SendSubscribe: %v", err)
		}
	}
	if !NewMiniProgram(" app\n", "secret\n", nil).Configured() {
		t.Error("configured client reports unconfigured")
	}
	if len(fake.Requests()) != 0 {
		t.Error("unconfigured client made requests")
	}
}

func TestCanceledContextMakesNoRequest(t *testing.T) {
	fake.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewMiniProgram("app", "secret", nil).PhoneNumber(ctx, "pc")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(fake.Requests()) != 0 {
		t.Error("canceled call made requests")
	}
}

func TestEvictionFailureReported(t *testing.T) {
	fake.Reset()
	fake.SetPhone("pc", "1")
	fake.FailNextErrcode(phonePath, 1, 40001)
	_, err := NewMiniProgram("app", "secret", failingDeleteCache{NewMemoryCache()}).PhoneNumber(context.Background(), "pc")
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != 40001 || apiErr.API != apiPhoneNumber || !errors.Is(err, errDeleteFailed) {
		t.Fatalf("err = %v, want APIError 40001 joined with the eviction failure", err)
	}
	if n := fake.Calls(phonePath); n != 1 {
		t.Errorf("phone calls = %d, want 1 (no retry with the same stale token)", n)
	}
}

func TestWithTokenRetryEvictionFailure(t *testing.T) {
	calls := 0
	err := withTokenRetry(context.Background(), failingDeleteCache{NewMemoryCache()}, "k", func() error {
		calls++
		return &APIError{Code: 40001, API: apiPhoneNumber}
	})
	if calls != 1 || !IsStaleToken(err) || !errors.Is(err, errDeleteFailed) {
		t.Errorf("calls = %d, err = %v", calls, err)
	}
}

var errDeleteFailed = errors.New("delete failed")

type failingDeleteCache struct{ cache.Cache }

func (failingDeleteCache) Delete(string) error { return errDeleteFailed }
