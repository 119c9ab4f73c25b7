// Command benchlists measures every hazard list view of a running server: each filter in each sort,
// deep pages, searches and the other lists, one request at a time (median of a few) and at many
// connections for a short while, and prints a Markdown table. It is bounded in time: about
// views × (duration + a second).
//
//	go run ./cmd/benchlists -url http://127.0.0.1:8089 -password Bench-pass-2026 -c 64 -d 3s
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

type view struct {
	name, path string
	load       bool // also measured at -c connections
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8089", "server address")
	user := flag.String("user", "admin", "username")
	password := flag.String("password", "", "password")
	conns := flag.Int("c", 64, "connections for the load runs")
	dur := flag.Duration("d", 3*time.Second, "duration of each load run")
	ent := flag.Int("enterprise", 1, "enterprise id for the filtered views")
	only := flag.String("only", "", "measure only the views whose name matches this regular expression")
	flag.Parse()

	token := login(*base, *user, *password)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns * 2}, Timeout: time.Minute}
	get := func(path string) (int, []byte, time.Duration) {
		req, _ := http.NewRequest(http.MethodGet, *base+"/api/v1"+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, b, time.Since(start)
	}

	var views []view
	filters := []struct{ name, q string }{
		{"everything", ""},
		{"enterprise + status", fmt.Sprintf("enterprise_id=%d&status=pending_rectify", *ent)},
		{"status", "status=closed"},
		{"enterprise", fmt.Sprintf("enterprise_id=%d", *ent)},
		{"level", "level=major"},
		{"category", "category=fire"},
		{"source", "source=special_check"},
		{"overdue", "overdue=true"},
		{"not overdue", "overdue=false"},
		{"from/to (one quarter)", "from=2025-04-01&to=2025-06-30"},
	}
	for _, f := range filters {
		for _, sort := range []string{"-created_at", "created_at", "deadline", "-deadline"} {
			views = append(views, view{f.name + ", " + sort, "/hazards?page_size=20&sort=" + sort + "&" + f.q, true})
		}
	}
	views = append(views,
		view{"page 500 (rows 9,981–10,000)", "/hazards?page_size=20&page=500", true},
		view{"page 2000 (refused: 422, use the cursor)", "/hazards?page_size=20&page=2000", false},
	)
	// A cursor 10,000 rows deep, reached by scrolling as the mini-program does.
	after := ""
	for range 100 {
		_, b, _ := get("/hazards?page_size=100&after=" + url.QueryEscape(after))
		var l struct{ Next *string }
		json.Unmarshal(b, &l)
		if l.Next == nil {
			break
		}
		after = *l.Next
	}
	views = append(views, view{"cursor after 10,000 rows", "/hazards?page_size=20&after=" + url.QueryEscape(after), true})
	// Common, rarer and rare terms (the seeder's vocabulary), one character, and a day's codes.
	for _, q := range []string{"罐区", "动火", "报警器", "氯气", "区", "YH-20250312"} {
		views = append(views, view{"q=" + q, "/hazards?page_size=20&q=" + url.QueryEscape(q), true})
	}
	views = append(views,
		view{fmt.Sprintf("q=罐区, enterprise %d", *ent), fmt.Sprintf("/hazards?page_size=20&enterprise_id=%d&q=", *ent) + url.QueryEscape("罐区"), true},
		view{"q=罐区, sort deadline", "/hazards?page_size=20&sort=deadline&q=" + url.QueryEscape("罐区"), true},
		view{"/stats/trend", "/stats/trend", true},
		view{"/notifications", "/notifications", true},
		view{"/hygiene-checks", "/hygiene-checks", true},
		view{"/leader-inspections", "/leader-inspections", true},
		view{"/interviews", "/interviews", true},
		view{"/bulletins", "/bulletins", true},
	)

	fmt.Printf("| view | status | single request (median of 5) | %d connections: req/s · p50 · p99 |\n|---|---|---|---|\n", *conns)
	match := regexp.MustCompile(*only)
	for _, v := range views {
		if !match.MatchString(v.name) {
			continue
		}
		var singles []time.Duration
		status := 0
		for range 5 {
			s, _, d := get(v.path)
			status = s
			singles = append(singles, d)
		}
		slices.Sort(singles)
		load := "—"
		if v.load && status == http.StatusOK {
			rps, p50, p99 := hammer(get, v.path, *conns, *dur)
			load = fmt.Sprintf("%.0f · %s · %s", rps, ms(p50), ms(p99))
		}
		fmt.Printf("| %s | %d | %s | %s |\n", v.name, status, ms(singles[2]), load)
	}
}

// hammer sends path from n connections for d and returns the rate and the median and 99th
// percentile latency.
func hammer(get func(string) (int, []byte, time.Duration), path string, n int, d time.Duration) (float64, time.Duration, time.Duration) {
	var mu sync.Mutex
	var lat []time.Duration
	var failed atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(stop) {
				s, _, t := get(path)
				if s != http.StatusOK {
					failed.Add(1)
				}
				mine = append(mine, t)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		fmt.Fprintf(os.Stderr, "%s: %d failed requests\n", path, f)
	}
	slices.Sort(lat)
	if len(lat) == 0 {
		return 0, 0, 0
	}
	return float64(len(lat)) / d.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100]
}

func ms(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func login(base, user, password string) string {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		log.Fatalf("login: status %d", resp.StatusCode)
	}
	return out.AccessToken
}
