package database

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm"
)

// migrations holds the numbered schema migrations, one directory per dialect. They only go forward:
// a release that must undo one adds the next.
//
//go:embed migrations
var migrations embed.FS

// VersionTable records which migrations a database has had (goose's table).
const VersionTable = "goose_db_version"

// migrateLock names the MySQL lock a migration holds, and migrateLockWait is how long a starting
// instance waits for another that is migrating.
const (
	migrateLock     = "parksafe_migrate"
	migrateLockWait = 10 * time.Minute
)

// Migrate brings the schema to the latest migration. On MySQL it holds GET_LOCK('parksafe_migrate')
// throughout, so that of several instances starting at once one migrates and the others wait and
// then find nothing left to do. A SQLite database belongs to the one process that opens it (a single
// instance), so it takes no lock.
//
// A database made before migrations were versioned has the tables but no version table: the
// upgrade those releases ran at every start brings it to the baseline first, and 00001, written to
// leave existing tables alone, then records it.
func Migrate(db *gorm.DB) error {
	ctx := context.Background()
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if db.Dialector.Name() == "mysql" {
		unlock, err := lockMigrations(ctx, sqlDB)
		if err != nil {
			return err
		}
		defer unlock()
	}
	m := db.Migrator()
	if !m.HasTable(VersionTable) && m.HasTable("users") {
		if err := upgradeLegacy(db); err != nil {
			return fmt.Errorf("migrate: upgrade a database of an earlier release: %w", err)
		}
	}
	p, err := provider(db)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Version reports the last migration db has had and the last one there is.
func Version(ctx context.Context, db *gorm.DB) (current, latest int64, err error) {
	p, err := provider(db)
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

// provider runs the migrations of db's dialect on db.
func provider(db *gorm.DB) (*goose.Provider, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.Dialector.Name() == "mysql" {
		dialect, dir = goose.DialectMySQL, "migrations/mysql"
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, sqlDB, fsys, goose.WithTableName(VersionTable))
}

// lockMigrations takes the migration lock on a connection of its own, which holds it until unlock
// (or until the connection dies with its process).
func lockMigrations(ctx context.Context, db *sql.DB) (unlock func(), err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", migrateLock, int(migrateLockWait/time.Second)).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	if got.Int64 != 1 {
		conn.Close()
		return nil, fmt.Errorf("migrate: another instance has held the migration lock for %s", migrateLockWait)
	}
	return func() {
		conn.ExecContext(context.Background(), "DO RELEASE_LOCK(?)", migrateLock)
		conn.Close()
	}, nil
}
