// Package apitest runs the real ParkSafe wiring (app.New) against a fresh database and a fake
// WeChat, and drives it through its HTTP router, for integration tests of every package.
//
// The database is SQLite by default and MySQL/MariaDB when TEST_MYSQL_DSN is set (see dbtest).
// silenceper/wechat's routing is process-global, so one fake WeChat serves every test of a process;
// tests keep out of each other's way by using their own codes and phone numbers.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"parksafe/app"
	"parksafe/config"
	"parksafe/database/dbtest"
	"parksafe/wechat"
	"parksafe/wechat/wechattest"
)

// Fixed test settings.
const (
	AdminUsername = "admin"
	AdminPassword = "Admin-pass-2026"
	MiniAppID     = "wxmini-test"
	OAAppID       = "wxoa-test"
	OAToken       = "oa-callback-token"
	// OAAESKey is a valid 43-character EncodingAESKey.
	OAAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
)

var (
	fakeOnce sync.Once
	fake     *wechattest.Fake
)

// WeChat returns the process's fake WeChat, routing the wechat package to it on first use.
func WeChat(t testing.TB) *wechattest.Fake {
	fakeOnce.Do(func() {
		fake = wechattest.New()
		if err := wechat.Setup(fake.URL(), 5*time.Second); err != nil {
			panic(err)
		}
	})
	return fake
}

// Env is one running ParkSafe for one test.
type Env struct {
	T      testing.TB
	App    *app.App
	Clock  *Clock
	WeChat *wechattest.Fake
	admin  *Client
	// adminAt is the clock time the cached admin signed in at; a test that moves the clock far from
	// it gets a fresh sign-in, since the token is judged by the same clock.
	adminAt time.Time
	seq     atomic.Int64
}

// Option adjusts an Env's environment variables before it starts.
type Option func(env map[string]string)

// WithEnv sets one environment variable of the Env's configuration.
func WithEnv(name, value string) Option { return func(env map[string]string) { env[name] = value } }

// WithoutWeChat leaves WeChat unconfigured.
func WithoutWeChat() Option {
	return func(env map[string]string) {
		for _, k := range []string{"WECHAT_MINI_APPID", "WECHAT_MINI_SECRET", "WECHAT_OA_APPID", "WECHAT_OA_SECRET", "WECHAT_OA_TOKEN", "WECHAT_OA_AES_KEY"} {
			delete(env, k)
		}
	}
}

// New starts ParkSafe on a fresh database with the first admin created.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	fw := WeChat(t)
	driver, dsn := dbtest.Fresh(t)
	env := map[string]string{
		"DB_DRIVER": driver, "DB_DSN": dsn, "DATA_DIR": t.TempDir(),
		"JWT_SECRET":     "test-secret-0123456789abcdef0123456789",
		"ADMIN_USERNAME": AdminUsername, "ADMIN_PASSWORD": AdminPassword,
		"PUBLIC_BASE_URL":   "http://parksafe.test",
		"WECHAT_API_BASE":   fw.URL(),
		"WECHAT_MINI_APPID": MiniAppID, "WECHAT_MINI_SECRET": "mini-secret",
		"WECHAT_OA_APPID": OAAppID, "WECHAT_OA_SECRET": "oa-secret",
		"WECHAT_OA_TOKEN": OAToken, "WECHAT_OA_AES_KEY": OAAESKey,
	}
	for _, o := range opts {
		o(env)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	clock := NewClock(time.Now())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	// A MySQL database copied from the template is migrated already; one a test brings is not.
	skipMigrate := driver == "mysql" && env["DB_DSN"] == dsn
	a, err := app.New(cfg, log, app.Options{Clock: clock, BcryptCost: bcrypt.MinCost, SkipMigrate: skipMigrate})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.EnsureAdmin(context.Background()); err != nil {
		t.Fatalf("admin: %v", err)
	}
	return &Env{T: t, App: a, Clock: clock, WeChat: fw}
}

// Seq returns a number unique within the Env, for unique names and mobiles.
func (e *Env) Seq() int64 { return e.seq.Add(1) }

// Client sends requests as one signed-in user (or anonymously when Token is empty).
type Client struct {
	env          *Env
	Token        string
	RefreshToken string
	User         map[string]any
}

// Anon returns a client without credentials.
func (e *Env) Anon() *Client { return &Client{env: e} }

