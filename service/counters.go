package service

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
)

// NextInSequence hands out the next number, from 1, of the sequence name in period (a park-local day
// of hazard codes, a year of notice numbers) inside the caller's transaction tx. One upsert creates
// the counter row or increments it; on MySQL a duplicate makes it take the row's exclusive lock at
// once, so concurrent callers queue on that lock until tx ends: numbers are consecutive and never
// handed out twice, and a rolled-back caller gives its number back. SQLite serializes whole
// transactions (_txlock=immediate), which gives the same guarantee.
//
// Other ways of creating the row deadlock on InnoDB when several callers meet it, the first use of a
// day or year above all: INSERT IGNORE leaves a shared lock on the existing row that two callers
// then both wait to upgrade, and UPDATE-then-INSERT takes gap locks that block each other's inserts.
func NextInSequence(tx *gorm.DB, name, period string) (int, error) {
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}, {Name: "period"}},
		DoUpdates: clause.Assignments(map[string]any{"last": gorm.Expr("last + 1")}),
	}).Create(&model.Counter{Name: name, Period: period, Last: 1}).Error
	if err != nil {
		return 0, err
	}
	// A plain read: a transaction sees its own change, and the row is locked against any other.
	var c model.Counter
	if err := tx.Where("name = ? AND period = ?", name, period).Take(&c).Error; err != nil {
		return 0, err
	}
	return c.Last, nil
}
