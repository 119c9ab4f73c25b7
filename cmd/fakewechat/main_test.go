package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"parksafe/apitest"
)

// served runs a ParkSafe behind a real listener (the callback target) and the fake's handler in
// front of the Go tests' fake WeChat, with the given callback token.
func served(t *testing.T, token string) (*apitest.Env, *httptest.Server) {
	t.Helper()
	env := apitest.New(t)
	park := httptest.NewServer(env.App.Handler)
	t.Cleanup(park.Close)
	h, err := newHandler(env.WeChat, park.URL+"/api/v1/wechat/official-account/callback", token, apitest.OAAESKey, apitest.OAAppID)
	if err != nil {
		t.Fatal(err)
	}
	fake := httptest.NewServer(h)
	t.Cleanup(fake.Close)
	return env, fake
}

func control(t *testing.T, fake *httptest.Server, method, path string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(method, fake.URL+path, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v", method, path, res.StatusCode, err)
	}
	return out
}

// publish creates a bulletin, starts publishing it and runs the publishing job against the fake.
func publish(t *testing.T, env *apitest.Env, title string) uint64 {
	t.Helper()
	admin := env.Admin()
	id := admin.Post("/api/v1/bulletins", map[string]any{"title": title, "kind": "general", "content_markdown": "各入园企业：\n\n请加强巡查。"}).
		Want(http.StatusCreated).ID()
	admin.Post("/api/v1/bulletins/"+strconv.FormatUint(id, 10)+"/publish", nil).Want(http.StatusAccepted)
	if _, err := env.App.Worker.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPublishResultPushesASignedEventParkSafeAccepts(t *testing.T) {
	env, fake := served(t, apitest.OAToken)
	before := env.WeChat.Calls("/freepublish/submit")
	id := publish(t, env, "关于加强园区巡查的通知")
	if n := control(t, fake, http.MethodGet, "/__fake/calls?path=/freepublish/submit")["count"].(float64); int(n) != before+1 {
		t.Fatalf("calls: %v submits, want %d", n, before+1)
	}
	out := control(t, fake, http.MethodPost, "/__fake/publish-result?status=0&article_url=https://mp.weixin.qq.com/s/fake-1")
	if out["callback_status"].(float64) != http.StatusOK || int(out["publish_id"].(float64)) != before+1 {
		t.Fatalf("publish-result: %v", out)
	}
	b := env.Admin().Get("/api/v1/bulletins/" + strconv.FormatUint(id, 10)).Want(http.StatusOK)
	if b.Field("status") != "published" || b.Field("article_url") != "https://mp.weixin.qq.com/s/fake-1" {
		t.Fatalf("bulletin after the pushed event: %s", b.Body)
	}
}

func TestPublishResultWithAWrongTokenIsRefused(t *testing.T) {
	env, fake := served(t, "not-the-park-token")
	id := publish(t, env, "签名错误的回调不改变通报")
	out := control(t, fake, http.MethodPost, "/__fake/publish-result?status=0&article_url=https://mp.weixin.qq.com/s/x")
	if out["callback_status"].(float64) != http.StatusForbidden {
		t.Fatalf("callback with a wrong token: %v", out)
	}
	if s := env.Admin().Get("/api/v1/bulletins/" + strconv.FormatUint(id, 10)).Field("status"); s != "publishing" {
		t.Fatalf("status %v after a refused callback, want publishing", s)
	}
}

func TestFailMakesTheNextCallFail(t *testing.T) {
	env, fake := served(t, apitest.OAToken)
	control(t, fake, http.MethodPost, "/__fake/fail?path=/cgi-bin/draft/add&n=1&errcode=45009")
	id := publish(t, env, "配额用完时发布失败")
	b := env.Admin().Get("/api/v1/bulletins/" + strconv.FormatUint(id, 10)).Want(http.StatusOK)
	if b.Field("status") != "failed" || b.Field("error") == "" {
		t.Fatalf("bulletin after a failed draft/add: %s", b.Body)
	}
}
