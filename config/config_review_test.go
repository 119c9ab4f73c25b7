package config_test

import (
	"strings"
	"testing"
)

// TestCallbackTokenNeedsAnAESKey: plain mode's signature covers the token, timestamp and nonce but
// not the message, so with a token alone one observed callback would vouch for any body.
func TestCallbackTokenNeedsAnAESKey(t *testing.T) {
	oa := map[string]string{"WECHAT_OA_APPID": "wxoa", "WECHAT_OA_SECRET": "s", "WECHAT_OA_TOKEN": "callback-token"}
	_, err := load(oa)
	if err == nil {
		t.Fatal("WECHAT_OA_TOKEN without WECHAT_OA_AES_KEY accepted")
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "WECHAT_OA_AES_KEY:") || !strings.Contains(msg, "WECHAT_OA_TOKEN") {
		t.Fatalf("error %q should name WECHAT_OA_AES_KEY and say it goes with WECHAT_OA_TOKEN", msg)
	}
	oa["WECHAT_OA_AES_KEY"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	c, err := load(oa)
	if err != nil || c.OAToken == "" || c.OAAESKey == "" {
		t.Fatalf("token with its key: %v", err)
	}
	// Without a token no callback is accepted at all, so there is nothing for a key to protect.
	delete(oa, "WECHAT_OA_TOKEN")
	delete(oa, "WECHAT_OA_AES_KEY")
	if _, err := load(oa); err != nil {
		t.Fatalf("Official Account without callbacks: %v", err)
	}
}
