package service

import "testing"

// BenchmarkUniqueIDs: a megabyte of distinct photo ids in a request body (~120k) is deduplicated in
// linear time; the quadratic version took seconds of CPU per request.
func BenchmarkUniqueIDs(b *testing.B) {
	ids := make([]uint64, 120_000)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	for b.Loop() {
		if len(UniqueIDs(ids)) != len(ids) {
			b.Fatal("lost ids")
		}
	}
}

func TestUniqueIDsKeepsFirstOfEachInOrder(t *testing.T) {
	got := UniqueIDs([]uint64{3, 1, 3, 2, 1})
	if len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 2 {
		t.Fatalf("UniqueIDs = %v", got)
	}
}
