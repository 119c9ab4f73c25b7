package service

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"parksafe/database"
)

// maxTxAttempts bounds how often Transact runs a transaction that the database refused for a
// passing reason.
const maxTxAttempts = 5

// Transact runs fn in one transaction on db, and runs it again, up to maxTxAttempts times after a
// short randomized pause, when the database rolled it back for a reason that passes by itself
// (database.Retryable: a deadlock victim, SQLite busy). Such a transaction changed nothing, so
// running it again is safe; fn must therefore start from the same inputs on every run, setting
// afresh whatever it fills in for its caller. Every service that writes does so through Transact.
//
// When ctx carries an idempotency claim (the request came with an Idempotency-Key), the transaction
// first fences it: the write commits only while the claim is still this request's, and the commit
// records that the request has written, so that a retry never runs it again.
func Transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	claim := claimOf(ctx)
	for attempt := 1; ; attempt++ {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := claim.fence(tx); err != nil {
				return err
			}
			return fn(tx)
		})
		if err == nil {
			claim.markCommitted()
			return nil
		}
		if attempt == maxTxAttempts || !database.Retryable(err) {
			return err
		}
		// Backing off by a random share keeps the transactions that collided from colliding again.
		pause := time.Duration(5<<attempt) * time.Millisecond
		pause += rand.N(pause)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// CreateUnlessDuplicate inserts row and reports false, without error, when a unique key already
// holds it. It catches the duplicate-key error rather than using ON CONFLICT DO NOTHING because
// MariaDB then answers with the existing row (RETURNING), which looks like an insert. On SQLite
// and MySQL a failed statement does not abort the surrounding transaction.
func CreateUnlessDuplicate(ctx context.Context, tx *gorm.DB, row any) (bool, error) {
	err := tx.WithContext(ctx).Create(row).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return false, nil
	}
	return err == nil, err
}

// Guarded is the outcome of an update guarded by what it was based on (WHERE id = ? AND version =
// ?): res's own error, or ErrStale when it changed no row because someone changed the record first.
func Guarded(res *gorm.DB) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrStale
	}
	return nil
}
