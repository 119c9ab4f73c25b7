package wechat

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// ErrBadSignature is returned by OpenCallback when a callback's signature
// does not match, i.e. it did not come from WeChat.
var ErrBadSignature = errors.New("wechat: bad callback signature")

// ErrStaleCallback is returned by OpenCallback for a signed callback whose
// timestamp is too far from the receiver's clock: a replay of an old request.
var ErrStaleCallback = errors.New("wechat: callback timestamp outside the accepted window")

// ErrPlainCallback is returned by OpenCallback for a plain-mode callback when
// safe mode is configured.
var ErrPlainCallback = errors.New("wechat: plain-mode callback while safe mode is configured")

// ErrAppIDMismatch is returned by Decrypt when a message decrypts correctly
// but was encrypted for another app ID (same AES key reused across apps).
var ErrAppIDMismatch = errors.New("wechat: callback message is for another app id")

// PublishEvent is a PUBLISHJOBFINISH callback: the outcome of SubmitPublish.
type PublishEvent struct {
	PublishID    int64
	ToUserName   string    // the official account's original ID (gh_...)
	FromUserName string    // sender openid
	CreateTime   time.Time // when WeChat sent the event
	PublishResult
}

// VerifySignature checks the plain callback signature: sha1 over the sorted
// token, timestamp and nonce. WeChat sends it on the URL-verification GET and
// on every POST. It is false when the client has no callback token.
func (o *OfficialAccount) VerifySignature(signature, timestamp, nonce string) bool {
	if o == nil || o.token == "" {
		return false
	}
	return equalHex(signature, util.Signature(o.token, timestamp, nonce))
}

// VerifyMsgSignature checks the safe-mode signature: sha1 over the sorted
// token, timestamp, nonce and the Encrypt payload. It is false when the
// client has no callback token.
func (o *OfficialAccount) VerifyMsgSignature(msgSignature, timestamp, nonce, encrypt string) bool {
	if o == nil || o.token == "" {
		return false
	}
	return equalHex(msgSignature, util.Signature(o.token, timestamp, nonce, encrypt))
}

// equalHex compares in constant time so response timing does not reveal how
// much of a forged signature was right.
func equalHex(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) == 1
}

// CallbackMaxAge is how far a callback's timestamp may be from the receiver's
// clock, either way. WeChat pushes an event at once, so an older request can
// only be a replay; its caller remembers nonces for at least this long.
const CallbackMaxAge = 5 * time.Minute

// maxNonceLen bounds the nonce a caller has to remember; WeChat's are short
// digit strings.
const maxNonceLen = 64

// Callback is an authenticated callback POST: the message and the signed
// timestamp and nonce, which the caller must not accept twice.
type Callback struct {
	Timestamp time.Time
	Nonce     string
	// Message is the XML message: the body in plain mode, the decrypted
	// Encrypt element in safe mode.
	Message []byte
}

// OpenCallback authenticates a callback POST from its query parameters and
// body, at the receiver's time now. With an EncodingAESKey configured only safe
// mode (encrypt_type=aes, msg_signature over the Encrypt element) is accepted:
// plain mode's signature covers the token, timestamp and nonce but not the
// body, so one observed request would vouch for any body. Without a key plain
// mode is checked with signature. It returns ErrBadSignature for a wrong
// signature or a malformed timestamp or nonce, ErrPlainCallback for plain mode
// when safe mode is configured, and ErrStaleCallback for a timestamp more than
// CallbackMaxAge away from now. Remembering nonces is the caller's part.
func (o *OfficialAccount) OpenCallback(query url.Values, body []byte, now time.Time) (Callback, error) {
	ts, nonce := query.Get("timestamp"), query.Get("nonce")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || nonce == "" || len(nonce) > maxNonceLen {
		return Callback{}, ErrBadSignature
	}
	cb := Callback{Timestamp: time.Unix(sec, 0), Nonce: nonce}
	safe := strings.EqualFold(query.Get("encrypt_type"), "aes")
	switch {
	case o != nil && o.aesKey != "" && !safe:
		return Callback{}, ErrPlainCallback
	case safe:
		var env callbackXML
		if err := xml.Unmarshal(body, &env); err != nil {
			return Callback{}, fmt.Errorf("wechat: callback body: %w", err)
		}
		if env.Encrypt == "" || !o.VerifyMsgSignature(query.Get("msg_signature"), ts, nonce, env.Encrypt) {
			return Callback{}, ErrBadSignature
		}
		if err := checkAge(cb.Timestamp, now); err != nil {
			return Callback{}, err
		}
		if cb.Message, err = o.Decrypt(env.Encrypt); err != nil {
			return Callback{}, err
		}
	default:
		if !o.VerifySignature(query.Get("signature"), ts, nonce) {
			return Callback{}, ErrBadSignature
		}
		if err := checkAge(cb.Timestamp, now); err != nil {
			return Callback{}, err
		}
		cb.Message = body
	}
	return cb, nil
}

