package service

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// FailureLimiter counts failures (wrong passwords) per key in a fixed window and tells how long a key
// must wait once it has failed too often. Successes never wait: only failures are counted.
type FailureLimiter interface {
	// Blocked returns how long key must still wait, or 0.
	Blocked(ctx context.Context, key string, limit int) (time.Duration, error)
	// Fail counts one failure for key.
	Fail(ctx context.Context, key string, window time.Duration) error
	// Reset forgets key's failures.
	Reset(ctx context.Context, key string) error
}

// MemoryLimiter is a FailureLimiter for a single instance.
type MemoryLimiter struct {
	mu      sync.Mutex
	clock   Clock
	entries map[string]*limitEntry
}

type limitEntry struct {
	count int
	until time.Time
}

// NewMemoryLimiter returns an empty in-process limiter.
func NewMemoryLimiter(clock Clock) *MemoryLimiter {
	return &MemoryLimiter{clock: clock, entries: map[string]*limitEntry{}}
}

// Blocked implements FailureLimiter.
func (m *MemoryLimiter) Blocked(_ context.Context, key string, limit int) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	now := m.clock.Now()
	if !ok || !now.Before(e.until) {
		return 0, nil
	}
	if e.count >= limit {
		return e.until.Sub(now), nil
	}
	return 0, nil
}

// Fail implements FailureLimiter.
func (m *MemoryLimiter) Fail(_ context.Context, key string, window time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.until) {
		e = &limitEntry{until: now.Add(window)}
		m.entries[key] = e
		if len(m.entries) > 100_000 {
			m.sweep(now)
		}
	}
	e.count++
	return nil
}

// Reset implements FailureLimiter.
func (m *MemoryLimiter) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

func (m *MemoryLimiter) sweep(now time.Time) {
	for k, e := range m.entries {
		if !now.Before(e.until) {
			delete(m.entries, k)
		}
	}
}

// RedisLimiter is a FailureLimiter shared by every instance through Redis.
type RedisLimiter struct {
	rdb    *redis.Client
	prefix string
}

// NewRedisLimiter returns a limiter whose counters live in rdb under prefix.
func NewRedisLimiter(rdb *redis.Client, prefix string) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix}
}

// Blocked implements FailureLimiter.
func (r *RedisLimiter) Blocked(ctx context.Context, key string, limit int) (time.Duration, error) {
	k := r.prefix + key
	n, err := r.rdb.Get(ctx, k).Result()
	if err == redis.Nil {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if c, _ := strconv.Atoi(n); c < limit {
		return 0, nil
	}
	ttl, err := r.rdb.PTTL(ctx, k).Result()
	if err != nil || ttl <= 0 {
		return 0, err
	}
	return ttl, nil
}

// Fail implements FailureLimiter.
func (r *RedisLimiter) Fail(ctx context.Context, key string, window time.Duration) error {
	k := r.prefix + key
	pipe := r.rdb.TxPipeline()
	pipe.Incr(ctx, k)
	pipe.ExpireNX(ctx, k, window)
	_, err := pipe.Exec(ctx)
	return err
}

// Reset implements FailureLimiter.
func (r *RedisLimiter) Reset(ctx context.Context, key string) error {
	return r.rdb.Del(ctx, r.prefix+key).Err()
}
