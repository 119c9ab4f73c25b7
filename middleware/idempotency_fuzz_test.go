package middleware

import (
	"bytes"
	"io"
	"mime/multipart"
	"os"
	"testing"
)

// FuzzReadAhead: whatever an upload's body holds, the handler gets exactly those bytes back and
// the fingerprint is a SHA-256 in hex; a well-formed form keeps its fingerprint under any boundary.
func FuzzReadAhead(f *testing.F) {
	seed := func(boundary string, fields ...string) []byte {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.SetBoundary(boundary)
		for i := 0; i+1 < len(fields); i += 2 {
			w.WriteField(fields[i], fields[i+1])
		}
		w.Close()
		return buf.Bytes()
	}
	f.Add(seed("b1", "taken_at", "2026-05-08T09:30:00+08:00", "file", "\xff\xd8\xff photo"), "b1", "a-different-boundary")
	f.Add(seed("b2"), "b2", "x")
	f.Add([]byte("--b3\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntruncated"), "b3", "y")
	f.Add([]byte("not multipart at all"), "b4", "z")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte, boundary, other string) {
		spool, hash, err := readAhead(bytes.NewReader(body), dir, boundary)
		if err != nil {
			t.Fatalf("reading %d bytes ahead: %v", len(body), err)
		}
		got, err := io.ReadAll(spool)
		spool.Close()
		os.Remove(spool.Name())
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("the handler would read %q, not the body %q (%v)", got, body, err)
		}
		if len(hash) != 64 {
			t.Fatalf("fingerprint %q", hash)
		}
		// Re-encoded under another boundary, a well-formed form keeps its fingerprint.
		mr := multipart.NewReader(bytes.NewReader(body), boundary)
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if w.SetBoundary(other) != nil || bytes.Contains(body, []byte(other)) {
			return
		}
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			} else if err != nil {
				return
			}
			content, err := io.ReadAll(p)
			if err != nil {
				return
			}
			pw, err := w.CreatePart(p.Header)
			if err != nil {
				return
			}
			pw.Write(content)
		}
		w.Close()
		again, hash2, err := readAhead(bytes.NewReader(buf.Bytes()), dir, other)
		if err != nil {
			t.Fatal(err)
		}
		again.Close()
		os.Remove(again.Name())
		if hash2 != hash {
			t.Fatalf("the same parts under boundary %q got another fingerprint:\n%q\n%q", other, body, buf.Bytes())
		}
	})
}
