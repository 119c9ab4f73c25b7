// Command photoload measures the photo upload pipeline under load: it starts the real ParkSafe app on
// a throw-away SQLite database behind a real HTTP listener, has C clients upload ~5 MB 4000×3000 phone
// photos at once, then fetch them back through their signed links, and reports latency and the
// process's peak resident memory (VmHWM) for each phase.
//
//	go run ./cmd/photoload -c 20 -rounds 3
//
// Photos are stored under a temporary DATA_DIR, or with STORAGE=s3 in the environment in the bucket
// the S3_ variables name (cmd/fakes3 prints such an environment), which is how the local disk and
// object storage are compared on one machine.
//
// The photo is generated in-process first; the peak-RSS counter is then reset (clear_refs), so the
// figure is that of serving the uploads. Client and server share the process, but every request
// streams the same encoded photo (with unique trailing bytes, so each upload is hashed and stored
// afresh), which keeps the client's share of memory to a few buffers.
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"parksafe/apitest/testimg"
	"parksafe/app"
	"parksafe/config"
	"parksafe/wechat"
)

func main() {
	concurrency := flag.Int("c", 20, "concurrent uploads")
	rounds := flag.Int("rounds", 3, "uploads per client")
	quality := flag.Int("q", 88, "JPEG quality of the generated 4000×3000 photo (88: ~5 MB)")
	flag.Parse()
	if err := run(*concurrency, *rounds, *quality); err != nil {
		fmt.Fprintln(os.Stderr, "photoload:", err)
		os.Exit(1)
	}
}

func run(concurrency, rounds, quality int) error {
	dir, err := os.MkdirTemp("", "photoload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := map[string]string{"DATA_DIR": dir, "DB_DSN": filepath.Join(dir, "db.sqlite"), "JWT_SECRET": strings.Repeat("x", 40),
		"ADMIN_PASSWORD": "Admin-pass-2026", "PUBLIC_BASE_URL": "http://localhost"}
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); k == "STORAGE" || strings.HasPrefix(k, "S3_") {
			env[k] = v
		}
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return err
	}
	if err := wechat.Setup(cfg.WeChatAPIBase, cfg.WeChatTimeout); err != nil {
		return err
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.EnsureAdmin(context.Background()); err != nil {
		return err
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	token, err := login(srv.URL)
	if err != nil {
		return err
	}

	photo := testimg.JPEG(testimg.Noisy(4000, 3000, 1), quality)
	head, tail, ct := multipartAround(len(photo))
	runtime.GC()
	debug.FreeOSMemory()
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	base := vmHWM()
	fmt.Printf("photo: 4000x3000 JPEG, %.2f MB; %d clients x %d uploads; GOMAXPROCS=%d; storage %s\n",
		float64(len(photo))/1e6, concurrency, rounds, runtime.GOMAXPROCS(0), cfg.Storage.Kind)
	fmt.Printf("before: VmHWM %d MB (peak reset: %v)\n", base>>20, resetPeak)

	var (
		mu     sync.Mutex
		lat    []time.Duration
		links  []string
		failed atomic.Int64
		seq    atomic.Uint64
		wg     sync.WaitGroup
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for range rounds {
				var unique [8]byte // after the JPEG's end marker: ignored by decoders, changes the hash
				binary.BigEndian.PutUint64(unique[:], seq.Add(1))
				body := io.MultiReader(bytes.NewReader(head), bytes.NewReader(photo), bytes.NewReader(unique[:]), bytes.NewReader(tail))
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/photos", body)
				req.ContentLength = int64(len(head) + len(photo) + len(unique) + len(tail))
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusCreated {
					failed.Add(1)
					if err == nil {
						b, _ := io.ReadAll(resp.Body)
						fmt.Fprintf(os.Stderr, "upload: %d %s\n", resp.StatusCode, b)
					} else {
						fmt.Fprintln(os.Stderr, "upload:", err)
					}
				}
				var created struct {
					URL string `json:"url"`
				}
				if resp != nil {
					json.NewDecoder(resp.Body).Decode(&created)
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				lat = append(lat, d)
				if created.URL != "" {
					links = append(links, srv.URL+strings.TrimPrefix(created.URL, cfg.PublicBaseURL))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	report("uploads", lat, time.Since(start), failed.Load())
	if failed.Load() > 0 {
		return fmt.Errorf("%d uploads failed", failed.Load())
	}

	// Each client fetches its share of the originals through their signed links, as phones opening
	// a hazard's photos do.
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	fmt.Printf("before serving: RSS %d MB\n", vmRSS()>>20)
	lat = lat[:0]
	var next atomic.Int64
	start = time.Now()
	for range concurrency {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(links)); i = next.Add(1) - 1 {
				t0 := time.Now()
				resp, err := client.Get(links[i])
				n := int64(0)
				if err == nil {
					n, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusOK || n != int64(len(photo)+8) {
					failed.Add(1)
					status := 0
					if resp != nil {
						status = resp.StatusCode
					}
					fmt.Fprintf(os.Stderr, "serve: status %d, %d bytes, %v\n", status, n, err)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	report("serves", lat, time.Since(start), failed.Load())
	if failed.Load() > 0 {
		return fmt.Errorf("%d serves failed", failed.Load())
	}
	return nil
}

// report prints the latency and the peak resident memory of one phase.
func report(phase string, lat []time.Duration, wall time.Duration, failed int64) {
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(time.Millisecond)
	}
	fmt.Printf("%s: %d ok, %d failed in %v (%.2f photos/s, %.0f ms of wall time per photo)\n",
		phase, len(lat)-int(failed), failed, wall.Round(time.Millisecond), float64(len(lat))/wall.Seconds(),
		float64(wall.Milliseconds())/float64(len(lat)))
	fmt.Printf("%s latency under load: median %v, p90 %v, max %v\n", phase, pct(0.5), pct(0.9), lat[len(lat)-1].Round(time.Millisecond))
	fmt.Printf("%s peak RSS (VmHWM): %d MB\n", phase, vmHWM()>>20)
}

// multipartAround returns the multipart framing before and after a file part of n bytes.
func multipartAround(n int) (head, tail []byte, contentType string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("latitude", "31.2304")
	w.WriteField("longitude", "121.4737")
	w.CreateFormFile("file", "IMG_0001.jpg")
	head = bytes.Clone(buf.Bytes())
	buf.Reset()
	w.Close()
	return head, bytes.Clone(buf.Bytes()), w.FormDataContentType()
}

func login(base string) (string, error) {
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"Admin-pass-2026"}`))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("login: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken, nil
}

// vmHWM reads the process's peak resident set size, in bytes.
func vmHWM() int64 { return procStatus("VmHWM:") }

// vmRSS reads the process's resident set size, in bytes.
func vmRSS() int64 { return procStatus("VmRSS:") }

// procStatus reads a size in kB from the process's status.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return -1
}
