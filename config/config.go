// Package config reads ParkSafe's configuration from the environment.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parksafe/storage"
)

// Config is the whole runtime configuration. Field comments name the environment variable.
type Config struct {
	HTTPAddr      string // HTTP_ADDR
	MetricsAddr   string // METRICS_ADDR: /metrics on an address apart from the API; empty: nowhere
	DBDriver      string // DB_DRIVER: sqlite or mysql
	DBDSN         string // DB_DSN
	DataDir       string // DATA_DIR
	PublicBaseURL string // PUBLIC_BASE_URL, without a trailing slash
	// PublicBaseURLDerived reports that PUBLIC_BASE_URL was not set and PublicBaseURL was derived from
	// HTTP_ADDR; once the listener is bound (port 0 picks one), LocalOrigin of its address is truer.
	PublicBaseURLDerived bool
	JWTSecret            []byte // JWT_SECRET, or generated and kept in DATA_DIR
	AdminUsername        string // ADMIN_USERNAME
	AdminPassword        string // ADMIN_PASSWORD; empty: random, printed once
	Location             *time.Location
	TimezoneName         string // TIMEZONE

	ParkName         string // PARK_NAME: the park, as its notices name it
	ParkNoticePrefix string // PARK_NOTICE_PREFIX: starts every notice number, e.g. 龙池园区安环〔2026〕48号
	ParkNoticeIssuer string // PARK_NOTICE_ISSUER: signs generated notices

	WeChatAPIBase string // WECHAT_API_BASE
	MiniAppID     string // WECHAT_MINI_APPID
	MiniSecret    string // WECHAT_MINI_SECRET
	OAAppID       string // WECHAT_OA_APPID
	OASecret      string // WECHAT_OA_SECRET
	OAToken       string // WECHAT_OA_TOKEN
	OAAESKey      string // WECHAT_OA_AES_KEY
	WeChatTimeout time.Duration

	RedisAddr string // REDIS_ADDR

	AccessTokenTTL     time.Duration     // ACCESS_TOKEN_TTL
	RefreshTokenTTL    time.Duration     // REFRESH_TOKEN_TTL
	MaxBodyBytes       int64             // MAX_BODY_BYTES, for JSON requests
	MaxPhotoBytes      int64             // MAX_PHOTO_BYTES
	MaxPhotoPixels     int               // MAX_PHOTO_PIXELS
	PhotoURLTTL        time.Duration     // PHOTO_URL_TTL
	TrustedProxies     []string          // TRUSTED_PROXIES, comma separated CIDRs or addresses
	LogLevel           string            // LOG_LEVEL
	ShutdownTimeout    time.Duration     // SHUTDOWN_TIMEOUT
	SubscribeTemplates map[string]string // WECHAT_SUBSCRIBE_TEMPLATES: event=template_id,...
	// SubscribeFields maps each template keyword to what fills it (title, body or time):
	// WECHAT_SUBSCRIBE_FIELDS, e.g. thing1=title,thing2=body,time3=time.
	SubscribeFields map[string]string

	// Storage is where photos are kept: STORAGE (local under DATA_DIR, or s3) and the S3_ settings.
	Storage storage.Config
}

