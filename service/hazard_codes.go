package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
)

// nextCode hands out the next hazard code of the park-local day of now, YH-YYYYMMDD-NNNN, inside the
// creating transaction tx. The day's counter row is incremented in place (an upsert creates it for
// the day's first hazard), which takes its row lock until tx ends: concurrent reports queue on it,
// so the numbers are consecutive and unique, and a rolled-back report gives its number back.
// SQLite serializes whole transactions (_txlock=immediate), which gives the same guarantee.
func (s *Hazards) nextCode(tx *gorm.DB, now time.Time) (string, error) {
	day := s.park.DateOf(now).Format("20060102")
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "day"}},
		DoUpdates: clause.Assignments(map[string]any{"last": gorm.Expr("last + 1")}),
	}).Create(&model.HazardDaySeq{Day: day, Last: 1}).Error
	if err != nil {
		return "", err
	}
	var seq model.HazardDaySeq
	q := tx
	if tx.Dialector.Name() == "mysql" {
		// A locking read sees the row as this transaction left it, not an older snapshot.
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("day = ?", day).Take(&seq).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("YH-%s-%04d", day, seq.Last), nil
}

// inTx runs fn in a transaction and runs it again (up to 5 times) when MySQL picks it as a deadlock
// victim or its lock wait times out: InnoDB can deadlock two first-of-the-day upserts of the code
// counter, and such a transaction has changed nothing, so retrying is safe.
func (s *Hazards) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.db.WithContext(ctx).Transaction(fn)
		if !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 5 * time.Millisecond):
		}
	}
	return err
}

func retryable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}
