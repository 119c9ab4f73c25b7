package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve answers HTTP on ln and runs the background jobs until ctx ends, then stops taking new
// connections and lets the requests in flight finish (within Config.ShutdownTimeout) before it
// returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
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
