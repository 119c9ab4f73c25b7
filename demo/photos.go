package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"

	"parksafe/app"
	"parksafe/service"
	"parksafe/service/photo"
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
		p, err := a.Photos.Upload(ctx, service.Actor{ID: uploaderID}, &buf, int64(buf.Len()), photo.UploadMeta{})
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	}
}

// scene draws a 320×240 stand-in for a site photo: sky, ground and a coloured block, varied by n so
// that each photo has its own bytes.
func scene(n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	block := color.RGBA{uint8(60 + n*37%150), uint8(90 + n*53%120), uint8(40 + n*29%90), 255}
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			c := color.RGBA{uint8(150 + y/3), uint8(190 + y/4), 235, 255}
			if y > 150 {
				c = color.RGBA{uint8(110 + x/8), 105, 95, 255}
			}
			if x > 90+n%100 && x < 190+n%100 && y > 110 && y < 180 {
				c = block
			}
			img.Set(x, y, c)
		}
	}
	return img
}
