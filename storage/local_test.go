package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The behaviour every store shares is tested in contract_test.go; these look at the files.

func TestLocalLeavesOnlyTheBlob(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"hello", "hello again"} {
		if err := s.Put(ctx, "photos/ab/x.jpg", strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "photos", "ab"))
	if len(entries) != 1 {
		t.Fatalf("want only the blob in its directory, got %d entries", len(entries))
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
