// Package multitest proves that ParkSafe runs as several instances behind a load balancer: it builds
// the server, starts two processes on one MySQL/MariaDB database, one Redis (miniredis, in the test's
// process) and one S3 bucket (gofakes3, in the test's process), and alternates requests between them.
// It needs a database server that two processes can share, so it runs only with TEST_MYSQL_DSN set.
package multitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"gorm.io/gorm"

	"parksafe/apitest/testimg"
	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
	"parksafe/storage/s3test"
)

const (
	adminPassword = "Multi-pass-2026"
	publicBase    = "http://parksafe.lb"
)

// instance is one running ParkSafe process.
type instance struct {
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	mu   sync.Mutex
	logs []map[string]any // its JSON log lines
	errs bytes.Buffer     // its stderr
	up   chan string      // the address it serves on, once
	done chan struct{}    // closed when it has exited
}

// start runs bin with env and reads its log until it says where it serves.
func start(t *testing.T, name, bin string, env []string) *instance {
	t.Helper()
	in := &instance{name: name, up: make(chan string, 1), done: make(chan struct{})}
	in.cmd = exec.Command(bin)
	in.cmd.Env = env
	in.cmd.Stderr = &syncWriter{mu: &in.mu, w: &in.errs}
	out, err := in.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var line map[string]any
			if json.Unmarshal(sc.Bytes(), &line) != nil {
				continue // the banner for people
			}
			in.mu.Lock()
			in.logs = append(in.logs, line)
			in.mu.Unlock()
			if line["msg"] == "ParkSafe is serving" {
				in.up <- line["addr"].(string)
			}
		}
		in.cmd.Wait()
		close(in.done)
	}()
	t.Cleanup(func() {
		in.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.done:
		case <-time.After(10 * time.Second):
			in.cmd.Process.Kill()
			<-in.done
		}
	})
	return in
}

