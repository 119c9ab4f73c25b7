package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"

	"parksafe/app"
	"parksafe/service"
)

// realPhotos uploads a small generated picture through the photo service for every demo record, so
// the demo's links and thumbnails show an image, as a phone photo would.
func realPhotos(a *app.App) PhotoMaker {
	n := 0
	return func(ctx context.Context, uploaderID uint64) (uint64, error) {
		n++
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, scene(n), &jpeg.Options{Quality: 80}); err != nil {
			return 0, err
		}
		p, err := a.Photos.Upload(ctx, service.Actor{ID: uploaderID}, &buf, int64(buf.Len()), service.UploadMeta{})
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	}
}

// scene draws a 640×480 stand-in for a site photo: sky, ground and a coloured block, varied by n so
// that each photo has its own bytes.
func scene(n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	block := color.RGBA{uint8(60 + n*37%150), uint8(90 + n*53%120), uint8(40 + n*29%90), 255}
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			c := color.RGBA{uint8(150 + y/6), uint8(190 + y/8), 235, 255}
			if y > 300 {
				c = color.RGBA{uint8(110 + x/16), 105, 95, 255}
			}
			if x > 180+n%200 && x < 380+n%200 && y > 220 && y < 360 {
				c = block
			}
			img.Set(x, y, c)
		}
	}
	return img
}
