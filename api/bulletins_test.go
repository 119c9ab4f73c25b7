package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/bulletin"
)

// fakePhotos stands in for the photo service: links under the park's /files/photos/ and a small PNG.
type fakePhotos struct{}

func (fakePhotos) Links(p *model.Photo) (string, string) {
	u := fmt.Sprintf("http://parksafe.test/files/photos/%d?sig=ok", p.ID)
	return u, u + "&thumb=1"
}

func (fakePhotos) WeChatImage(ctx context.Context, p *model.Photo) (string, []byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{R: uint8(p.ID), A: 255})
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return "photo.png", buf.Bytes(), err
}

// bulletinEnv is a running app with fake photos wired into the bulletin service.
func bulletinEnv(t *testing.T, opts ...apitest.Option) *apitest.Env {
	env := apitest.New(t, opts...)
	env.App.Bulletins.Photos = fakePhotos{}
	return env
}

func runJobs(t *testing.T, env *apitest.Env) {
	t.Helper()
	if _, err := env.App.Worker.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func loadBulletin(t *testing.T, env *apitest.Env, id uint64) model.Bulletin {
	t.Helper()
	var b model.Bulletin
	if err := env.App.DB.First(&b, id).Error; err != nil {
		t.Fatal(err)
	}
	return b
}

// calls counts fake WeChat requests since the snapshot (the fake is shared by the whole process).
type calls map[string]int

var wxPaths = []string{"material/add_material", "media/uploadimg", "draft/add", "freepublish/submit", "freepublish/get", "cgi-bin/token"}

func snapshot(env *apitest.Env) calls {
	c := calls{}
	for _, p := range wxPaths {
		c[p] = env.WeChat.Calls(p)
	}
	return c
}

func (c calls) since(env *apitest.Env, path string) int { return env.WeChat.Calls(path) - c[path] }

func signature(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

func publishEventXML(publishID int64, status int, articleURL string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_park]]></ToUserName><FromUserName><![CDATA[op]]></FromUserName>
<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
<PublishEventInfo><publish_id>%d</publish_id><publish_status>%d</publish_status><article_id><![CDATA[art-%d]]></article_id>
<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[%s]]></article_url></item></article_detail></PublishEventInfo></xml>`,
		publishID, status, publishID, articleURL)
}

// callback posts a safe-mode event (the test app has an EncodingAESKey), signed with the callback
// token (or a wrong one), timestamped now and with a nonce of its own.
func callback(env *apitest.Env, body string, token string) *apitest.Response {
	q, envelope := safeCallback(env, body, token, env.Clock.Now(), fmt.Sprint("n", env.Seq()))
	return postCallback(env, q, envelope)
}

// safeCallback encrypts body the way WeChat does and signs it at ts with nonce.
func safeCallback(env *apitest.Env, body, token string, ts time.Time, nonce string) (url.Values, string) {
	env.T.Helper()
	key, err := base64.StdEncoding.DecodeString(apitest.OAAESKey + "=")
	if err != nil {
		env.T.Fatal(err)
	}
	random := make([]byte, 16)
	rand.Read(random)
	enc := base64.StdEncoding.EncodeToString(util.AESEncryptMsg(random, []byte(body), apitest.OAAppID, key))
	stamp := strconv.FormatInt(ts.Unix(), 10)
	q := url.Values{"timestamp": {stamp}, "nonce": {nonce}, "encrypt_type": {"aes"}, "openid": {"op"},
		"signature": {signature(token, stamp, nonce)}, "msg_signature": {signature(token, stamp, nonce, enc)}}
	return q, "<xml><ToUserName><![CDATA[gh_park]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
}

func postCallback(env *apitest.Env, q url.Values, body string) *apitest.Response {
	return env.Anon().Do(http.MethodPost, "/api/v1/wechat/official-account/callback?"+q.Encode(), strings.NewReader(body), "Content-Type", "text/xml")
}

func createBulletin(t *testing.T, env *apitest.Env, body map[string]any) uint64 {
	t.Helper()
	return env.Admin().Post("/api/v1/bulletins", body).Want(http.StatusCreated).ID()
}

func TestPublishHappyPath(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	// Signed in before the clock moves: tokens are checked against the real time.
	ent := env.EnterpriseUser(env.CreateEnterprise(""))
	cover, inline := env.InsertPhoto(admin.UserID()), env.InsertPhoto(admin.UserID())
	id := createBulletin(t, env, map[string]any{"title": "关于加强动火作业管理的通知", "kind": "general", "cover_photo_id": cover,
		"content_markdown": fmt.Sprintf("各入园企业：\n\n| 企业 | 问题 |\n| --- | --- |\n| 甲 | 杂物 |\n\n![现场照片](photo:%d)\n", inline)})
	got := admin.Get("/api/v1/bulletins/" + itoa(id)).Want(http.StatusOK)
	if html := got.Field("content_html").(string); !strings.Contains(html, "<table>") || !strings.Contains(html, fmt.Sprintf("http://parksafe.test/files/photos/%d", inline)) {
		t.Fatalf("content_html lacks the table or the photo link: %s", html)
	}
	if got.Field("cover_photo.id").(float64) != float64(cover) || got.Field("status_label") != "草稿" {
		t.Fatalf("bulletin: %s", got.Body)
	}

	before := snapshot(env)
	r := admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	if r.Field("status") != "publishing" {
		t.Fatalf("publish answer: %s", r.Body)
	}
	runJobs(t, env)
	for path, want := range map[string]int{"material/add_material": 1, "media/uploadimg": 1, "draft/add": 1, "freepublish/submit": 1} {
		if n := before.since(env, path); n != want {
			t.Errorf("%s called %d times, want %d", path, n, want)
		}
	}
	// The draft shows WeChat's copy of the photo, never the park's signed link.
	var draft string
	for _, req := range env.WeChat.Requests() {
		if strings.HasSuffix(req.Path, "draft/add") {
			draft = string(req.Body)
		}
	}
	if !strings.Contains(draft, "mmbiz.qpic.cn") || strings.Contains(draft, "parksafe.test/files") {
		t.Fatalf("draft content: %s", draft)
	}
	b := loadBulletin(t, env, id)
	if b.PublishID == nil || b.ThumbMediaID == "" || b.DraftMediaID == "" || b.Status != model.BulletinPublishing {
		t.Fatalf("steps not recorded: %+v", b)
	}

	callback(env, publishEventXML(*b.PublishID, 0, "https://mp.weixin.qq.com/s/ok"), apitest.OAToken).Want(http.StatusOK)
	got = admin.Get("/api/v1/bulletins/" + itoa(id)).Want(http.StatusOK)
	if got.Field("status") != "published" || got.Field("article_url") != "https://mp.weixin.qq.com/s/ok" || got.Field("published_at") == nil {
		t.Fatalf("after the event: %s", got.Body)
	}
	// The poll that was queued finds nothing left to do.
	env.Clock.Advance(time.Minute)
	runJobs(t, env)
	if loadBulletin(t, env, id).Status != model.BulletinPublished || before.since(env, "freepublish/submit") != 1 {
		t.Fatal("the poll changed a published bulletin")
	}
	// Everyone signed in reads it, and the public page shows it.
	ent.Get("/api/v1/bulletins/" + itoa(id)).Want(http.StatusOK)
	page := env.Anon().Get("/p/bulletins/" + itoa(id)).Want(http.StatusOK)
	if !strings.Contains(string(page.Body), "关于加强动火作业管理的通知") || !strings.Contains(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("public page: %s", page.Body)
	}
	// Published bulletins can no longer be edited or published.
	admin.Patch("/api/v1/bulletins/"+itoa(id), map[string]any{"title": "改"}).WantError(http.StatusConflict, "conflict")
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).WantError(http.StatusConflict, "conflict")
}

func TestPublishRetriesTransientFailuresAndStaleToken(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	before := snapshot(env)
	env.WeChat.FailNextErrcode("material/add_material", 1, 40001) // stale token: refreshed and retried at once
	env.WeChat.FailNext("draft/add", 2, http.StatusBadGateway)
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	for range 3 {
		runJobs(t, env)
		if b := loadBulletin(t, env, id); b.PublishID == nil && b.Status != model.BulletinPublishing {
			t.Fatalf("a transient failure failed the bulletin: %+v", b)
		}
		env.Clock.Advance(5 * time.Minute)
	}
	b := loadBulletin(t, env, id)
	if b.PublishID == nil {
		t.Fatalf("not submitted after the failures passed: %+v", b)
	}
	if n := before.since(env, "draft/add"); n != 3 {
		t.Errorf("draft/add called %d times, want 3", n)
	}
	if n := before.since(env, "material/add_material"); n != 2 {
		t.Errorf("add_material called %d times, want 2 (one stale token, one retry; not again after the draft failures)", n)
	}
	if before.since(env, "cgi-bin/token") < 1 {
		t.Error("the stale token was not refreshed")
	}
	// No callback: the poll brings the outcome.
	env.WeChat.SetPublishStatus(*b.PublishID, 0, "https://mp.weixin.qq.com/s/polled")
	env.Clock.Advance(time.Minute)
	runJobs(t, env)
	if b = loadBulletin(t, env, id); b.Status != model.BulletinPublished || b.ArticleURL != "https://mp.weixin.qq.com/s/polled" || before.since(env, "freepublish/submit") != 1 {
		t.Fatalf("after polling: %+v", b)
	}
}

func TestPublishResumesAfterCrashWithoutSecondSubmit(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	before := snapshot(env)
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	// The instance died after submitting, before recording that the job was done: the job is
	// still "running" under a lease that has run out.
	env.App.DB.Model(&model.Job{}).Where("kind = ?", bulletin.JobPublish).
		Updates(map[string]any{"state": model.JobRunning, "lease_owner": "crashed", "lease_until": env.Clock.Now().Add(-time.Second)})
	restarted := env.App.Jobs.NewWorker("restarted")
	if _, err := restarted.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := before.since(env, "freepublish/submit"); n != 1 {
		t.Fatalf("freepublish/submit called %d times after the restart, want 1", n)
	}
	b := loadBulletin(t, env, id)
	env.WeChat.SetPublishStatus(*b.PublishID, 0, "https://mp.weixin.qq.com/s/after-crash")
	env.Clock.Advance(time.Minute)
	restarted.RunDue(context.Background())
	if b = loadBulletin(t, env, id); b.Status != model.BulletinPublished {
		t.Fatalf("not published after the restart: %+v", b)
	}

	// Crash while submitting: the marker is there but no publish id. Whether WeChat got it is
	// unknown, so the job does not submit again; the admin is told to check.
	id2 := createBulletin(t, env, map[string]any{"title": "通知二", "content_markdown": "正文"})
	admin.Post("/api/v1/bulletins/"+itoa(id2)+"/publish", nil).Want(http.StatusAccepted)
	env.App.DB.Model(&model.Bulletin{}).Where("id = ?", id2).Update("submitting_at", env.Clock.Now())
	runJobs(t, env)
	b = loadBulletin(t, env, id2)
	if b.Status != model.BulletinFailed || !strings.Contains(b.Error, "核实") || before.since(env, "freepublish/submit") != 1 {
		t.Fatalf("interrupted submit: %+v, submits %d", b, before.since(env, "freepublish/submit"))
	}
}

func TestAuditRefusedThenPublishAgain(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	before := snapshot(env)
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	first := *loadBulletin(t, env, id).PublishID
	callback(env, publishEventXML(first, 4, ""), apitest.OAToken).Want(http.StatusOK)
	got := admin.Get("/api/v1/bulletins/" + itoa(id)).Want(http.StatusOK)
	if got.Field("status") != "failed" || !strings.Contains(got.Field("error").(string), "审核未通过") {
		t.Fatalf("after refusal: %s", got.Body)
	}
	// Failed ones may be edited and published again; the new attempt starts from scratch.
	v := int(got.Field("version").(float64))
	admin.Patch("/api/v1/bulletins/"+itoa(id), map[string]any{"content_markdown": "修改后的正文", "version": v}).Want(http.StatusOK)
	admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	if b := loadBulletin(t, env, id); b.Error != "" || b.PublishID != nil || b.DraftMediaID != "" {
		t.Fatalf("a fresh attempt kept the old one's results: %+v", b)
	}
	runJobs(t, env)
	second := *loadBulletin(t, env, id).PublishID
	if second == first || before.since(env, "freepublish/submit") != 2 {
		t.Fatalf("second attempt: publish id %d (first %d), submits %d", second, first, before.since(env, "freepublish/submit"))
	}
	// A late event about the first attempt changes nothing.
	callback(env, publishEventXML(first, 0, "https://mp.weixin.qq.com/s/stale"), apitest.OAToken).Want(http.StatusOK)
	if b := loadBulletin(t, env, id); b.Status != model.BulletinPublishing {
		t.Fatalf("stale event applied: %+v", b)
	}
	callback(env, publishEventXML(second, 0, "https://mp.weixin.qq.com/s/second"), apitest.OAToken).Want(http.StatusOK)
	if b := loadBulletin(t, env, id); b.Status != model.BulletinPublished || b.ArticleURL != "https://mp.weixin.qq.com/s/second" {
		t.Fatalf("second attempt outcome: %+v", b)
	}
}

func TestPermanentWeChatErrorFailsBulletin(t *testing.T) {
	env := bulletinEnv(t)
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	env.WeChat.FailNextErrcode("draft/add", 1, 45009)
	env.Admin().Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	if b := loadBulletin(t, env, id); b.Status != model.BulletinFailed || !strings.Contains(b.Error, "明天") {
		t.Fatalf("quota error: %+v", b)
	}
}

func TestCallbackSignature(t *testing.T) {
	env := bulletinEnv(t)
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	env.Admin().Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	b := loadBulletin(t, env, id)

	callback(env, publishEventXML(*b.PublishID, 0, "https://evil.example/"), "wrong-token").WantError(http.StatusForbidden, "forbidden")
	if after := loadBulletin(t, env, id); after.Status != model.BulletinPublishing || after.Version != b.Version {
		t.Fatalf("a forged event changed the bulletin: %+v", after)
	}

	// URL verification echoes only with a good signature.
	q := url.Values{"timestamp": {"1"}, "nonce": {"n"}, "echostr": {"echo-123"}, "signature": {signature(apitest.OAToken, "1", "n")}}
	r := env.Anon().Get("/api/v1/wechat/official-account/callback?" + q.Encode()).Want(http.StatusOK)
	if string(r.Body) != "echo-123" {
		t.Fatalf("echo: %q", r.Body)
	}
	q.Set("signature", signature("other", "1", "n"))
	env.Anon().Get("/api/v1/wechat/official-account/callback?"+q.Encode()).WantError(http.StatusForbidden, "forbidden")

	// msg_signature must cover the Encrypt element that was sent.
	aes, body := safeCallback(env, publishEventXML(*b.PublishID, 0, "https://mp.weixin.qq.com/s/aes"), apitest.OAToken, env.Clock.Now(), "m1")
	good := aes.Get("msg_signature")
	aes.Set("msg_signature", signature(apitest.OAToken, aes.Get("timestamp"), "m1", "other"))
	postCallback(env, aes, body).WantError(http.StatusForbidden, "forbidden")
	if loadBulletin(t, env, id).Status != model.BulletinPublishing {
		t.Fatal("bad msg_signature changed the bulletin")
	}
	aes.Set("msg_signature", good)
	r = postCallback(env, aes, body).Want(http.StatusOK)
	if string(r.Body) != "success" {
		t.Fatalf("callback answer %q", r.Body)
	}
	if b = loadBulletin(t, env, id); b.Status != model.BulletinPublished || b.ArticleURL != "https://mp.weixin.qq.com/s/aes" {
		t.Fatalf("AES event not applied: %+v", b)
	}
}

// TestCallbackRefusesReplayStaleAndPlain sends correctly signed events that must still be refused:
// one seen before (its nonce), one whose timestamp is out of the window, and one in plain mode, whose
// signature does not cover the body, while an EncodingAESKey is configured. Each is 403 and leaves
// the bulletin as it was.
func TestCallbackRefusesReplayStaleAndPlain(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	publishing := func() (uint64, int64) {
		id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
		admin.Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).Want(http.StatusAccepted)
		runJobs(t, env)
		return id, *loadBulletin(t, env, id).PublishID
	}
	unchanged := func(id uint64, what string) {
		t.Helper()
		if b := loadBulletin(t, env, id); b.Status != model.BulletinPublishing || b.ArticleURL != "" || b.Error != "" {
			t.Fatalf("%s changed the bulletin: %+v", what, b)
		}
	}

	// Replay: the first delivery (a refusal by the platform) settles its bulletin; the same request
	// again is refused, and so is any other body under that timestamp and nonce, such as a success
	// for a bulletin still publishing.
	id, pid := publishing()
	at := env.Clock.Now()
	q, body := safeCallback(env, publishEventXML(pid, 4, ""), apitest.OAToken, at, "replayed-nonce")
	postCallback(env, q, body).Want(http.StatusOK)
	if loadBulletin(t, env, id).Status != model.BulletinFailed {
		t.Fatal("the first delivery was not applied")
	}
	postCallback(env, q, body).WantError(http.StatusForbidden, "forbidden")
	id2, pid2 := publishing()
	q, body = safeCallback(env, publishEventXML(pid2, 0, "https://evil.example/a"), apitest.OAToken, at, "replayed-nonce")
	postCallback(env, q, body).WantError(http.StatusForbidden, "forbidden")
	unchanged(id2, "a replayed nonce")

	// Stale: signed correctly, but six minutes old or six minutes ahead.
	for _, at := range []time.Time{env.Clock.Now().Add(-6 * time.Minute), env.Clock.Now().Add(6 * time.Minute)} {
		q, body := safeCallback(env, publishEventXML(pid2, 0, "https://evil.example/b"), apitest.OAToken, at, fmt.Sprint("n", env.Seq()))
		postCallback(env, q, body).WantError(http.StatusForbidden, "forbidden")
	}
	unchanged(id2, "a stale timestamp")

	// Plain mode: the signature covers token, timestamp and nonce, not the body.
	stamp, nonce := strconv.FormatInt(env.Clock.Now().Unix(), 10), fmt.Sprint("n", env.Seq())
	plain := url.Values{"timestamp": {stamp}, "nonce": {nonce}, "signature": {signature(apitest.OAToken, stamp, nonce)}}
	postCallback(env, plain, publishEventXML(pid2, 0, "https://evil.example/c")).WantError(http.StatusForbidden, "forbidden")
	postCallback(env, plain, publishEventXML(pid2, 3, "")).WantError(http.StatusForbidden, "forbidden")
	unchanged(id2, "a plain-mode body")

	// The genuine event still gets through, and expired nonces are purged by the hourly job.
	callback(env, publishEventXML(pid2, 0, "https://mp.weixin.qq.com/s/ok"), apitest.OAToken).Want(http.StatusOK)
	if b := loadBulletin(t, env, id2); b.Status != model.BulletinPublished || b.ArticleURL != "https://mp.weixin.qq.com/s/ok" {
		t.Fatalf("genuine event: %+v", b)
	}
	var nonces int64
	env.App.DB.Model(&model.CallbackNonce{}).Count(&nonces)
	if nonces != 2 {
		t.Fatalf("remembered nonces: %d, want 2", nonces)
	}
	env.Clock.Advance(2 * time.Hour)
	if err := env.App.Jobs.Schedule(context.Background()); err != nil {
		t.Fatal(err)
	}
	runJobs(t, env)
	env.App.DB.Model(&model.CallbackNonce{}).Count(&nonces)
	if nonces != 0 {
		t.Fatalf("nonces left after the purge: %d", nonces)
	}
}

func TestPublishWithoutOfficialAccount(t *testing.T) {
	env := bulletinEnv(t, apitest.WithoutWeChat())
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	env.Admin().Post("/api/v1/bulletins/"+itoa(id)+"/publish", nil).WantError(http.StatusServiceUnavailable, "unavailable")
	var jobs int64
	env.App.DB.Model(&model.Job{}).Where("kind = ?", bulletin.JobPublish).Count(&jobs)
	if b := loadBulletin(t, env, id); b.Status != model.BulletinDraft || b.Version != 1 || jobs != 0 {
		t.Fatalf("unconfigured publish changed things: %+v, jobs %d", b, jobs)
	}
}

func TestBulletinSanitizer(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	own := env.InsertPhoto(admin.UserID())
	content := strings.Join([]string{
		"<script>alert(1)</script>",
		"[点我](javascript:alert(1))",
		"<img src=x onerror=alert(2)>",
		`<a href="https://x.example" onclick="steal()">链接</a>`,
		"![外链图](http://evil.example/x.png)",
		fmt.Sprintf("![现场](photo:%d)", own),
		"[正常链接](https://www.mem.gov.cn)",
	}, "\n\n")
	id := createBulletin(t, env, map[string]any{"title": "测试", "content_markdown": content})
	html := admin.Get("/api/v1/bulletins/" + itoa(id)).Want(http.StatusOK).Field("content_html").(string)
	for _, bad := range []string{"<script", "alert(", "onerror", "onclick", "javascript:", "evil.example", "photo:"} {
		if strings.Contains(html, bad) {
			t.Errorf("content_html contains %q: %s", bad, html)
		}
	}
	for _, good := range []string{fmt.Sprintf(`src="http://parksafe.test/files/photos/%d`, own), "外链图", `href="https://www.mem.gov.cn"`} {
		if !strings.Contains(html, good) {
			t.Errorf("content_html lacks %q: %s", good, html)
		}
	}
}

