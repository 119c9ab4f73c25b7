package wechat

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// FuzzParsePublishEvent parses arbitrary callback messages: never a panic, and an event it accepts
// has the fields it reports.
func FuzzParsePublishEvent(f *testing.F) {
	f.Add([]byte(publishXML))
	f.Add([]byte(`<xml><MsgType>event</MsgType><Event>PUBLISHJOBFINISH</Event><PublishEventInfo><publish_id>7</publish_id><publish_status>2</publish_status><fail_idx>1,2</fail_idx><fail_idx/></PublishEventInfo></xml>`))
	f.Add([]byte(`<xml><MsgType>text</MsgType><Content><![CDATA[hi]]></Content></xml>`))
	f.Add([]byte(`<xml><Encrypt>abc</Encrypt></xml>`))
	f.Add([]byte(`<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml>&a;</xml>`))
	f.Fuzz(func(t *testing.T, message []byte) {
		ev, ok, err := ParsePublishEvent(message)
		if err != nil && ok {
			t.Fatalf("ok with an error: %v", err)
		}
		if !ok && (ev.PublishID != 0 || ev.ArticleURL != "" || ev.FailIdx != nil) {
			t.Fatalf("not an event, yet %+v", ev)
		}
	})
}

// FuzzDecrypt opens arbitrary safe-mode payloads, and payloads WeChat would make of arbitrary
// messages: the former fail cleanly, the latter come back as they were.
func FuzzDecrypt(f *testing.F) {
	key, _ := base64.StdEncoding.DecodeString(testAESKey + "=")
	f.Add([]byte(publishXML), make([]byte, 16), "")
	f.Add([]byte{}, []byte("0123456789abcdef"), "not base64!")
	f.Add([]byte("停车"), []byte("fedcba9876543210"), base64.StdEncoding.EncodeToString(make([]byte, 32)))
	f.Add([]byte("x"), []byte("0000000000000000"), base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{32}, 64)))
	oa := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	f.Fuzz(func(t *testing.T, msg, random []byte, payload string) {
		if _, err := oa.Decrypt(payload); err == nil && payload == "" {
			t.Fatal("an empty payload opened")
		}
		if len(random) != 16 {
			return
		}
		enc := base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random, msg, "wx-app", key))
		got, err := oa.Decrypt(enc)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("round trip of %q: %q, %v", msg, got, err)
		}
	})
}

// FuzzOpenCallback authenticates arbitrary callback requests against a safe-mode and a plain-mode
// account: never a panic, and nothing unsigned gets through.
func FuzzOpenCallback(f *testing.F) {
	f.Add("timestamp=1700000000&nonce=n1&encrypt_type=aes&msg_signature=0000", []byte(`<xml><Encrypt>abc</Encrypt></xml>`))
	f.Add("timestamp=1700000000&nonce=n1&signature=0000", []byte(publishXML))
	f.Add("timestamp=-1&nonce=&encrypt_type=AES", []byte("not xml <"))
	f.Add("timestamp=99999999999999999999&nonce=%00", []byte{})
	now := time.Unix(1700000000, 0)
	safe := NewOfficialAccount("wx-app", "", "cb-token", testAESKey, nil)
	plain := NewOfficialAccount("wx-app", "", "cb-token", "", nil)
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		for _, oa := range []*OfficialAccount{safe, plain, nil} {
			cb, err := oa.OpenCallback(q, body, now)
			if err == nil {
				t.Fatalf("%q %q opened without a signature: %+v", query, body, cb)
			}
			if oa == safe && q.Get("encrypt_type") == "" && !errors.Is(err, ErrPlainCallback) && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("plain mode under an AES key: %v", err)
			}
		}
	})
}
