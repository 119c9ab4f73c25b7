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
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"parksafe/model"
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

// Migrate creates and upgrades every table and index.
func Migrate(db *gorm.DB) error {
	opts := db
	if db.Dialector.Name() == "mysql" {
		opts = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	}
	m := db.Migrator()
	beforeConfirmedMobiles := m.HasTable(&model.User{}) && !m.HasColumn(&model.User{}, "MobileConfirmed")
	weeklyNoticesNew := !m.HasTable(&model.WeeklyNotice{})
	blobsNew := !m.HasTable(&model.Blob{})
	if err := opts.AutoMigrate(model.All()...); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := carryOverCounters(db); err != nil {
		return fmt.Errorf("migrate: counters: %w", err)
	}
	if weeklyNoticesNew {
		// Earlier releases could generate a week's notice more than once; the first one counts.
		err := db.Exec("INSERT INTO weekly_notices (kind, week, bulletin_id) SELECT kind, week, MIN(id) FROM bulletins " +
			"WHERE kind IN ('hygiene_weekly', 'leader_weekly') AND week <> '' GROUP BY kind, week").Error
		if err != nil {
			return fmt.Errorf("migrate: weekly notices: %w", err)
		}
	}
	if blobsNew {
		// Every content hash a photo has is in the store: its row is what a deletion must hold.
		err := db.Exec("INSERT INTO blobs (sha256, created_at) SELECT sha256, MIN(created_at) FROM photos GROUP BY sha256").Error
		if err != nil {
			return fmt.Errorf("migrate: blobs: %w", err)
		}
	}
	if beforeConfirmedMobiles {
		if err := confirmOfficeMobiles(db, time.Now().UTC()); err != nil {
			return fmt.Errorf("migrate: confirm mobiles: %w", err)
		}
	}
	// Indexes that wider ones replaced: AutoMigrate adds indexes but never drops them.
	for _, name := range []string{"idx_hazards_ent_created", "idx_hazards_stats", "idx_hazards_dims", "idx_hazards_created_at", "idx_hazards_status_deadline", "idx_hazards_closed_at"} {
		if m.HasIndex(&model.Hazard{}, name) {
			if err := m.DropIndex(&model.Hazard{}, name); err != nil {
				return fmt.Errorf("migrate: drop %s: %w", name, err)
			}
		}
	}
	return nil
}

// confirmOfficeMobiles upgrades a database from before mobiles were confirmed, once. Until then every
// mobile but the first admin's placeholder was entered by the office, which is what confirms one, so
// those are confirmed. The placeholder is taken from any admin still holding it, together with the
// WeChat binding and the sessions it may have let a stranger get; the admin signs in with the
// password and enters a real mobile.
func confirmOfficeMobiles(db *gorm.DB, now time.Time) error {
	// Earlier releases gave the first admin 13800000000 or, when that was taken, 13800000001. Both are
	// real numbers: whoever has one could bind WeChat to that admin.
	placeholderMobiles := []string{"13800000000", "13800000001"}
	return db.Transaction(func(tx *gorm.DB) error {
		var ids []uint64
		if err := tx.Model(&model.User{}).Where("role = ? AND mobile IN ?", model.RoleAdmin, placeholderMobiles).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) > 0 {
			if err := tx.Model(&model.User{}).Where("id IN ?", ids).Updates(map[string]any{
				"mobile": nil, "open_id": nil, "union_id": nil,
				"auth_version": gorm.Expr("auth_version + 1"), "version": gorm.Expr("version + 1"),
			}).Error; err != nil {
				return err
			}
			if err := tx.Model(&model.RefreshToken{}).Where("user_id IN ? AND revoked_at IS NULL", ids).Update("revoked_at", now).Error; err != nil {
				return err
			}
		}
		return tx.Model(&model.User{}).Where("mobile IS NOT NULL").Update("mobile_confirmed", true).Error
	})
}

// carryOverCounters moves the numbers of the per-day hazard code and per-year notice number tables
// of earlier releases into counters and drops those tables, so that codes and numbers continue
// where they stopped. A row counters has already is kept: it was written by this release.
func carryOverCounters(db *gorm.DB) error {
	for _, old := range []struct{ table, period, name string }{
		{"hazard_day_seqs", "day", model.CounterHazardCode},
		{"bulletin_number_seqs", "year", model.CounterBulletinNumber},
	} {
		if !db.Migrator().HasTable(old.table) {
			continue
		}
		var rows []struct {
			Period string
			Last   int
		}
		if err := db.Table(old.table).Select(old.period + " AS period, last").Scan(&rows).Error; err != nil {
			return err
		}
		counters := make([]model.Counter, len(rows))
		for i, r := range rows {
			counters[i] = model.Counter{Name: old.name, Period: r.Period, Last: r.Last}
		}
		if len(counters) > 0 {
			if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(counters, 500).Error; err != nil {
				return err
			}
		}
		if err := db.Migrator().DropTable(old.table); err != nil {
			return err
		}
	}
	return nil
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
