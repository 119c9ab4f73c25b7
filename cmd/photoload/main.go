// Command photoload measures the photo upload pipeline under load: it starts the real ParkSafe app on
// a throw-away SQLite database behind a real HTTP listener, has C clients upload ~5 MB 4000×3000 phone
// photos at once, and reports latency and the process's peak resident memory (VmHWM).
//
//	go run ./cmd/photoload -c 20 -rounds 3
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
	fmt.Printf("photo: 4000x3000 JPEG, %.2f MB; %d clients x %d uploads; GOMAXPROCS=%d\n",
		float64(len(photo))/1e6, concurrency, rounds, runtime.GOMAXPROCS(0))
	fmt.Printf("before: VmHWM %d MB (peak reset: %v)\n", base>>20, resetPeak)

	var (
		mu     sync.Mutex
		lat    []time.Duration
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
				if resp != nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(time.Millisecond)
	}
	fmt.Printf("uploads: %d ok, %d failed in %v (%.2f photos/s, %.0f ms of wall time per photo)\n",
		len(lat)-int(failed.Load()), failed.Load(), wall.Round(time.Millisecond), float64(len(lat))/wall.Seconds(),
		float64(wall.Milliseconds())/float64(len(lat)))
	fmt.Printf("latency under load: median %v, p90 %v, max %v\n", pct(0.5), pct(0.9), lat[len(lat)-1].Round(time.Millisecond))
	fmt.Printf("peak RSS (VmHWM): %d MB\n", vmHWM()>>20)
	if failed.Load() > 0 {
		return fmt.Errorf("%d uploads failed", failed.Load())
	}
	return nil
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
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return -1
}
