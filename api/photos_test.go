package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/api"
	"parksafe/apitest"
	"parksafe/apitest/testimg"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/photo"
)

func decodePhoto(r *apitest.Response) api.PhotoResponse {
	var p api.PhotoResponse
	r.JSON(&p)
	return p
}

func photoCount(t *testing.T, env *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := env.App.DB.Model(&model.Photo{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// blobFiles counts the stored blobs under DATA_DIR/<dir>.
func blobFiles(t *testing.T, env *apitest.Env, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(env.App.Config.DataDir, dir), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func assertNothingStored(t *testing.T, env *apitest.Env) {
	t.Helper()
	if n := photoCount(t, env); n != 0 {
		t.Fatalf("%d photo rows after a refused upload", n)
	}
	if n := blobFiles(t, env, "photos") + blobFiles(t, env, "thumbs"); n != 0 {
		t.Fatalf("%d blobs after a refused upload", n)
	}
	if n := blobFiles(t, env, "tmp"); n != 0 {
		t.Fatalf("%d temporary files left behind", n)
	}
}

func TestPhotoUploadJPEG(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	data := testimg.JPEG(testimg.Gradient(1200, 900, 1), 85)
	r := insp.Upload([]apitest.Part{
		apitest.Field("taken_at", "2026-05-08T09:30:00+08:00"),
		apitest.Field("latitude", "31.2304"),
		apitest.Field("longitude", "121.4737"),
		{Name: "file", Filename: "IMG_0001.png", ContentType: "image/png", Data: data}, // name and type lie
	}).Want(http.StatusCreated)
	p := decodePhoto(r)
	sum := sha256.Sum256(data)
	if p.SHA256 != hex.EncodeToString(sum[:]) || p.Size != int64(len(data)) || p.Width != 1200 || p.Height != 900 || p.ContentType != "image/jpeg" {
		t.Fatalf("photo = %+v", p)
	}
	if p.TakenAt == nil || !p.TakenAt.Equal(time.Date(2026, 5, 8, 1, 30, 0, 0, time.UTC)) || p.Latitude == nil || *p.Latitude != 31.2304 || *p.Longitude != 121.4737 {
		t.Fatalf("device metadata = %v %v %v", p.TakenAt, p.Latitude, p.Longitude)
	}
	if p.ExifTakenAt != nil || p.ExifLatitude != nil {
		t.Fatalf("EXIF metadata from a file without EXIF: %v %v", p.ExifTakenAt, p.ExifLatitude)
	}
	if !strings.HasSuffix(string(r.Field("created_at").(string)), "+08:00") {
		t.Fatalf("created_at not in the park's zone: %v", r.Field("created_at"))
	}

	orig := env.Fetch(p.URL).Want(http.StatusOK)
	if !bytes.Equal(orig.Body, data) || orig.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("original: %d bytes, %s", len(orig.Body), orig.Header.Get("Content-Type"))
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Disposition": "inline"} {
		if got := orig.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if cc := orig.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private, max-age=") || cc == "private, max-age=0" {
		t.Errorf("Cache-Control = %q", cc)
	}
	thumb := env.Fetch(p.ThumbURL).Want(http.StatusOK)
	if thumb.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumbnail Content-Type %q", thumb.Header.Get("Content-Type"))
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb.Body))
	if err != nil || cfg.Width != 480 || cfg.Height != 360 {
		t.Fatalf("thumbnail %dx%d, %v; want 480x360", cfg.Width, cfg.Height, err)
	}
	if thumb.Header.Get("ETag") == orig.Header.Get("ETag") || orig.Header.Get("ETag") == "" {
		t.Fatalf("ETags: %q %q", orig.Header.Get("ETag"), thumb.Header.Get("ETag"))
	}

	// GET /photos/{id} answers the same photo with fresh links.
	got := decodePhoto(insp.Get("/api/v1/photos/" + itoa(p.ID)).Want(http.StatusOK))
	if got.ID != p.ID || got.SHA256 != p.SHA256 || got.URL == "" || got.ThumbURL == "" {
		t.Fatalf("get = %+v", got)
	}
}

func TestPhotoUploadFieldsAfterFile(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	r := insp.Upload([]apitest.Part{
		apitest.File("a.jpg", testimg.JPEG(testimg.Gradient(64, 48, 2), 80)),
		apitest.Field("latitude", "-33.5"),
		apitest.Field("longitude", "-70.25"),
		apitest.Field("unknown", "ignored"),
	}).Want(http.StatusCreated)
	p := decodePhoto(r)
	if p.Latitude == nil || *p.Latitude != -33.5 || *p.Longitude != -70.25 || p.TakenAt != nil {
		t.Fatalf("photo = %+v", p)
	}
	// A bad field after the file is refused too, and nothing more is stored.
	insp.Upload([]apitest.Part{
		apitest.File("b.jpg", testimg.JPEG(testimg.Gradient(64, 48, 3), 80)),
		apitest.Field("latitude", "91"),
		apitest.Field("longitude", "0"),
	}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if n := photoCount(t, env); n != 1 {
		t.Fatalf("%d photos, want 1", n)
	}
}

func TestPhotoUploadPNGAndWebP(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	// A half-transparent PNG: its thumbnail is flattened on white, not black.
	img := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	for i := range img.Pix {
		img.Pix[i] = 0
	}
	for _, tc := range []struct {
		name, ct string
		data     []byte
		w, h     int
	}{
		{"transparent.png", "image/png", testimg.PNG(img), 30, 20},
		{"lossy.webp", "image/webp", testimg.WebPLossy, 1, 1},
		{"lossless.webp", "image/webp", testimg.WebPLossless, 1, 1},
	} {
		p := decodePhoto(insp.Upload([]apitest.Part{apitest.File(tc.name, tc.data)}).Want(http.StatusCreated))
		if p.ContentType != tc.ct || p.Width != tc.w || p.Height != tc.h {
			t.Fatalf("%s: %+v", tc.name, p)
		}
		if got := env.Fetch(p.URL).Want(http.StatusOK); got.Header.Get("Content-Type") != tc.ct || !bytes.Equal(got.Body, tc.data) {
			t.Fatalf("%s: served %s", tc.name, got.Header.Get("Content-Type"))
		}
		th, err := jpeg.Decode(bytes.NewReader(env.Fetch(p.ThumbURL).Want(http.StatusOK).Body))
		if err != nil {
			t.Fatalf("%s: thumbnail: %v", tc.name, err)
		}
		if tc.name == "transparent.png" {
			if r, g, b, _ := th.At(10, 10).RGBA(); r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
				t.Fatalf("transparent pixel rendered as %v, want white", th.At(10, 10))
			}
		}
	}
}

func TestPhotoUploadRefusals(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("MAX_PHOTO_BYTES", "300000"))
	ent := env.EnterpriseUser(env.CreateEnterprise(""))
	good := testimg.JPEG(testimg.Gradient(64, 64, 1), 80)
	big := testimg.JPEG(testimg.Gradient(1000, 1000, 9), 100)
	if len(big) <= 300000 {
		t.Fatalf("test image only %d bytes", len(big))
	}
	for _, tc := range []struct {
		name   string
		parts  []apitest.Part
		status int
		code   string
	}{
		{"text named .jpg", []apitest.Part{apitest.File("photo.jpg", []byte("this is not a photo at all, just text\n"))}, 415, "unsupported_media_type"},
		{"SVG", []apitest.Part{{Name: "file", Filename: "x.svg", ContentType: "image/svg+xml", Data: testimg.SVG}}, 415, "unsupported_media_type"},
		{"SVG named .jpg", []apitest.Part{apitest.File("x.jpg", testimg.SVG)}, 415, "unsupported_media_type"},
		{"GIF", []apitest.Part{apitest.File("x.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))}, 415, "unsupported_media_type"},
		{"truncated JPEG", []apitest.Part{apitest.File("t.jpg", good[:len(good)/2])}, 422, "validation_failed"},
		{"corrupt JPEG header", []apitest.Part{apitest.File("c.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, make([]byte, 40)...))}, 422, "validation_failed"},
		{"truncated PNG", []apitest.Part{apitest.File("t.png", testimg.PNG(testimg.Gradient(50, 50, 1))[:200])}, 422, "validation_failed"},
		{"empty file", []apitest.Part{apitest.File("e.jpg", nil)}, 422, "validation_failed"},
		{"no file", []apitest.Part{apitest.Field("latitude", "30")}, 422, "validation_failed"},
		{"too large", []apitest.Part{apitest.File("big.jpg", big)}, 413, "payload_too_large"},
		{"bomb PNG", []apitest.Part{apitest.File("bomb.png", testimg.PNGBomb(20000, 20000))}, 413, "payload_too_large"},
		{"latitude out of range", []apitest.Part{apitest.Field("latitude", "-90.5"), apitest.Field("longitude", "120"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"longitude out of range", []apitest.Part{apitest.Field("latitude", "30"), apitest.Field("longitude", "180.1"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"latitude without longitude", []apitest.Part{apitest.Field("latitude", "30"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"latitude not a number", []apitest.Part{apitest.Field("latitude", "north"), apitest.Field("longitude", "120"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"NaN latitude", []apitest.Part{apitest.Field("latitude", "NaN"), apitest.Field("longitude", "120"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"taken_at malformed", []apitest.Part{apitest.Field("taken_at", "2026-05-08 09:30"), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"taken_at in the future", []apitest.Part{apitest.Field("taken_at", env.Clock.Now().Add(72*time.Hour).Format(time.RFC3339)), apitest.File("a.jpg", good)}, 422, "validation_failed"},
		{"two files", []apitest.Part{apitest.File("a.jpg", good), apitest.File("b.jpg", good)}, 422, "validation_failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ent.Upload(tc.parts).WantError(tc.status, tc.code)
			assertNothingStored(t, env)
		})
	}

	t.Run("not multipart", func(t *testing.T) {
		ent.Post("/api/v1/photos", map[string]any{"file": "x"}).WantError(415, "unsupported_media_type")
		ent.Do(http.MethodPost, "/api/v1/photos", bytes.NewReader(good), "Content-Type", "image/jpeg").WantError(415, "unsupported_media_type")
	})
	t.Run("declared body too large", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/photos", strings.NewReader(""))
		req.ContentLength = 50 << 20
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Authorization", "Bearer "+ent.Token)
		rec := httptest.NewRecorder()
		env.App.Handler.ServeHTTP(rec, req)
		if rec.Code != 413 || !strings.Contains(rec.Body.String(), "payload_too_large") {
			t.Fatalf("status %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("endless body without length is cut off while reading", func(t *testing.T) {
		body, ct := apitest.Multipart(apitest.File("big.jpg", append(good[:len(good)-2:len(good)-2], make([]byte, 40<<20)...)))
		src := &countingReader{r: bytes.NewReader(body)}
		req := httptest.NewRequest(http.MethodPost, "/api/v1/photos", io.MultiReader(src)) // no Content-Length
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+ent.Token)
		rec := httptest.NewRecorder()
		env.App.Handler.ServeHTTP(rec, req)
		if rec.Code != 413 || !strings.Contains(rec.Body.String(), "payload_too_large") {
			t.Fatalf("status %d %s", rec.Code, rec.Body)
		}
		if src.n > 300000+64<<10+64<<10 {
			t.Fatalf("read %d bytes of a 40 MB body before refusing it", src.n)
		}
		assertNothingStored(t, env)
	})
	t.Run("anonymous", func(t *testing.T) {
		body, ct := apitest.Multipart(apitest.File("a.jpg", good))
		env.Anon().Do(http.MethodPost, "/api/v1/photos", bytes.NewReader(body), "Content-Type", ct).WantError(401, "unauthenticated")
	})
	// The same limits let a good photo through.
	ent.UploadPhoto(good)
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestPhotoExif(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	for _, bigEndian := range []bool{false, true} {
		data := testimg.WithExif(testimg.JPEG(testimg.Halves(40, 20, red, blue), 95), testimg.Exif{
			Orientation: 6, DateTimeOriginal: "2026:05:07 16:20:05", Lat: 30.5, Lng: -120.25, HasGPS: true, BigEndian: bigEndian,
		})
		p := decodePhoto(insp.Upload([]apitest.Part{
			apitest.Field("latitude", "31"), apitest.Field("longitude", "121"), apitest.File("a.jpg", data),
		}).Want(http.StatusCreated))
		// Upright, a 40×20 sensor image turned by orientation 6 is 20 wide and 40 high.
		if p.Width != 20 || p.Height != 40 {
			t.Fatalf("size %dx%d, want 20x40", p.Width, p.Height)
		}
		// Without an offset, the EXIF time is the park's (Asia/Shanghai) wall clock.
		if p.ExifTakenAt == nil || !p.ExifTakenAt.Equal(time.Date(2026, 5, 7, 8, 20, 5, 0, time.UTC)) {
			t.Fatalf("exif_taken_at = %v", p.ExifTakenAt)
		}
		if p.ExifLatitude == nil || math.Abs(*p.ExifLatitude-30.5) > 1e-6 || math.Abs(*p.ExifLongitude+120.25) > 1e-6 {
			t.Fatalf("exif position = %v %v", p.ExifLatitude, p.ExifLongitude)
		}
		if *p.Latitude != 31 || *p.Longitude != 121 || p.TakenAt != nil {
			t.Fatalf("device fields not kept apart: %v %v %v", p.Latitude, p.Longitude, p.TakenAt)
		}
		th, err := jpeg.Decode(bytes.NewReader(env.Fetch(p.ThumbURL).Want(http.StatusOK).Body))
		if err != nil {
			t.Fatal(err)
		}
		if b := th.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
			t.Fatalf("thumbnail %v, want portrait 20x40", b)
		}
		// Turned clockwise, the left (red) half is on top.
		if r, _, b, _ := th.At(10, 5).RGBA(); r < b {
			t.Fatalf("top of the thumbnail is %v, want red", th.At(10, 5))
		}
		if r, _, b, _ := th.At(10, 35).RGBA(); b < r {
			t.Fatalf("bottom of the thumbnail is %v, want blue", th.At(10, 35))
		}
	}
	// An offset in EXIF is honoured.
	data := testimg.WithExif(testimg.JPEG(testimg.Gradient(16, 16, 1), 80), testimg.Exif{DateTimeOriginal: "2026:05:07 16:20:05", OffsetTime: "+02:00"})
	p := decodePhoto(insp.Upload([]apitest.Part{apitest.File("a.jpg", data)}).Want(http.StatusCreated))
	if p.ExifTakenAt == nil || !p.ExifTakenAt.Equal(time.Date(2026, 5, 7, 14, 20, 5, 0, time.UTC)) || p.ExifLatitude != nil {
		t.Fatalf("exif = %v %v", p.ExifTakenAt, p.ExifLatitude)
	}
}

func TestPhotoSignedLinks(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("PHOTO_URL_TTL", "1h"), apitest.WithEnv("ACCESS_TOKEN_TTL", "240h"))
	insp := env.Inspector()
	p := decodePhoto(insp.Upload([]apitest.Part{apitest.File("a.jpg", testimg.JPEG(testimg.Gradient(32, 32, 1), 80))}).Want(http.StatusCreated))
	other := decodePhoto(insp.Upload([]apitest.Part{apitest.File("b.jpg", testimg.JPEG(testimg.Gradient(32, 32, 2), 80))}).Want(http.StatusCreated))
	ok := env.Fetch(p.URL).Want(http.StatusOK)

	u, _ := url.Parse(p.URL)
	q := u.Query()
	tamper := func(path string, set ...string) string {
		v := url.Values{"exp": {q.Get("exp")}, "sig": {q.Get("sig")}}
		for i := 0; i+1 < len(set); i += 2 {
			if set[i+1] == "" {
				v.Del(set[i])
			} else {
				v.Set(set[i], set[i+1])
			}
		}
		return path + "?" + v.Encode()
	}
	flipped := []byte(q.Get("sig"))
	flipped[0] ^= 1
	if flipped[0] == q.Get("sig")[0] {
		t.Fatal("no change")
	}
	for name, path := range map[string]string{
		"signature changed":                       tamper(u.Path, "sig", string(flipped)),
		"signature missing":                       tamper(u.Path, "sig", ""),
		"expiry extended":                         tamper(u.Path, "exp", itoa(uint64(env.Clock.Now().Add(100*24*time.Hour).Unix()))),
		"expiry missing":                          tamper(u.Path, "exp", ""),
		"another photo's id":                      tamper("/files/photos/" + itoa(other.ID) + "/orig"),
		"id with a leading zero":                  tamper("/files/photos/0" + itoa(p.ID) + "/orig"),
		"thumbnail with the original's signature": tamper("/files/photos/" + itoa(p.ID) + "/thumb"),
		"unknown variant":                         tamper("/files/photos/" + itoa(p.ID) + "/raw"),
	} {
		if r := env.Anon().Get(path); r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), `"forbidden"`) {
			t.Errorf("%s: status %d %s", name, r.Status, r.Body)
		}
	}

	// Conditional requests: the ETag is stable, If-None-Match answers 304 without the body.
	etag := ok.Header.Get("ETag")
	nm := env.Fetch(p.URL, "If-None-Match", `"x", `+etag).Want(http.StatusNotModified)
	if len(nm.Body) != 0 || nm.Header.Get("ETag") != etag {
		t.Fatalf("304 with %d bytes, ETag %q", len(nm.Body), nm.Header.Get("ETag"))
	}
	env.Fetch(p.URL, "If-None-Match", `"other"`).Want(http.StatusOK)

	// max-age counts down to the link's expiry.
	env.Clock.Advance(30 * time.Minute)
	if cc := env.Fetch(p.URL).Want(http.StatusOK).Header.Get("Cache-Control"); cc != "private, max-age=1800" && cc != "private, max-age=1799" {
		t.Fatalf("Cache-Control = %q", cc)
	}
	// Past its TTL the link is refused; GET /photos/{id} hands out a fresh one.
	env.Clock.Advance(30*time.Minute + time.Second)
	env.Fetch(p.URL).WantError(http.StatusForbidden, "forbidden")
	env.Fetch(p.ThumbURL).WantError(http.StatusForbidden, "forbidden")
	fresh := decodePhoto(insp.Get("/api/v1/photos/" + itoa(p.ID)).Want(http.StatusOK))
	env.Fetch(fresh.URL).Want(http.StatusOK)
	env.Fetch(fresh.ThumbURL).Want(http.StatusOK)
}

func TestPhotoGetAuthorization(t *testing.T) {
	env := apitest.New(t)
	entA, entB := env.CreateEnterprise(""), env.CreateEnterprise("")
	uploader, colleague, outsider := env.EnterpriseUser(entA), env.EnterpriseUser(entA), env.EnterpriseUser(entB)
	insp, admin := env.Inspector(), env.Admin()
	id := uploader.UploadPhoto(testimg.JPEG(testimg.Gradient(32, 32, 1), 80))
	path := "/api/v1/photos/" + itoa(id)

	uploader.Get(path).Want(http.StatusOK)
	for name, c := range map[string]*apitest.Client{"colleague": colleague, "other enterprise": outsider, "inspector": insp, "admin": admin} {
		if r := c.Get(path); r.Status != http.StatusNotFound {
			t.Fatalf("%s sees an unlinked photo: %d", name, r.Status)
		}
	}
	uploader.Get("/api/v1/photos/999999").WantError(http.StatusNotFound, "not_found")
	uploader.Get("/api/v1/photos/abc").WantError(http.StatusNotFound, "not_found")

	// Linked to a record of enterprise A: staff and A's users see it, B's do not.
	link(t, env, uploader, id, photo.Owner{Type: "test_record", ID: 1, EnterpriseID: &entA})
	for name, c := range map[string]*apitest.Client{"uploader": uploader, "colleague": colleague, "inspector": insp, "admin": admin} {
		if r := c.Get(path); r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	outsider.Get(path).WantError(http.StatusNotFound, "not_found")

	// Also used by a record every signed-in user may see (e.g. a published bulletin).
	link(t, env, uploader, id, photo.Owner{Type: "test_bulletin", ID: 1})
	outsider.Get(path).Want(http.StatusOK)
}

func link(t *testing.T, env *apitest.Env, owner *apitest.Client, id uint64, to photo.Owner) {
	t.Helper()
	a := service.Actor{ID: owner.UserID()}
	if err := photo.Link(env.App.DB, a, to, []uint64{id}, "photo_ids", true, env.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestPhotoIdempotentUpload(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	parts := []apitest.Part{apitest.File("a.jpg", testimg.JPEG(testimg.Gradient(32, 32, 1), 80))}
	first := insp.Upload(parts, "Idempotency-Key", "upload-1").Want(http.StatusCreated)
	again := insp.Upload(parts, "Idempotency-Key", "upload-1").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.ID() != first.ID() {
		t.Fatalf("replay: %s / %s", again.Header.Get("Idempotent-Replayed"), again.Body)
	}
	if n := photoCount(t, env); n != 1 {
		t.Fatalf("%d photos after a retried upload, want 1", n)
	}
	// A refused upload does not use the key up.
	insp.Upload([]apitest.Part{apitest.File("x.jpg", []byte("text"))}, "Idempotency-Key", "upload-2").WantError(415, "unsupported_media_type")
	if r := insp.Upload(parts, "Idempotency-Key", "upload-2").Want(http.StatusCreated); r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatal("a failed attempt was replayed")
	}
}

func TestPhotoIdenticalBytesStoredOnce(t *testing.T) {
	env := apitest.New(t)
	a, b := env.Inspector(), env.Inspector()
	data := testimg.JPEG(testimg.Gradient(64, 64, 5), 80)
	p1 := decodePhoto(a.Upload([]apitest.Part{apitest.Field("latitude", "30"), apitest.Field("longitude", "120"), apitest.File("a.jpg", data)}).Want(http.StatusCreated))
	p2 := decodePhoto(b.Upload([]apitest.Part{apitest.File("b.jpg", data)}).Want(http.StatusCreated))
	if p1.ID == p2.ID || p1.SHA256 != p2.SHA256 || p2.Latitude != nil {
		t.Fatalf("uploads %+v and %+v", p1, p2)
	}
	if o, th := blobFiles(t, env, "photos"), blobFiles(t, env, "thumbs"); o != 1 || th != 1 {
		t.Fatalf("%d originals and %d thumbnails stored, want 1 and 1", o, th)
	}
	env.Fetch(p2.URL).Want(http.StatusOK)

	// Concurrent uploads of one new file: every one is recorded, its bytes are stored once.
	same := testimg.JPEG(testimg.Gradient(64, 64, 6), 80)
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Go(func() { statuses[i] = a.Upload([]apitest.Part{apitest.File("c.jpg", same)}).Status })
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusCreated {
			t.Fatalf("concurrent upload %d: %d", i, st)
		}
	}
	if o, th := blobFiles(t, env, "photos"), blobFiles(t, env, "thumbs"); o != 2 || th != 2 {
		t.Fatalf("%d originals and %d thumbnails stored, want 2 and 2", o, th)
	}
	if n := photoCount(t, env); n != 8 {
		t.Fatalf("%d photos, want 8", n)
	}
}

func TestPhotoPurgeUnlinked(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "240h")) // the test walks the clock past a day
	insp := env.Inspector()
	shared := testimg.JPEG(testimg.Gradient(48, 48, 1), 80)
	kept := insp.UploadPhoto(shared)
	twin := insp.UploadPhoto(shared)
	alone := decodePhoto(insp.Upload([]apitest.Part{apitest.File("c.jpg", testimg.JPEG(testimg.Gradient(48, 48, 2), 80))}).Want(http.StatusCreated))
	link(t, env, insp, kept, photo.Owner{Type: "test_record", ID: 7})

	// Not yet a day old: nothing goes.
	env.Clock.Advance(23 * time.Hour)
	if n, err := env.App.Photos.PurgeUnlinked(t.Context()); err != nil || n != 0 {
		t.Fatalf("early purge removed %d, %v", n, err)
	}
	fresh := insp.UploadPhoto(testimg.JPEG(testimg.Gradient(48, 48, 3), 80))
	env.Clock.Advance(2 * time.Hour)
	n, err := env.App.Photos.PurgeUnlinked(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("purge removed %d, %v; want 2", n, err)
	}
	insp.Get("/api/v1/photos/"+itoa(twin)).WantError(http.StatusNotFound, "not_found")
	insp.Get("/api/v1/photos/"+itoa(alone.ID)).WantError(http.StatusNotFound, "not_found")
	insp.Get("/api/v1/photos/" + itoa(fresh)).Want(http.StatusOK)
	// The linked photo keeps the bytes it shared with its purged twin; the lone photo's are gone.
	p := decodePhoto(insp.Get("/api/v1/photos/" + itoa(kept)).Want(http.StatusOK))
	env.Fetch(p.URL).Want(http.StatusOK)
	env.Fetch(p.ThumbURL).Want(http.StatusOK)
	if o, th := blobFiles(t, env, "photos"), blobFiles(t, env, "thumbs"); o != 2 || th != 2 {
		t.Fatalf("%d originals and %d thumbnails left, want 2 and 2 (kept + fresh)", o, th)
	}
	if _, err := os.Stat(filepath.Join(env.App.Config.DataDir, "photos", alone.SHA256[:2], alone.SHA256+".jpg")); !os.IsNotExist(err) {
		t.Fatalf("lone photo's blob still there: %v", err)
	}
}

// TestPhotoSweepRemovesWhatInterruptedUploadsLeft stands in for a kill in the middle of uploads: a
// staged upload file, a blob's partial write, and a blob whose row was never inserted. The daily
// sweep removes them once they are old enough, and never a blob a photo row owns.
func TestPhotoSweepRemovesWhatInterruptedUploadsLeft(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	owned := decodePhoto(insp.Upload([]apitest.Part{apitest.File("a.jpg", testimg.JPEG(testimg.Gradient(48, 48, 4), 80))}).Want(http.StatusCreated))
	dir := env.App.Config.DataDir
	now := env.Clock.Now()
	write := func(rel string, age time.Duration) string {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	orphan := strings.Repeat("ab", 32)
	young := strings.Repeat("cd", 32)
	day := 24 * time.Hour
	gone := []string{
		write("tmp/upload-123", 2*time.Hour),
		write("photos/ab/.put-456", 2*time.Hour),
		write("photos/ab/"+orphan+".jpg", 2*day),
		write("thumbs/ab/"+orphan+".jpg", 2*day),
	}
	kept := []string{
		write("tmp/upload-789", 10*time.Minute),
		write("photos/cd/.put-012", 10*time.Minute),
		write("photos/cd/"+young+".png", time.Hour),
		filepath.Join(dir, "photos", owned.SHA256[:2], owned.SHA256+".jpg"),
		filepath.Join(dir, "thumbs", owned.SHA256[:2], owned.SHA256+".jpg"),
	}
	// The owned photo's blobs are old too: age alone must not condemn them.
	for _, p := range kept[3:] {
		if err := os.Chtimes(p, now.Add(-30*day), now.Add(-30*day)); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.App.Jobs.Schedule(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Worker.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	env.App.Upkeep(t.Context()) // staged files are the instance's own
	for _, p := range gone {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	env.Fetch(decodePhoto(insp.Get("/api/v1/photos/" + itoa(owned.ID)).Want(http.StatusOK)).ThumbURL).Want(http.StatusOK)
}
