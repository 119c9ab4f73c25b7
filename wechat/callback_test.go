package wechat

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// testAESKey is a valid 43-character EncodingAESKey.
var testAESKey = strings.TrimRight(base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")), "=")

// encryptForTest builds a safe-mode payload the way WeChat does.
func encryptForTest(t *testing.T, appID, aesKey string, msg []byte) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(aesKey + "=")
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	return base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random, msg, appID, key))
}

// signForTest computes WeChat's callback signature independently of the code
// under test.
func signForTest(parts ...string) string {
	sorted := append([]string(nil), parts...)
	sort.Strings(sorted)
	sum := sha1.Sum([]byte(strings.Join(sorted, "")))
	return hex.EncodeToString(sum[:])
}

func TestVerifySignature(t *testing.T) {
	oa := NewOfficialAccount("", "", "cb-token", "", nil)
	sig := signForTest("cb-token", "1700000000", "nonce1")
	if !oa.VerifySignature(sig, "1700000000", "nonce1") {
		t.Error("good signature rejected")
	}
	if !oa.VerifySignature(strings.ToUpper(sig), "1700000000", "nonce1") {
		t.Error("upper-case hex rejected")
	}
	for _, bad := range [][3]string{
		{sig, "1700000001", "nonce1"},
		{sig, "1700000000", "nonce2"},
		{signForTest("other", "1700000000", "nonce1"), "1700000000", "nonce1"},
		{"", "1700000000", "nonce1"},
	} {
		if oa.VerifySignature(bad[0], bad[1], bad[2]) {
			t.Errorf("bad signature accepted: %v", bad)
		}
	}
	if NewOfficialAccount("a", "s", "", "", nil).VerifySignature(signForTest("", "1", "n"), "1", "n") {
		t.Error("client without token accepted a signature")
	}
	var nilOA *OfficialAccount
	if nilOA.VerifySignature(sig, "1700000000", "nonce1") {
		t.Error("nil client accepted a signature")
	}
}

func TestVerifyMsgSignature(t *testing.T) {
	oa := NewOfficialAccount("a", "", "cb-token", testAESKey, nil)
	sig := signForTest("cb-token", "1700000000", "n", "ENC")
	if !oa.VerifyMsgSignature(sig, "1700000000", "n", "ENC") {
		t.Error("good msg_signature rejected")
	}
	if oa.VerifyMsgSignature(sig, "1700000000", "n", "ENC2") {
		t.Error("msg_signature over other payload accepted")
	}
}

func TestDecryptRoundTrip(t *testing.T) {
	oa := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	for _, msg := range []string{"<xml>hi</xml>", "", strings.Repeat("x", 31), strings.Repeat("停车", 100)} {
		got, err := oa.Decrypt(encryptForTest(t, "wx-app", testAESKey, []byte(msg)))
		if err != nil || string(got) != msg {
			t.Errorf("Decrypt(%q) = %q, %v", msg, got, err)
		}
	}
}

func TestDecryptRejects(t *testing.T) {
	oa := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	if _, err := oa.Decrypt(encryptForTest(t, "wx-other", testAESKey, []byte("<xml/>"))); !errors.Is(err, ErrAppIDMismatch) {
		t.Errorf("other appid: err = %v, want ErrAppIDMismatch", err)
	}
	otherKey := strings.TrimRight(base64.StdEncoding.EncodeToString([]byte("fedcba9876543210fedcba9876543210")), "=")
	if _, err := oa.Decrypt(encryptForTest(t, "wx-app", otherKey, []byte("<xml/>"))); err == nil {
		t.Error("payload under another key accepted")
	}
	for _, bad := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("short")),
		base64.StdEncoding.EncodeToString(make([]byte, 33))} {
		if _, err := oa.Decrypt(bad); err == nil {
			t.Errorf("Decrypt(%q): want error", bad)
		}
	}
	if _, err := NewOfficialAccount("wx-app", "", "t", "", nil).Decrypt("x"); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("no AES key: err = %v", err)
	}
	if _, err := NewOfficialAccount("wx-app", "", "t", "tooshort", nil).Decrypt("x"); err == nil {
		t.Error("invalid AES key accepted")
	}
}

