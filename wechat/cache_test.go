package wechat

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

func TestMemoryCache(t *testing.T) {
	c := NewMemoryCache()
	if c.Get("k") != nil || c.IsExist("k") {
		t.Fatal("empty cache has k")
	}
	if err := c.Set("k", "v", time.Hour); err != nil {
		t.Fatal(err)
	}
	if c.Get("k") != "v" || !c.IsExist("k") {
		t.Fatal("k not stored")
	}
	if err := c.Delete("k"); err != nil || c.IsExist("k") {
		t.Fatal("k not deleted")
	}
	_ = c.Set("k", "v", time.Hour)
	_ = c.Set("k", "v", -time.Second)
	if c.IsExist("k") {
		t.Error("non-positive timeout left a value behind")
	}
}

func TestMemoryCacheExpiry(t *testing.T) {
	c := NewMemoryCache()
	_ = c.Set("short", "v", 30*time.Millisecond)
	_ = c.Set("long", "v", time.Hour)
	if c.Get("short") != "v" {
		t.Fatal("short expired too early")
	}
	time.Sleep(60 * time.Millisecond)
	if c.Get("short") != nil || c.IsExist("short") {
		t.Error("short not expired")
	}
	if c.Get("long") != "v" {
		t.Error("long expired")
	}
}

func TestMemoryCacheConcurrent(t *testing.T) {
	c := NewMemoryCache()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				k := fmt.Sprint("k", j%5)
				_ = c.Set(k, i, time.Millisecond*time.Duration(j%3))
				c.Get(k)
				c.IsExist(k)
				if j%7 == 0 {
					_ = c.Delete(k)
				}
			}
		}()
	}
	wg.Wait()
}

func newTestRedis(t *testing.T) (*miniredis.Miniredis, *redis.Client) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return mr, rdb
}

func TestRedisCache(t *testing.T) {
	mr, rdb := newTestRedis(t)
	c := NewRedisCache(rdb, "wx:")
	if c.Get("k") != nil || c.IsExist("k") {
		t.Fatal("empty cache has k")
	}
	if err := c.Set("k", "v", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, _ := mr.Get("wx:k"); got != "v" {
		t.Errorf("redis wx:k = %q, prefix not applied", got)
	}
	if ttl := mr.TTL("wx:k"); ttl != time.Minute {
		t.Errorf("ttl = %v, want 1m", ttl)
	}
	if got := c.Get("k"); got != "v" {
		t.Errorf("Get = %#v, want string v", got)
	}
	if !c.IsExist("k") {
		t.Error("IsExist = false")
	}
	if err := c.Set("n", 42, time.Minute); err == nil {
		t.Error("non-string value accepted")
	}

	mr.FastForward(2 * time.Minute)
	if c.Get("k") != nil || c.IsExist("k") {
		t.Error("k not expired")
	}

	_ = c.Set("k", "v", time.Minute)
	if err := c.Delete("k"); err != nil || c.IsExist("k") {
		t.Errorf("Delete: %v", err)
	}
	if err := c.Delete("missing"); err != nil {
		t.Errorf("Delete missing: %v", err)
	}
	_ = c.Set("k", "v", time.Minute)
	if err := c.Set("k", "v", 0); err != nil || c.IsExist("k") {
		t.Errorf("zero timeout: err %v, exists %v", err, c.IsExist("k"))
	}

	ctx := context.Background()
	if err := c.SetContext(ctx, "c", "v", time.Minute); err != nil || c.GetContext(ctx, "c") != "v" {
		t.Error("context variants broken")
	}
}

func TestRedisCacheUnavailable(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1, DialerRetryTimeout: time.Millisecond})
	t.Cleanup(func() { _ = rdb.Close() })
	c := NewRedisCache(rdb, "")
	_ = c.Set("k", "v", time.Minute)
	mr.Close()
	// A miss makes silenceper fetch a new token, the best fallback.
	if c.Get("k") != nil || c.IsExist("k") {
		t.Error("unreachable redis did not read as a miss")
	}
	if err := c.Set("k", "v", time.Minute); err == nil {
		t.Error("Set on unreachable redis: want error")
	}
}

func TestRedisCacheConcurrent(t *testing.T) {
	_, rdb := newTestRedis(t)
	c := NewRedisCache(rdb, "p:")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				k := fmt.Sprint("k", j%3)
				_ = c.Set(k, fmt.Sprint(i), time.Minute)
				c.Get(k)
				_ = c.Delete(k)
			}
		}()
	}
	wg.Wait()
}
