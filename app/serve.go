package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Serve answers HTTP on ln and runs the background jobs until ctx ends, then stops taking new
// connections and lets the requests in flight finish (within Config.ShutdownTimeout) before it
// returns. With METRICS_ADDR set it serves /metrics there too, on an address of its own so that
// whoever can reach the API cannot read the service's internals.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("METRICS_ADDR: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics)
		metrics := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
		go func() {
			if err := metrics.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.Log.Error("metrics server stopped", "err", err)
			}
		}()
		defer metrics.Close()
		a.Log.Info("metrics are served", "addr", mln.Addr().String()+"/metrics")
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // photo uploads on slow plant networks
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	jobs := make(chan error, 1)
	go func() { jobs <- a.Run(ctx) }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down; finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if jerr := <-jobs; jerr != nil && !errors.Is(jerr, context.Canceled) {
		a.Log.Error("background jobs", "err", jerr)
	}
	return err
}
