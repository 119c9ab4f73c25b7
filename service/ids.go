package service

import (
	"math"
	"strconv"
)

// MaxID is the largest record id. Ids are BIGINT columns (signed on SQLite) and database/sql refuses
// uint64 arguments above math.MaxInt64 with an error, so a larger number can name no record and
// must be turned away before it reaches a query.
const MaxID = math.MaxInt64

// ValidID reports whether id could name a record.
func ValidID(id uint64) bool { return id > 0 && id <= MaxID }

// ParseID reads a record id from text: a decimal number from 1 to MaxID.
func ParseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && ValidID(id)
}