// Admin returns a client signed in as the first admin.
func (e *Env) Admin() *Client {
	now := e.Clock.Now()
	if e.admin == nil || now.Before(e.adminAt) || now.Sub(e.adminAt) > 10*time.Minute {
		e.admin, e.adminAt = e.Login(AdminUsername, AdminPassword), now
	}
	return e.admin
}

// Login signs in with a password and fails the test if that does not work.
func (e *Env) Login(username, password string) *Client {
	e.T.Helper()
	r := e.Anon().Post("/api/v1/auth/login", map[string]any{"username": username, "password": password})
	r.Want(http.StatusOK)
	c := &Client{env: e}
	c.absorb(r)
	return c
}

func (c *Client) absorb(r *Response) {
	var tok struct {
		AccessToken  string         `json:"access_token"`
		RefreshToken string         `json:"refresh_token"`
		User         map[string]any `json:"user"`
	}
	r.JSON(&tok)
	c.Token, c.RefreshToken, c.User = tok.AccessToken, tok.RefreshToken, tok.User
}

// UserID is the signed-in user's id.
func (c *Client) UserID() uint64 { return uint64(c.User["id"].(float64)) }

// Response is a recorded answer.
type Response struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
	req    string
}

// Do sends a request through the router. body may be nil, []byte, io.Reader or any JSON value.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.env.T.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case io.Reader:
		rd = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.env.T.Fatalf("marshal: %v", err)
		}
		rd, ct = bytes.NewReader(buf), "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	c.env.App.Handler.ServeHTTP(rec, req)
	return &Response{t: c.env.T, Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), req: method + " " + path}
}

// Get, Post, Put, Patch send JSON requests.
func (c *Client) Get(path string, headers ...string) *Response {
	return c.Do(http.MethodGet, path, nil, headers...)
}

// Post sends a JSON POST.
func (c *Client) Post(path string, body any, headers ...string) *Response {
	return c.Do(http.MethodPost, path, body, headers...)
}

// Put sends a JSON PUT.
func (c *Client) Put(path string, body any, headers ...string) *Response {
	return c.Do(http.MethodPut, path, body, headers...)
}

// Patch sends a JSON PATCH.
func (c *Client) Patch(path string, body any, headers ...string) *Response {
	return c.Do(http.MethodPatch, path, body, headers...)
}

// Want fails the test unless the status is one of want; it returns r for chaining.
func (r *Response) Want(want int) *Response {
	r.t.Helper()
	if r.Status != want {
		r.t.Fatalf("%s: status %d, want %d; body: %s", r.req, r.Status, want, r.Body)
	}
	return r
}

// WantError fails the test unless the answer is the error envelope with status and code.
func (r *Response) WantError(status int, code string) *Response {
	r.t.Helper()
	r.Want(status)
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.Code != code || env.Error.Message == "" {
		r.t.Fatalf("%s: want error code %q with a message, got %s", r.req, code, r.Body)
	}
	return r
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("%s: decode %s: %v", r.req, r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.JSON(&m)
	return m
}

// Field returns a value by dotted path (a.b.0.c) from the JSON body.
func (r *Response) Field(path string) any {
	r.t.Helper()
	var v any
	r.JSON(&v)
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err != nil || i >= len(x) {
				r.t.Fatalf("%s: no element %s in %s", r.req, path, r.Body)
			}
			v = x[i]
		default:
			r.t.Fatalf("%s: no field %s in %s", r.req, path, r.Body)
		}
	}
	return v
}

// ID returns the numeric "id" field.
func (r *Response) ID() uint64 {
	r.t.Helper()
	f, ok := r.Field("id").(float64)
	if !ok {
		r.t.Fatalf("%s: no id in %s", r.req, r.Body)
	}
	return uint64(f)
}

// FieldError returns the reason given for field in a validation error, or "".
func (r *Response) FieldError(field string) string {
	var env struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	json.Unmarshal(r.Body, &env)
	return env.Error.Fields[field]
}

// WithDatabaseOf runs the Env on other's database, as a second instance of the same deployment.
func WithDatabaseOf(other *Env) Option {
	return func(env map[string]string) {
		env["DB_DRIVER"], env["DB_DSN"] = other.App.Config.DBDriver, other.App.Config.DBDSN
	}
}

// On returns the client sending its requests to e instead, signed in as the same user: with one
// database and JWT_SECRET, any instance accepts the token.
func (c *Client) On(e *Env) *Client {
	cp := *c
	cp.env = e
	return &cp
}
