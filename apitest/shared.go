package apitest

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SharedFile returns the path of rel (e.g. "testdata/uscc.txt") in the steering repository's
// shared/ directory, found by walking up from the working directory: it sits beside the clone in
// CI (../shared) and further up in a worktree. The test fails (never skips) when it is missing,
// because a vector file silently not found would make its tests prove nothing.
func SharedFile(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("shared/%s not found in any parent of the working directory", rel)
		}
		dir = parent
	}
}

// USCCVector is one line of shared/testdata/uscc.txt.
type USCCVector struct {
	Code  string
	Valid bool
	Note  string
}

// USCCVectors reads every vector of shared/testdata/uscc.txt.
func USCCVectors(t testing.TB) []USCCVector {
	t.Helper()
	f, err := os.Open(SharedFile(t, "testdata/uscc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []USCCVector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) < 2 || (parts[1] != "valid" && parts[1] != "invalid") {
			t.Fatalf("uscc.txt: bad line %q", line)
		}
		v := USCCVector{Code: parts[0], Valid: parts[1] == "valid"}
		if len(parts) > 2 {
			v.Note = parts[2]
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("uscc.txt has no vectors")
	}
	return out
}
