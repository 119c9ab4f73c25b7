package config_test

import (
	"strings"
	"testing"
	"time"

	"parksafe/config"
)

func load(env map[string]string) (config.Config, error) {
	return config.Load(func(k string) string { return env[k] })
}

func TestDefaultsMatchTheProductSpec(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]any{
		"HTTP_ADDR": c.HTTPAddr, "DB_DRIVER": c.DBDriver, "DB_DSN": c.DBDSN, "DATA_DIR": c.DataDir,
		"PUBLIC_BASE_URL": c.PublicBaseURL, "ADMIN_USERNAME": c.AdminUsername, "ADMIN_PASSWORD": c.AdminPassword,
		"TIMEZONE": c.TimezoneName, "WECHAT_API_BASE": c.WeChatAPIBase, "REDIS_ADDR": c.RedisAddr,
		"ACCESS_TOKEN_TTL": c.AccessTokenTTL,
	} {
		want := map[string]any{
			"HTTP_ADDR": ":8080", "DB_DRIVER": "sqlite", "DB_DSN": "data/parksafe.db", "DATA_DIR": "data",
			"PUBLIC_BASE_URL": "http://localhost:8080", "ADMIN_USERNAME": "admin", "ADMIN_PASSWORD": "",
			"TIMEZONE": "Asia/Shanghai", "WECHAT_API_BASE": "https://api.weixin.qq.com", "REDIS_ADDR": "",
			"ACCESS_TOKEN_TTL": 15 * time.Minute,
		}[name]
		if got != want {
			t.Errorf("%s defaults to %v, want %v", name, got, want)
		}
	}
	if c.Location == nil || c.Location.String() != "Asia/Shanghai" {
		t.Errorf("location %v", c.Location)
	}
	if c.JWTSecret != nil || c.MiniAppID != "" || c.OAAppID != "" {
		t.Error("secrets and WeChat should be unset by default")
	}
}

func TestGoodValues(t *testing.T) {
	c, err := load(map[string]string{
		"DB_DRIVER": "mysql", "DB_DSN": "u:p@tcp(db:3306)/parksafe?parseTime=true", "TIMEZONE": "UTC",
		"JWT_SECRET": strings.Repeat("s", 32), "ACCESS_TOKEN_TTL": "5m", "TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1",
		"PUBLIC_BASE_URL": "https://park.example.com/", "WECHAT_MINI_APPID": "wx1", "WECHAT_MINI_SECRET": "s",
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.DBDriver != "mysql" || c.AccessTokenTTL != 5*time.Minute || len(c.TrustedProxies) != 2 ||
		c.PublicBaseURL != "https://park.example.com" || c.MiniAppID == "" || c.MiniSecret == "" || string(c.JWTSecret) != strings.Repeat("s", 32) {
		t.Fatalf("%+v", c)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"TIMEZONE", map[string]string{"TIMEZONE": "Mars/Olympus"}},
		{"DB_DRIVER", map[string]string{"DB_DRIVER": "postgres"}},
		{"DB_DSN", map[string]string{"DB_DRIVER": "mysql"}},
		{"JWT_SECRET", map[string]string{"JWT_SECRET": "too-short"}},
		{"ACCESS_TOKEN_TTL", map[string]string{"ACCESS_TOKEN_TTL": "15 minutes"}},
		{"ACCESS_TOKEN_TTL", map[string]string{"ACCESS_TOKEN_TTL": "-1m"}},
		{"REFRESH_TOKEN_TTL", map[string]string{"REFRESH_TOKEN_TTL": "30d"}},
		{"PHOTO_URL_TTL", map[string]string{"PHOTO_URL_TTL": "0s"}},
		{"WECHAT_TIMEOUT", map[string]string{"WECHAT_TIMEOUT": "soon"}},
		{"SHUTDOWN_TIMEOUT", map[string]string{"SHUTDOWN_TIMEOUT": "-5s"}},
		{"TRUSTED_PROXIES", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}},
		{"TRUSTED_PROXIES", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}},
		{"PUBLIC_BASE_URL", map[string]string{"PUBLIC_BASE_URL": "park.example.com"}},
		{"WECHAT_API_BASE", map[string]string{"WECHAT_API_BASE": "ftp://x"}},
		{"WECHAT_MINI_SECRET", map[string]string{"WECHAT_MINI_APPID": "wx1"}},
		{"WECHAT_OA_SECRET", map[string]string{"WECHAT_OA_SECRET": "s"}},
		{"WECHAT_OA_AES_KEY", map[string]string{"WECHAT_OA_AES_KEY": "short"}},
		{"ADMIN_PASSWORD", map[string]string{"ADMIN_PASSWORD": "1234"}},
		{"LOG_LEVEL", map[string]string{"LOG_LEVEL": "verbose"}},
		{"MAX_BODY_BYTES", map[string]string{"MAX_BODY_BYTES": "1MB"}},
		{"MAX_BODY_BYTES", map[string]string{"MAX_BODY_BYTES": "0"}},
		{"MAX_PHOTO_BYTES", map[string]string{"MAX_PHOTO_BYTES": "-1"}},
		{"MAX_PHOTO_PIXELS", map[string]string{"MAX_PHOTO_PIXELS": "0"}},
		{"WECHAT_SUBSCRIBE_TEMPLATES", map[string]string{"WECHAT_SUBSCRIBE_TEMPLATES": "hazard_created"}},
		{"WECHAT_SUBSCRIBE_FIELDS", map[string]string{"WECHAT_SUBSCRIBE_FIELDS": "thing1=name"}},
		{"WECHAT_SUBSCRIBE_FIELDS", map[string]string{"WECHAT_SUBSCRIBE_FIELDS": "thing1"}},
		{"METRICS_ADDR", map[string]string{"METRICS_ADDR": "9090"}},
		{"METRICS_ADDR", map[string]string{"METRICS_ADDR": ":8080"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tc.env)
			if err == nil {
				t.Fatalf("%v accepted", tc.env)
			}
			if !strings.HasPrefix(err.Error(), tc.name+":") {
				t.Fatalf("%v: error %q does not start with the variable's name", tc.env, err)
			}
		})
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	_, err := load(map[string]string{"TIMEZONE": "Nowhere", "LOG_LEVEL": "loud", "ACCESS_TOKEN_TTL": "x"})
	for _, name := range []string{"TIMEZONE", "LOG_LEVEL", "ACCESS_TOKEN_TTL"} {
		if err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("error %v does not mention %s", err, name)
		}
	}
}

