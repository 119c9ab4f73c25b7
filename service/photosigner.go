package service

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"

	"parksafe/model"
)

// PhotoSigner makes and checks the signed, expiring links photos are served under. The mini-program's
// <image src> cannot send an Authorization header, so the link itself is the credential: an HMAC over
// the path and the expiry, with a key derived from the JWT secret (so rotating that secret revokes
// every link too).
type PhotoSigner struct {
	base  string
	key   []byte
	ttl   time.Duration
	clock Clock
}

// NewPhotoSigner returns a signer for links under baseURL (PUBLIC_BASE_URL) valid for ttl.
func NewPhotoSigner(baseURL string, secret []byte, ttl time.Duration, clock Clock) *PhotoSigner {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("parksafe photo links v1"))
	return &PhotoSigner{base: baseURL, key: m.Sum(nil), ttl: ttl, clock: clock}
}

// PhotoPath is the path a rendition is served under.
func PhotoPath(id, variant string) string { return "/files/photos/" + id + "/" + variant }

func (s *PhotoSigner) sign(path, exp string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(path + "\n" + exp))
	return hex.EncodeToString(m.Sum(nil))
}

// URL returns a fresh signed link to a rendition of photo id.
func (s *PhotoSigner) URL(id uint64, variant string) string {
	path := PhotoPath(strconv.FormatUint(id, 10), variant)
	exp := strconv.FormatInt(s.clock.Now().Add(s.ttl).Unix(), 10)
	return s.base + path + "?" + url.Values{"exp": {exp}, "sig": {s.sign(path, exp)}}.Encode()
}

// Links implements api.PhotoLinker: the original's and the thumbnail's links.
func (s *PhotoSigner) Links(p *model.Photo) (string, string) {
	return s.URL(p.ID, PhotoOriginal), s.URL(p.ID, PhotoThumbnail)
}

// Verify checks a link's parts and returns when it expires and the photo id. Anything wrong — an
// unknown variant, a bad signature, a past expiry — is the same 403, so probing learns nothing.
func (s *PhotoSigner) Verify(id, variant, exp, sig string) (time.Time, uint64, error) {
	photoID, ok := ParseID(id)
	if !ok || (variant != PhotoOriginal && variant != PhotoThumbnail) {
		return time.Time{}, 0, errPhotoLink
	}
	want := s.sign(PhotoPath(id, variant), exp)
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return time.Time{}, 0, errPhotoLink
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil {
		return time.Time{}, 0, errPhotoLink
	}
	expires := time.Unix(unix, 0).UTC()
	if !s.clock.Now().Before(expires) {
		return time.Time{}, 0, errPhotoLink
	}
	return expires, photoID, nil
}
