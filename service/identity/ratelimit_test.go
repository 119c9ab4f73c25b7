package identity

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

type limiterCase struct {
	l FailureLimiter
	// advance moves the limiter's time; nil when it cannot (a real Redis server).
	advance func(time.Duration)
}

// limiters returns the in-process limiter, the Redis one on miniredis and, when TEST_REDIS_ADDR
// names a Redis server, the Redis one on it under a key prefix of its own, removed afterwards.
func limiters(t *testing.T) map[string]limiterCase {
	clock := &stepClock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	out := map[string]limiterCase{
		"memory":    {NewMemoryLimiter(clock), func(d time.Duration) { clock.now = clock.now.Add(d) }},
		"miniredis": {NewRedisLimiter(rdb, "t:"), mr.FastForward},
	}
	if addr := os.Getenv("TEST_REDIS_ADDR"); addr != "" {
		rc := redis.NewClient(&redis.Options{Addr: addr})
		prefix := "parksafe-test:" + randomToken(9) + ":"
		t.Cleanup(func() {
			ctx := context.Background()
			keys, _ := rc.Keys(ctx, prefix+"*").Result()
			if len(keys) > 0 {
				rc.Del(ctx, keys...)
			}
			rc.Close()
		})
		out["redis"] = limiterCase{NewRedisLimiter(rc, prefix), nil}
	}
	return out
}

// TestFailureLimiters runs the same story on every limiter: attempts are charged up to the limit,
// a reservation over any limit charges none, a release gives one back, the key then waits out the
// window, a reset forgets it, and keys are independent.
func TestFailureLimiters(t *testing.T) {
	ctx := context.Background()
	const window = 15 * time.Minute
	for name, tc := range limiters(t) {
		t.Run(name, func(t *testing.T) {
			l := tc.l
			acct, other := Limit{"acct", 3}, Limit{"other", 10}
			for i := 0; i < 3; i++ {
				if wait, err := l.Reserve(ctx, window, acct); err != nil || wait != 0 {
					t.Fatalf("refused after %d attempts: %v %v", i, wait, err)
				}
			}
			wait, err := l.Reserve(ctx, window, other, acct)
			if err != nil || wait <= 0 || wait > window {
				t.Fatalf("not refused after 3 attempts: %v %v", wait, err)
			}
			// The refused reservation charged nothing, not even the key that had room.
			for i := 0; i < 10; i++ {
				if w, _ := l.Reserve(ctx, window, other); w != 0 {
					t.Fatalf("other refused at its attempt %d: the refused reservation was charged to it", i+1)
				}
			}
			if err := l.Release(ctx, "acct"); err != nil {
				t.Fatal(err)
			}
			if w, _ := l.Reserve(ctx, window, acct); w != 0 {
				t.Fatal("a released attempt was not given back")
			}
			if w, _ := l.Reserve(ctx, window, acct); w == 0 {
				t.Fatal("more attempts than the limit")
			}
			if err := l.Reset(ctx, "acct"); err != nil {
				t.Fatal(err)
			}
			if w, _ := l.Reserve(ctx, window, acct); w != 0 {
				t.Fatal("refused after reset")
			}
			// Releasing a key with nothing charged grants nothing extra.
			l.Release(ctx, "fresh")
			if w, _ := l.Reserve(ctx, window, Limit{"fresh", 1}); w != 0 {
				t.Fatal("fresh key refused")
			}
			if w, _ := l.Reserve(ctx, window, Limit{"fresh", 1}); w == 0 {
				t.Fatal("a release before any attempt granted an extra one")
			}
			if tc.advance == nil {
				return
			}
			l.Reserve(ctx, window, acct)
			l.Reserve(ctx, window, acct)
			tc.advance(window + time.Minute)
			if w, _ := l.Reserve(ctx, window, acct); w != 0 {
				t.Fatalf("still refused after the window: %v", w)
			}
		})
	}
}

// TestFailureLimitersReserveAtomically: of many reservations at once, exactly the limit get through.
func TestFailureLimitersReserveAtomically(t *testing.T) {
	ctx := context.Background()
	for name, tc := range limiters(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			passed := 0
			for i := 0; i < 80; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					wait, err := tc.l.Reserve(ctx, time.Minute, Limit{"pair", 5}, Limit{"addr", 20})
					if err != nil {
						t.Error(err)
						return
					}
					if wait == 0 {
						mu.Lock()
						passed++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if passed != 5 {
				t.Fatalf("%d of 80 parallel reservations passed a limit of 5", passed)
			}
		})
	}
}
