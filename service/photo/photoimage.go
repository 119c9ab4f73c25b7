package photo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// The only content types accepted, decided from the bytes.
const (
	ctJPEG = "image/jpeg"
	ctPNG  = "image/png"
	ctWebP = "image/webp"
)

// sniffLen is how many leading bytes sniffImage needs.
const sniffLen = 12

// sniffImage names the image format from the file's magic bytes, or "" for anything else (SVG, text,
// GIF, HEIC…). The name and the declared content type of an upload are never consulted.
func sniffImage(head []byte) string {
	switch {
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return ctJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return ctPNG
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return ctWebP
	}
	return ""
}

func extOf(contentType string) string {
	switch contentType {
	case ctPNG:
		return ".png"
	case ctWebP:
		return ".webp"
	}
	return ".jpg"
}

// codecs are the decoders of the accepted types. DecodeConfig reads only the header: dimensions and
// colour model, before any pixel is allocated.
var codecs = map[string]struct {
	DecodeConfig func(io.Reader) (image.Config, error)
	Decode       func(io.Reader) (image.Image, error)
}{
	ctJPEG: {jpeg.DecodeConfig, jpeg.Decode},
	ctPNG:  {png.DecodeConfig, png.Decode},
	ctWebP: {webp.DecodeConfig, webp.Decode},
}

// decodedBytes estimates the memory a decoded image takes, which is what the decode semaphore
// rations.
func decodedBytes(cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch cfg.ColorModel {
	case color.GrayModel, color.AlphaModel:
		return px
	case color.YCbCrModel:
		return px * 3 // 4:4:4 at worst
	case color.Gray16Model, color.Alpha16Model:
		return px * 2
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return px * 4
	}
	if _, ok := cfg.ColorModel.(color.Palette); ok {
		return px
	}
	return px * 8
}

// orientedSize is the size of a w×h image once turned upright: orientations 5 to 8 swap the sides.
func orientedSize(w, h, orientation int) (int, int) {
	if orientation >= 5 {
		return h, w
	}
	return w, h
}

// upright decodes the image r holds (of contentType, decodeBytes once decoded) under the decode
// budget and renders it upright for orientation, its long side at most long, flattened on white. It
// is the one way a photo is re-rendered, for thumbnails and for the copies sent to WeChat alike, so
// that every rendition stands the right way up and no path decodes outside the budget. A stream
// that does not decode is errPhotoCorrupt.
func (s *Service) upright(ctx context.Context, r io.Reader, contentType string, decodeBytes int64, orientation, long int) (*image.RGBA, error) {
	codec, ok := codecs[contentType]
	if !ok {
		return nil, errPhotoType
	}
	weight := min(decodeBytes, s.cfg.DecodeBudget)
	if err := s.decode.Acquire(ctx, weight); err != nil {
		return nil, err
	}
	defer s.decode.Release(weight)
	img, err := codec.Decode(r)
	if err != nil {
		return nil, errPhotoCorrupt
	}
	return thumbnail(img, orientation, long), nil
}

// thumbnail renders src upright with its long side at most long pixels, flattened on white (JPEG has
// no transparency). Large images are first box-averaged by a whole factor straight from the source (a
// strip of rows at a time, so that no full-size RGBA copy is ever made) to between one and two times
// the target size; Catmull-Rom then does the final, small resampling.
func thumbnail(src image.Image, orientation, long int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	tw, th := w, h
	if m := max(w, h); m > long {
		tw, th = max(1, (w*long+m/2)/m), max(1, (h*long+m/2)/m)
	}
	k := max(1, min(w/tw, h/th)) // the box keeps at least the target size
	mid := boxShrink(src, k)
	dst := mid
	if mid.Bounds().Dx() != tw || mid.Bounds().Dy() != th {
		dst = image.NewRGBA(image.Rect(0, 0, tw, th))
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), mid, mid.Bounds(), xdraw.Src, nil)
	}
	dst = orient(dst, orientation)
	flattenOnWhite(dst)
	return dst
}

