package api_test

import (
	"bytes"
	"fmt"
	"image/color"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
)

// sidewaysPhoto is a landscape JPEG of w×h pixels as a phone held upright stores it, with EXIF
// orientation 6 (turn 90° clockwise to view); its left third is red, so once upright the top is.
func sidewaysPhoto(w, h, seed int, quality int) []byte {
	img := testimg.Gradient(w, h, seed)
	for y := range h {
		for x := range w / 3 {
			img.SetRGBA(x, y, color.RGBA{R: 255, A: 255})
		}
	}
	return testimg.WithExif(testimg.JPEG(img, quality), testimg.Exif{Orientation: 6})
}

// TestWeChatImagesStandUpright publishes a notice with portrait phone photos stored sideways (EXIF
// orientation 6), one over WeChat's 1 MB limit and one under it, the larger also as the cover: every
// image the Official Account receives is portrait with the right side up.
func TestWeChatImagesStandUpright(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	large, small := sidewaysPhoto(2400, 1600, 1, 97), sidewaysPhoto(600, 400, 2, 90)
	if len(large) < 1<<20 || len(small) >= 1<<20 {
		t.Fatalf("test photos of %d and %d bytes do not straddle the 1 MB limit", len(large), len(small))
	}
	big, little := admin.UploadPhoto(large), admin.UploadPhoto(small)
	id := createBulletin(t, env, map[string]any{"title": "现场照片", "cover_photo_id": big,
		"content_markdown": fmt.Sprintf("![大图](photo:%d)\n\n![小图](photo:%d)", big, little)})
	before := len(env.WeChat.Requests())
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)

	sent := 0
	for _, req := range env.WeChat.Requests()[before:] {
		if !strings.HasSuffix(req.Path, "media/uploadimg") && !strings.HasSuffix(req.Path, "material/add_material") {
			continue
		}
		sent++
		img, err := jpeg.Decode(bytes.NewReader(req.FileData))
		if err != nil {
			t.Fatalf("%s: %s is not a JPEG: %v", req.Path, req.FileName, err)
		}
		b := img.Bounds()
		if b.Dx() >= b.Dy() || max(b.Dx(), b.Dy()) > 1600 || len(req.FileData) >= 1<<20 {
			t.Errorf("%s: %d×%d, %d bytes: want portrait, at most 1600 pixels and under 1 MB", req.Path, b.Dx(), b.Dy(), len(req.FileData))
			continue
		}
		if !reddish(img.At(b.Dx()/2, b.Dy()/20)) || reddish(img.At(b.Dx()/2, b.Dy()*19/20)) {
			t.Errorf("%s: the red side is not on top", req.Path)
		}
	}
	if sent != 3 {
		t.Fatalf("%d images sent to WeChat, want 3 (cover and two in the text)", sent)
	}
}

func reddish(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0xC000 && g < 0x4000 && b < 0x4000
}

// TestWeChatImagesCarryNoExif: a small upright phone photo with its GPS position in EXIF is published
// without it; the public article must not tell where in the plant it was taken.
func TestWeChatImagesCarryNoExif(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	photo := admin.UploadPhoto(testimg.WithExif(testimg.JPEG(testimg.Gradient(600, 400, 3), 85),
		testimg.Exif{Orientation: 1, HasGPS: true, Lat: 30.2741, Lng: 120.1551, DateTimeOriginal: "2026:11:27 10:00:00"}))
	id := createBulletin(t, env, map[string]any{"title": "现场照片", "content_markdown": fmt.Sprintf("![现场](photo:%d)", photo)})
	before := len(env.WeChat.Requests())
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	sent := 0
	for _, req := range env.WeChat.Requests()[before:] {
		if !strings.HasSuffix(req.Path, "media/uploadimg") {
			continue
		}
		sent++
		if bytes.Contains(req.FileData, []byte("Exif\x00\x00")) {
			t.Errorf("%s: the image sent to WeChat still carries EXIF", req.Path)
		}
	}
	if sent != 1 {
		t.Fatalf("%d images sent, want 1", sent)
	}
}