func TestLoadOrCreateSecret(t *testing.T) {
	dir := t.TempDir()
	a, err := config.LoadOrCreateSecret(dir)
	if err != nil || len(a) < 32 {
		t.Fatalf("%q %v", a, err)
	}
	b, err := config.LoadOrCreateSecret(dir)
	if err != nil || string(a) != string(b) {
		t.Fatalf("the secret changed across starts: %q then %q (%v)", a, b, err)
	}
}

func TestPublicBaseURLFollowsHTTPAddr(t *testing.T) {
	for addr, want := range map[string]string{
		":9090":          "http://localhost:9090",
		"127.0.0.1:8181": "http://127.0.0.1:8181",
		"0.0.0.0:7070":   "http://localhost:7070",
		"[::]:7071":      "http://localhost:7071",
	} {
		c, err := load(map[string]string{"HTTP_ADDR": addr})
		if err != nil {
			t.Fatal(err)
		}
		if c.PublicBaseURL != want {
			t.Errorf("HTTP_ADDR=%s: PUBLIC_BASE_URL defaults to %s, want %s", addr, c.PublicBaseURL, want)
		}
	}
	c, err := load(map[string]string{"HTTP_ADDR": ":9090", "PUBLIC_BASE_URL": "https://park.example.cn/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicBaseURL != "https://park.example.cn" {
		t.Errorf("an explicit PUBLIC_BASE_URL is kept, got %s", c.PublicBaseURL)
	}
}

// TestParkIdentity: the demo park's name, notice prefix and issuer by default; a park that sets only
// its name gets the prefix and issuer made from it; either may be set apart, and an overlong
// one is refused by name.
func TestParkIdentity(t *testing.T) {
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ParkName != "龙池园区" || c.ParkNoticePrefix != "龙池园区安环" || c.ParkNoticeIssuer != "龙池园区管理办公室安环办" {
		t.Fatalf("defaults %q %q %q", c.ParkName, c.ParkNoticePrefix, c.ParkNoticeIssuer)
	}
	if c, err = load(map[string]string{"PARK_NAME": "东湖园区"}); err != nil {
		t.Fatal(err)
	}
	if c.ParkNoticePrefix != "东湖园区安环" || c.ParkNoticeIssuer != "东湖园区管理办公室安环办" {
		t.Fatalf("from the name alone: %q %q", c.ParkNoticePrefix, c.ParkNoticeIssuer)
	}
	if c, err = load(map[string]string{"PARK_NAME": "东湖园区", "PARK_NOTICE_PREFIX": " 东湖安监 ", "PARK_NOTICE_ISSUER": "东湖园区管委会"}); err != nil {
		t.Fatal(err)
	}
	if c.ParkNoticePrefix != "东湖安监" || c.ParkNoticeIssuer != "东湖园区管委会" {
		t.Fatalf("set apart: %q %q", c.ParkNoticePrefix, c.ParkNoticeIssuer)
	}
	for name, value := range map[string]string{"PARK_NAME": strings.Repeat("园", 33), "PARK_NOTICE_PREFIX": strings.Repeat("安", 49),
		"PARK_NOTICE_ISSUER": strings.Repeat("办", 65)} {
		if _, err := load(map[string]string{name: value}); err == nil || !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("%s=%q: %v", name, value, err)
		}
	}
}

func TestMetricsAddrMustNotTakeTheAPIsPort(t *testing.T) {
	for _, tc := range []struct {
		http, metrics string
		ok            bool
	}{
		{":8080", ":8080", false},
		{":8080", "0.0.0.0:8080", false},
		{"127.0.0.1:8080", ":8080", false},
		{"127.0.0.1:8080", "127.0.0.1:9090", true},
		{"127.0.0.1:0", "127.0.0.1:0", true}, // each picks a free port of its own
		{"10.0.0.1:8080", "127.0.0.1:8080", true},
	} {
		_, err := load(map[string]string{"HTTP_ADDR": tc.http, "METRICS_ADDR": tc.metrics})
		if (err == nil) != tc.ok {
			t.Errorf("HTTP_ADDR=%s METRICS_ADDR=%s: err %v, want ok=%v", tc.http, tc.metrics, err, tc.ok)
		}
	}
}
