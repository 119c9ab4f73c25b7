package api_test

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"parksafe/apitest"
	"parksafe/apitest/testimg"
)

// TestUploadKeyReusedForAnotherPhotoIsRefused: an upload's Idempotency-Key stands for its photo and
// fields, so the same key with another photo is refused instead of answering with the first photo's
// id, while a resend of the same upload (a new multipart boundary, as every wx.uploadFile has) still
// gets the first answer.
func TestUploadKeyReusedForAnotherPhotoIsRefused(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	photoA := testimg.JPEG(testimg.Gradient(32, 32, 1), 80)
	photoB := testimg.JPEG(testimg.Gradient(32, 32, 2), 80)
	withTime := func(data []byte, takenAt string) []apitest.Part {
		return []apitest.Part{apitest.Field("taken_at", takenAt), apitest.File("photo.jpg", data)}
	}
	first := insp.Upload(withTime(photoA, "2026-05-08T09:30:00+08:00"), "Idempotency-Key", "shot-1").Want(http.StatusCreated)

	for name, parts := range map[string][]apitest.Part{
		"another photo":   withTime(photoB, "2026-05-08T09:30:00+08:00"),
		"another time":    withTime(photoA, "2026-05-08T09:31:00+08:00"),
		"no time":         {apitest.File("photo.jpg", photoA)},
		"a truncated one": withTime(photoA[:len(photoA)/2], "2026-05-08T09:30:00+08:00"),
	} {
		r := insp.Upload(parts, "Idempotency-Key", "shot-1")
		r.WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError("Idempotency-Key") == "" {
			t.Fatalf("%s under the first photo's key: %s", name, r.Body)
		}
	}
	if n := photoCount(t, env); n != 1 {
		t.Fatalf("%d photos, want 1", n)
	}
	again := insp.Upload(withTime(photoA, "2026-05-08T09:30:00+08:00"), "Idempotency-Key", "shot-1").Want(http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.ID() != first.ID() {
		t.Fatalf("the same upload resent: %s %s", again.Header.Get("Idempotent-Replayed"), again.Body)
	}
	// The file name is the phone's temporary path, which may differ on a resend; the photo does not.
	renamed := []apitest.Part{apitest.Field("taken_at", "2026-05-08T09:30:00+08:00"), apitest.File("wxfile-tmp-2.jpg", photoA)}
	if r := insp.Upload(renamed, "Idempotency-Key", "shot-1").Want(http.StatusCreated); r.ID() != first.ID() {
		t.Fatalf("the same photo under another file name: %s", r.Body)
	}
	// The read-ahead copy of each upload is gone once it is answered.
	if left, _ := filepath.Glob(filepath.Join(env.App.Config.DataDir, "tmp", "*")); len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}

// TestUploadMediaTypeIsCaseInsensitive: media types are case-insensitive, so an upload declared as
// Multipart/Form-Data is fingerprinted by its parts like any other (and read ahead into a file,
// not memory).
func TestUploadMediaTypeIsCaseInsensitive(t *testing.T) {
	env := apitest.New(t)
	insp := env.Inspector()
	photo := testimg.JPEG(testimg.Gradient(32, 32, 3), 80)
	send := func(data []byte) *apitest.Response {
		body, ct := apitest.Multipart(apitest.File("photo.jpg", data))
		ct = strings.Replace(ct, "multipart/form-data", "Multipart/Form-Data", 1)
		return insp.Do(http.MethodPost, "/api/v1/photos", bytes.NewReader(body), "Content-Type", ct, "Idempotency-Key", "shot-mixed-case")
	}
	first := send(photo).Want(http.StatusCreated)
	if r := send(photo).Want(http.StatusCreated); r.Header.Get("Idempotent-Replayed") != "true" || r.ID() != first.ID() {
		t.Fatalf("the same upload resent: %s", r.Body)
	}
	send(testimg.JPEG(testimg.Gradient(32, 32, 4), 80)).WantError(http.StatusUnprocessableEntity, "validation_failed")
}

// TestKeyedUploadOverTheLimitIsRefused: reading an upload ahead keeps the body limit.
func TestKeyedUploadOverTheLimitIsRefused(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("MAX_PHOTO_BYTES", "300000"))
	insp := env.Inspector()
	big := testimg.JPEG(testimg.Noisy(1000, 1000, 7), 100)
	if len(big) <= 300000+64<<10 {
		t.Fatalf("test image only %d bytes", len(big))
	}
	insp.Upload([]apitest.Part{apitest.File("big.jpg", big)}, "Idempotency-Key", "big-1").WantError(http.StatusRequestEntityTooLarge, "payload_too_large")
	if left, _ := filepath.Glob(filepath.Join(env.App.Config.DataDir, "tmp", "*")); len(left) != 0 {
		t.Fatalf("files left behind: %v", left)
	}
}
