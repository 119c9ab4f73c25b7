package database_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
)

// openEmpty opens a database for t that has no tables at all.
func openEmpty(t *testing.T) *gorm.DB {
	t.Helper()
	driver, dsn := dbtest.Empty(t)
	return openDSN(t, driver, dsn)
}

// openDSN opens a connection pool of its own to the database dsn names, closed when t ends.
func openDSN(t *testing.T, driver, dsn string) *gorm.DB {
	t.Helper()
	db, err := database.Open(driver, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db
}

// loadDump opens an empty database and fills it from the dump the previous release's code made of a
// small park (testdata/legacy-<engine>.sql): that release's schema and rows, without migration
// versions.
func loadDump(t *testing.T) *gorm.DB {
	t.Helper()
	db := openEmpty(t)
	loadInto(t, db)
	return db
}

// loadInto fills the empty database db from the dump of its engine.
func loadInto(t *testing.T, db *gorm.DB) {
	t.Helper()
	engine := map[string]string{"sqlite": "sqlite", "mysql": "mysql"}[db.Dialector.Name()]
	dump, err := os.ReadFile(filepath.Join("testdata", "legacy-"+engine+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	if engine == "sqlite" {
		if err := db.Exec(string(dump)).Error; err != nil {
			t.Fatalf("load dump: %v", err)
		}
		return
	}
	// One statement a line or more, each ending its last line with a semicolon; the dump writes one
	// row an INSERT and escapes line breaks inside values.
	var stmt strings.Builder
	for _, line := range strings.Split(string(dump), "\n") {
		stmt.WriteString(line)
		stmt.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if err := db.Exec(stmt.String()).Error; err != nil {
				t.Fatalf("load dump: %v\n%s", err, stmt.String())
			}
			stmt.Reset()
		}
	}
}

// rowCounts counts the rows of every table of db but the migration versions.
func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, table := range tables {
		if table == database.VersionTable || table == "sqlite_sequence" {
			continue
		}
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// wantCurrent fails t unless db has had every migration there is.
func wantCurrent(t *testing.T, db *gorm.DB) {
	t.Helper()
	current, latest, err := database.Version(context.Background(), db)
	if err != nil || current != latest || latest < 2 {
		t.Fatalf("schema version %d of %d (%v)", current, latest, err)
	}
}

// TestMigrateUpgradesADatabaseOfEarlierReleases: a database the previous release made, with a
// park's worth of rows and no migration versions, is upgraded in place: every row is kept (but for
// the queued job of the purge each area has taken over), the migrations are recorded as done, the
// schema is the models', and migrating again changes nothing.
func TestMigrateUpgradesADatabaseOfEarlierReleases(t *testing.T) {
	db := loadDump(t)
	before := rowCounts(t, db)
	if before["hazards"] == 0 || before["notifications"] == 0 || before["photo_links"] == 0 || before["bulletins"] == 0 {
		t.Fatalf("the dump holds too little to tell: %v", before)
	}
	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
	wantCurrent(t, db)
	after := rowCounts(t, db)
	for table, n := range before {
		if table == "jobs" {
			n--
		}
		if after[table] != n {
			t.Errorf("%s: %d rows after the upgrade, want %d", table, after[table], n)
		}
	}
	var h model.Hazard
	if err := db.Preload("Enterprise").Where("code = ?", "YH-20260508-0001").Take(&h).Error; err != nil ||
		h.Title != "灭火器压力不足" || h.Status != model.HazardPendingVerify || h.Enterprise == nil || h.Enterprise.Name != "龙池石化有限公司" {
		t.Fatalf("hazard after the upgrade: %+v (%v)", h, err)
	}
	var b model.Bulletin
	if err := db.Where("number = ?", "龙池园区安环〔2026〕1号").Take(&b).Error; err != nil || b.ContentHTML == nil || !strings.Contains(b.ContentMarkdown, "门口堆放纸箱") {
		t.Fatalf("weekly notice after the upgrade: %+v (%v)", b, err)
	}
	var inspector model.User
	if err := db.Where("username = ?", "zhangjg").Take(&inspector).Error; err != nil || !inspector.MobileConfirmed || inspector.PasswordHash == "" {
		t.Fatalf("account after the upgrade: %+v (%v)", inspector, err)
	}
	// Each content hash of the photos has the row that uploads and deletions of its bytes hold.
	var hashes, blobs int64
	db.Model(&model.Photo{}).Distinct("sha256").Count(&hashes)
	db.Model(&model.Blob{}).Count(&blobs)
	if hashes == 0 || blobs != hashes {
		t.Fatalf("%d blob rows for %d content hashes", blobs, hashes)
	}
	var left int64
	db.Model(&model.Job{}).Where("kind = ?", "retention.purge").Count(&left)
	if left != 0 {
		t.Fatalf("%d jobs of the retired purge are left", left)
	}
	compareSchemas(t, db, modelled(t))
	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
	if again := rowCounts(t, db); !equalCounts(again, after) {
		t.Fatalf("migrating again changed rows: %v, was %v", again, after)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// modelled returns an empty database with the schema the models describe, as AutoMigrate makes it.
func modelled(t *testing.T) *gorm.DB {
	t.Helper()
	db := openEmpty(t)
	if db.Dialector.Name() == "mysql" {
		db = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	}
	if err := db.AutoMigrate(model.All()...); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestMigrationsMatchTheModels: a database migrated from nothing has exactly the tables, columns and
// indexes the models describe, and AutoMigrate over it would change nothing. A model changed without
// a migration, or a migration without its model, fails here.
func TestMigrationsMatchTheModels(t *testing.T) {
	db := openEmpty(t)
	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
	wantCurrent(t, db)
	compareSchemas(t, db, modelled(t))

	rec := &ddlRecorder{}
	opts := db.Session(&gorm.Session{Logger: rec})
	if db.Dialector.Name() == "mysql" {
		opts = opts.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	}
	if err := opts.AutoMigrate(model.All()...); err != nil {
		t.Fatal(err)
	}
	if len(rec.ddl) > 0 {
		t.Fatalf("AutoMigrate would still change the migrated schema:\n%s", strings.Join(rec.ddl, "\n"))
	}
}

// compareSchemas fails t where got's tables, columns or indexes differ from want's.
func compareSchemas(t *testing.T, got, want *gorm.DB) {
	t.Helper()
	describe := func(db *gorm.DB) map[string][]string {
		tables, err := db.Migrator().GetTables()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, table := range tables {
			if table == database.VersionTable || table == "sqlite_sequence" {
				continue
			}
			cols, err := db.Migrator().ColumnTypes(table)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, c := range cols {
				full, _ := c.ColumnType()
				null, _ := c.Nullable()
				def, hasDef := c.DefaultValue()
				pk, _ := c.PrimaryKey()
				lines = append(lines, fmt.Sprintf("column %s %s null=%v default=%v:%q pk=%v", c.Name(), strings.ToLower(full), null, hasDef, def, pk))
			}
			indexes, err := db.Migrator().GetIndexes(table)
			if err != nil {
				t.Fatal(err)
			}
			for _, ix := range indexes {
				unique, _ := ix.Unique()
				primary, _ := ix.PrimaryKey()
				lines = append(lines, fmt.Sprintf("index %s %v unique=%v primary=%v", ix.Name(), ix.Columns(), unique, primary))
			}
			slices.Sort(lines)
			out[table] = lines
		}
		return out
	}
	g, w := describe(got), describe(want)
	for table, lines := range w {
		if slices.Equal(g[table], lines) {
			continue
		}
		for _, l := range g[table] {
			if !slices.Contains(lines, l) {
				t.Errorf("table %s: migrated but not modelled: %s", table, l)
			}
		}
		for _, l := range lines {
			if !slices.Contains(g[table], l) {
				t.Errorf("table %s: modelled but not migrated: %s", table, l)
			}
		}
	}
	for table := range g {
		if _, ok := w[table]; !ok {
			t.Errorf("table %s is migrated but no model describes it", table)
		}
	}
}

// ddlRecorder is a GORM logger that keeps the statements that would change the schema.
type ddlRecorder struct {
	mu  sync.Mutex
	ddl []string
}

func (r *ddlRecorder) LogMode(logger.LogLevel) logger.Interface { return r }
func (r *ddlRecorder) Info(context.Context, string, ...any)     {}
func (r *ddlRecorder) Warn(context.Context, string, ...any)     {}
func (r *ddlRecorder) Error(context.Context, string, ...any)    {}
func (r *ddlRecorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	word := strings.ToUpper(strings.Fields(sql + " x")[0])
	if word == "CREATE" || word == "ALTER" || word == "DROP" || word == "RENAME" {
		r.mu.Lock()
		r.ddl = append(r.ddl, sql)
		r.mu.Unlock()
	}
}

// TestConcurrentStartsMigrateOnce: instances starting at once on one MySQL database, empty or made
// by an earlier release, migrate it once between them: every start succeeds and each migration is
// recorded once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	if os.Getenv(dbtest.EnvDSN) == "" {
		t.Skip("a SQLite database belongs to one instance; the migration lock is MySQL's")
	}
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "empty", true: "earlier release"}[legacy], func(t *testing.T) {
			driver, dsn := dbtest.Empty(t)
			first := openDSN(t, driver, dsn)
			if legacy {
				loadInto(t, first)
			}
			var weekly int64
			first.Model(&model.Bulletin{}).Where("week <> ''").Count(&weekly)
			const starts = 4
			dbs := []*gorm.DB{first}
			for range starts - 1 {
				dbs = append(dbs, openDSN(t, driver, dsn))
			}
			errs := make([]error, starts)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, db := range dbs {
				wg.Go(func() {
					<-start
					errs[i] = database.Migrate(db)
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("start %d: %v", i, err)
				}
			}
			var rows []struct {
				VersionID int64
				N         int64
			}
			first.Table(database.VersionTable).Select("version_id, COUNT(*) AS n").Where("version_id > 0").Group("version_id").Order("version_id").Scan(&rows)
			if len(rows) < 2 {
				t.Fatalf("versions recorded: %+v", rows)
			}
			for i, r := range rows {
				if r.VersionID != int64(i+1) || r.N != 1 {
					t.Fatalf("versions recorded: %+v; want each of 1..%d once", rows, len(rows))
				}
			}
			wantCurrent(t, first)
			var notices int64
			first.Model(&model.WeeklyNotice{}).Count(&notices)
			if legacy && notices != weekly {
				t.Fatalf("%d weekly notices for %d weekly bulletins", notices, weekly)
			}
		})
	}
}
