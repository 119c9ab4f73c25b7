package api_test

// What the mini-program needs from the server on a weak network: compact hazard lists, gzip-compressed
// JSON, and the park's calendar in GET /me.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
)

// longText is a description or requirement as inspectors write them: a few sentences.
var longText = strings.Repeat("二号罐区东侧消防通道堆放废旧托盘约二十个，阻挡消防车通行，", 6)

// reportPage creates n hazards with two discovery photos each and long texts, as a busy week does.
func reportPage(t *testing.T, p *hazardPark, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		p.report(p.ent, map[string]any{"description": longText, "requirement": longText,
			"photo_ids": []uint64{p.env.InsertPhoto(p.insp.UserID()), p.env.InsertPhoto(p.insp.UserID())}})
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

func TestHazardListItemsAreCompact(t *testing.T) {
	p := newHazardPark(t)
	reportPage(t, p, 2)
	r := p.insp.Get("/api/v1/hazards?page_size=20").Want(http.StatusOK)
	var l struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	r.JSON(&l)
	if len(l.Items) != 2 {
		t.Fatalf("items: %d", len(l.Items))
	}
	for _, it := range l.Items {
		for _, long := range []string{"description", "requirement", "photos", "latitude", "reporter"} {
			if _, ok := it[long]; ok {
				t.Fatalf("list item carries %q: %s", long, r.Body)
			}
		}
		var thumb struct {
			ID       uint64 `json:"id"`
			ThumbURL string `json:"thumb_url"`
		}
		if err := json.Unmarshal(it["thumb"], &thumb); err != nil || thumb.ID == 0 || !strings.Contains(thumb.ThumbURL, "/files/photos/") {
			t.Fatalf("thumb: %s", it["thumb"])
		}
		for _, f := range []string{"code", "title", "status_label", "enterprise_name", "deadline", "version"} {
			if _, ok := it[f]; !ok {
				t.Fatalf("list item lacks %q: %s", f, r.Body)
			}
		}
	}
	// The detail keeps everything the list leaves out.
	var id uint64
	_ = json.Unmarshal(l.Items[0]["id"], &id)
	d := p.insp.Get(p.path(id, "")).Want(http.StatusOK)
	if d.Field("description") != longText || len(d.Field("photos").([]any)) != 2 || d.Field("photos.0.url") == "" {
		t.Fatalf("detail lost its fields: %s", d.Body)
	}
}

func TestHazardWithoutPhotoHasNullThumb(t *testing.T) {
	p := newHazardPark(t)
	id := p.report(p.ent, nil)
	// Hazards opened from other records may carry no photo of their own.
	if err := p.env.App.DB.Exec("DELETE FROM photo_links WHERE owner_type = 'hazard' AND owner_id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	r := p.insp.Get("/api/v1/hazards").Want(http.StatusOK)
	if v, ok := r.Field("items.0").(map[string]any)["thumb"]; !ok || v != nil {
		t.Fatalf("thumb of a hazard without photos: %v in %s", v, r.Body)
	}
}

// TestHazardPageFitsOnAWeakNetwork: a page of 20 busy hazards, gzipped, is under 4 KB on the wire.
func TestHazardPageFitsOnAWeakNetwork(t *testing.T) {
	p := newHazardPark(t)
	reportPage(t, p, 20)
	r := p.insp.Get("/api/v1/hazards?page_size=20", "Accept-Encoding", "gzip, deflate, br")
	r.Want(http.StatusOK)
	if r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("not gzipped: %v", r.Header)
	}
	raw := gunzip(t, r.Body)
	var l struct {
		Items []any `json:"items"`
		Total int   `json:"total"`
	}
	if err := json.Unmarshal(raw, &l); err != nil || len(l.Items) != 20 {
		t.Fatalf("page: %v, %d items", err, len(l.Items))
	}
	t.Logf("page of 20: %d bytes JSON, %d bytes gzip", len(raw), len(r.Body))
	if len(r.Body) >= 4096 {
		t.Fatalf("page of 20 is %d bytes gzipped, want under 4096", len(r.Body))
	}
}

func TestGzipOnlyWhenAcceptedAndOnlyForJSON(t *testing.T) {
	p := newHazardPark(t)
	reportPage(t, p, 1)
	for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
		r := p.insp.Get("/api/v1/hazards", "Accept-Encoding", ae).Want(http.StatusOK)
		if r.Header.Get("Content-Encoding") != "" || !json.Valid(r.Body) {
			t.Fatalf("Accept-Encoding %q: encoded %q", ae, r.Header.Get("Content-Encoding"))
		}
	}
	for _, ae := range []string{"gzip", "GZIP;q=0.5", "deflate, gzip;q=1.0"} {
		r := p.insp.Get("/api/v1/me", "Accept-Encoding", ae).Want(http.StatusOK)
		if r.Header.Get("Content-Encoding") != "gzip" || !json.Valid(gunzip(t, r.Body)) {
			t.Fatalf("Accept-Encoding %q: encoded %q", ae, r.Header.Get("Content-Encoding"))
		}
	}
	// Errors are short and stay readable as they are.
	e := p.insp.Get("/api/v1/hazards/999999", "Accept-Encoding", "gzip").WantError(http.StatusNotFound, "not_found")
	if e.Header.Get("Content-Encoding") != "" {
		t.Fatal("error body gzipped")
	}
	// The ledger is a zip file already.
	x := p.insp.Get("/api/v1/hazards/export", "Accept-Encoding", "gzip").Want(http.StatusOK)
	if x.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(x.Body, []byte("PK")) {
		t.Fatalf("ledger encoded %q", x.Header.Get("Content-Encoding"))
	}
}

