package app_test

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"parksafe/app"
	"parksafe/config"
)

func TestUnknownSubscribeEventStopsTheStart(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATA_DIR": dir, "DB_DSN": filepath.Join(dir, "t.db"), "WECHAT_SUBSCRIBE_TEMPLATES": "hazard_asigned=tpl-1"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err == nil {
		a.Close()
		t.Fatal("a misspelt event was accepted")
	}
	if !strings.HasPrefix(err.Error(), "WECHAT_SUBSCRIBE_TEMPLATES:") {
		t.Fatalf("error does not name the variable: %v", err)
	}
}
