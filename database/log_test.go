package database

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoggedSQLCarriesNoValues: a failing query is logged with its placeholders, not the values
// bound to them.
func TestLoggedSQLCarriesNoValues(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db, err := Open("sqlite", filepath.Join(t.TempDir(), "t.db"), log)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("SELECT * FROM no_such_table WHERE mobile = ?", "13912345678")
	out := buf.String()
	if !strings.Contains(out, "no_such_table") {
		t.Fatalf("the failing query was not logged: %s", out)
	}
	if strings.Contains(out, "13912345678") {
		t.Fatalf("a bound value reached the log: %s", out)
	}
}