func TestBulletinVisibilityAndValidation(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	ent := env.EnterpriseUser(env.CreateEnterprise(""))
	id := createBulletin(t, env, map[string]any{"title": "草稿", "content_markdown": "正文", "kind": "hazard_notice"})
	ent.Get("/api/v1/bulletins/"+itoa(id)).WantError(http.StatusNotFound, "not_found")
	env.Anon().Get("/p/bulletins/" + itoa(id)).Want(http.StatusNotFound)
	ent.Post("/api/v1/bulletins", map[string]any{"title": "x", "content_markdown": "y"}).WantError(http.StatusForbidden, "forbidden")
	if n := ent.Get("/api/v1/bulletins").Field("total").(float64); n != 0 {
		t.Fatalf("an enterprise user lists %v drafts", n)
	}
	if n := admin.Get("/api/v1/bulletins?status=draft&kind=hazard_notice").Field("total").(float64); n != 1 {
		t.Fatalf("admin draft list total %v", n)
	}
	admin.Get("/api/v1/bulletins?status=nope").WantError(http.StatusUnprocessableEntity, "validation_failed")

	r := admin.Patch("/api/v1/bulletins/"+itoa(id), map[string]any{"kind": "nope", "title": ""}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("kind") == "" || r.FieldError("title") == "" {
		t.Fatalf("fields: %s", r.Body)
	}
	admin.Patch("/api/v1/bulletins/"+itoa(id), map[string]any{"title": "x", "version": 7}).WantError(http.StatusConflict, "conflict")
	admin.Post("/api/v1/bulletins", map[string]any{"title": "x", "content_markdown": "![a](photo:987654)"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	other := env.Inspector()
	foreign := env.InsertPhoto(other.UserID())
	admin.Post("/api/v1/bulletins", map[string]any{"title": "x", "content_markdown": "y", "cover_photo_id": foreign}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	if b := loadBulletin(t, env, id); b.Title != "草稿" || b.Kind != "hazard_notice" || b.Version != 1 {
		t.Fatalf("rejected edits changed the bulletin: %+v", b)
	}
	var count int64
	env.App.DB.Model(&model.Bulletin{}).Count(&count)
	if count != 1 {
		t.Fatalf("rejected creations left %d bulletins", count)
	}
}

// fakeWeek is a WeeklySource with fixed data.
type fakeWeek struct {
	hygiene bulletin.HygieneWeekData
	leader  bulletin.LeaderWeekData
}

func (f fakeWeek) HygieneWeek(ctx context.Context, w service.Week) (bulletin.HygieneWeekData, error) {
	return f.hygiene, nil
}

func (f fakeWeek) LeaderWeek(ctx context.Context, w service.Week) (bulletin.LeaderWeekData, error) {
	return f.leader, nil
}

func TestGenerateWeeklyNotices(t *testing.T) {
	env := bulletinEnv(t)
	loc := env.App.Park.Loc
	env.Clock.Set(time.Date(2026, 5, 8, 16, 0, 0, 0, loc)) // Friday of 2026-W19
	admin := env.Admin()
	inspector := env.Inspector()
	p1, p2 := env.InsertPhoto(inspector.UserID()), env.InsertPhoto(inspector.UserID())
	env.App.Bulletins.Source = fakeWeek{
		hygiene: bulletin.HygieneWeekData{Friday: time.Date(2026, 5, 8, 0, 0, 0, 0, loc), Enterprises: 13, Checked: 12,
			Failed: []bulletin.HygieneFailure{
				{EnterpriseName: "江南化工有限公司", Area: "ditch", Note: "沟渠内堆有油污棉纱", PhotoIDs: []uint64{p1}, Requirement: "清理沟渠杂物", Deadline: "2026-05-12", HazardCode: "YH-20260508-0001"},
				{EnterpriseName: "华盛新材料有限公司", Area: "road", Note: "道路旁堆放废旧托盘", PhotoIDs: []uint64{p2}, Deadline: "2026-05-13"},
			},
			NotChecked: []string{"远东石化有限公司"},
			StillOpen:  []bulletin.OpenHazard{{EnterpriseName: "江南化工有限公司", Code: "YH-20260501-0003", Title: "门口堆放纸箱", Deadline: "2026-05-05", Overdue: true}},
		},
		leader: bulletin.LeaderWeekData{Monday: time.Date(2026, 5, 4, 0, 0, 0, 0, loc), Enterprises: 3,
			Done:       []bulletin.LeaderEntry{{EnterpriseName: "江南化工有限公司", LeaderName: "李强", InspectedOn: "2026-05-04", HazardsFound: 2}},
			Late:       []bulletin.LeaderEntry{{EnterpriseName: "华盛新材料有限公司", LeaderName: "赵敏", InspectedOn: "2026-05-06"}},
			Missing:    []string{"远东石化有限公司"},
			Interviews: []bulletin.InterviewEntry{{EnterpriseName: "远东石化有限公司", ScheduledAt: time.Date(2026, 5, 11, 1, 30, 0, 0, time.UTC), Place: "园区办 302 会议室"}},
		},
	}
	r := admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	md, html := r.Field("content_markdown").(string), r.Field("content_html").(string)
	for _, want := range []string{"龙池园区安环〔2026〕1号", "2026年5月8日（星期五）", "实际检查 12 家", "江南化工有限公司", "沟渠", "沟渠内堆有油污棉纱",
		"2026-05-12", "华盛新材料有限公司", "远东石化有限公司", "YH-20260501-0003", "已逾期", "整改要求", "约谈企业主要负责人",
		fmt.Sprintf("photo:%d", p1), fmt.Sprintf("photo:%d", p2)} {
		if !strings.Contains(md, want) {
			t.Errorf("hygiene notice lacks %q:\n%s", want, md)
		}
	}
	if !strings.Contains(html, fmt.Sprintf("files/photos/%d", p1)) || !strings.Contains(html, "<table>") {
		t.Errorf("hygiene notice HTML lacks the photo or the table: %s", html)
	}
	if r.Field("number") != "龙池园区安环〔2026〕1号" || r.Field("status") != "draft" || r.Field("week") != "2026-W19" || !strings.Contains(r.Field("title").(string), "第19周") {
		t.Errorf("hygiene notice: %s", r.Body)
	}

	r = admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	md = r.Field("content_markdown").(string)
	for _, want := range []string{"龙池园区安环〔2026〕2号", "按时完成 1 家，补报 1 家，未上报 1 家", "李强", "赵敏", "2026-05-06", "远东石化有限公司", "5月11日 09:30", "园区办 302 会议室"} {
		if !strings.Contains(md, want) {
			t.Errorf("leader notice lacks %q:\n%s", want, md)
		}
	}

	admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W19"}).WantError(http.StatusConflict, "conflict")
	for _, bad := range []map[string]any{{"kind": "hygiene_weekly", "week": "2026-W60"}, {"kind": "hygiene_weekly", "week": "19"},
		{"kind": "general", "week": "2026-W18"}, {"kind": "hygiene_weekly", "week": "2026-W30"}} {
		admin.Post("/api/v1/bulletins/generate", bad).WantError(http.StatusUnprocessableEntity, "validation_failed")
	}
	var n int64
	env.App.DB.Model(&model.Bulletin{}).Count(&n)
	if n != 2 {
		t.Fatalf("bulletins = %d, want 2", n)
	}
}
