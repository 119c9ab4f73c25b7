package photo

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"log/slog"
	"testing"
	"time"

	"parksafe/apitest/testimg"
	"parksafe/model"
	"parksafe/service"
	"parksafe/storage"
)

// TestWeChatImageDecodesUnderTheBudget: re-rendering a photo for WeChat waits for the decode budget
// like an upload does, so publishing cannot decode beside twenty uploads.
func TestWeChatImageDecodesUnderTheBudget(t *testing.T) {
	store, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	photos := New(nil, store, service.ParkTime{Loc: time.UTC, Clock: service.SystemClock{}}, nil,
		Config{DecodeBudget: 1 << 20}, slog.New(slog.DiscardHandler))
	data := testimg.WithExif(testimg.JPEG(testimg.Gradient(64, 48, 1), 90), testimg.Exif{Orientation: 6})
	if err := store.Put(context.Background(), "photos/x.jpg", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	p := &model.Photo{ID: 1, StorageKey: "photos/x.jpg", ContentType: ctJPEG}

	if err := photos.decode.Acquire(context.Background(), 1<<20); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := photos.WeChatImage(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("with the budget taken: err = %v, want it to wait (context.Canceled)", err)
	}
	photos.decode.Release(1 << 20)

	name, out, err := photos.WeChatImage(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil || name != "photo.jpg" || img.Bounds().Dx() != 48 || img.Bounds().Dy() != 64 {
		t.Fatalf("%s: %v, err %v: want a 48×64 JPEG", name, img.Bounds(), err)
	}
}
