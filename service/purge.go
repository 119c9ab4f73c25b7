package service

import (
	"context"

	"gorm.io/gorm"
)

// purgeBatch bounds one DELETE of a purge, so that a first purge of a large backlog never holds locks
// on a busy table for long.
const purgeBatch = 1000

// PurgeBatched deletes the rows of m matching where, purgeBatch at a time, and returns how many it
// deleted. Each area purges the rows of its own tables that no longer matter this way. It selects
// ids first because neither MySQL (LIMIT in an IN subquery) nor SQLite (DELETE … LIMIT) offers a
// portable bounded delete.
func PurgeBatched(ctx context.Context, db *gorm.DB, m any, where string, args ...any) (int64, error) {
	var total int64
	for {
		var ids []uint64
		if err := db.WithContext(ctx).Model(m).Where(where, args...).Order("id").Limit(purgeBatch).Pluck("id", &ids).Error; err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		res := db.WithContext(ctx).Where("id IN ?", ids).Delete(m)
		if res.Error != nil {
			return total, res.Error
		}
		total += res.RowsAffected
		if len(ids) < purgeBatch {
			return total, nil
		}
	}
}
