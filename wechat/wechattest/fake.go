// Package wechattest provides Fake, an in-process stand-in for the WeChat API
// endpoints ParkSafe uses, for tests of any package that talks to WeChat
// through parksafe/wechat.
//
// Point the wechat package at it once per test process:
//
//	fake := wechattest.New()
//	defer fake.Close()
//	if err := wechat.Setup(fake.URL(), 5*time.Second); err != nil { ... }
//
// Responses follow WeChat's JSON shapes (as decoded by silenceper/wechat).
// Identifiers are predictable: tokens are "tok-1", "tok-2", ...; media IDs
// "media-N", draft IDs "draft-N" and publish IDs 1, 2, ... in call order.
package wechattest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is one call received by the Fake.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Body   []byte // raw body; for multipart uploads see FileName/FileData
	// FileName and FileData hold the "media" part of a multipart upload.
	FileName string
	FileData []byte
}

// Fake is a fake WeChat API server. All methods are safe for concurrent use.
type Fake struct {
	srv *httptest.Server

	mu        sync.Mutex
	requests  []Request
	failures  map[string][]failure // keyed by path suffix
	delays    map[string]time.Duration
	sessions  map[string]session
	phones    map[string]phone
	publishes map[int64]publishState
	tokenSeq  int
	mediaSeq  int
	imageSeq  int
	draftSeq  int
	msgSeq    int64
	publSeq   int64
}

type failure struct {
	status  int   // HTTP status, or 0 for an errcode failure
	errcode int64 // used when status is 0
}

type session struct{ openID, unionID string }

type phone struct{ countryCode, number string }

type publishState struct {
	status     int
	articleURL string
}

// New starts a Fake. Close it when done.
func New() *Fake {
	f := &Fake{}
	f.reset()
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// URL returns the base URL to pass to wechat.Setup.
func (f *Fake) URL() string { return f.srv.URL }

// Close shuts the server down.
func (f *Fake) Close() { f.srv.Close() }

// Reset forgets configured sessions, phones, publish states, pending
// failures and delays, recorded requests, and restarts all ID counters.
func (f *Fake) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reset()
}

func (f *Fake) reset() {
	f.requests = nil
	f.failures = make(map[string][]failure)
	f.delays = make(map[string]time.Duration)
	f.sessions = make(map[string]session)
	f.phones = make(map[string]phone)
	f.publishes = make(map[int64]publishState)
	f.tokenSeq, f.mediaSeq, f.imageSeq, f.draftSeq = 0, 0, 0, 0
	f.msgSeq, f.publSeq = 0, 0
}

// SetSession makes jscode2session accept code and return openID and unionID
// (unionID may be empty). Codes stay valid until Reset.
func (f *Fake) SetSession(code, openID, unionID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[code] = session{openID: openID, unionID: unionID}
}

// SetPhone makes getuserphonenumber accept code and return phone, a mainland China number.
func (f *Fake) SetPhone(code, number string) { f.SetPhoneIn(code, "86", number) }

// SetPhoneIn makes getuserphonenumber accept code and return number under countryCode ("86" for
// mainland China), which is how WeChat answers for a number registered in another country.
func (f *Fake) SetPhoneIn(code, countryCode, number string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.phones[code] = phone{countryCode: countryCode, number: number}
}

// SetPublishStatus sets what freepublish/get reports for publishID. Submitted
// jobs start as 1 (publishing). Statuses 0, 5 and 6 report an article ID
// "article-<publishID>" and articleURL; 2 and 4 report fail_idx [1].
func (f *Fake) SetPublishStatus(publishID int64, status int, articleURL string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publishes[publishID] = publishState{status: status, articleURL: articleURL}
}

// FailNext makes the next n requests whose path ends with path answer with
// HTTP status (e.g. 502) instead of being handled.
func (f *Fake) FailNext(path string, n int, status int) {
	f.addFailures(path, n, failure{status: status})
}

// FailNextErrcode makes the next n requests whose path ends with path answer
// 200 with {"errcode":errcode,"errmsg":...}, e.g. 40001 for a stale token.
func (f *Fake) FailNextErrcode(path string, n int, errcode int64) {
	f.addFailures(path, n, failure{errcode: errcode})
}

func (f *Fake) addFailures(path string, n int, fl failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures[path] = append(f.failures[path], fl)
	}
}

// SetDelay makes requests whose path ends with path wait d before answering
// (0 removes the delay), for exercising client timeouts. The wait ends early
// if the client goes away.
func (f *Fake) SetDelay(path string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d <= 0 {
		delete(f.delays, path)
		return
	}
	f.delays[path] = d
}

