package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"parksafe/apitest"
)

// freeAddr returns a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMetricsServedOnlyOnMetricsAddr serves the API and METRICS_ADDR: the metrics answer on the
// latter, with the API's request counts, and the API's address has no /metrics.
func TestMetricsServedOnlyOnMetricsAddr(t *testing.T) {
	metricsAddr := freeAddr(t)
	env := apitest.New(t, apitest.WithEnv("METRICS_ADDR", metricsAddr))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.App.Serve(ctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	get := func(url string) (int, string) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	api := "http://" + ln.Addr().String()
	if status, _ := get(api + "/healthz"); status != http.StatusOK {
		t.Fatalf("healthz: %d", status)
	}
	if status, body := get(api + "/metrics"); status != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics on the API's address: %d %.200s", status, body)
	}
	// Serve listens on METRICS_ADDR before it serves the API, which has answered.
	status, body := get("http://" + metricsAddr + "/metrics")
	for _, want := range []string{`parksafe_http_requests_total{method="GET",route="/healthz",status="200"} 1`, "go_goroutines", "process_"} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("metrics (%d) lack %s", status, want)
		}
	}
}
