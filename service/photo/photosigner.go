package photo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"

	"parksafe/model"
	"parksafe/service"
)

// Signer makes and checks the signed, expiring links photos are served under. The mini-program's
// <image src> cannot send an Authorization header, so the link itself is the credential: an HMAC over
// the path and the expiry, with a key derived from the JWT secret (so rotating that secret revokes
// every link too).
type Signer struct {
	base  string
	key   []byte
	ttl   time.Duration
	clock service.Clock
}

// NewSigner returns a signer for links under baseURL (PUBLIC_BASE_URL) valid for ttl.
func NewSigner(baseURL string, secret []byte, ttl time.Duration, clock service.Clock) *Signer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("parksafe photo links v1"))
	return &Signer{base: baseURL, key: m.Sum(nil), ttl: ttl, clock: clock}
}

// Path is the path a rendition is served under.
func Path(id, variant string) string { return "/files/photos/" + id + "/" + variant }

func (s *Signer) sign(path, exp string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(path + "\n" + exp))
	return hex.EncodeToString(m.Sum(nil))
}

// URL returns a fresh signed link to a rendition of photo id.
func (s *Signer) URL(id uint64, variant string) string {
	path := Path(strconv.FormatUint(id, 10), variant)
	exp := strconv.FormatInt(s.clock.Now().Add(s.ttl).Unix(), 10)
	return s.base + path + "?" + url.Values{"exp": {exp}, "sig": {s.sign(path, exp)}}.Encode()
}

// Links implements api.PhotoLinker: the original's and the thumbnail's links.
func (s *Signer) Links(p *model.Photo) (string, string) {
	return s.URL(p.ID, Original), s.URL(p.ID, Thumbnail)
}

// Verify checks a link's parts and returns when it expires and the photo id. Anything wrong — an
// unknown variant, a bad signature, a past expiry — is the same 403, so probing learns nothing.
func (s *Signer) Verify(id, variant, exp, sig string) (time.Time, uint64, error) {
	photoID, ok := service.ParseID(id)
	if !ok || (variant != Original && variant != Thumbnail) {
		return time.Time{}, 0, errPhotoLink
	}
	want := s.sign(Path(id, variant), exp)
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
