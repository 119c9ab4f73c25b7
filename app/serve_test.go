package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"parksafe/apitest"
)

// TestServeFinishesRequestsInFlight stops the server while a phone is still sending a request: the
// request completes and is answered, and only then does Serve return; new connections are refused.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	env := apitest.New(t)
	token := env.Admin().Token
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- env.App.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String()

	body, send := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/enterprises", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	answered := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("request in flight: %v", err)
			close(answered)
			return
		}
		answered <- res
	}()
	send.Write([]byte(`{"name": "停机测试化工有限公司", "uscc": "` + env.USCC() + `", `))
	time.Sleep(100 * time.Millisecond) // the request is being read
	stop()
	select {
	case err := <-served:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("a new connection was accepted while shutting down")
	}
	send.Write([]byte(`"kind": "chemical_other", "principal_name": "王", "principal_mobile": "` + env.Mobile() + `"}`))
	send.Close()
	res, ok := <-answered
	if !ok {
		return
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("request in flight: status %d", res.StatusCode)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the last request")
	}
}
