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
// numbers going: the old per-day and per-year tables move into counters.
func TestMigrateCarriesNumbersOver(t *testing.T) {
	db := dbtest.Open(t)
	m := db.Migrator()
	if err := m.AutoMigrate(&hazardDaySeq{}, &bulletinNumberSeq{}); err != nil {
		t.Fatal(err)
	}
	db.Create(&hazardDaySeq{Day: "20260508", Last: 7})
	db.Create(&bulletinNumberSeq{Year: 2026, Last: 48})
	// This release already numbered a hazard of another day; that row stays.
	db.Create(&model.Counter{Name: model.CounterHazardCode, Period: "20260509", Last: 2})

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
	// Migrating again changes nothing.
	if err := database.Migrate(db); err != nil {
		t.Fatal(err)
	}
}
