// Command parksafe serves the ParkSafe (园区安全管家) API.
//
//	@title						ParkSafe API (园区安全管家)
//	@version					1.0
//	@description				Safety management for a chemical industrial park: hazards and their close-out, Friday hygiene checks, Monday leader inspections and Official Account notices. Errors come as {"error": {"code", "message", "fields"}} with a real HTTP status.
//	@BasePath					/api/v1
//	@securityDefinitions.apikey	Bearer
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by the access token.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"parksafe/app"
	"parksafe/config"
	"parksafe/demo"
	"parksafe/wechat"
)

func main() {
	demoFlag := flag.Bool("demo", false, "fill an empty database with a demo park and print its sign-ins, then serve")
	flag.Parse()
	if err := run(*demoFlag); err != nil {
		fmt.Fprintln(os.Stderr, "parksafe:", err)
		os.Exit(1)
	}
}

func run(withDemo bool) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg.LogLevel)
	slog.SetDefault(log)
	if err := wechat.Setup(cfg.WeChatAPIBase, cfg.WeChatTimeout); err != nil {
		return fmt.Errorf("WECHAT_API_BASE: %w", err)
	}
	// Listening first fails fast on a taken port and tells the port that 0 picked, for the links.
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	defer ln.Close()
	if cfg.PublicBaseURLDerived {
		cfg.PublicBaseURL = config.LocalOrigin(ln.Addr().String())
	}
	start := time.Now()
	a, err := app.New(cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := a.EnsureAdmin(ctx); err != nil {
		return err
	}
	if withDemo {
		if err := demo.Seed(ctx, a, os.Stdout); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	log.Info("ParkSafe is serving", "addr", ln.Addr().String(), "db", cfg.DBDriver,
		"swagger", cfg.PublicBaseURL+"/swagger/index.html", "started_in_ms", time.Since(start).Milliseconds())
	fmt.Printf("ParkSafe 已启动: %s/swagger/index.html — sign in with POST /api/v1/auth/login as %q\n", cfg.PublicBaseURL, cfg.AdminUsername)
	return a.Serve(ctx, ln)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
}
