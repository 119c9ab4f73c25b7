// Package testimg makes real image files for tests: JPEG (with a hand-built EXIF block when asked),
// PNG, WebP, and hostile ones such as a PNG whose header claims 20000×20000 pixels.
package testimg

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
)

// WebPLossy and WebPLossless are valid 1×1 WebP files (x/image has no WebP encoder).
var (
	WebPLossy    = mustB64("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
	WebPLossless = mustB64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
)

// SVG is a scalable vector image, which ParkSafe must refuse (it can carry script).
var SVG = []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`)

func mustB64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Gradient is a w×h image with smooth colour gradients and a little texture, so JPEG sizes are
// believable. seed varies the content (different seeds: different bytes).
func Gradient(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			n := uint8((x*7 + y*13 + seed*31) ^ (x * y >> 3))
			img.Pix[img.PixOffset(x, y)+0] = uint8(x*255/max(1, w-1)) ^ n>>3
			img.Pix[img.PixOffset(x, y)+1] = uint8(y*255/max(1, h-1)) ^ n>>4
			img.Pix[img.PixOffset(x, y)+2] = uint8(seed*40) + n>>2
			img.Pix[img.PixOffset(x, y)+3] = 0xFF
		}
	}
	return img
}

// Halves is a w×h image whose left half is left and right half is right, to see orientation.
func Halves(w, h int, left, right color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := left
			if x >= w/2 {
				c = right
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// JPEG encodes img.
func JPEG(img image.Image, quality int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// PNG encodes img.
func PNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Exif describes the EXIF block WithExif writes; zero fields are left out.
type Exif struct {
	Orientation      int
	DateTimeOriginal string // "2006:01:02 15:04:05"
	OffsetTime       string // "+08:00"
	Lat, Lng         float64
	HasGPS           bool
	BigEndian        bool
}

// WithExif inserts an APP1 EXIF segment built from e right after the JPEG's SOI marker.
func WithExif(jpg []byte, e Exif) []byte {
	tiff := e.tiff()
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

type entry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

type ifd []entry

func (d ifd) size() int {
	n := 2 + 12*len(d) + 4
	for _, e := range d {
		if len(e.data) > 4 {
			n += len(e.data) + len(e.data)&1
		}
	}
	return n
}

func (d ifd) write(bo binary.ByteOrder, off int) []byte {
	out := make([]byte, 2+12*len(d)+4)
	bo.PutUint16(out, uint16(len(d)))
	dataOff := off + len(out)
	var data []byte
	for i, e := range d {
		p := out[2+12*i:]
		bo.PutUint16(p, e.tag)
		bo.PutUint16(p[2:], e.typ)
		bo.PutUint32(p[4:], e.count)
		if len(e.data) <= 4 {
			copy(p[8:12], e.data)
			continue
		}
		bo.PutUint32(p[8:], uint32(dataOff+len(data)))
		data = append(data, e.data...)
		if len(e.data)&1 == 1 {
			data = append(data, 0)
		}
	}
	return append(out, data...)
}

func (e Exif) tiff() []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	head := []byte("II\x2a\x00\x08\x00\x00\x00")
	if e.BigEndian {
		bo = binary.BigEndian
		head = []byte("MM\x00\x2a\x00\x00\x00\x08")
	}
	short := func(v uint16) []byte { b := make([]byte, 2); bo.PutUint16(b, v); return b }
	long := func(v uint32) []byte { b := make([]byte, 4); bo.PutUint32(b, v); return b }
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	rational := func(v float64) []byte {
		v = math.Abs(v)
		deg := math.Floor(v)
		mins := math.Floor((v - deg) * 60)
		secs := ((v-deg)*60 - mins) * 60
		b := make([]byte, 24)
		bo.PutUint32(b, uint32(deg))
		bo.PutUint32(b[4:], 1)
		bo.PutUint32(b[8:], uint32(mins))
		bo.PutUint32(b[12:], 1)
		bo.PutUint32(b[16:], uint32(math.Round(secs*10000)))
		bo.PutUint32(b[20:], 10000)
		return b
	}
	var exifIFD, gpsIFD ifd
	if e.DateTimeOriginal != "" {
		exifIFD = append(exifIFD, entry{0x9003, 2, 20, ascii(e.DateTimeOriginal)})
		if e.OffsetTime != "" {
			exifIFD = append(exifIFD, entry{0x9011, 2, uint32(len(e.OffsetTime) + 1), ascii(e.OffsetTime)})
		}
	}
	if e.HasGPS {
		latRef, lngRef := "N", "E"
		if e.Lat < 0 {
			latRef = "S"
		}
		if e.Lng < 0 {
			lngRef = "W"
		}
		gpsIFD = ifd{{1, 2, 2, ascii(latRef)}, {2, 5, 3, rational(e.Lat)}, {3, 2, 2, ascii(lngRef)}, {4, 5, 3, rational(e.Lng)}}
	}
	var ifd0 ifd
	if e.Orientation != 0 {
		ifd0 = append(ifd0, entry{0x0112, 3, 1, short(uint16(e.Orientation))})
	}
	// Sub-IFD pointers are inline values, so IFD0's size is known before their offsets are.
	n0 := len(ifd0)
	if exifIFD != nil {
		ifd0 = append(ifd0, entry{0x8769, 4, 1, long(0)})
	}
	if gpsIFD != nil {
		ifd0 = append(ifd0, entry{0x8825, 4, 1, long(0)})
	}
	off := 8 + ifd0.size()
	i := n0
	if exifIFD != nil {
		ifd0[i].data = long(uint32(off))
		off += exifIFD.size()
		i++
	}
	if gpsIFD != nil {
		ifd0[i].data = long(uint32(off))
	}
	out := append(head, ifd0.write(bo, 8)...)
	if exifIFD != nil {
		out = append(out, exifIFD.write(bo, len(out))...)
	}
	if gpsIFD != nil {
		out = append(out, gpsIFD.write(bo, len(out))...)
	}
	return out
}

// PNGBomb is a tiny PNG whose header claims w×h RGBA pixels: decoding it would need w×h×4 bytes.
func PNGBomb(w, h int) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk(&buf, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 64<<10)) // the first rows, all zero: compresses to almost nothing
	zw.Close()
	chunk(&buf, "IDAT", z.Bytes())
	chunk(&buf, "IEND", nil)
	return buf.Bytes()
}

func chunk(buf *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	buf.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	buf.WriteString(typ)
	buf.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	buf.Write(n[:])
}

// Noisy is a w×h image of gradients with per-pixel noise, which JPEG compresses about as badly as a
// phone photo of a plant road: 4000×3000 at quality 88 is roughly 5 MB.
func Noisy(w, h int, seed uint32) *image.RGBA {
	img := Gradient(w, h, int(seed))
	x := seed*2654435761 + 1
	for i := 0; i < len(img.Pix); i += 4 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] += uint8(x) & 0x1F
		img.Pix[i+1] += uint8(x>>8) & 0x1F
		img.Pix[i+2] += uint8(x>>16) & 0x1F
	}
	return img
}
