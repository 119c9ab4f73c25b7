// Package dbtest gives each test a fresh database: a SQLite file in the test's temporary directory
// by default, or, when TEST_MYSQL_DSN is set, a new MySQL/MariaDB database that is dropped afterwards.
//
// On MySQL the schema is migrated once per test process into a template database and copied into
// each test's database with CREATE TABLE … LIKE (and the migration versions with it), which is much
// faster than migrating every time.
package dbtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"parksafe/database"
)

// EnvDSN names the environment variable that switches the tests to MySQL.
const EnvDSN = "TEST_MYSQL_DSN"

// Open returns a migrated, empty database for t, closed (and on MySQL dropped) when t ends.
func Open(t testing.TB) *gorm.DB {
	t.Helper()
	driver, dsn := Fresh(t)
	db, err := database.Open(driver, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	if driver == "sqlite" {
		if err := database.Migrate(db); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db
}

// Fresh creates an empty database for t and returns its driver and DSN without opening it, for tests
// that start the whole application. On MySQL the tables already exist (copied from the template).
func Fresh(t testing.TB) (driver, dsn string) {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		return "sqlite", filepath.Join(t.TempDir(), "test.db")
	}
	tmpl, err := template(base)
	if err != nil {
		t.Fatalf("prepare template database: %v", err)
	}
	admin, name := create(t, base)
	for _, table := range tmpl.tables {
		if err := admin.Exec(fmt.Sprintf("CREATE TABLE `%s`.`%s` LIKE `%s`.`%s`", name, table, tmpl.name, table)).Error; err != nil {
			t.Fatalf("copy table %s: %v", table, err)
		}
	}
	// The copy is as migrated as the template: a test that migrates it finds nothing to do.
	if err := admin.Exec(fmt.Sprintf("INSERT INTO `%s`.`%s` SELECT * FROM `%s`.`%s`", name, database.VersionTable, tmpl.name, database.VersionTable)).Error; err != nil {
		t.Fatalf("copy migration versions: %v", err)
	}
	return "mysql", dsnFor(t, base, name)
}

// Empty creates a database for t with no tables at all and returns its driver and DSN, for tests of
// the migrations themselves. On MySQL it is dropped when t ends.
func Empty(t testing.TB) (driver, dsn string) {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		return "sqlite", filepath.Join(t.TempDir(), "empty.db")
	}
	_, name := create(t, base)
	return "mysql", dsnFor(t, base, name)
}

// create makes a new, empty MySQL database for t on base's server, dropped when t ends, and returns
// a connection to the server and the database's name.
func create(t testing.TB, base string) (admin *gorm.DB, name string) {
	t.Helper()
	name = "parksafe_test_" + randomHex(6)
	admin = adminDB(t, base)
	if err := admin.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`").Error; err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	return admin, name
}

// dsnFor is base's DSN for database name, with the parameters ParkSafe needs.
func dsnFor(t testing.TB, base, name string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvDSN, err)
	}
	cfg.DBName = name
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.ParseTime = true
	if _, ok := cfg.Params["charset"]; !ok {
		cfg.Params["charset"] = "utf8mb4"
	}
	return cfg.FormatDSN()
}

type templateDB struct {
	name   string
	tables []string
}

var (
	tmplOnce sync.Once
	tmplVal  templateDB
	tmplErr  error
)

// template migrates one database per test process. Its name carries the process id: Main drops it
// when the package's tests end, and a template left by a killed process is dropped on next use.
func template(base string) (templateDB, error) {
	tmplOnce.Do(func() {
		tmplVal, tmplErr = buildTemplate(base)
	})
	return tmplVal, tmplErr
}

func buildTemplate(base string) (templateDB, error) {
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		return templateDB{}, err
	}
	admin, err := database.Open("mysql", base, slog.New(slog.DiscardHandler))
	if err != nil {
		return templateDB{}, err
	}
	defer closeDB(admin)
	// Templates of earlier, finished test processes are dropped here; a running process's template
	// is kept because its name carries a live pid.
	var names []string
	admin.Raw("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'parksafe_tmpl\\_%'").Scan(&names)
	for _, n := range names {
		var pid int
		if _, err := fmt.Sscanf(strings.TrimPrefix(n, "parksafe_tmpl_"), "%d", &pid); err == nil && !processAlive(pid) {
			admin.Exec("DROP DATABASE IF EXISTS `" + n + "`")
		}
	}
	name := fmt.Sprintf("parksafe_tmpl_%d", os.Getpid())
	if err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`").Error; err != nil {
		return templateDB{}, err
	}
	if err := admin.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		return templateDB{}, err
	}
	cfg.DBName = name
	cfg.ParseTime = true
	db, err := database.Open("mysql", cfg.FormatDSN(), slog.New(slog.DiscardHandler))
	if err != nil {
		return templateDB{}, err
	}
	defer closeDB(db)
	if err := database.Migrate(db); err != nil {
		return templateDB{}, err
	}
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return templateDB{}, err
	}
	return templateDB{name: name, tables: tables}, nil
}

// Main runs a package's tests and then drops the process's MySQL template database, if one was made.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if base := os.Getenv(EnvDSN); base != "" && tmplVal.name != "" {
		if db, err := database.Open("mysql", base, slog.New(slog.DiscardHandler)); err == nil {
			db.Exec("DROP DATABASE IF EXISTS `" + tmplVal.name + "`")
			closeDB(db)
		}
	}
	os.Exit(code)
}

func adminDB(t testing.TB, base string) *gorm.DB {
	t.Helper()
	db, err := database.Open("mysql", base, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvDSN, err)
	}
	t.Cleanup(func() { closeDB(db) })
	return db
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func processAlive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
