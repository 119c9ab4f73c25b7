package wechat

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

// MemoryCache is a process-local cache.Cache for access tokens. Unlike
// silenceper's cache.Memory it locks on reads too, so it is race-free. Use it
// for a single instance; several instances of the same app must share a
// RedisCache, otherwise each refresh invalidates the others' tokens.
type MemoryCache struct {
	mu      sync.Mutex
	entries map[string]memoryEntry
}

type memoryEntry struct {
	val     any
	expires time.Time
}

var _ cache.Cache = (*MemoryCache)(nil)

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache {
	return &MemoryCache{entries: make(map[string]memoryEntry)}
}

// Get returns the value stored under key, or nil when absent or expired.
func (m *MemoryCache) Get(key string) any {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.lookup(key)
	if !ok {
		return nil
	}
	return e.val
}

// Set stores val under key for timeout. A non-positive timeout stores nothing
// and removes any old value: the entry would already be expired (silenceper
// passes expires_in minus a safety margin, which can go negative).
func (m *MemoryCache) Set(key string, val any, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if timeout <= 0 {
		delete(m.entries, key)
		return nil
	}
	m.entries[key] = memoryEntry{val: val, expires: time.Now().Add(timeout)}
	return nil
}

// IsExist reports whether key holds an unexpired value.
func (m *MemoryCache) IsExist(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.lookup(key)
	return ok
}

// Delete removes key.
func (m *MemoryCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

// lookup returns the live entry for key, dropping it if expired. Callers hold mu.
func (m *MemoryCache) lookup(key string) (memoryEntry, bool) {
	e, ok := m.entries[key]
	if !ok {
		return memoryEntry{}, false
	}
	if !time.Now().Before(e.expires) {
		delete(m.entries, key)
		return memoryEntry{}, false
	}
	return e, true
}

// RedisCache is a cache.Cache backed by Redis, shared by every instance of the
// service so they all use the same access token. Values are strings, which is
// all silenceper stores (tokens and tickets).
type RedisCache struct {
	rdb    *redis.Client
	prefix string
}

var _ cache.ContextCache = (*RedisCache)(nil)

// NewRedisCache returns a RedisCache storing keys as prefix+key.
func NewRedisCache(rdb *redis.Client, prefix string) *RedisCache {
	return &RedisCache{rdb: rdb, prefix: prefix}
}

// Get returns the string stored under key, or nil when absent. Redis errors
// also yield nil: the cache interface has no error return, and a miss makes
// silenceper fetch a new token, which is the best available fallback.
func (r *RedisCache) Get(key string) any {
	return r.GetContext(context.Background(), key)
}

// GetContext is Get bounded by ctx.
func (r *RedisCache) GetContext(ctx context.Context, key string) any {
	val, err := r.rdb.Get(ctx, r.prefix+key).Result()
	if err != nil {
		return nil
	}
	return val
}

// Set stores val, which must be a string, under key for timeout. A
// non-positive timeout deletes the key instead (see MemoryCache.Set).
func (r *RedisCache) Set(key string, val any, timeout time.Duration) error {
	return r.SetContext(context.Background(), key, val, timeout)
}

// SetContext is Set bounded by ctx.
func (r *RedisCache) SetContext(ctx context.Context, key string, val any, timeout time.Duration) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("wechat: redis cache stores strings only, got %T", val)
	}
	if timeout <= 0 {
		return r.DeleteContext(ctx, key)
	}
	return r.rdb.Set(ctx, r.prefix+key, s, timeout).Err()
}

// IsExist reports whether key exists.
func (r *RedisCache) IsExist(key string) bool {
	return r.IsExistContext(context.Background(), key)
}

// IsExistContext is IsExist bounded by ctx.
func (r *RedisCache) IsExistContext(ctx context.Context, key string) bool {
	n, err := r.rdb.Exists(ctx, r.prefix+key).Result()
	return err == nil && n > 0
}

// Delete removes key.
func (r *RedisCache) Delete(key string) error {
	return r.DeleteContext(context.Background(), key)
}

// DeleteContext is Delete bounded by ctx.
func (r *RedisCache) DeleteContext(ctx context.Context, key string) error {
	return r.rdb.Del(ctx, r.prefix+key).Err()
}
