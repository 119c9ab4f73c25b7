package service

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decoders for photos uploaded as PNG
	"sync"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decoder for photos uploaded as WebP
)

// WeChat's limits for images in articles: uploadimg takes JPEG or PNG under 1 MB; a permanent image
// (the cover) may be larger, but a cover is shown small, so it gets the same treatment.
const (
	wxImageMaxBytes = 1 << 20
	wxImageMaxSide  = 1600
)

// wxImage prepares photo bytes for WeChat: JPEG and PNG under the limit go as they are; anything
// else (WebP, a large phone photo) is decoded, scaled down to wxImageMaxSide and re-encoded as JPEG
// at decreasing quality until it fits. It returns a file name whose extension tells WeChat the type.
func wxImage(data []byte, contentType string) (string, []byte, error) {
	switch {
	case contentType == "image/jpeg" && len(data) < wxImageMaxBytes:
		return "photo.jpg", data, nil
	case contentType == "image/png" && len(data) < wxImageMaxBytes:
		return "photo.png", data, nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", nil, fmt.Errorf("decode %s photo: %w", contentType, err)
	}
	b := img.Bounds()
	if w, h := b.Dx(), b.Dy(); w > wxImageMaxSide || h > wxImageMaxSide {
		scale := float64(wxImageMaxSide) / float64(max(w, h))
		dst := image.NewRGBA(image.Rect(0, 0, max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
		img = dst
	}
	for _, q := range []int{85, 70, 55, 40} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return "", nil, err
		}
		if buf.Len() < wxImageMaxBytes || q == 40 {
			return "photo.jpg", buf.Bytes(), nil
		}
	}
	panic("unreachable")
}

var (
	defaultCoverOnce sync.Once
	defaultCover     []byte
)

// DefaultCover returns the JPEG used as the article cover when a bulletin has none: WeChat requires
// a thumbnail for every article. It is a calm safety-green band in the 2.35:1 shape WeChat crops
// covers to, drawn once.
func DefaultCover() []byte {
	defaultCoverOnce.Do(func() {
		const w, h = 900, 383
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				// A diagonal gradient from deep to light green with a lighter stripe.
				t := float64(x+y) / float64(w+h)
				c := color.RGBA{R: uint8(20 + 40*t), G: uint8(110 + 80*t), B: uint8(70 + 40*t), A: 255}
				if y > h*3/5 && y < h*3/5+12 {
					c = color.RGBA{R: 240, G: 200, B: 60, A: 255}
				}
				img.Set(x, y, c)
			}
		}
		var buf bytes.Buffer
		_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
		defaultCover = buf.Bytes()
	})
	return defaultCover
}
