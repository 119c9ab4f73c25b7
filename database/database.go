// Package database opens ParkSafe's database on SQLite or MySQL and keeps its schema current.
package database

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open connects to the database. SQLite runs in WAL mode with a busy timeout and immediate
// transactions, which is what it needs to serve concurrent requests without "database is locked";
// MySQL gets a bounded pool and GORM's error translation so that duplicate keys arrive as
// gorm.ErrDuplicatedKey on both engines.
func Open(driver, dsn string, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		TranslateError: true,
		// References are checked by the services; database-level foreign keys would make the
		// enterprise↔cadre cycle unmigratable and are not copied by CREATE TABLE … LIKE in tests.
		DisableForeignKeyConstraintWhenMigrating: true,
		NowFunc:                                  func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		Logger:                                   newGormLogger(log),
	}
	var dial gorm.Dialector
	switch driver {
	case "sqlite":
		if dir := filepath.Dir(dsn); dir != "." && !strings.HasPrefix(dsn, "file:") {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		dial = sqlite.Open(sqliteDSN(dsn))
	case "mysql":
		cfg, err := mysqldrv.ParseDSN(dsn)
		if err != nil {
			return nil, fmt.Errorf("DB_DSN: %w", err)
		}
		// Without interpolation every query with arguments is a prepare, an execute and a close:
		// three round trips instead of one. It is only unsafe with multibyte charsets such as GBK.
		if cs := cfg.Params["charset"]; cs == "" || strings.HasPrefix(cs, "utf8") {
			cfg.InterpolateParams = true
		}
		dial = mysql.New(mysql.Config{DSNConfig: cfg})
	default:
		return nil, fmt.Errorf("unknown DB_DRIVER %q", driver)
	}
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if driver == "sqlite" {
		// Readers run side by side under WAL; writers queue on the busy timeout because every
		// transaction takes the write lock at BEGIN (_txlock=immediate).
		sqlDB.SetMaxOpenConns(8)
	} else {
		sqlDB.SetMaxOpenConns(50)
		sqlDB.SetMaxIdleConns(25)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("reach %s database: %w", driver, err)
	}
	return db, nil
}

func sqliteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// gormLogger sends slow queries and real errors to slog and stays quiet about "record not found",
// which is an ordinary answer here.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return gormLogger{log: log, slow: 500 * time.Millisecond}
}

func (g gormLogger) LogMode(logger.LogLevel) logger.Interface { return g }

// ParamsFilter keeps bound values out of logged SQL: they carry phone numbers, openids, password and
// token hashes and notice text, none of which belongs in a log line.
func (g gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (g gormLogger) Info(ctx context.Context, msg string, args ...any) {
	g.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (g gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (g gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}
func (g gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && err != gorm.ErrRecordNotFound && err != context.Canceled:
		sql, rows := fc()
		g.log.DebugContext(ctx, "sql error", "err", err, "sql", truncate(sql), "rows", rows, "ms", elapsed.Milliseconds())
	case elapsed > g.slow:
		sql, rows := fc()
		g.log.WarnContext(ctx, "slow sql", "sql", truncate(sql), "rows", rows, "ms", elapsed.Milliseconds())
	}
}

func truncate(s string) string {
	if len(s) > 500 {
		return s[:500] + "…"
	}
	return s
}