// boxShrink averages k×k blocks of src into an RGBA image (k = 1 converts only). Rows are converted
// k at a time into a small strip, so memory stays at one strip plus the result.
func boxShrink(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	if yc, ok := src.(*image.YCbCr); ok && k > 1 {
		return boxShrinkYCbCr(yc, k)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if k == 1 {
		xdraw.Draw(dst, dst.Bounds(), src, b.Min, xdraw.Src)
		return dst
	}
	strip := image.NewRGBA(image.Rect(0, 0, w*k, k))
	sums := make([]uint32, w*4)
	area := uint32(k * k)
	for y := range h {
		xdraw.Draw(strip, strip.Bounds(), src, image.Pt(b.Min.X, b.Min.Y+y*k), xdraw.Src)
		clear(sums)
		for sy := range k {
			row := strip.Pix[sy*strip.Stride : sy*strip.Stride+w*k*4]
			i := 0
			for x := range w {
				var r, g, bl, a uint32
				for range k {
					r += uint32(row[i])
					g += uint32(row[i+1])
					bl += uint32(row[i+2])
					a += uint32(row[i+3])
					i += 4
				}
				sums[x*4] += r
				sums[x*4+1] += g
				sums[x*4+2] += bl
				sums[x*4+3] += a
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		for i, s := range sums {
			out[i] = uint8((s + area/2) / area)
		}
	}
	return dst
}

// boxShrinkYCbCr is boxShrink for decoded JPEGs: it averages the luma and chroma planes as they are
// and converts only the small result to RGB, instead of converting every source pixel first. (The
// conversion is affine, so averaging before or after it gives the same colours.)
func boxShrinkYCbCr(src *image.YCbCr, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	hs, vs := chromaShift(src.SubsampleRatio)
	ys, cbs, crs := make([]uint32, w), make([]uint32, w), make([]uint32, w)
	area := uint32(k * k)
	for y := range h {
		clear(ys)
		clear(cbs)
		clear(crs)
		for sy := range k {
			py := y*k + sy // relative to b.Min
			yrow := src.Y[py*src.YStride : py*src.YStride+w*k]
			crow := ((b.Min.Y+py)>>vs - b.Min.Y>>vs) * src.CStride
			cbrow, crrow := src.Cb[crow:], src.Cr[crow:]
			cx0 := b.Min.X >> hs
			px := 0
			for x := range w {
				var sY, sCb, sCr uint32
				for range k {
					c := (b.Min.X+px)>>hs - cx0
					sY += uint32(yrow[px])
					sCb += uint32(cbrow[c])
					sCr += uint32(crrow[c])
					px++
				}
				ys[x] += sY
				cbs[x] += sCb
				crs[x] += sCr
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		for x := range w {
			r, g, bl := color.YCbCrToRGB(uint8((ys[x]+area/2)/area), uint8((cbs[x]+area/2)/area), uint8((crs[x]+area/2)/area))
			out[x*4], out[x*4+1], out[x*4+2], out[x*4+3] = r, g, bl, 0xFF
		}
	}
	return dst
}

// chromaShift gives the horizontal and vertical chroma subsampling of a ratio as shifts.
func chromaShift(r image.YCbCrSubsampleRatio) (h, v uint) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}

// orient returns img turned upright according to the EXIF orientation (1..8).
func orient(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := orientedSize(w, h, o)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			si, di := img.PixOffset(x, y), dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], img.Pix[si:si+4])
		}
	}
	return dst
}

// flattenOnWhite composites premultiplied RGBA over white and makes it opaque.
func flattenOnWhite(img *image.RGBA) {
	p := img.Pix
	for i := 0; i+3 < len(p); i += 4 {
		if a := p[i+3]; a != 0xFF {
			p[i] += 0xFF - a
			p[i+1] += 0xFF - a
			p[i+2] += 0xFF - a
			p[i+3] = 0xFF
		}
	}
}
