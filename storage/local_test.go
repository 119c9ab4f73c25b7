package storage

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocalRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx, "photos/ab/x.jpg"); err != nil || ok {
		t.Fatalf("exists before put: %v %v", ok, err)
	}
	if _, err := s.Open(ctx, "photos/ab/x.jpg"); !errors.Is(err, ErrNotExist) {
		t.Fatalf("open missing: %v", err)
	}
	if err := s.Put(ctx, "photos/ab/x.jpg", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "photos/ab/x.jpg", strings.NewReader("hello again")); err != nil {
		t.Fatal(err)
	}
	b, err := s.Open(ctx, "photos/ab/x.jpg")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(b)
	b.Close()
	if string(got) != "hello again" || b.Size != int64(len(got)) {
		t.Fatalf("got %q size %d", got, b.Size)
	}
	// No temporary files are left beside the blob.
	entries, _ := os.ReadDir(filepath.Join(dir, "photos", "ab"))
	if len(entries) != 1 {
		t.Fatalf("want only the blob in its directory, got %d entries", len(entries))
	}
	if err := s.Delete(ctx, "photos/ab/x.jpg"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "photos/ab/x.jpg"); err != nil {
		t.Fatalf("deleting a missing blob: %v", err)
	}
	if ok, _ := s.Exists(ctx, "photos/ab/x.jpg"); ok {
		t.Fatal("still exists after delete")
	}
}

func TestLocalRefusesEscapingKeys(t *testing.T) {
	s, err := NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"", "../x", "/etc/passwd", "a/../../x", `a\..\x`} {
		if err := s.Put(context.Background(), key, strings.NewReader("x")); err == nil {
			t.Errorf("Put(%q) accepted", key)
		}
	}
}

func TestLocalPutFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewLocal(dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, "photos/cd/y.jpg", strings.NewReader("data")); err == nil {
		t.Fatal("cancelled put succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "photos", "cd"))
	if len(entries) != 0 {
		t.Fatalf("left %d files behind", len(entries))
	}
}