const publishXML = `<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>
<FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
<CreateTime>1700000000</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[PUBLISHJOBFINISH]]></Event>
<PublishEventInfo>
<publish_id>2247503051</publish_id>
<publish_status>0</publish_status>
<article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy]]></article_id>
<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/abc]]></article_url></item></article_detail>
</PublishEventInfo>
</xml>`

func TestParsePublishEvent(t *testing.T) {
	ev, ok, err := ParsePublishEvent([]byte(publishXML))
	if err != nil || !ok {
		t.Fatalf("ok = %v, err = %v", ok, err)
	}
	want := PublishEvent{
		PublishID:    2247503051,
		ToUserName:   "gh_4d00ed8d6399",
		FromUserName: "oV5CrjpxgaGXNHIQigzNlgLTnwic",
		CreateTime:   time.Unix(1700000000, 0),
		PublishResult: PublishResult{
			Status:     PublishStatusSuccess,
			ArticleID:  "b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy",
			ArticleURL: "https://mp.weixin.qq.com/s/abc",
		},
	}
	if !reflect.DeepEqual(ev, want) {
		t.Errorf("event = %+v\nwant   %+v", ev, want)
	}
}

func TestParsePublishEventFailIdx(t *testing.T) {
	body := `<xml><ToUserName/><FromUserName/><CreateTime/><MsgType>event</MsgType><Event>PUBLISHJOBFINISH</Event>
<PublishEventInfo><publish_id>7</publish_id><publish_status>2</publish_status><article_id></article_id>
<article_detail><count>0</count></article_detail><fail_idx>1</fail_idx><fail_idx>3</fail_idx><fail_idx/></PublishEventInfo></xml>`
	ev, ok, err := ParsePublishEvent([]byte(body))
	if err != nil || !ok {
		t.Fatalf("ok = %v, err = %v", ok, err)
	}
	if ev.PublishID != 7 || ev.Status != PublishStatusOriginalFail || !reflect.DeepEqual(ev.FailIdx, []int{1, 3}) || ev.ArticleURL != "" {
		t.Errorf("event = %+v", ev)
	}
}

// safeQuery signs a safe-mode callback of encrypt at timestamp ts with nonce.
func safeQuery(token, ts, nonce, encrypt string) url.Values {
	return url.Values{
		"timestamp":     {ts},
		"nonce":         {nonce},
		"encrypt_type":  {"aes"},
		"signature":     {signForTest(token, ts, nonce)},
		"msg_signature": {signForTest(token, ts, nonce, encrypt)},
	}
}

func envelopeOf(enc string) []byte {
	return []byte(fmt.Sprintf("<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt></xml>", enc))
}

func TestOpenCallbackSafeMode(t *testing.T) {
	now := time.Unix(1700000000, 0)
	oa := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	enc := encryptForTest(t, "wx-app", testAESKey, []byte(publishXML))
	q := safeQuery("cb-token", "1700000000", "n1", enc)
	cb, err := oa.OpenCallback(q, envelopeOf(enc), now)
	if err != nil {
		t.Fatalf("OpenCallback: %v", err)
	}
	if cb.Nonce != "n1" || !cb.Timestamp.Equal(now) || string(cb.Message) != publishXML {
		t.Fatalf("callback = %+v", cb)
	}
	ev, ok, err := ParsePublishEvent(cb.Message)
	if err != nil || !ok || ev.PublishID != 2247503051 || ev.ArticleURL != "https://mp.weixin.qq.com/s/abc" {
		t.Fatalf("event = %+v, ok = %v, err = %v", ev, ok, err)
	}

	q.Set("msg_signature", signForTest("cb-token", "1700000000", "n1", "other"))
	if _, err := oa.OpenCallback(q, envelopeOf(enc), now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered msg_signature: err = %v", err)
	}

	wrongApp := NewOfficialAccount("wx-other", "", "cb-token", testAESKey, nil)
	if _, err := wrongApp.OpenCallback(safeQuery("cb-token", "1700000000", "n1", enc), envelopeOf(enc), now); !errors.Is(err, ErrAppIDMismatch) {
		t.Errorf("other app: err = %v, want ErrAppIDMismatch", err)
	}
}

