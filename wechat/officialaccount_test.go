package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func newTestOA() *OfficialAccount {
	return NewOfficialAccount("oa-app", "oa-secret", "cb-token", "", NewMemoryCache())
}

func TestUploadThumb(t *testing.T) {
	fake.Reset()
	img := bytes.Repeat([]byte{0xff, 0xd8, 0x01}, 1000)
	mediaID, url, err := newTestOA().UploadThumb(context.Background(), "cover.jpg", img)
	if err != nil {
		t.Fatal(err)
	}
	if mediaID != "media-1" || url == "" {
		t.Errorf("got %q %q", mediaID, url)
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if last.Path != "/cgi-bin/material/add_material" || last.Query.Get("type") != "image" ||
		last.FileName != "cover.jpg" || !bytes.Equal(last.FileData, img) {
		t.Errorf("request = %s %v file %q (%d bytes)", last.Path, last.Query, last.FileName, len(last.FileData))
	}
}

func TestUploadThumbRetryResendsWholeFile(t *testing.T) {
	fake.Reset()
	fake.FailNextErrcode("/cgi-bin/material/add_material", 1, 40001)
	img := []byte("png-bytes")
	if _, _, err := newTestOA().UploadThumb(context.Background(), "cover.png", img); err != nil {
		t.Fatal(err)
	}
	var uploads int
	for _, r := range fake.Requests() {
		if r.Path == "/cgi-bin/material/add_material" {
			uploads++
			if !bytes.Equal(r.FileData, img) {
				t.Errorf("upload %d carried %q", uploads, r.FileData)
			}
		}
	}
	if uploads != 2 || fake.Calls("/cgi-bin/token") != 2 {
		t.Errorf("uploads = %d, token fetches = %d; want 2 and 2", uploads, fake.Calls("/cgi-bin/token"))
	}
}

func TestUploadRejectsBadInput(t *testing.T) {
	fake.Reset()
	oa := newTestOA()
	if _, _, err := oa.UploadThumb(context.Background(), "noext", []byte("x")); err == nil {
		t.Error("file name without extension accepted")
	}
	if _, err := oa.UploadImage(context.Background(), "a.png", nil); err == nil {
		t.Error("empty image accepted")
	}
	if len(fake.Requests()) != 0 {
		t.Error("invalid uploads reached WeChat")
	}
}

func TestUploadImage(t *testing.T) {
	fake.Reset()
	oa := newTestOA()
	url, err := oa.UploadImage(context.Background(), "dir/inline.png", []byte("png"))
	if err != nil || url != "https://mmbiz.qpic.cn/fake/img-1" {
		t.Fatalf("UploadImage = %q, %v", url, err)
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if last.Path != "/cgi-bin/media/uploadimg" || last.Query.Get("access_token") != "tok-1" ||
		last.FileName != "inline.png" || string(last.FileData) != "png" {
		t.Errorf("request = %+v", last)
	}

	fake.FailNextErrcode("/cgi-bin/media/uploadimg", 1, 40014)
	if _, err := oa.UploadImage(context.Background(), "inline.png", []byte("png")); err != nil {
		t.Fatalf("after stale token: %v", err)
	}
	fake.FailNext("/cgi-bin/media/uploadimg", 1, 500)
	if _, err := oa.UploadImage(context.Background(), "inline.png", []byte("png")); !IsTransient(err) {
		t.Errorf("500: err = %v, want transient", err)
	}
}

func TestAddDraftSubmitAndPoll(t *testing.T) {
	fake.Reset()
	oa := newTestOA()
	ctx := context.Background()
	mediaID, err := oa.AddDraft(ctx, []DraftArticle{{
		Title: "Gate A closed", Author: "ParkSafe", Digest: "d", Content: "<p>hi</p>",
		ContentSourceURL: "https://example.com/a", ThumbMediaID: "media-9",
	}})
	if err != nil || mediaID != "draft-1" {
		t.Fatalf("AddDraft = %q, %v", mediaID, err)
	}
	reqs := fake.Requests()
	var body struct {
		Articles []map[string]any `json:"articles"`
	}
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil || len(body.Articles) != 1 {
		t.Fatalf("draft body %s: %v", reqs[len(reqs)-1].Body, err)
	}
	a := body.Articles[0]
	if a["title"] != "Gate A closed" || a["thumb_media_id"] != "media-9" || a["content"] != "<p>hi</p>" ||
		a["content_source_url"] != "https://example.com/a" || a["author"] != "ParkSafe" || a["digest"] != "d" {
		t.Errorf("article = %v", a)
	}

	publishID, err := oa.SubmitPublish(ctx, mediaID)
	if err != nil || publishID != 1 {
		t.Fatalf("SubmitPublish = %d, %v", publishID, err)
	}

	res, err := oa.PublishStatus(ctx, publishID)
	if err != nil || res.Status != PublishStatusPublishing {
		t.Fatalf("PublishStatus = %+v, %v; want publishing", res, err)
	}

	fake.SetPublishStatus(publishID, PublishStatusSuccess, "https://mp.weixin.qq.com/s/abc")
	res, err = oa.PublishStatus(ctx, publishID)
	want := PublishResult{Status: 0, ArticleURL: "https://mp.weixin.qq.com/s/abc", ArticleID: "article-1"}
	if err != nil || !reflect.DeepEqual(res, want) {
		t.Fatalf("PublishStatus = %+v, %v; want %+v", res, err, want)
	}

	fake.SetPublishStatus(publishID, PublishStatusAuditRefused, "")
	res, err = oa.PublishStatus(ctx, publishID)
	if err != nil || res.Status != 4 || !reflect.DeepEqual(res.FailIdx, []int{1}) {
		t.Fatalf("PublishStatus = %+v, %v; want refused with fail_idx [1]", res, err)
	}

	if _, err := oa.PublishStatus(ctx, 999); err == nil {
		t.Error("unknown publish id: want error")
	}
	if n := fake.Calls("/cgi-bin/token"); n != 1 {
		t.Errorf("token fetches = %d, want 1", n)
	}
}

func TestPublishStaleTokenRetry(t *testing.T) {
	fake.Reset()
	fake.FailNextErrcode("/cgi-bin/freepublish/submit", 1, 40001)
	oa := newTestOA()
	id, err := oa.SubmitPublish(context.Background(), "draft-1")
	if err != nil || id != 1 {
		t.Fatalf("SubmitPublish = %d, %v", id, err)
	}
	if fake.Calls("/cgi-bin/freepublish/submit") != 2 || fake.Calls("/cgi-bin/token") != 2 {
		t.Errorf("submit calls %d, token fetches %d; want 2 and 2",
			fake.Calls("/cgi-bin/freepublish/submit"), fake.Calls("/cgi-bin/token"))
	}
	fake.FailNextErrcode("/cgi-bin/draft/add", 2, 40001)
	_, err = oa.AddDraft(context.Background(), []DraftArticle{{Title: "t"}})
	if apiErr, ok := AsAPIError(err); !ok || apiErr.Code != 40001 || apiErr.API != apiDraftAdd {
		t.Errorf("err = %v, want 40001 from %s", err, apiDraftAdd)
	}
	if _, err := oa.AddDraft(context.Background(), nil); err == nil {
		t.Error("empty draft accepted")
	}
}

func TestOfficialAccountNotConfigured(t *testing.T) {
	fake.Reset()
	ctx := context.Background()
	for _, oa := range []*OfficialAccount{nil, {}, NewOfficialAccount("", "s", "t", "", nil), NewOfficialAccount("a", "", "t", "", nil)} {
		if oa.Configured() {
			t.Errorf("%+v: Configured() = true", oa)
		}
		if _, _, err := oa.UploadThumb(ctx, "a.jpg", []byte("x")); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("UploadThumb: %v", err)
		}
		if _, err := oa.UploadImage(ctx, "a.jpg", []byte("x")); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("UploadImage: %v", err)
		}
		if _, err := oa.AddDraft(ctx, []DraftArticle{{}}); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("AddDraft: %v", err)
		}
		if _, err := oa.SubmitPublish(ctx, "m"); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("SubmitPublish: %v", err)
		}
		if _, err := oa.PublishStatus(ctx, 1); !errors.Is(err, ErrNotConfigured) {
			t.Errorf("PublishStatus: %v", err)
		}
	}
	if len(fake.Requests()) != 0 {
		t.Error("unconfigured client made requests")
	}
}
