// Command fakewechat serves the fake WeChat of the Go tests (wechattest.Fake) as a process on a
// loopback port, so that tests outside Go — the mini-program's page tests — can start ParkSafe with
// WECHAT_API_BASE pointing at it. It prints its base URL as the first line of its output.
//
//	go run ./cmd/fakewechat -callback http://127.0.0.1:8089/api/v1/wechat/official-account/callback \
//	    -token oa-token -aes-key <WECHAT_OA_AES_KEY> -appid <WECHAT_OA_APPID>
//
// Besides WeChat's own endpoints it answers a few control requests under /__fake/, which is how a
// test plays WeChat's part:
//
//	POST /__fake/publish-result?status=0&article_url=…[&publish_id=N]
//	    sets what freepublish/get reports for publish job N (by default the latest submitted: the
//	    fake numbers publish jobs 1, 2, … in the order they are submitted) and, with -callback,
//	    pushes the PUBLISHJOBFINISH event to ParkSafe signed with -token, as WeChat does: in safe
//	    mode (encrypted with -aes-key for -appid) when -aes-key is given, else in plain mode.
//	    Answers {"publish_id": N, "callback_status": <ParkSafe's HTTP status, 0 without -callback>}.
//	POST /__fake/fail?path=/cgi-bin/draft/add&n=1&errcode=45009   (or &status=502)
//	    makes the next n requests to that path fail with the errcode (or the HTTP status).
//	GET  /__fake/calls?path=/cgi-bin/freepublish/submit
//	    answers {"count": N}: the requests received whose path ends with path.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"parksafe/wechat/wechattest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback; port 0 picks a free one)")
	callback := flag.String("callback", "", "ParkSafe's Official Account callback URL, for PUBLISHJOBFINISH pushes")
	token := flag.String("token", "", "the Official Account callback token (ParkSafe's WECHAT_OA_TOKEN)")
	aesKey := flag.String("aes-key", "", "the Official Account EncodingAESKey (ParkSafe's WECHAT_OA_AES_KEY): push in safe mode")
	appID := flag.String("appid", "", "the Official Account AppID (ParkSafe's WECHAT_OA_APPID), sealed into safe-mode events")
	flag.Parse()

	fake := wechattest.New()
	defer fake.Close()
	h, err := newHandler(fake, *callback, *token, *aesKey, *appID)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// handler answers the control requests and hands everything else to the fake.
type handler struct {
	fake     *wechattest.Fake
	proxy    *httputil.ReverseProxy
	callback string
	token    string
	aesKey   []byte // nil: plain mode
	appID    string
	client   *http.Client
}

func newHandler(fake *wechattest.Fake, callback, token, aesKey, appID string) (http.Handler, error) {
	target, err := url.Parse(fake.URL())
	if err != nil {
		return nil, err
	}
	if callback != "" && token == "" {
		return nil, errors.New("-callback needs -token: ParkSafe refuses unsigned callbacks")
	}
	h := &handler{fake: fake, proxy: httputil.NewSingleHostReverseProxy(target), callback: callback, token: token,
		appID: appID, client: &http.Client{Timeout: 10 * time.Second}}
	if aesKey != "" {
		key, err := base64.StdEncoding.DecodeString(aesKey + "=")
		if err != nil || len(key) != 32 {
			return nil, errors.New("-aes-key must be a 43-character EncodingAESKey")
		}
		if appID == "" {
			return nil, errors.New("-aes-key needs -appid: WeChat seals the AppID into every event")
		}
		h.aesKey = key
	}
	return h, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__fake/publish-result":
		h.publishResult(w, r)
	case "/__fake/fail":
		h.fail(w, r)
	case "/__fake/calls":
		writeJSON(w, http.StatusOK, map[string]any{"count": h.fake.Calls(r.URL.Query().Get("path"))})
	default:
		h.proxy.ServeHTTP(w, r)
	}
}

func (h *handler) publishResult(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	status, err := strconv.Atoi(q.Get("status"))
	if err != nil {
		http.Error(w, "status: "+err.Error(), http.StatusBadRequest)
		return
	}
	id := int64(h.fake.Calls("/freepublish/submit"))
	if s := q.Get("publish_id"); s != "" {
		if id, err = strconv.ParseInt(s, 10, 64); err != nil {
			http.Error(w, "publish_id: "+err.Error(), http.StatusBadRequest)
			return
		}
	}
	if id < 1 {
		http.Error(w, "nothing was submitted yet", http.StatusConflict)
		return
	}
	articleURL := q.Get("article_url")
	h.fake.SetPublishStatus(id, status, articleURL)
	pushed := 0
	if h.callback != "" {
		if pushed, err = h.push(r.Context(), id, status, articleURL); err != nil {
			http.Error(w, "callback: "+err.Error(), http.StatusBadGateway)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"publish_id": id, "callback_status": pushed})
}

// push sends the PUBLISHJOBFINISH event signed as WeChat signs it, encrypted when the fake has the
// AES key (ParkSafe refuses plain mode then).
func (h *handler) push(ctx context.Context, id int64, status int, articleURL string) (int, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	q := url.Values{"timestamp": {ts}, "nonce": {hex.EncodeToString(nonce)}, "openid": {"fake-openid"}}
	q.Set("signature", util.Signature(h.token, ts, q.Get("nonce")))
	body := fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><FromUserName><![CDATA[fake-openid]]></FromUserName>`+
		`<CreateTime>%s</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>`+
		`<PublishEventInfo><publish_id>%d</publish_id><publish_status>%d</publish_status><article_id><![CDATA[article-%d]]></article_id>`+
		`<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[%s]]></article_url></item></article_detail>`+
		`</PublishEventInfo></xml>`, ts, id, status, id, html.EscapeString(articleURL))
	if h.aesKey != nil {
		random := make([]byte, 16)
		_, _ = rand.Read(random)
		enc := base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random, []byte(body), h.appID, h.aesKey))
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", util.Signature(h.token, ts, q.Get("nonce"), enc))
		body = "<xml><ToUserName><![CDATA[gh_fake]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
	}
	sep := "?"
	if strings.Contains(h.callback, "?") {
		sep = "&"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.callback+sep+q.Encode(), bytes.NewBufferString(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "text/xml")
	res, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	path := q.Get("path")
	n, err := strconv.Atoi(q.Get("n"))
	if path == "" || err != nil || n < 1 {
		http.Error(w, "want path and n ≥ 1", http.StatusBadRequest)
		return
	}
	if s := q.Get("status"); s != "" {
		status, err := strconv.Atoi(s)
		if err != nil {
			http.Error(w, "status: "+err.Error(), http.StatusBadRequest)
			return
		}
		h.fake.FailNext(path, n, status)
	} else {
		code, err := strconv.ParseInt(q.Get("errcode"), 10, 64)
		if err != nil {
			http.Error(w, "want errcode or status", http.StatusBadRequest)
			return
		}
		h.fake.FailNextErrcode(path, n, code)
	}
	writeJSON(w, http.StatusOK, map[string]any{"path": path, "n": n})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
