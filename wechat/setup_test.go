package wechat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"parksafe/wechat/wechattest"
)

// fake is shared by the whole test binary because Setup is process-global.
// Tests using it must not run in parallel and start with fake.Reset().
var fake *wechattest.Fake

const testTimeout = 5 * time.Second

func TestMain(m *testing.M) {
	fake = wechattest.New()
	if err := Setup(fake.URL(), testTimeout); err != nil {
		fmt.Fprintln(os.Stderr, "setup:", err)
		os.Exit(1)
	}
	code := m.Run()
	fake.Close()
	os.Exit(code)
}

// restoreSetup points silenceper back at the fake with the default timeout
// after a test changed the wiring.
func restoreSetup(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		if err := Setup(fake.URL(), testTimeout); err != nil {
			t.Fatalf("restore setup: %v", err)
		}
	})
}

func TestRewriteURI(t *testing.T) {
	tests := []struct {
		prefix, in, want string
	}{
		{"http://127.0.0.1:1234", "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=a&secret=b",
			"http://127.0.0.1:1234/cgi-bin/token?grant_type=client_credential&appid=a&secret=b"},
		{"https://proxy.example/wx", "https://api.weixin.qq.com/sns/jscode2session?js_code=a%26b",
			"https://proxy.example/wx/sns/jscode2session?js_code=a%26b"},
		{"http://h", "https://api.weixin.qq.com", "http://h"},
		{"http://h", "https://api.weixin.qq.com?x=1", "http://h?x=1"},
		// Other hosts, including look-alikes, are left alone.
		{"http://h", "https://api.mch.weixin.qq.com/pay/unifiedorder", "https://api.mch.weixin.qq.com/pay/unifiedorder"},
		{"http://h", "https://api.weixin.qq.com.evil.example/x", "https://api.weixin.qq.com.evil.example/x"},
		{"http://h", "https://qyapi.weixin.qq.com/cgi-bin/gettoken", "https://qyapi.weixin.qq.com/cgi-bin/gettoken"},
	}
	for _, tt := range tests {
		if got := rewriteURI(tt.prefix, tt.in); got != tt.want {
			t.Errorf("rewriteURI(%q, %q) = %q, want %q", tt.prefix, tt.in, got, tt.want)
		}
	}
}

func TestParseAPIBase(t *testing.T) {
	good := map[string]string{
		"https://api.weixin.qq.com":     "https://api.weixin.qq.com",
		"http://127.0.0.1:34567/":       "http://127.0.0.1:34567",
		"https://proxy.example/wx/api/": "https://proxy.example/wx/api",
	}
	for in, want := range good {
		got, err := parseAPIBase(in)
		if err != nil || got != want {
			t.Errorf("parseAPIBase(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "api.weixin.qq.com", "ftp://x", "http://", "http://h?x=1", "http://h#f", "http://u:p@h", "://bad"} {
		if _, err := parseAPIBase(in); err == nil {
			t.Errorf("parseAPIBase(%q): want error", in)
		}
	}
}

func TestSetupRejectsBadInput(t *testing.T) {
	if err := Setup("ftp://example.com", time.Second); err == nil {
		t.Error("Setup with ftp scheme: want error")
	}
	if err := Setup(fake.URL(), 0); err == nil {
		t.Error("Setup with zero timeout: want error")
	}
}

func TestSetupRoutesRequestsToBase(t *testing.T) {
	fake.Reset()
	fake.SetSession("c1", "openid-1", "")
	if _, err := NewMiniProgram("app", "secret", nil).Code2Session(context.Background(), "c1"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Calls("/sns/jscode2session"); n != 1 {
		t.Fatalf("fake saw %d jscode2session calls, want 1", n)
	}
	q := fake.Requests()[0].Query
	if q.Get("appid") != "app" || q.Get("secret") != "secret" || q.Get("grant_type") != "authorization_code" {
		t.Errorf("query not passed through: %v", q)
	}
}

func TestSetupPathPrefix(t *testing.T) {
	restoreSetup(t)
	fake.Reset()
	if err := Setup(fake.URL()+"/wxproxy/", testTimeout); err != nil {
		t.Fatal(err)
	}
	// The fake has no /wxproxy routes, so the call fails; what matters is
	// where it went.
	_, _ = NewMiniProgram("app", "secret", nil).Code2Session(context.Background(), "c1")
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/wxproxy/sns/jscode2session" {
		t.Fatalf("requests = %+v, want one to /wxproxy/sns/jscode2session", reqs)
	}
}

func TestSetupTimeoutApplied(t *testing.T) {
	restoreSetup(t)
	fake.Reset()
	fake.SetSession("slow", "openid", "")
	fake.SetDelay("/sns/jscode2session", 3*time.Second)
	if err := Setup(fake.URL(), 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, ok := util.DefaultHTTPClient.Transport.(*wiredTransport); !ok {
		t.Fatalf("DefaultHTTPClient transport is %T, want *wiredTransport", util.DefaultHTTPClient.Transport)
	}
	start := time.Now()
	_, err := NewMiniProgram("app", "secret", nil).Code2Session(context.Background(), "slow")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("call took %v, timeout not applied", elapsed)
	}
	if err == nil || !IsTransient(err) {
		t.Fatalf("err = %v, want transient timeout", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want it to wrap context.DeadlineExceeded", err)
	}

	// A later Setup raises the limit again and the same call succeeds.
	fake.SetDelay("/sns/jscode2session", 200*time.Millisecond)
	if err := Setup(fake.URL(), testTimeout); err != nil {
		t.Fatal(err)
	}
	if _, err := NewMiniProgram("app", "secret", nil).Code2Session(context.Background(), "slow"); err != nil {
		t.Fatalf("after raising timeout: %v", err)
	}
}

// TestSetupConcurrentWithRequests checks that re-running Setup while requests
// are in flight is race-free (run with -race).
func TestSetupConcurrentWithRequests(t *testing.T) {
	restoreSetup(t)
	fake.Reset()
	fake.SetSession("c", "openid", "")
	fake.SetPhone("p", "13800138000")
	mp := NewMiniProgram("app", "secret", nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if i%2 == 0 {
					if _, err := mp.Code2Session(context.Background(), "c"); err != nil {
						t.Error(err)
					}
				} else if _, err := mp.PhoneNumber(context.Background(), "p"); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for range 10 {
		if err := Setup(fake.URL(), testTimeout); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}
