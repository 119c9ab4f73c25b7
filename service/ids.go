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

// UniqueIDs drops repeated ids, keeping the first of each in order. It takes a set rather than a
// scan of what it kept: the ids come from request bodies, and a megabyte of distinct ids cost
// seconds of CPU quadratically.
func UniqueIDs(ids []uint64) []uint64 {
	out := make([]uint64, 0, len(ids))
	seen := make(map[uint64]struct{}, len(ids))
	for _, id := range ids {
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	return out
}
