package identity

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"parksafe/service"
)

// Limit is one counter an attempt is charged to: Key may have at most Max attempts in its window.
type Limit struct {
	Key string
	Max int
}

// FailureLimiter counts attempts per key in a fixed window that starts with the key's first attempt.
// An attempt is reserved before the work it guards and given back when it succeeds, so that only
// failures stay counted; reserving first is what keeps parallel requests from all passing a check
// that none of them has been counted in yet.
type FailureLimiter interface {
	// Reserve charges one attempt to every limit at once, or, when any of them is used up, to none
	// and returns how long until that limit's window ends.
	Reserve(ctx context.Context, window time.Duration, limits ...Limit) (wait time.Duration, err error)
	// Release gives back one attempt charged to key.
	Release(ctx context.Context, key string) error
	// Reset forgets key's attempts.
	Reset(ctx context.Context, key string) error
	// Remember keeps key for ttl from now, whether or not it was kept already.
	Remember(ctx context.Context, key string, ttl time.Duration) error
	// Remembered reports whether key is kept.
	Remembered(ctx context.Context, key string) (bool, error)
}

// MemoryLimiter is a FailureLimiter for a single instance.
type MemoryLimiter struct {
	mu        sync.Mutex
	clock     service.Clock
	entries   map[string]*limitEntry
	nextSweep time.Time
}

type limitEntry struct {
	count int
	until time.Time
}

// memoryLimiterSweepAbove is the number of keys above which expired ones are swept (at most once a
// minute), so that a flood of made-up names cannot grow the map without bound.
const memoryLimiterSweepAbove = 100_000

// NewMemoryLimiter returns an empty in-process limiter.
func NewMemoryLimiter(clock service.Clock) *MemoryLimiter {
	return &MemoryLimiter{clock: clock, entries: map[string]*limitEntry{}}
}

// Reserve implements FailureLimiter.
func (m *MemoryLimiter) Reserve(_ context.Context, window time.Duration, limits ...Limit) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	var wait time.Duration
	for _, l := range limits {
		if e := m.live(l.Key, now); e != nil && e.count >= l.Max {
			wait = max(wait, e.until.Sub(now))
		}
	}
	if wait > 0 {
		return wait, nil
	}
	for _, l := range limits {
		e := m.live(l.Key, now)
		if e == nil {
			e = &limitEntry{until: now.Add(window)}
			m.entries[l.Key] = e
		}
		e.count++
	}
	if len(m.entries) > memoryLimiterSweepAbove && !now.Before(m.nextSweep) {
		m.sweep(now)
		m.nextSweep = now.Add(time.Minute)
	}
	return 0, nil
}

// Release implements FailureLimiter.
func (m *MemoryLimiter) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.live(key, m.clock.Now()); e != nil && e.count > 0 {
		e.count--
	}
	return nil
}

// Reset implements FailureLimiter.
func (m *MemoryLimiter) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

// Remember implements FailureLimiter. A remembered key is an entry without attempts that lasts ttl.
func (m *MemoryLimiter) Remember(_ context.Context, key string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = &limitEntry{until: m.clock.Now().Add(ttl)}
	return nil
}

// Remembered implements FailureLimiter.
func (m *MemoryLimiter) Remembered(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.live(key, m.clock.Now()) != nil, nil
}

// live returns key's entry while its window lasts, or nil.
func (m *MemoryLimiter) live(key string, now time.Time) *limitEntry {
	if e, ok := m.entries[key]; ok && now.Before(e.until) {
		return e
	}
	return nil
}

func (m *MemoryLimiter) sweep(now time.Time) {
	for k, e := range m.entries {
		if !now.Before(e.until) {
			delete(m.entries, k)
		}
	}
}

// RedisLimiter is a FailureLimiter shared by every instance through Redis. Each operation is one Lua
// script, which Redis runs atomically.
type RedisLimiter struct {
	rdb     *redis.Client
	prefix  string
	reserve *redis.Script
	release *redis.Script
}

// reserveScript checks every key against its limit (ARGV[i+1]) and only when all have room
// increments them all, starting a key's window (ARGV[1] ms) with its first attempt. It returns 0, or
// the milliseconds until the window of a used-up key ends.
const reserveScript = `
local wait = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0
`

