package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"strings"
	"time"

	"parksafe/service"
)

// exifInfo is what ParkSafe reads from a photo's EXIF block: how to turn it upright, when it was
// taken and where. Any part may be missing; a malformed block yields what could be read safely.
type exifInfo struct {
	Orientation int // 1..8 as in TIFF; 0 when absent
	TakenAt     *time.Time
	Lat, Lng    *float64
}

// maxExifBytes bounds how much of a container chunk is read as EXIF (a JPEG APP1 segment cannot
// exceed 64 KiB; other containers are held to the same).
const maxExifBytes = 64 << 10

// readExif finds the EXIF block in a JPEG, PNG or WebP stream and parses it. loc is the zone a
// capture time without an offset is read in (the park's: the phones are there).
func readExif(r io.Reader, contentType string, loc *time.Location) exifInfo {
	br := bufio.NewReaderSize(r, 4096)
	var tiff []byte
	switch contentType {
	case ctJPEG:
		tiff = jpegExif(br)
	case ctPNG:
		tiff = pngExif(br)
	case ctWebP:
		tiff = webpExif(br)
	}
	if tiff == nil {
		return exifInfo{}
	}
	return parseTIFF(tiff, loc)
}

// jpegExif walks the JPEG markers up to the image data looking for an APP1 "Exif" segment.
func jpegExif(br *bufio.Reader) []byte {
	if _, err := br.Discard(2); err != nil { // SOI
		return nil
	}
	for {
		var m [4]byte
		if _, err := io.ReadFull(br, m[:2]); err != nil || m[0] != 0xFF {
			return nil
		}
		for m[1] == 0xFF { // fill bytes
			b, err := br.ReadByte()
			if err != nil {
				return nil
			}
			m[1] = b
		}
		if m[1] == 0xD8 || (m[1] >= 0xD0 && m[1] <= 0xD7) || m[1] == 0x01 {
			continue // markers without a length
		}
		if m[1] == 0xDA || m[1] == 0xD9 { // start of scan, end of image: no EXIF ahead
			return nil
		}
		if _, err := io.ReadFull(br, m[2:4]); err != nil {
			return nil
		}
		n := int(binary.BigEndian.Uint16(m[2:4])) - 2
		if n < 0 {
			return nil
		}
		if m[1] != 0xE1 || n < 6 {
			if _, err := br.Discard(n); err != nil {
				return nil
			}
			continue
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(br, seg); err != nil {
			return nil
		}
		if bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
	}
}

// pngExif looks for the eXIf chunk.
func pngExif(br *bufio.Reader) []byte {
	if _, err := br.Discard(8); err != nil {
		return nil
	}
	for {
		var h [8]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return nil
		}
		n := int64(binary.BigEndian.Uint32(h[:4]))
		switch string(h[4:]) {
		case "eXIf":
			if n > maxExifBytes {
				return nil
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(br, buf); err != nil {
				return nil
			}
			return buf
		case "IEND":
			return nil
		}
		if _, err := br.Discard(int(n) + 4); err != nil { // data + CRC
			return nil
		}
	}
}

// webpExif looks for the EXIF chunk of an extended WebP.
func webpExif(br *bufio.Reader) []byte {
	if _, err := br.Discard(12); err != nil { // RIFF size WEBP
		return nil
	}
	for {
		var h [8]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return nil
		}
		n := int64(binary.LittleEndian.Uint32(h[4:]))
		if string(h[:4]) == "EXIF" {
			if n > maxExifBytes {
				return nil
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(br, buf); err != nil {
				return nil
			}
			return bytes.TrimPrefix(buf, []byte("Exif\x00\x00"))
		}
		if _, err := br.Discard(int(n + n&1)); err != nil { // chunks are padded to even sizes
			return nil
		}
	}
}

// TIFF tags ParkSafe reads.
const (
	tagOrientation        = 0x0112
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	tagGPSLatRef          = 0x0001
	tagGPSLat             = 0x0002
	tagGPSLngRef          = 0x0003
	tagGPSLng             = 0x0004
)

// tiff reads a TIFF structure with every offset bounds-checked, since the bytes come from anyone.
type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

type ifdEntry struct {
	typ   uint16
	count uint32
	value []byte // the entry's value bytes, inline or at their offset
}

var tiffTypeSize = map[uint16]uint32{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}

// ifd reads the directory at off into tag → entry; entries with bad offsets are skipped.
func (t tiff) ifd(off uint32) map[uint16]ifdEntry {
	if uint64(off)+2 > uint64(len(t.b)) {
		return nil
	}
	n := int(t.bo.Uint16(t.b[off:]))
	out := make(map[uint16]ifdEntry, min(n, 64))
	for i := range min(n, 512) {
		p := uint64(off) + 2 + uint64(i)*12
		if p+12 > uint64(len(t.b)) {
			break
		}
		e := t.b[p : p+12]
		typ, count := t.bo.Uint16(e[2:]), t.bo.Uint32(e[4:])
		size, ok := tiffTypeSize[typ]
		if !ok || count > maxExifBytes {
			continue
		}
		total := uint64(size) * uint64(count)
		var val []byte
		if total <= 4 {
			val = e[8 : 8+total]
		} else {
			vo := uint64(t.bo.Uint32(e[8:]))
			if vo+total > uint64(len(t.b)) {
				continue
			}
			val = t.b[vo : vo+total]
		}
		out[t.bo.Uint16(e)] = ifdEntry{typ: typ, count: count, value: val}
	}
	return out
}

func (t tiff) uint(e ifdEntry) (uint32, bool) {
	switch {
	case e.typ == 3 && e.count >= 1:
		return uint32(t.bo.Uint16(e.value)), true
	case e.typ == 4 && e.count >= 1:
		return t.bo.Uint32(e.value), true
	}
	return 0, false
}

func (t tiff) ascii(e ifdEntry) string {
	if e.typ != 2 {
		return ""
	}
	return strings.TrimRight(string(e.value), "\x00 ")
}

// rationals reads unsigned rationals; a zero denominator makes the whole value unusable.
func (t tiff) rationals(e ifdEntry) ([]float64, bool) {
	if e.typ != 5 {
		return nil, false
	}
	out := make([]float64, e.count)
	for i := range out {
		num, den := t.bo.Uint32(e.value[i*8:]), t.bo.Uint32(e.value[i*8+4:])
		if den == 0 {
			return nil, false
		}
		out[i] = float64(num) / float64(den)
	}
	return out, true
}

// parseTIFF reads orientation, capture time and coordinates from an EXIF TIFF block.
func parseTIFF(b []byte, loc *time.Location) exifInfo {
	var info exifInfo
	if len(b) < 8 {
		return info
	}
	t := tiff{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return info
	}
	if t.bo.Uint16(b[2:]) != 42 {
		return info
	}
	ifd0 := t.ifd(t.bo.Uint32(b[4:]))
	if v, ok := t.uint(ifd0[tagOrientation]); ok && v >= 1 && v <= 8 {
		info.Orientation = int(v)
	}
	if off, ok := t.uint(ifd0[tagExifIFD]); ok {
		exif := t.ifd(off)
		info.TakenAt = exifTime(t.ascii(exif[tagDateTimeOriginal]), t.ascii(exif[tagOffsetTimeOriginal]), loc)
	}
	if off, ok := t.uint(ifd0[tagGPSIFD]); ok {
		gps := t.ifd(off)
		lat, okLat := gpsCoord(t, gps[tagGPSLat], t.ascii(gps[tagGPSLatRef]), "S", 90)
		lng, okLng := gpsCoord(t, gps[tagGPSLng], t.ascii(gps[tagGPSLngRef]), "W", 180)
		if okLat && okLng {
			info.Lat, info.Lng = &lat, &lng
		}
	}
	return info
}

// exifTime parses "YYYY:MM:DD HH:MM:SS" in the given offset ("+08:00"), or in loc without one.
func exifTime(s, offset string, loc *time.Location) *time.Time {
	if s == "" {
		return nil
	}
	if offset != "" {
		if t, err := time.Parse("2006:01:02 15:04:05-07:00", s+offset); err == nil && service.InRange(t) {
			u := t.UTC()
			return &u
		}
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", s, loc)
	if err != nil || !service.InRange(t) {
		return nil // includes the "0000:00:00 00:00:00" some cameras write, and "0000:01:01"
	}
	u := t.UTC()
	return &u
}

// gpsCoord turns degrees, minutes, seconds and a hemisphere into signed decimal degrees.
func gpsCoord(t tiff, e ifdEntry, ref, negative string, limit float64) (float64, bool) {
	dms, ok := t.rationals(e)
	if !ok || len(dms) != 3 {
		return 0, false
	}
	v := dms[0] + dms[1]/60 + dms[2]/3600
	if strings.EqualFold(ref, negative) {
		v = -v
	}
	if math.IsNaN(v) || math.Abs(v) > limit {
		return 0, false
	}
	return v, true
}
