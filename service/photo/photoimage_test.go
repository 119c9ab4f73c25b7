package photo

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"parksafe/apitest/testimg"
)

func TestSniffImage(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"jpeg", testimg.JPEG(testimg.Gradient(8, 8, 1), 80), ctJPEG},
		{"png", testimg.PNG(testimg.Gradient(8, 8, 1)), ctPNG},
		{"webp", testimg.WebPLossy, ctWebP},
		{"svg", testimg.SVG, ""},
		{"riff but not webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt "), ""},
		{"text", []byte("hello"), ""},
		{"two bytes of jpeg", []byte{0xFF, 0xD8}, ""},
	} {
		if got := sniffImage(tc.data[:min(len(tc.data), sniffLen)]); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReadExif(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	base := testimg.JPEG(testimg.Gradient(16, 8, 1), 80)
	for _, bigEndian := range []bool{false, true} {
		data := testimg.WithExif(base, testimg.Exif{Orientation: 6, DateTimeOriginal: "2026:01:02 03:04:05", Lat: -33.8568, Lng: 151.2153, HasGPS: true, BigEndian: bigEndian})
		info := readExif(bytes.NewReader(data), ctJPEG, shanghai)
		if info.Orientation != 6 {
			t.Errorf("orientation %d", info.Orientation)
		}
		if info.TakenAt == nil || !info.TakenAt.Equal(time.Date(2026, 1, 1, 19, 4, 5, 0, time.UTC)) {
			t.Errorf("taken at %v", info.TakenAt)
		}
		if info.Lat == nil || math.Abs(*info.Lat+33.8568) > 1e-6 || math.Abs(*info.Lng-151.2153) > 1e-6 {
			t.Errorf("position %v %v", info.Lat, info.Lng)
		}
	}
	if info := readExif(bytes.NewReader(base), ctJPEG, shanghai); info != (exifInfo{}) {
		t.Errorf("no EXIF read as %+v", info)
	}
	// "0000:00:00 00:00:00", as some cameras write, is no time at all.
	data := testimg.WithExif(base, testimg.Exif{DateTimeOriginal: "0000:00:00 00:00:00"})
	if info := readExif(bytes.NewReader(data), ctJPEG, shanghai); info.TakenAt != nil {
		t.Errorf("zero date read as %v", info.TakenAt)
	}
}

// TestReadExifHostile feeds every truncation and many corruptions of an EXIF block to the parser,
// which must neither panic nor read out of bounds.
func TestReadExifHostile(t *testing.T) {
	data := testimg.WithExif(testimg.JPEG(testimg.Gradient(8, 8, 1), 80), testimg.Exif{Orientation: 3, DateTimeOriginal: "2026:01:02 03:04:05", OffsetTime: "+08:00", Lat: 1, Lng: 2, HasGPS: true})
	for n := range len(data) {
		readExif(bytes.NewReader(data[:n]), ctJPEG, time.UTC)
	}
	for i := 4; i < 300 && i < len(data); i++ {
		for _, v := range []byte{0x00, 0xFF, 0x7F, 0x80} {
			c := bytes.Clone(data)
			c[i] = v
			readExif(bytes.NewReader(c), ctJPEG, time.UTC)
		}
	}
	for _, tiff := range [][]byte{nil, []byte("II"), []byte("II\x2a\x00\xff\xff\xff\xff"), []byte("MM\x00\x2a\x00\x00\x00\x08\xff\xff")} {
		parseTIFF(tiff, time.UTC)
	}
}

func TestThumbnail(t *testing.T) {
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	for _, tc := range []struct {
		name        string
		src         image.Image
		orientation int
		w, h        int
		topIsRed    bool
		leftIsRed   bool
		checkTop    bool
		checkLeft   bool
	}{
		{name: "large landscape", src: testimg.Gradient(4000, 3000, 1), w: 480, h: 360},
		{name: "large portrait", src: testimg.Gradient(1000, 3000, 1), w: 160, h: 480},
		{name: "small is not enlarged", src: testimg.Gradient(40, 20, 1), w: 40, h: 20},
		{name: "orientation 6", src: testimg.Halves(40, 20, red, blue), orientation: 6, w: 20, h: 40, topIsRed: true, checkTop: true},
		{name: "orientation 8", src: testimg.Halves(40, 20, red, blue), orientation: 8, w: 20, h: 40, topIsRed: false, checkTop: true},
		{name: "orientation 3", src: testimg.Halves(40, 20, red, blue), orientation: 3, w: 40, h: 20, leftIsRed: false, checkLeft: true},
		{name: "orientation 2", src: testimg.Halves(40, 20, red, blue), orientation: 2, w: 40, h: 20, leftIsRed: false, checkLeft: true},
		{name: "orientation 1", src: testimg.Halves(40, 20, red, blue), orientation: 1, w: 40, h: 20, leftIsRed: true, checkLeft: true},
		{name: "large, turned", src: testimg.Halves(4000, 3000, red, blue), orientation: 6, w: 360, h: 480, topIsRed: true, checkTop: true},
	} {
		th := thumbnail(tc.src, tc.orientation, ThumbLongSide)
		if b := th.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
			t.Errorf("%s: %v, want %dx%d", tc.name, b, tc.w, tc.h)
			continue
		}
		isRed := func(x, y int) bool { c := th.RGBAAt(x, y); return c.R > c.B }
		if tc.checkTop && isRed(tc.w/2, 2) != tc.topIsRed {
			t.Errorf("%s: top pixel %v", tc.name, th.RGBAAt(tc.w/2, 2))
		}
		if tc.checkLeft && isRed(2, tc.h/2) != tc.leftIsRed {
			t.Errorf("%s: left pixel %v", tc.name, th.RGBAAt(2, tc.h/2))
		}
	}
}

