package service

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

// TestFailureLimiters runs the same story on the in-process and the Redis limiter: failures count up
// to the limit, the key then waits out the window, a reset forgets it, and keys are independent.
func TestFailureLimiters(t *testing.T) {
	ctx := context.Background()
	clock := &stepClock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	for name, tc := range map[string]struct {
		l       FailureLimiter
		advance func(time.Duration)
	}{
		"memory": {NewMemoryLimiter(clock), func(d time.Duration) { clock.now = clock.now.Add(d) }},
		"redis":  {NewRedisLimiter(rdb, "t:"), mr.FastForward},
	} {
		t.Run(name, func(t *testing.T) {
			l := tc.l
			for i := 0; i < 3; i++ {
				if wait, err := l.Blocked(ctx, "acct", 3); err != nil || wait != 0 {
					t.Fatalf("blocked after %d failures: %v %v", i, wait, err)
				}
				if err := l.Fail(ctx, "acct", 15*time.Minute); err != nil {
					t.Fatal(err)
				}
			}
			wait, err := l.Blocked(ctx, "acct", 3)
			if err != nil || wait <= 0 || wait > 15*time.Minute {
				t.Fatalf("not blocked after 3 failures: %v %v", wait, err)
			}
			if w, _ := l.Blocked(ctx, "other", 3); w != 0 {
				t.Fatal("another key is blocked")
			}
			tc.advance(16 * time.Minute)
			if w, _ := l.Blocked(ctx, "acct", 3); w != 0 {
				t.Fatalf("still blocked after the window: %v", w)
			}
			for i := 0; i < 3; i++ {
				l.Fail(ctx, "acct", 15*time.Minute)
			}
			if err := l.Reset(ctx, "acct"); err != nil {
				t.Fatal(err)
			}
			if w, _ := l.Blocked(ctx, "acct", 3); w != 0 {
				t.Fatal("blocked after reset")
			}
		})
	}
}
