package wechattest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func get(t *testing.T, f *Fake, path string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(f.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	return resp.StatusCode, m
}

func TestTokensIncrementAndReset(t *testing.T) {
	f := New()
	defer f.Close()
	for _, want := range []string{"tok-1", "tok-2"} {
		_, m := get(t, f, "/cgi-bin/token?grant_type=client_credential&appid=a&secret=s")
		if m["access_token"] != want || m["expires_in"] != float64(7200) {
			t.Fatalf("token response = %v, want %s", m, want)
		}
	}
	if _, m := get(t, f, "/cgi-bin/token?appid=a"); m["errcode"] != float64(41004) {
		t.Errorf("missing secret: %v", m)
	}
	if f.Calls("/cgi-bin/token") != 3 || len(f.Requests()) != 3 {
		t.Errorf("calls = %d", f.Calls("/cgi-bin/token"))
	}
	f.Reset()
	if len(f.Requests()) != 0 {
		t.Error("Reset kept requests")
	}
	if _, m := get(t, f, "/cgi-bin/token?appid=a&secret=s"); m["access_token"] != "tok-1" {
		t.Errorf("after Reset: %v", m)
	}
}

func TestFailuresAreQueuedInOrder(t *testing.T) {
	f := New()
	defer f.Close()
	f.FailNext("/cgi-bin/token", 1, http.StatusBadGateway)
	f.FailNextErrcode("/cgi-bin/token", 1, -1)
	path := "/cgi-bin/token?appid=a&secret=s"
	if code, _ := get(t, f, path); code != http.StatusBadGateway {
		t.Errorf("first: status %d", code)
	}
	if _, m := get(t, f, path); m["errcode"] != float64(-1) || !strings.Contains(m["errmsg"].(string), "system error") {
		t.Errorf("second: %v", m)
	}
	if _, m := get(t, f, path); m["access_token"] != "tok-1" {
		t.Errorf("third: %v", m)
	}
}

func TestRoutingChecks(t *testing.T) {
	f := New()
	defer f.Close()
	if code, _ := get(t, f, "/nope"); code != http.StatusNotFound {
		t.Errorf("unknown path: %d", code)
	}
	if code, _ := get(t, f, "/cgi-bin/draft/add?access_token=t"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET on POST endpoint: %d", code)
	}
	resp, err := http.Post(f.URL()+"/cgi-bin/draft/add", "application/json", strings.NewReader(`{"articles":[{}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if m["errcode"] != float64(41001) {
		t.Errorf("missing access_token: %v", m)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := New()
	defer f.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				f.SetSession("c", "o", "")
				f.FailNextErrcode("/sns/jscode2session", 1, 40029)
				get(t, f, "/sns/jscode2session?appid=a&secret=s&js_code=c")
				f.Calls("/sns/jscode2session")
				f.Requests()
			}
		}()
	}
	wg.Wait()
	if n := f.Calls("/sns/jscode2session"); n != 80 {
		t.Errorf("calls = %d, want 80", n)
	}
}
