package wechat

import (
	"context"
	"errors"
	"fmt"

	"github.com/silenceper/wechat/v2/cache"
)

// tokenCacheKey mirrors the key credential.DefaultAccessToken uses
// ("%s_access_token_%s" with a credential.CacheKey*Prefix), so we evict
// exactly the entry silenceper reads its token from.
func tokenCacheKey(prefix, appID string) string {
	return fmt.Sprintf("%s_access_token_%s", prefix, appID)
}

// withTokenRetry runs fn and, if WeChat rejects the access token as stale,
// deletes the cached token and runs fn exactly once more so it fetches a
// fresh one. Tokens go stale before their cached expiry when another process
// sharing the app refreshes them or WeChat revokes them; one retry is enough
// because a second rejection of a brand-new token is not a caching problem.
//
// The retry is always safe, even for non-idempotent calls: WeChat checks the
// token before doing anything.
func withTokenRetry(ctx context.Context, c cache.Cache, cacheKey string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := fn()
	if !IsStaleToken(err) {
		return err
	}
	if delErr := cache.DeleteContext(ctx, c, cacheKey); delErr != nil {
		// Retrying would reuse the same stale token, so report both problems.
		return errors.Join(err, fmt.Errorf("wechat: evicting stale access token: %w", delErr))
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return err
	}
	return fn()
}
