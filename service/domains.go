package service

import (
	"context"

	"gorm.io/gorm"
)

// Transact is transact for the domain packages under service/ (service/filing), which get it through
// their constructors: the same retries and the same fencing of an idempotency claim as every
// transaction of this package.
func Transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	return transact(ctx, db, fn)
}

// NextInSequence is nextInSequence for the domain packages under service/.
func NextInSequence(tx *gorm.DB, name, period string) (int, error) {
	return nextInSequence(tx, name, period)
}