// Calls returns how many requests (including failed ones) had a path ending
// with pathSuffix.
func (f *Fake) Calls(pathSuffix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasSuffix(r.Path, pathSuffix) {
			n++
		}
	}
	return n
}

// Requests returns a copy of every request received, in arrival order.
func (f *Fake) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Request, len(f.requests))
	for i, r := range f.requests {
		r.Query = maps.Clone(r.Query)
		out[i] = r
	}
	return out
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body}
	req.FileName, req.FileData = mediaPart(r.Header.Get("Content-Type"), body)

	f.mu.Lock()
	f.requests = append(f.requests, req)
	fl, failing := f.popFailure(req.Path)
	delay := f.matchDelay(req.Path)
	f.mu.Unlock()

	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if failing {
		if fl.status != 0 {
			http.Error(w, http.StatusText(fl.status), fl.status)
			return
		}
		writeJSON(w, errBody(fl.errcode))
		return
	}

	route, ok := routes[req.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != route.method {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if route.needsToken && req.Query.Get("access_token") == "" {
		writeJSON(w, errBody(41001))
		return
	}
	writeJSON(w, route.handle(f, &req))
}

// popFailure takes the next queued failure for path. Callers hold mu.
func (f *Fake) popFailure(path string) (failure, bool) {
	for suffix, q := range f.failures {
		if len(q) == 0 || !strings.HasSuffix(path, suffix) {
			continue
		}
		f.failures[suffix] = q[1:]
		return q[0], true
	}
	return failure{}, false
}

// matchDelay returns the delay configured for path. Callers hold mu.
func (f *Fake) matchDelay(path string) time.Duration {
	for suffix, d := range f.delays {
		if strings.HasSuffix(path, suffix) {
			return d
		}
	}
	return 0
}

// mediaPart extracts the "media" file of a multipart/form-data body.
func mediaPart(contentType string, body []byte) (string, []byte) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" {
		return "", nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return "", nil
		}
		if p.FormName() == "media" {
			data, err := io.ReadAll(p)
			if err != nil {
				return "", nil
			}
			return p.FileName(), data
		}
	}
}

type route struct {
	method     string
	needsToken bool
	handle     func(f *Fake, r *Request) any
}

// routes maps each supported endpoint to its handler. It is never modified.
var routes = map[string]route{
	"/cgi-bin/token":                   {http.MethodGet, false, (*Fake).token},
	"/sns/jscode2session":              {http.MethodGet, false, (*Fake).code2Session},
	"/wxa/business/getuserphonenumber": {http.MethodPost, true, (*Fake).phoneNumber},
	"/cgi-bin/message/subscribe/send":  {http.MethodPost, true, (*Fake).subscribeSend},
	"/cgi-bin/material/add_material":   {http.MethodPost, true, (*Fake).addMaterial},
	"/cgi-bin/media/uploadimg":         {http.MethodPost, true, (*Fake).uploadImage},
	"/cgi-bin/draft/add":               {http.MethodPost, true, (*Fake).addDraft},
	"/cgi-bin/freepublish/submit":      {http.MethodPost, true, (*Fake).submitPublish},
	"/cgi-bin/freepublish/get":         {http.MethodPost, true, (*Fake).getPublish},
}

