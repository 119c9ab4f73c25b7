package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// TestOutagesAreUnavailable: errors of a database that cannot be reached, taken from the real
// drivers, are outages; a bug or a client's duplicate is not.
func TestOutagesAreUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// A MySQL server that is not running: nothing listens on port 1.
	stopped, err := sql.Open("mysql", "root@tcp(127.0.0.1:1)/parksafe?timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	defer stopped.Close()
	refused := stopped.PingContext(ctx)

	// A pool that was closed under the application.
	db, err := Open("sqlite", filepath.Join(t.TempDir(), "closed.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.Close()
	closed := db.Exec("SELECT 1").Error

	// SQLite still locked by another writer when its busy timeout ends.
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, waiter := openRaw(t, path), openRaw(t, path)
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	_, busy := waiter.ExecContext(ctx, "CREATE TABLE u (x INTEGER)")

	for name, err := range map[string]error{
		"connection refused":  refused,
		"closed pool":         closed,
		"sqlite busy":         busy,
		"invalid connection":  fmt.Errorf("query: %w", mysql.ErrInvalidConn),
		"server shutdown":     &mysql.MySQLError{Number: 1053, Message: "Server shutdown in progress"},
		"connection killed":   &mysql.MySQLError{Number: 1927, Message: "Connection was killed"},
		"deadlock, retried":   &mysql.MySQLError{Number: 1213, Message: "Deadlock found"},
		"lock wait":           &mysql.MySQLError{Number: 1205, Message: "Lock wait timeout exceeded"},
		"read-only, failover": &mysql.MySQLError{Number: 1290, Message: "read-only"},
	} {
		if err == nil {
			t.Errorf("%s: no error to classify", name)
		} else if !Unavailable(err) {
			t.Errorf("%s: %v (%T) is not classified as an outage", name, err, err)
		}
	}
	if !Retryable(busy) {
		t.Errorf("sqlite busy is not retryable: %v", busy)
	}
	// Running again at once a transaction whose lock wait timed out waits the whole timeout again.
	if Retryable(&mysql.MySQLError{Number: 1205}) {
		t.Error("a lock wait timeout is retried")
	}
	deadline, stop := context.WithTimeout(context.Background(), time.Nanosecond)
	defer stop()
	<-deadline.Done()
	for name, err := range map[string]error{
		"duplicate key":     &mysql.MySQLError{Number: 1062, Message: "Duplicate entry"},
		"syntax":            &mysql.MySQLError{Number: 1064, Message: "You have an error in your SQL syntax"},
		"not found":         gorm.ErrRecordNotFound,
		"a bug":             errors.New("unexpected nil"),
		"nothing":           nil,
		"request deadline":  fmt.Errorf("query: %w", deadline.Err()),
		"query interrupted": &mysql.MySQLError{Number: 1317, Message: "Query execution was interrupted"},
		"packet too large":  &mysql.MySQLError{Number: 1153, Message: "Got a packet bigger than 'max_allowed_packet' bytes"},
	} {
		if Unavailable(err) || Retryable(err) {
			t.Errorf("%s: %v is classified as an outage", name, err)
		}
	}
	if !TooLarge(&mysql.MySQLError{Number: 1153}) || TooLarge(&mysql.MySQLError{Number: 1062}) {
		t.Error("TooLarge misclassifies")
	}
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(50)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}
