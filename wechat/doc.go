// Package wechat is ParkSafe's thin wrapper over github.com/silenceper/wechat/v2.
//
// It exists so the rest of the application sees a small, context-first API
// (mini program login, phone number, subscribe messages, official account
// publishing and callbacks) with typed errors, instead of silenceper's mix of
// *util.CommonError values and formatted error strings.
//
// Every call that uses an access token is retried exactly once when WeChat
// reports the token as stale (40001, 42001, 40014): the cached token is
// deleted first, so the retry fetches a fresh one. This recovers from tokens
// invalidated elsewhere (another deployment refreshing the same app) without
// waiting for the cache entry to expire.
//
// Setup must be called once at start-up, before any request is made; it
// points silenceper at the configured API base and installs the HTTP client.
// The wechattest sub-package provides an in-process fake of the WeChat API for
// tests.
package wechat
