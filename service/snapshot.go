package service

import (
	"database/sql"

	"gorm.io/gorm"
)

// Snapshot runs fn in a read-only transaction, so that figures made of several reads agree with each
// other. Read-only matters on SQLite: it begins deferred, so the snapshot takes no write lock (every
// other transaction begins immediate), and writers carry on while a long count runs.
func Snapshot(db *gorm.DB, fn func(tx *gorm.DB) error) error {
	return db.Transaction(fn, &sql.TxOptions{ReadOnly: true})
}