// TestBoxShrinkAverages checks the box filter's arithmetic on a known pattern.
func TestBoxShrinkAverages(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 4, 2))
	copy(src.Pix, []byte{0, 100, 200, 200, 100, 200, 200, 200})
	got := boxShrink(src, 2)
	if b := got.Bounds(); b.Dx() != 2 || b.Dy() != 1 {
		t.Fatalf("bounds %v", b)
	}
	if c := got.RGBAAt(0, 0); c.R != 100 || c.A != 255 {
		t.Fatalf("left block %v, want 100", c)
	}
	if c := got.RGBAAt(1, 0); c.R != 200 {
		t.Fatalf("right block %v, want 200", c)
	}
}

// TestBoxShrinkYCbCrMatchesGeneric compares the YCbCr fast path with converting first, for every
// subsampling ratio and an odd origin (where chroma indexing goes wrong first).
func TestBoxShrinkYCbCrMatchesGeneric(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410}
	for _, ratio := range ratios {
		full := image.NewYCbCr(image.Rect(0, 0, 64, 48), ratio)
		for i := range full.Y {
			full.Y[i] = uint8(60 + i*7%120) // away from the extremes, where RGB clamping is not affine
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = uint8(110+i%30), uint8(150-i%30)
		}
		src := full.SubImage(image.Rect(3, 5, 64, 48)).(*image.YCbCr)
		fast := boxShrinkYCbCr(src, 4)
		// The generic path: convert every pixel to RGBA, then average.
		rgba := image.NewRGBA(image.Rect(0, 0, src.Bounds().Dx(), src.Bounds().Dy()))
		for y := range rgba.Bounds().Dy() {
			for x := range rgba.Bounds().Dx() {
				rgba.Set(x, y, src.At(src.Bounds().Min.X+x, src.Bounds().Min.Y+y))
			}
		}
		slow := boxShrink(rgba, 4)
		if fast.Bounds() != slow.Bounds() {
			t.Fatalf("%v: bounds %v vs %v", ratio, fast.Bounds(), slow.Bounds())
		}
		for i := range fast.Pix {
			if d := int(fast.Pix[i]) - int(slow.Pix[i]); d > 3 || d < -3 {
				t.Fatalf("%v: byte %d is %d, converting first gives %d", ratio, i, fast.Pix[i], slow.Pix[i])
			}
		}
	}
}
