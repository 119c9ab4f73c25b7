package identity

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestLimitersRemember: a remembered key lasts its time to live from the latest Remember, in every
// limiter.
func TestLimitersRemember(t *testing.T) {
	ctx := context.Background()
	const ttl = 30 * 24 * time.Hour
	for name, tc := range limiters(t) {
		t.Run(name, func(t *testing.T) {
			l := tc.l
			if ok, err := l.Remembered(ctx, "seen"); err != nil || ok {
				t.Fatalf("remembered before Remember: %v %v", ok, err)
			}
			if err := l.Remember(ctx, "seen", ttl); err != nil {
				t.Fatal(err)
			}
			if ok, err := l.Remembered(ctx, "seen"); err != nil || !ok {
				t.Fatalf("not remembered: %v %v", ok, err)
			}
			if ok, _ := l.Remembered(ctx, "other"); ok {
				t.Fatal("another key remembered")
			}
			if tc.advance == nil {
				return
			}
			tc.advance(29 * 24 * time.Hour)
			l.Remember(ctx, "seen", ttl)
			tc.advance(29 * 24 * time.Hour)
			if ok, _ := l.Remembered(ctx, "seen"); !ok {
				t.Fatal("forgotten 29 days after it was remembered again")
			}
			tc.advance(2 * 24 * time.Hour)
			if ok, _ := l.Remembered(ctx, "seen"); ok {
				t.Fatal("still remembered 31 days after the last Remember")
			}
		})
	}
}

// TestFallbackLimiterCountsInProcessWhenPrimaryFails: a call Redis fails is made on the in-process
// limiter and logged, so that an outage limits attempts per instance instead of not at all.
func TestFallbackLimiterCountsInProcessWhenPrimaryFails(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	clock := &stepClock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	var logged bytes.Buffer
	l := NewFallbackLimiter(NewRedisLimiter(rdb, "t:"), NewMemoryLimiter(clock), slog.New(slog.NewTextHandler(&logged, nil)))
	acct := Limit{"acct", 3}

	// While Redis answers, the in-process limiter is not charged.
	if w, err := l.Reserve(ctx, time.Minute, acct); err != nil || w != 0 {
		t.Fatalf("reserve: %v %v", w, err)
	}
	if got, _ := rdb.Get(ctx, "t:acct").Int(); got != 1 {
		t.Fatalf("redis counter %d, want 1", got)
	}
	mr.SetError("ERR simulated outage")
	for i := 0; i < 3; i++ {
		if w, err := l.Reserve(ctx, time.Minute, acct); err != nil || w != 0 {
			t.Fatalf("attempt %d during the outage: %v %v", i+1, w, err)
		}
	}
	if w, err := l.Reserve(ctx, time.Minute, acct); err != nil || w == 0 {
		t.Fatalf("4th attempt during the outage: %v %v, want refused", w, err)
	}
	if err := l.Remember(ctx, "seen", time.Hour); err != nil {
		t.Fatal(err)
	}
	if ok, err := l.Remembered(ctx, "seen"); err != nil || !ok {
		t.Fatalf("remembered during the outage: %v %v", ok, err)
	}
	if err := l.Reset(ctx, "acct"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logged.String(), "simulated outage") {
		t.Fatalf("the outage was not logged: %s", logged.String())
	}
}
