package database_test

import (
	"testing"

	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type hazardDaySeq struct {
	Day  string `gorm:"primaryKey;size:8"`
	Last int    `gorm:"not null"`
}

type bulletinNumberSeq struct {
	Year int `gorm:"primaryKey;autoIncrement:false"`
	Last int `gorm:"not null"`
}

// TestMigrateCarriesNumbersOver: a database of an earlier release keeps its hazard codes and notice
// numbers going (the old per-day and per-year tables move into counters), and of the weekly notices
// it generated more than once per week the first becomes that week's notice.
func TestMigrateCarriesNumbersOver(t *testing.T) {
	db := dbtest.Open(t)
	m := db.Migrator()
	// A database of an earlier release has no migration versions, nor the tables migrations after the
	// baseline made.
	if err := m.DropTable(database.VersionTable, &model.WeeklyNotice{}, &model.Blob{}); err != nil {
		t.Fatal(err)
	}
	if err := m.AutoMigrate(&hazardDaySeq{}, &bulletinNumberSeq{}); err != nil {
		t.Fatal(err)
	}
	db.Create(&hazardDaySeq{Day: "20260508", Last: 7})
	db.Create(&bulletinNumberSeq{Year: 2026, Last: 48})
	// This release already numbered a hazard of another day; that row stays.
	db.Create(&model.Counter{Name: model.CounterHazardCode, Period: "20260509", Last: 2})
	var ids []uint64
	for _, b := range []model.Bulletin{
		{Title: "第19周", Kind: model.BulletinHygieneWeekly, Week: "2026-W19", Status: model.BulletinDraft},
		{Title: "第19周（重复）", Kind: model.BulletinHygieneWeekly, Week: "2026-W19", Status: model.BulletinDraft},
		{Title: "通知", Kind: model.BulletinGeneral, Status: model.BulletinDraft},
	} {
		if err := db.Create(&b).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}

	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
	var counters []model.Counter
	db.Order("name, period").Find(&counters)
	want := []model.Counter{{Name: model.CounterBulletinNumber, Period: "2026", Last: 48},
		{Name: model.CounterHazardCode, Period: "20260508", Last: 7}, {Name: model.CounterHazardCode, Period: "20260509", Last: 2}}
	if len(counters) != len(want) {
		t.Fatalf("counters %+v, want %+v", counters, want)
	}
	for i := range want {
		if counters[i] != want[i] {
			t.Fatalf("counters %+v, want %+v", counters, want)
		}
	}
	if m.HasTable("hazard_day_seqs") || m.HasTable("bulletin_number_seqs") {
		t.Fatal("the old counter tables are still there")
	}
	var notices []model.WeeklyNotice
	db.Find(&notices)
	if len(notices) != 1 || notices[0] != (model.WeeklyNotice{Kind: model.BulletinHygieneWeekly, Week: "2026-W19", BulletinID: ids[0]}) {
		t.Fatalf("weekly notices %+v, want the first of week 19 only", notices)
	}
	// Migrating again changes nothing.
	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
}