func (f *Fake) token(r *Request) any {
	switch {
	case r.Query.Get("appid") == "":
		return errBody(41002)
	case r.Query.Get("secret") == "":
		return errBody(41004)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokenSeq++
	return map[string]any{"access_token": "tok-" + strconv.Itoa(f.tokenSeq), "expires_in": 7200}
}

func (f *Fake) code2Session(r *Request) any {
	if r.Query.Get("appid") == "" {
		return errBody(41002)
	}
	if r.Query.Get("secret") == "" {
		return errBody(41004)
	}
	code := r.Query.Get("js_code")
	f.mu.Lock()
	s, ok := f.sessions[code]
	f.mu.Unlock()
	if !ok {
		return errBody(40029)
	}
	res := map[string]any{"openid": s.openID, "session_key": "session-key-" + code}
	if s.unionID != "" {
		res["unionid"] = s.unionID
	}
	return res
}

func (f *Fake) phoneNumber(r *Request) any {
	var req struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(r.Body, &req) != nil {
		return errBody(47001)
	}
	f.mu.Lock()
	p, ok := f.phones[req.Code]
	f.mu.Unlock()
	if !ok {
		return errBody(40029)
	}
	// WeChat's phoneNumber carries the country code only for a number outside mainland China.
	full := p.number
	if p.countryCode != "86" {
		full = "+" + p.countryCode + p.number
	}
	return map[string]any{
		"errcode": 0,
		"errmsg":  "ok",
		"phone_info": map[string]any{
			"phoneNumber":     full,
			"purePhoneNumber": p.number,
			"countryCode":     p.countryCode,
			"watermark":       map[string]any{"timestamp": time.Now().Unix(), "appid": ""},
		},
	}
}

func (f *Fake) subscribeSend(r *Request) any {
	var req struct {
		ToUser     string          `json:"touser"`
		TemplateID string          `json:"template_id"`
		Data       json.RawMessage `json:"data"`
	}
	switch {
	case json.Unmarshal(r.Body, &req) != nil:
		return errBody(47001)
	case req.ToUser == "":
		return errBody(40003)
	case req.TemplateID == "":
		return errBody(40037)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgSeq++
	return map[string]any{"errcode": 0, "errmsg": "ok", "msgid": f.msgSeq}
}

func (f *Fake) addMaterial(r *Request) any {
	if r.Query.Get("type") == "" {
		return errBody(40004)
	}
	if len(r.FileData) == 0 {
		return errBody(41005)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mediaSeq++
	id := "media-" + strconv.Itoa(f.mediaSeq)
	return map[string]any{"media_id": id, "url": "https://mmbiz.qpic.cn/fake/" + id}
}

func (f *Fake) uploadImage(r *Request) any {
	if len(r.FileData) == 0 {
		return errBody(41005)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.imageSeq++
	return map[string]any{"url": "https://mmbiz.qpic.cn/fake/img-" + strconv.Itoa(f.imageSeq)}
}

func (f *Fake) addDraft(r *Request) any {
	var req struct {
		Articles []json.RawMessage `json:"articles"`
	}
	if json.Unmarshal(r.Body, &req) != nil {
		return errBody(47001)
	}
	if len(req.Articles) == 0 {
		return errBody(44003)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.draftSeq++
	return map[string]any{"media_id": "draft-" + strconv.Itoa(f.draftSeq)}
}

func (f *Fake) submitPublish(r *Request) any {
	var req struct {
		MediaID string `json:"media_id"`
	}
	if json.Unmarshal(r.Body, &req) != nil {
		return errBody(47001)
	}
	if req.MediaID == "" {
		return errBody(40007)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.publSeq++
	f.publishes[f.publSeq] = publishState{status: 1}
	return map[string]any{"errcode": 0, "errmsg": "ok", "publish_id": f.publSeq, "msg_data_id": f.publSeq}
}

func (f *Fake) getPublish(r *Request) any {
	var req struct {
		PublishID int64 `json:"publish_id"`
	}
	if json.Unmarshal(r.Body, &req) != nil {
		return errBody(47001)
	}
	f.mu.Lock()
	st, ok := f.publishes[req.PublishID]
	f.mu.Unlock()
	if !ok {
		// Fake-specific: WeChat's answer for unknown IDs is undocumented.
		return errBody(40007)
	}
	res := map[string]any{
		"publish_id":     req.PublishID,
		"publish_status": st.status,
		"article_detail": map[string]any{"count": 0, "item": []any{}},
		"fail_idx":       []int{},
	}
	switch st.status {
	case 0, 5, 6:
		res["article_id"] = "article-" + strconv.FormatInt(req.PublishID, 10)
		res["article_detail"] = map[string]any{
			"count": 1,
			"item":  []any{map[string]any{"idx": 1, "article_url": st.articleURL}},
		}
	case 2, 4:
		res["fail_idx"] = []int{1}
	}
	return res
}

// errmsgs holds WeChat's messages for the errcodes the Fake produces.
var errmsgs = map[int64]string{
	-1:    "system error",
	40001: "invalid credential, access_token is invalid or not latest",
	40003: "invalid openid",
	40004: "invalid media type",
	40007: "invalid media_id",
	40014: "invalid access_token",
	40029: "invalid code",
	40037: "invalid template_id",
	41001: "access_token missing",
	41002: "appid missing",
	41004: "appsecret missing",
	41005: "media data missing",
	42001: "access_token expired",
	44003: "empty news data",
	45009: "reach max api daily quota limit",
	47001: "data format error",
}

func errBody(code int64) map[string]any {
	msg, ok := errmsgs[code]
	if !ok {
		msg = "fake error"
	}
	return map[string]any{"errcode": code, "errmsg": msg + " rid: fake"}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
