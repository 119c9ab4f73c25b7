package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"math"
	"testing"
	"time"

	"parksafe/apitest/testimg"
	"parksafe/service"
)

// FuzzExif feeds arbitrary bytes to the EXIF reader as each accepted container and as a bare TIFF
// block: whatever a phone or an attacker uploads, it must neither panic nor report an orientation,
// a time or a position outside their ranges.
func FuzzExif(f *testing.F) {
	jpg := testimg.WithExif(testimg.JPEG(testimg.Gradient(8, 8, 1), 80), testimg.Exif{Orientation: 6,
		DateTimeOriginal: "2026:01:02 03:04:05", OffsetTime: "+08:00", Lat: 31.2, Lng: -121.5, HasGPS: true})
	tiff := jpegExif(bufio.NewReader(bytes.NewReader(jpg)))
	f.Add(jpg)
	f.Add(tiff)
	f.Add(testimg.WithExif(testimg.JPEG(testimg.Gradient(8, 8, 2), 80), testimg.Exif{Orientation: 8, BigEndian: true}))
	png := []byte("\x89PNG\r\n\x1a\n")
	png = binary.BigEndian.AppendUint32(png, uint32(len(tiff)))
	png = append(append(append(png, "eXIf"...), tiff...), 0, 0, 0, 0)
	f.Add(png)
	webp := append([]byte("RIFF\x00\x00\x00\x00WEBPEXIF"), binary.LittleEndian.AppendUint32(nil, uint32(len(tiff)+6))...)
	f.Add(append(append(webp, "Exif\x00\x00"...), tiff...))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00"))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01})

	f.Fuzz(func(t *testing.T, data []byte) {
		infos := []exifInfo{parseTIFF(data, time.UTC)}
		for _, ct := range []string{ctJPEG, ctPNG, ctWebP} {
			infos = append(infos, readExif(bytes.NewReader(data), ct, time.UTC))
		}
		for _, info := range infos {
			if info.Orientation < 0 || info.Orientation > 8 {
				t.Fatalf("orientation %d", info.Orientation)
			}
			if info.TakenAt != nil && !service.InRange(*info.TakenAt) {
				t.Fatalf("taken at %v", info.TakenAt)
			}
			if (info.Lat == nil) != (info.Lng == nil) {
				t.Fatalf("half a position: %v %v", info.Lat, info.Lng)
			}
			if info.Lat != nil && (math.IsNaN(*info.Lat) || math.Abs(*info.Lat) > 90 || math.IsNaN(*info.Lng) || math.Abs(*info.Lng) > 180) {
				t.Fatalf("position %v, %v", *info.Lat, *info.Lng)
			}
		}
	})
}
