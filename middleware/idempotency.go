package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service"
	"parksafe/service/idempotency"
)

// keyedRequestTimeout bounds a request with an Idempotency-Key once it no longer ends with its client.
const keyedRequestTimeout = 2 * time.Minute

// IdempotencyStore is the storage side of idempotent requests (idempotency.Store).
type IdempotencyStore interface {
	Begin(ctx context.Context, userID uint64, key string, fp idempotency.Fingerprint) (*service.Claim, *idempotency.Replay, error)
	Hold(claim *service.Claim) (stop func())
	Complete(ctx context.Context, claim *service.Claim, status int, body []byte) error
	Release(ctx context.Context, claim *service.Claim) error
}

// Idempotent makes a route honour the Idempotency-Key header: the first request with a key runs and
// its successful answer is kept; a retry by the same user with the same key and request gets that
// answer back (with Idempotent-Replayed: true) and changes nothing. Failures are not kept, so a
// corrected or later retry runs afresh, unless the request had already written: then the key stays
// taken. The request is fingerprinted by its route, its path and the body the handler reads, so a
// key reused for a different request is refused. A multipart upload is read ahead into a file under
// spoolDir (os.TempDir() when empty) rather than memory, and fingerprinted by its parts' names and
// contents: not by its boundary, which differs on every resend of the same upload.
func Idempotent(store IdempotencyStore, onError ErrorWriter, spoolDir string) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
		actor, ok := ActorOf(c)
		if key == "" || !ok {
			c.Next()
			return
		}
		fp := idempotency.Fingerprint{Route: c.Request.Method + " " + c.FullPath(), Path: c.Request.URL.Path}
		if boundary, ok := multipartBoundary(c.Request); ok && c.Request.Body != nil {
			spool, hash, err := readAhead(c.Request.Body, spoolDir, boundary)
			if err != nil {
				onError(c, err)
				return
			}
			defer func() {
				spool.Close()
				os.Remove(spool.Name())
			}()
			c.Request.Body, fp.BodyHash = spool, hash
		} else if c.Request.Body != nil {
			body, err := io.ReadAll(c.Request.Body)
			if err != nil {
				onError(c, tooLargeOr(err))
				return
			}
			c.Request.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.Sum256(body)
			fp.BodyHash = hex.EncodeToString(sum[:])
		}
		ctx := c.Request.Context()
		claim, replay, err := store.Begin(ctx, actor.ID, key, fp)
		if err != nil {
			onError(c, err)
			return
		}
		if replay != nil {
			c.Header("Idempotent-Replayed", "true")
			c.Data(replay.Status, "application/json; charset=utf-8", replay.Body)
			c.Abort()
			return
		}
		// A request with a key runs to its end even when the client has gone (a phone that lost the
		// signal): its retry is coming, and must find the answer rather than a write without one.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), keyedRequestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(service.WithClaim(ctx, claim))
		stop := store.Hold(claim)
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		answered := false
		defer func() {
			if answered {
				return
			}
			// A panic or a failure: the key is freed (or, if the request wrote, kept) for the retry.
			stop()
			if err := store.Release(ctx, claim); err != nil {
				Log(c).WarnContext(ctx, "idempotency release; the claim runs out with its lease", "err", err)
			}
		}()
		c.Next()
		if status := rec.Status(); status >= 200 && status < 300 {
			answered = true
			err := store.Complete(ctx, claim, status, rec.body.Bytes())
			stop()
			if err != nil {
				Log(c).ErrorContext(ctx, "idempotency answer not stored; a retry is told the request succeeded", "err", err)
			}
		}
	}
}

// multipartBoundary returns the boundary of a multipart body; media types are case-insensitive.
func multipartBoundary(r *http.Request) (string, bool) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return "", false
	}
	return params["boundary"], true
}

// spoolPrefix names the read-ahead files like the photo service's staged uploads, so that its sweep
// removes those a crash left behind.
const spoolPrefix = "upload-"

// readAhead copies a multipart body into a new file under dir and returns it rewound, with the
// body's fingerprint: the SHA-256 of its parts' names and contents in order, or of its bytes when it
// is no well-formed multipart body (the handler refuses it then). A failure to read the body is the
// client's (413 over the limit, 400 otherwise); one of the disk is ours.
func readAhead(body io.Reader, dir, boundary string) (_ *os.File, hash string, err error) {
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	f, err := os.CreateTemp(dir, spoolPrefix+"*")
	if err != nil {
		return nil, "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	raw := sha256.New()
	src := &sourceReader{r: body}
	if _, err := io.Copy(io.MultiWriter(f, raw), src); err != nil {
		if src.err != nil {
			return nil, "", tooLargeOr(src.err)
		}
		return nil, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	hash, perr := partsDigest(f, boundary)
	if perr != nil {
		hash = hex.EncodeToString(raw.Sum(nil))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	return f, hash, nil
}

// partsDigest hashes a multipart body part by part: each part's form name and the SHA-256 of its
// content, in order.
func partsDigest(r io.Reader, boundary string) (string, error) {
	mr := multipart.NewReader(r, boundary)
	digest, part := sha256.New(), sha256.New()
	io.WriteString(digest, "multipart parts\n")
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return hex.EncodeToString(digest.Sum(nil)), nil
		} else if err != nil {
			return "", err
		}
		part.Reset()
		_, err = io.Copy(part, p)
		p.Close()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(digest, "%q %x\n", p.FormName(), part.Sum(nil))
	}
}

// sourceReader keeps the error of the body it reads, to tell it from an error of the disk written to.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// recorder keeps a copy of the response body while writing it through.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