func TestOpenCallbackRefuses(t *testing.T) {
	now := time.Unix(1700000000, 0)
	oa := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	enc := encryptForTest(t, "wx-app", testAESKey, []byte(publishXML))

	// Plain mode, correctly signed, is refused once safe mode is configured: its
	// signature does not cover the body.
	plain := url.Values{"timestamp": {"1700000000"}, "nonce": {"n"}, "signature": {signForTest("cb-token", "1700000000", "n")}}
	if _, err := oa.OpenCallback(plain, []byte(publishXML), now); !errors.Is(err, ErrPlainCallback) {
		t.Errorf("plain mode with an AES key: err = %v, want ErrPlainCallback", err)
	}

	for _, ts := range []int64{1700000000 - 301, 1700000000 + 301, 0} {
		s := strconv.FormatInt(ts, 10)
		if _, err := oa.OpenCallback(safeQuery("cb-token", s, "n", enc), envelopeOf(enc), now); !errors.Is(err, ErrStaleCallback) {
			t.Errorf("timestamp %d: err = %v, want ErrStaleCallback", ts, err)
		}
	}
	for _, ts := range []int64{1700000000 - 300, 1700000000 + 300} {
		s := strconv.FormatInt(ts, 10)
		if _, err := oa.OpenCallback(safeQuery("cb-token", s, "n", enc), envelopeOf(enc), now); err != nil {
			t.Errorf("timestamp %d, at the edge of the window: %v", ts, err)
		}
	}
	for _, q := range []url.Values{
		safeQuery("cb-token", "soon", "n", enc),
		safeQuery("cb-token", "1700000000", "", enc),
		safeQuery("cb-token", "1700000000", strings.Repeat("9", 65), enc),
	} {
		if _, err := oa.OpenCallback(q, envelopeOf(enc), now); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%v: err = %v, want ErrBadSignature", q, err)
		}
	}
	if _, err := oa.OpenCallback(safeQuery("cb-token", "1700000000", "n", ""), []byte(`<xml><ToUserName>x</ToUserName></xml>`), now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("safe mode without Encrypt: err = %v", err)
	}
	if _, err := oa.OpenCallback(safeQuery("cb-token", "1700000000", "n", enc), []byte("not xml <"), now); err == nil || errors.Is(err, ErrBadSignature) {
		t.Errorf("malformed envelope: err = %v, want a parse error", err)
	}
}

func TestOpenCallbackPlain(t *testing.T) {
	now := time.Unix(1700000000, 0)
	oa := NewOfficialAccount("wx-app", "", "cb-token", "", nil)
	q := url.Values{"timestamp": {"1700000000"}, "nonce": {"n"}, "signature": {signForTest("cb-token", "1700000000", "n")}}
	cb, err := oa.OpenCallback(q, []byte(publishXML), now)
	if err != nil || string(cb.Message) != publishXML || cb.Nonce != "n" {
		t.Errorf("good plain callback: %+v, %v", cb, err)
	}
	if _, err := oa.OpenCallback(q, []byte(publishXML), now.Add(10*time.Minute)); !errors.Is(err, ErrStaleCallback) {
		t.Errorf("stale plain callback: err = %v", err)
	}
	q.Set("nonce", "m")
	if _, err := oa.OpenCallback(q, []byte(publishXML), now); !errors.Is(err, ErrBadSignature) {
		t.Errorf("bad plain callback: err = %v", err)
	}
	// Safe mode without a key cannot be opened.
	enc := encryptForTest(t, "wx-app", testAESKey, []byte(publishXML))
	if _, err := oa.OpenCallback(safeQuery("cb-token", "1700000000", "n", enc), envelopeOf(enc), now); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("safe mode without a key: err = %v, want ErrNotConfigured", err)
	}
}

func TestParseOtherCallbacks(t *testing.T) {
	for _, body := range []string{
		`<xml><MsgType>text</MsgType><Content>hi</Content></xml>`,
		`<xml><MsgType>event</MsgType><Event>subscribe</Event></xml>`,
		`<xml><Encrypt>abc</Encrypt></xml>`,
	} {
		if _, ok, err := ParsePublishEvent([]byte(body)); ok || err != nil {
			t.Errorf("%s: ok = %v, err = %v", body, ok, err)
		}
	}
	if _, _, err := ParsePublishEvent([]byte("not xml <")); err == nil {
		t.Error("malformed body: want error")
	}
}
