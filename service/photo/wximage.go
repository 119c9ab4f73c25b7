package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"sync"

	"parksafe/model"
)

// WeChat's limits for images in articles: uploadimg takes JPEG or PNG under 1 MB; a permanent image
// (the cover) may be larger, but a cover is shown small, so it gets the same treatment.
const (
	wxImageMaxBytes = 1 << 20
	wxImageMaxSide  = 1600
)

// WeChatImage prepares a stored photo for the Official Account: it is rendered upright through the
// same path as thumbnails, under the same decode budget, its long side at most wxImageMaxSide, and
// encoded as JPEG at decreasing quality until it is under WeChat's limit.
func (s *Service) WeChatImage(ctx context.Context, p *model.Photo) (string, []byte, error) {
	blob, err := s.store.Open(ctx, p.StorageKey)
	if err != nil {
		return "", nil, err
	}
	data, err := io.ReadAll(io.LimitReader(blob, s.cfg.MaxBytes+1))
	blob.Close()
	if err != nil {
		return "", nil, err
	}
	ct := sniffImage(data[:min(len(data), sniffLen)])
	orientation := readExif(bytes.NewReader(data), ct, s.park.Loc).Orientation
	// Always re-encoded, never sent as stored: the public article must not carry the phone's EXIF (the
	// plant's GPS position, the device), and re-encoding is what drops it.
	codec, ok := codecs[ct]
	if !ok {
		return "", nil, fmt.Errorf("photo %d: stored bytes are no accepted image", p.ID)
	}
	cfg, err := codec.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", nil, fmt.Errorf("photo %d: %w", p.ID, err)
	}
	img, err := s.upright(ctx, bytes.NewReader(data), ct, decodedBytes(cfg), orientation, wxImageMaxSide)
	if err != nil {
		return "", nil, err
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