func TestPhotoFilesAreNeverGzipped(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	id := insp.UploadPhoto(testimg.JPEG(testimg.Gradient(640, 480, 1), 85))
	ph := insp.Get("/api/v1/photos/"+itoa(id), "Accept-Encoding", "gzip").Want(http.StatusOK)
	if ph.Header.Get("Content-Encoding") == "gzip" {
		ph.Body = gunzip(t, ph.Body)
	}
	for _, link := range []string{ph.Field("url").(string), ph.Field("thumb_url").(string)} {
		f := env.Fetch(link, "Accept-Encoding", "gzip").Want(http.StatusOK)
		if f.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(f.Body, []byte{0xff, 0xd8}) {
			t.Fatalf("%s: encoded %q", link, f.Header.Get("Content-Encoding"))
		}
	}
}

func TestMeCarriesTheParkCalendar(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "24h")) // the test moves the clock by hours
	// 23:00 on Sunday 2026-03-08 in the park: ISO week 10, weekday 7.
	env.Clock.Set(time.Date(2026, 3, 8, 15, 0, 0, 0, time.UTC))
	insp := env.Inspector()
	r := insp.Get("/api/v1/me").Want(http.StatusOK)
	if r.Field("park.today") != "2026-03-08" || r.Field("park.week") != "2026-W10" || r.Field("park.weekday").(float64) != 7 ||
		r.Field("park.time_zone") != "Asia/Shanghai" {
		t.Fatalf("Sunday: %s", r.Body)
	}
	if r.Field("role") != "inspector" || r.Field("id").(float64) != float64(insp.UserID()) {
		t.Fatalf("account fields: %s", r.Body)
	}
	// 20:00 UTC that Sunday is already Monday in Shanghai: week 11, whatever the phone's zone says.
	env.Clock.Set(time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC))
	if r := insp.Get("/api/v1/me").Want(http.StatusOK); r.Field("park.today") != "2026-03-09" || r.Field("park.week") != "2026-W11" ||
		r.Field("park.weekday").(float64) != 1 {
		t.Fatalf("Monday: %s", r.Body)
	}
}