// Load reads the configuration through getenv (os.Getenv in production). A bad value stops the start
// with an error that names the variable.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		HTTPAddr:        r.str("HTTP_ADDR", ":8080"),
		MetricsAddr:     r.str("METRICS_ADDR", ""),
		DBDriver:        r.str("DB_DRIVER", "sqlite"),
		DataDir:         r.str("DATA_DIR", "data"),
		PublicBaseURL:   strings.TrimRight(r.str("PUBLIC_BASE_URL", ""), "/"),
		AdminUsername:   r.str("ADMIN_USERNAME", "admin"),
		AdminPassword:   getenv("ADMIN_PASSWORD"),
		TimezoneName:    r.str("TIMEZONE", "Asia/Shanghai"),
		WeChatAPIBase:   strings.TrimRight(r.str("WECHAT_API_BASE", "https://api.weixin.qq.com"), "/"),
		MiniAppID:       getenv("WECHAT_MINI_APPID"),
		MiniSecret:      getenv("WECHAT_MINI_SECRET"),
		OAAppID:         getenv("WECHAT_OA_APPID"),
		OASecret:        getenv("WECHAT_OA_SECRET"),
		OAToken:         getenv("WECHAT_OA_TOKEN"),
		OAAESKey:        getenv("WECHAT_OA_AES_KEY"),
		WeChatTimeout:   r.duration("WECHAT_TIMEOUT", 10*time.Second),
		RedisAddr:       getenv("REDIS_ADDR"),
		AccessTokenTTL:  r.duration("ACCESS_TOKEN_TTL", 15*time.Minute),
		RefreshTokenTTL: r.duration("REFRESH_TOKEN_TTL", 30*24*time.Hour),
		MaxBodyBytes:    r.int64("MAX_BODY_BYTES", 1<<20),
		MaxPhotoBytes:   r.int64("MAX_PHOTO_BYTES", 10<<20),
		MaxPhotoPixels:  int(r.int64("MAX_PHOTO_PIXELS", 40_000_000)),
		PhotoURLTTL:     r.duration("PHOTO_URL_TTL", 2*time.Hour),
		LogLevel:        r.str("LOG_LEVEL", "info"),
		ShutdownTimeout: r.duration("SHUTDOWN_TIMEOUT", 20*time.Second),
	}
	// The demo park's identity is the default; a park that sets only its name gets its prefix and
	// issuer from it.
	c.ParkName = strings.TrimSpace(r.str("PARK_NAME", "龙池园区"))
	c.ParkNoticePrefix = strings.TrimSpace(r.str("PARK_NOTICE_PREFIX", c.ParkName+"安环"))
	c.ParkNoticeIssuer = strings.TrimSpace(r.str("PARK_NOTICE_ISSUER", c.ParkName+"管理办公室安环办"))
	for _, p := range []struct {
		name, value string
		max         int
	}{
		// A notice number is the prefix and 〔YYYY〕N号 in 64 characters.
		{"PARK_NAME", c.ParkName, 32}, {"PARK_NOTICE_PREFIX", c.ParkNoticePrefix, 48}, {"PARK_NOTICE_ISSUER", c.ParkNoticeIssuer, 64},
	} {
		if n := utf8.RuneCountInString(p.value); n == 0 || n > p.max || !utf8.ValidString(p.value) {
			r.fail(p.name, "must be 1 to %d characters", p.max)
		}
	}
	c.Storage = r.storage(c.DataDir)
	switch c.DBDriver {
	case "sqlite":
		c.DBDSN = r.str("DB_DSN", filepath.Join(c.DataDir, "parksafe.db"))
	case "mysql":
		c.DBDSN = getenv("DB_DSN")
		if c.DBDSN == "" {
			r.fail("DB_DSN", "is required when DB_DRIVER=mysql")
		}
	default:
		r.fail("DB_DRIVER", "must be sqlite or mysql, got %q", c.DBDriver)
	}
	if loc, err := time.LoadLocation(c.TimezoneName); err != nil {
		r.fail("TIMEZONE", "unknown time zone %q", c.TimezoneName)
	} else {
		c.Location = loc
	}
	if c.PublicBaseURL == "" {
		c.PublicBaseURL, c.PublicBaseURLDerived = LocalOrigin(c.HTTPAddr), true
	}
	r.url("PUBLIC_BASE_URL", c.PublicBaseURL)
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			r.fail("METRICS_ADDR", "want host:port or :port, got %q", c.MetricsAddr)
		} else if sameListenAddr(c.MetricsAddr, c.HTTPAddr) {
			r.fail("METRICS_ADDR", "must differ from HTTP_ADDR: metrics are kept off the API's address")
		}
	}
	r.url("WECHAT_API_BASE", c.WeChatAPIBase)
	if s := getenv("JWT_SECRET"); s != "" {
		if len(s) < 32 {
			r.fail("JWT_SECRET", "must be at least 32 characters")
		}
		c.JWTSecret = []byte(s)
	}
	if (c.MiniAppID == "") != (c.MiniSecret == "") {
		r.fail("WECHAT_MINI_SECRET", "WECHAT_MINI_APPID and WECHAT_MINI_SECRET must be set together")
	}
	if (c.OAAppID == "") != (c.OASecret == "") {
		r.fail("WECHAT_OA_SECRET", "WECHAT_OA_APPID and WECHAT_OA_SECRET must be set together")
	}
	if c.OAAESKey != "" && len(c.OAAESKey) != 43 {
		r.fail("WECHAT_OA_AES_KEY", "must be the 43-character EncodingAESKey")
	}
	if c.OAToken != "" && c.OAAESKey == "" {
		r.fail("WECHAT_OA_AES_KEY", "is required when WECHAT_OA_TOKEN is set: without it callbacks come in plain mode, "+
			"whose signature does not cover the message, so one callback seen on the way could vouch for any forged event "+
			"(set the console's 消息加解密方式 to 安全模式 and copy its EncodingAESKey)")
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 8 {
		r.fail("ADMIN_PASSWORD", "must be at least 8 characters")
	}
	for _, p := range splitList(getenv("TRUSTED_PROXIES")) {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				r.fail("TRUSTED_PROXIES", "%q is neither an address nor a CIDR", p)
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	c.SubscribeTemplates = map[string]string{}
	for _, kv := range splitList(getenv("WECHAT_SUBSCRIBE_TEMPLATES")) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" {
			r.fail("WECHAT_SUBSCRIBE_TEMPLATES", "want event=template_id pairs separated by commas, got %q", kv)
			continue
		}
		c.SubscribeTemplates[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	c.SubscribeFields = map[string]string{}
	fields := getenv("WECHAT_SUBSCRIBE_FIELDS")
	if fields == "" {
		fields = "thing1=title,thing2=body,time3=time"
	}
	for _, kv := range splitList(fields) {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || (v != "title" && v != "body" && v != "time") {
			r.fail("WECHAT_SUBSCRIBE_FIELDS", "want keyword=title|body|time pairs separated by commas, got %q", kv)
			continue
		}
		c.SubscribeFields[k] = v
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		r.fail("LOG_LEVEL", "must be debug, info, warn or error")
	}
	// Each limit is named on its own so that the message points at the variable that is wrong.
	for _, p := range []struct {
		name     string
		positive bool
	}{
		{"ACCESS_TOKEN_TTL", c.AccessTokenTTL > 0}, {"REFRESH_TOKEN_TTL", c.RefreshTokenTTL > 0},
		{"PHOTO_URL_TTL", c.PhotoURLTTL > 0}, {"WECHAT_TIMEOUT", c.WeChatTimeout > 0},
		{"SHUTDOWN_TIMEOUT", c.ShutdownTimeout > 0}, {"MAX_BODY_BYTES", c.MaxBodyBytes > 0},
		{"MAX_PHOTO_BYTES", c.MaxPhotoBytes > 0}, {"MAX_PHOTO_PIXELS", c.MaxPhotoPixels > 0},
	} {
		if !p.positive {
			r.fail(p.name, "must be positive")
		}
	}
	return c, errors.Join(r.errs...)
}

// LoadOrCreateSecret returns the JWT secret kept in dir, creating it on first start so that tokens
// survive restarts without the operator having to choose a secret.
func LoadOrCreateSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s: secret too short", path)
		}
		return []byte(s), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

type reader struct {
	getenv func(string) string
	errs   []error
}

func (r *reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(name, "not a duration like 15m or 720h: %q", v)
		return def
	}
	return d
}

func (r *reader) int64(name string, def int64) int64 {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.fail(name, "not a whole number: %q", v)
		return def
	}
	return n
}

func (r *reader) url(name, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.fail(name, "must be an http(s) URL, got %q", v)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// LocalOrigin is the origin a person on this machine reaches the listen address addr at, so that
// links and the start message point at the port actually served when PUBLIC_BASE_URL is not set.
func LocalOrigin(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "http://localhost:8080"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// sameListenAddr reports whether listening on a and on b would take the same port: the same port
// number (not 0, which picks a free one each time) on the same host or where either listens on every
// interface.
func sameListenAddr(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil {
		return a == b
	}
	if pa != pb || pa == "0" {
		return false
	}
	wildcard := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || wildcard(ha) || wildcard(hb)
}
