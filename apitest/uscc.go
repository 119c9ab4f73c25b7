package apitest

import (
	"bufio"
	_ "embed"
	"strings"
	"testing"
)

// usccFile is the national standard's check-character vectors (GB 32100), kept in the repository so
// that a fresh clone tests against the same list the park's register relies on.
//
//go:embed testdata/uscc.txt
var usccFile string

// USCCVector is one line of apitest/testdata/uscc.txt.
type USCCVector struct {
	Code  string
	Valid bool
	Note  string
}

// USCCVectors reads every vector of apitest/testdata/uscc.txt.
func USCCVectors(t testing.TB) []USCCVector {
	t.Helper()
	var out []USCCVector
	sc := bufio.NewScanner(strings.NewReader(usccFile))
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
