package service

import (
	"context"
	"errors"
	"testing"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
)

// TestTransactRunsAgainAfterADeadlock: a transaction the database rolled back as a deadlock victim
// runs again from the start and commits once; anything else is returned at once, and a deadlock
// that keeps recurring is returned after a bounded number of runs.
func TestTransactRunsAgainAfterADeadlock(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	deadlock := &mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}

	runs := 0
	err := Transact(ctx, db, func(tx *gorm.DB) error {
		runs++
		if _, err := NextInSequence(tx, "test", "p"); err != nil {
			return err
		}
		if runs < 3 {
			return deadlock
		}
		return nil
	})
	var c model.Counter
	db.Where("name = ? AND period = ?", "test", "p").Take(&c)
	if err != nil || runs != 3 || c.Last != 1 {
		t.Fatalf("after two deadlocks: err %v, %d runs, counter %d (want nil, 3, 1)", err, runs, c.Last)
	}

	runs = 0
	bug := errors.New("a bug")
	if err := Transact(ctx, db, func(*gorm.DB) error { runs++; return bug }); !errors.Is(err, bug) || runs != 1 {
		t.Fatalf("an ordinary error: %v after %d runs", err, runs)
	}
	runs = 0
	if err := Transact(ctx, db, func(*gorm.DB) error { runs++; return deadlock }); !database.Retryable(err) || runs != maxTxAttempts {
		t.Fatalf("a lasting deadlock: %v after %d runs", err, runs)
	}
}
