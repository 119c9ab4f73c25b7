package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
)

// upgradeLegacy brings a database made before versioned migrations to the baseline (00001) with the
// steps those releases ran at every start: AutoMigrate, their one-off data steps, and the drop of the
// indexes that wider ones replaced.
//
// It migrates the models of the baseline's tables as they are (baselineModels). While they match
// the baseline that is the baseline; a migration that changes one of those tables after it must pin
// these steps to the baseline's columns, which TestMigrateUpgradesADatabaseOfEarlierReleases would
// otherwise report by failing.
func upgradeLegacy(db *gorm.DB) error {
	opts := db
	if db.Dialector.Name() == "mysql" {
		opts = db.Set("gorm:table_options", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
	}
	m := db.Migrator()
	// Every database this upgrade sees was written by a release before confirmed mobiles (it has no
	// version table yet), so its mobiles were all entered by the office. Deciding by the data rather
	// than by the column also finishes an upgrade that stopped after adding the column.
	hadUsers := m.HasTable(&model.User{})
	weeklyNoticesNew := !m.HasTable(&model.WeeklyNotice{})
	if err := opts.AutoMigrate(baselineModels()...); err != nil {
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
	if hadUsers {
		if err := confirmOfficeMobiles(db, time.Now().UTC()); err != nil {
			return fmt.Errorf("migrate: confirm mobiles: %w", err)
		}
	}
	// The indexes later migrations add to the baseline's tables, AutoMigrate of today's models made
	// too: taken away again, so that the database is at the baseline and those migrations run as on
	// any other.
	for _, ix := range afterBaseline {
		if m.HasIndex(ix.table, ix.name) {
			if err := m.DropIndex(ix.table, ix.name); err != nil {
				return fmt.Errorf("migrate: drop %s: %w", ix.name, err)
			}
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

// baselineModels lists the models whose tables the baseline has: the tables that later migrations
// create are theirs to create (and fill) after it.
func baselineModels() []any {
	var out []any
	for _, m := range model.All() {
		switch m.(type) {
		case *model.Blob, // 00003
			*model.HazardTerm, *model.HazardWeekTally: // 00004
			continue
		}
		out = append(out, m)
	}
	return out
}

// afterBaseline are the indexes that migrations after the baseline add to its tables.
var afterBaseline = []struct {
	table any
	name  string
}{
	{&model.Hazard{}, "idx_hz_created"}, {&model.Hazard{}, "idx_hz_ent_created"}, {&model.Hazard{}, "idx_hz_ent_deadline"},
	{&model.Hazard{}, "idx_hz_ent_status_deadline"}, {&model.Hazard{}, "idx_hz_status_deadline"},
	{&model.Hazard{}, "idx_hz_level_created"}, {&model.Hazard{}, "idx_hz_level_deadline"},
	{&model.Hazard{}, "idx_hz_category_created"}, {&model.Hazard{}, "idx_hz_category_deadline"},
	{&model.Hazard{}, "idx_hz_source_created"}, {&model.Hazard{}, "idx_hz_source_deadline"},
	{&model.Notification{}, "idx_notifications_user_unread"},
	{&model.HygieneCheck{}, "idx_hygiene_checks_ent_date"}, {&model.HygieneCheck{}, "idx_hygiene_checks_passed_date"},
	{&model.LeaderInspection{}, "idx_leader_inspections_on_time_week"},
	{&model.Interview{}, "idx_interviews_ent_scheduled"}, {&model.Interview{}, "idx_interviews_status_scheduled"},
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