// releaseScript decrements a live counter; a DECR on an expired key would instead create one with
// no expiry, below zero, that would grant extra attempts for ever.
const releaseScript = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0
`

// NewRedisLimiter returns a limiter whose counters live in rdb under prefix.
func NewRedisLimiter(rdb *redis.Client, prefix string) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix, reserve: redis.NewScript(reserveScript), release: redis.NewScript(releaseScript)}
}

// Reserve implements FailureLimiter.
func (r *RedisLimiter) Reserve(ctx context.Context, window time.Duration, limits ...Limit) (time.Duration, error) {
	keys := make([]string, len(limits))
	args := make([]any, 0, len(limits)+1)
	args = append(args, strconv.FormatInt(window.Milliseconds(), 10))
	for i, l := range limits {
		keys[i] = r.prefix + l.Key
		args = append(args, l.Max)
	}
	ms, err := r.reserve.Run(ctx, r.rdb, keys, args...).Int64()
	if err != nil {
		return 0, err
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Release implements FailureLimiter.
func (r *RedisLimiter) Release(ctx context.Context, key string) error {
	return r.release.Run(ctx, r.rdb, []string{r.prefix + key}).Err()
}

// Reset implements FailureLimiter.
func (r *RedisLimiter) Reset(ctx context.Context, key string) error {
	return r.rdb.Del(ctx, r.prefix+key).Err()
}

// Remember implements FailureLimiter.
func (r *RedisLimiter) Remember(ctx context.Context, key string, ttl time.Duration) error {
	return r.rdb.Set(ctx, r.prefix+key, 1, ttl).Err()
}

// Remembered implements FailureLimiter.
func (r *RedisLimiter) Remembered(ctx context.Context, key string) (bool, error) {
	n, err := r.rdb.Exists(ctx, r.prefix+key).Result()
	return n == 1, err
}

// FallbackLimiter is a FailureLimiter shared through primary (Redis) that makes each call primary
// fails on fallback (in process) instead, and logs it: a limiter that is away must not let every
// guess through, and counting per instance for a while is the next best thing.
type FallbackLimiter struct {
	primary, fallback FailureLimiter
	log               *slog.Logger
}

// NewFallbackLimiter returns a limiter that uses primary, and fallback for the calls primary fails.
func NewFallbackLimiter(primary, fallback FailureLimiter, log *slog.Logger) *FallbackLimiter {
	return &FallbackLimiter{primary: primary, fallback: fallback, log: log}
}

// failed logs primary's failure of op, and reports whether there was one.
func (f *FallbackLimiter) failed(ctx context.Context, op string, err error) bool {
	if err == nil {
		return false
	}
	f.log.WarnContext(ctx, "shared limiter failed; counted in this instance instead", "op", op, "err", err)
	return true
}

// Reserve implements FailureLimiter.
func (f *FallbackLimiter) Reserve(ctx context.Context, window time.Duration, limits ...Limit) (time.Duration, error) {
	wait, err := f.primary.Reserve(ctx, window, limits...)
	if f.failed(ctx, "reserve", err) {
		return f.fallback.Reserve(ctx, window, limits...)
	}
	return wait, err
}

// Release implements FailureLimiter.
func (f *FallbackLimiter) Release(ctx context.Context, key string) error {
	err := f.primary.Release(ctx, key)
	if f.failed(ctx, "release", err) {
		return f.fallback.Release(ctx, key)
	}
	return err
}

// Reset implements FailureLimiter.
func (f *FallbackLimiter) Reset(ctx context.Context, key string) error {
	err := f.primary.Reset(ctx, key)
	if f.failed(ctx, "reset", err) {
		return f.fallback.Reset(ctx, key)
	}
	return err
}

// Remember implements FailureLimiter.
func (f *FallbackLimiter) Remember(ctx context.Context, key string, ttl time.Duration) error {
	err := f.primary.Remember(ctx, key, ttl)
	if f.failed(ctx, "remember", err) {
		return f.fallback.Remember(ctx, key, ttl)
	}
	return err
}

// Remembered implements FailureLimiter.
func (f *FallbackLimiter) Remembered(ctx context.Context, key string) (bool, error) {
	ok, err := f.primary.Remembered(ctx, key)
	if f.failed(ctx, "remembered", err) {
		return f.fallback.Remembered(ctx, key)
	}
	return ok, err
}