func checkAge(ts, now time.Time) error {
	if d := now.Sub(ts); d > CallbackMaxAge || d < -CallbackMaxAge {
		return ErrStaleCallback
	}
	return nil
}

// Decrypt opens a safe-mode payload (the Encrypt element): base64 of
// AES-256-CBC with the EncodingAESKey, IV = first 16 key bytes, PKCS#7 padding
// to 32 bytes, plaintext random(16) | big-endian length(4) | msg | appid. The
// appid must be this client's. It returns ErrNotConfigured without an AES key
// and app ID.
func (o *OfficialAccount) Decrypt(encrypt string) ([]byte, error) {
	if o == nil || o.aesKey == "" || o.appID == "" {
		return nil, ErrNotConfigured
	}
	key, err := decodeAESKey(o.aesKey)
	if err != nil {
		return nil, err
	}
	ciphertext, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil {
		return nil, fmt.Errorf("wechat: decrypt: payload is not base64: %w", err)
	}
	// AESDecryptMsg checks length and padding before touching the cipher, and
	// the key length is checked above, so it cannot hit its panics.
	_, msg, appID, err := util.AESDecryptMsg(ciphertext, key)
	if err != nil {
		return nil, fmt.Errorf("wechat: decrypt: %w", err)
	}
	if string(appID) != o.appID {
		return nil, ErrAppIDMismatch
	}
	return msg, nil
}

// decodeAESKey turns the 43-character EncodingAESKey into the 32-byte key.
func decodeAESKey(aesKey string) ([]byte, error) {
	if len(aesKey) != 43 {
		return nil, fmt.Errorf("wechat: EncodingAESKey must be 43 characters, got %d", len(aesKey))
	}
	key, err := base64.StdEncoding.DecodeString(aesKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("wechat: EncodingAESKey is not valid base64 of 32 bytes")
	}
	return key, nil
}

// callbackXML covers both a plain callback message and the safe-mode
// envelope, which only carries ToUserName and Encrypt.
type callbackXML struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"`
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"`
	Event        string `xml:"Event"`
	Encrypt      string `xml:"Encrypt"`
	Publish      struct {
		PublishID     int64  `xml:"publish_id"`
		PublishStatus int    `xml:"publish_status"`
		ArticleID     string `xml:"article_id"`
		ArticleDetail struct {
			Items []struct {
				Idx        int    `xml:"idx"`
				ArticleURL string `xml:"article_url"`
			} `xml:"item"`
		} `xml:"article_detail"`
		// Strings, not ints: an empty <fail_idx/> would otherwise decode as
		// index 0, and tolerating "1,2" costs nothing.
		FailIdx []string `xml:"fail_idx"`
	} `xml:"PublishEventInfo"`
}

// ParsePublishEvent parses a callback message (Callback.Message) and reports
// whether it is a PUBLISHJOBFINISH event. Other messages and events yield false
// and no error, so a handler can acknowledge them.
func ParsePublishEvent(message []byte) (PublishEvent, bool, error) {
	var msg callbackXML
	if err := xml.Unmarshal(message, &msg); err != nil {
		return PublishEvent{}, false, fmt.Errorf("wechat: callback message: %w", err)
	}
	if !strings.EqualFold(msg.MsgType, "event") || !strings.EqualFold(msg.Event, "PUBLISHJOBFINISH") {
		return PublishEvent{}, false, nil
	}
	p := msg.Publish
	ev := PublishEvent{
		PublishID:    p.PublishID,
		ToUserName:   msg.ToUserName,
		FromUserName: msg.FromUserName,
		CreateTime:   time.Unix(msg.CreateTime, 0),
		PublishResult: PublishResult{
			Status:    p.PublishStatus,
			ArticleID: p.ArticleID,
		},
	}
	for _, field := range p.FailIdx {
		for _, f := range strings.Split(field, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			i, err := strconv.Atoi(f)
			if err != nil {
				return PublishEvent{}, false, fmt.Errorf("wechat: callback fail_idx %q: %w", f, err)
			}
			ev.FailIdx = append(ev.FailIdx, i)
		}
	}
	if items := p.ArticleDetail.Items; len(items) > 0 {
		ev.ArticleURL = items[0].ArticleURL
	}
	return ev, true, nil
}