type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// wait returns once in serves, failing t if it stopped first.
func (in *instance) wait(t *testing.T) {
	t.Helper()
	select {
	case addr := <-in.up:
		in.base = "http://" + addr
	case <-in.done:
		in.mu.Lock()
		defer in.mu.Unlock()
		t.Fatalf("instance %s stopped before serving: %s", in.name, in.errs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("instance %s did not serve within a minute", in.name)
	}
}

// jobsDone returns the ids of the jobs in logged as done.
func (in *instance) jobsDone() []uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	var ids []uint64
	for _, l := range in.logs {
		if l["msg"] == "job done" {
			ids = append(ids, uint64(l["job"].(float64)))
		}
	}
	return ids
}

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request to in; body is nil, []byte (sent as is with contentType) or a JSON value.
func (in *instance) do(t *testing.T, method, path, token string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case multipartBody:
		rd, ct = bytes.NewReader(b.data), b.contentType
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, in.base+strings.TrimPrefix(path, publicBase), rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", method, path, in.name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

type multipartBody struct {
	data        []byte
	contentType string
}

func photoForm(data []byte) multipartBody {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, _ := w.CreateFormFile("file", "photo.jpg")
	part.Write(data)
	w.Close()
	return multipartBody{buf.Bytes(), w.FormDataContentType()}
}

type photo struct {
	ID     uint64 `json:"id"`
	SHA256 string `json:"sha256"`
	URL    string `json:"url"`
}

func want(t *testing.T, r response, status int, what string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
}

func TestTwoInstances(t *testing.T) {
	if os.Getenv(dbtest.EnvDSN) == "" {
		t.Skip("two instances share one MySQL/MariaDB database (a SQLite file belongs to one process): set " + dbtest.EnvDSN + " to run this test")
	}
	_, dsn := dbtest.Empty(t)
	redis := miniredis.RunT(t)
	bucket := s3test.New(t)
	bucket.KeepNoRequests()

	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "parksafe")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	common := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"DB_DRIVER=mysql", "DB_DSN=" + dsn, "REDIS_ADDR=" + redis.Addr(),
		"JWT_SECRET=multi-instance-secret-0123456789abcdef", "ADMIN_USERNAME=admin", "ADMIN_PASSWORD=" + adminPassword,
		"PUBLIC_BASE_URL=" + publicBase, "HTTP_ADDR=127.0.0.1:0", "LOG_LEVEL=debug",
	}
	for k, v := range bucket.Env() {
		common = append(common, k+"="+v)
	}
	// Both start at once on the empty database.
	a := start(t, "A", bin, append(common, "DATA_DIR="+t.TempDir()))
	b := start(t, "B", bin, append(common, "DATA_DIR="+t.TempDir()))
	a.wait(t)
	b.wait(t)
	both := []*instance{a, b}

	db, err := database.Open("mysql", dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})

	t.Run("the schema is migrated once", func(t *testing.T) {
		var twice int64
		db.Raw("SELECT COUNT(*) FROM (SELECT version_id FROM " + database.VersionTable + " GROUP BY version_id HAVING COUNT(*) > 1) d").Scan(&twice)
		current, latest, err := database.Version(t.Context(), db)
		if err != nil || current != latest || twice != 0 {
			t.Fatalf("version %d of %d (%v), %d versions recorded more than once", current, latest, err, twice)
		}
		var admins int64
		db.Model(&model.User{}).Where("role = ?", model.RoleAdmin).Count(&admins)
		if admins != 1 {
			t.Fatalf("%d admins created", admins)
		}
	})

	var token string
	login := a.do(t, http.MethodPost, "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": adminPassword})
	want(t, login, http.StatusOK, "sign in on A")
	var session struct {
		AccessToken string `json:"access_token"`
	}
	login.decode(t, &session)
	token = session.AccessToken
	want(t, b.do(t, http.MethodGet, "/api/v1/me", token, nil), http.StatusOK, "A's token on B")

	t.Run("a photo uploaded on A is served by B, and a retry sent to B replays A's answer", func(t *testing.T) {
		data := testimg.JPEG(testimg.Gradient(320, 240, 11), 85)
		first := a.do(t, http.MethodPost, "/api/v1/photos", token, photoForm(data), "Idempotency-Key", "multi-upload-1")
		want(t, first, http.StatusCreated, "upload on A")
		retry := b.do(t, http.MethodPost, "/api/v1/photos", token, photoForm(data), "Idempotency-Key", "multi-upload-1")
		want(t, retry, http.StatusCreated, "the same upload sent again to B")
		if retry.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.body, first.body) {
			t.Fatalf("B did not replay A's answer: %s\nA answered: %s", retry.body, first.body)
		}
		var p photo
		first.decode(t, &p)
		var n int64
		db.Model(&model.Photo{}).Where("sha256 = ?", p.SHA256).Count(&n)
		if n != 1 {
			t.Fatalf("%d photos recorded", n)
		}
		want(t, b.do(t, http.MethodGet, fmt.Sprintf("/api/v1/photos/%d", p.ID), token, nil), http.StatusOK, "the photo on B")
		served := b.do(t, http.MethodGet, p.URL, "", nil)
		want(t, served, http.StatusOK, "the original through its signed link on B")
		if !bytes.Equal(served.body, data) {
			t.Fatal("B served other bytes")
		}
	})

	t.Run("sign-in limits are shared", func(t *testing.T) {
		creds := map[string]string{"username": "no-such-user", "password": "wrong-password"}
		for i := range 5 {
			want(t, both[i%2].do(t, http.MethodPost, "/api/v1/auth/login", "", creds), http.StatusUnauthorized, fmt.Sprintf("failure %d on %s", i+1, both[i%2].name))
		}
		for _, in := range both {
			want(t, in.do(t, http.MethodPost, "/api/v1/auth/login", "", creds), http.StatusTooManyRequests, "a sixth attempt on "+in.name)
		}
	})

	t.Run("a purge on one instance never removes what the other uploaded", func(t *testing.T) {
		// Each instance uploads bytes that the other uploads too; one copy of each pair is a day
		// old and unclaimed, so the purge removes it, whichever instance runs the purge.
		upload := func(in *instance, data []byte) photo {
			t.Helper()
			r := in.do(t, http.MethodPost, "/api/v1/photos", token, photoForm(data))
			want(t, r, http.StatusCreated, "upload on "+in.name)
			var p photo
			r.decode(t, &p)
			return p
		}
		x, y := testimg.JPEG(testimg.Gradient(200, 150, 21), 80), testimg.JPEG(testimg.Gradient(200, 150, 22), 80)
		oldA, oldB := upload(a, x), upload(b, y)
		youngB, youngA := upload(b, x), upload(a, y)
		if err := db.Model(&model.Photo{}).Where("id IN ?", []uint64{oldA.ID, oldB.ID}).
			Update("created_at", time.Now().UTC().Add(-48*time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		job := model.Job{Kind: "photo.purge", Payload: "{}", State: model.JobPending, MaxAttempts: 8, RunAt: time.Now().UTC()}
		if err := db.Create(&job).Error; err != nil {
			t.Fatal(err)
		}
		waitFor(t, db, "the purge", func(tx *gorm.DB) bool {
			var j model.Job
			return tx.First(&j, job.ID).Error == nil && j.State == model.JobDone
		})
		ranOn := ""
		for _, in := range both {
			for _, id := range in.jobsDone() {
				if id == job.ID {
					ranOn += in.name
				}
			}
		}
		if len(ranOn) != 1 {
			t.Fatalf("the purge ran on %q", ranOn)
		}
		t.Logf("the purge ran on instance %s", ranOn)
		var left []uint64
		db.Model(&model.Photo{}).Where("id IN ?", []uint64{oldA.ID, oldB.ID, youngA.ID, youngB.ID}).Order("id").Pluck("id", &left)
		if fmt.Sprint(left) != fmt.Sprint([]uint64{youngB.ID, youngA.ID}) {
			t.Fatalf("photos left %v, want the young ones %d and %d", left, youngB.ID, youngA.ID)
		}
		for _, p := range []photo{youngA, youngB} {
			for _, in := range both {
				want(t, in.do(t, http.MethodGet, p.URL, "", nil), http.StatusOK, fmt.Sprintf("photo %d on %s after the purge", p.ID, in.name))
			}
		}
	})

	t.Run("each periodic job runs once", func(t *testing.T) {
		periodic := func(tx *gorm.DB) []model.Job {
			var jobs []model.Job
			tx.Where("dedupe_key LIKE ?", "every:%").Find(&jobs)
			return jobs
		}
		waitFor(t, db, "the periodic jobs", func(tx *gorm.DB) bool {
			jobs := periodic(tx)
			for _, j := range jobs {
				if j.State == model.JobPending && !j.RunAt.After(time.Now()) || j.State == model.JobRunning {
					return false
				}
			}
			return len(jobs) > 0
		})
		runs := map[uint64][]string{}
		for _, in := range both {
			for _, id := range in.jobsDone() {
				runs[id] = append(runs[id], in.name)
			}
		}
		ran := 0
		for _, j := range periodic(db) {
			if j.RunAt.After(time.Now()) {
				continue // scheduled for a later period
			}
			if j.State != model.JobDone || j.Attempts != 1 || len(runs[j.ID]) != 1 {
				t.Errorf("%s (%s): %s after %d attempts, run by %v", j.Kind, *j.DedupeKey, j.State, j.Attempts, runs[j.ID])
			}
			ran++
		}
		t.Logf("%d periodic jobs, each run once between the two instances", ran)
	})
}

// waitFor polls cond until it holds; the bound is generous, for a shared machine, and not a measure.
func waitFor(t *testing.T, db *gorm.DB, what string, cond func(*gorm.DB) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for !cond(db.WithContext(ctx)) {
		select {
		case <-ctx.Done():
			t.Fatalf("%s did not finish within 30 s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
