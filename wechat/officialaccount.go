package wechat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/officialaccount/config"
	oacontext "github.com/silenceper/wechat/v2/officialaccount/context"
	"github.com/silenceper/wechat/v2/officialaccount/draft"
	"github.com/silenceper/wechat/v2/officialaccount/freepublish"
	"github.com/silenceper/wechat/v2/officialaccount/material"
	"github.com/silenceper/wechat/v2/util"
)

// uploadImageURL is media/uploadimg; silenceper only offers it for files on
// disk, so UploadImage posts the multipart form itself.
const uploadImageURL = wechatOrigin + "/cgi-bin/media/uploadimg"

// Publish statuses reported by freepublish/get and the PUBLISHJOBFINISH event.
const (
	PublishStatusSuccess      = 0 // published
	PublishStatusPublishing   = 1 // still in progress; poll again
	PublishStatusOriginalFail = 2 // originality check failed (see FailIdx)
	PublishStatusFail         = 3 // ordinary failure
	PublishStatusAuditRefused = 4 // platform review refused (see FailIdx)
	PublishStatusDeleted      = 5 // published, then all articles deleted by the user
	PublishStatusBanned       = 6 // published, then all articles banned by the platform
)

// OfficialAccount calls the WeChat official account (公众号) APIs ParkSafe uses
// for publishing, and verifies and decodes its server callbacks. The zero
// value and a nil pointer are valid and unconfigured.
type OfficialAccount struct {
	appID    string
	token    string // callback token, for signatures
	aesKey   string // EncodingAESKey, for safe-mode callbacks
	cache    cache.Cache
	tokenKey string
	handle   credential.AccessTokenContextHandle
	wx       *oacontext.Context // nil when unconfigured
}

// DraftArticle is one article of a draft (draft/add).
type DraftArticle struct {
	Title            string
	Author           string
	Digest           string
	Content          string // HTML; images must be URLs from UploadImage
	ContentSourceURL string // "read more" link
	ThumbMediaID     string // permanent media ID from UploadThumb
}

// PublishResult is the state of a publish job, from PublishStatus or a
// PUBLISHJOBFINISH event.
type PublishResult struct {
	Status     int    // one of the PublishStatus* constants
	ArticleURL string // permanent URL of the first article, on success
	ArticleID  string // on success
	FailIdx    []int  // 1-based indexes of refused articles, for statuses 2 and 4
}

// NewOfficialAccount returns a client for the official account appID. token
// and aesKey are the callback Token and EncodingAESKey from the WeChat admin
// console; they are only needed for callback handling. It never returns nil;
// without appID and secret the API methods return ErrNotConfigured. c caches
// the access token; nil means a private MemoryCache.
func NewOfficialAccount(appID, secret, token, aesKey string, c cache.Cache) *OfficialAccount {
	appID, secret = strings.TrimSpace(appID), strings.TrimSpace(secret)
	o := &OfficialAccount{
		appID:  appID,
		token:  strings.TrimSpace(token),
		aesKey: strings.TrimSpace(aesKey),
	}
	if appID == "" || secret == "" {
		return o
	}
	if c == nil {
		c = NewMemoryCache()
	}
	const prefix = credential.CacheKeyOfficialAccountPrefix
	o.cache = c
	o.tokenKey = tokenCacheKey(prefix, appID)
	o.handle = credential.NewDefaultAccessToken(appID, secret, prefix, c)
	o.wx = &oacontext.Context{
		Config:            &config.Config{AppID: appID, AppSecret: secret, Token: o.token, EncodingAESKey: o.aesKey, Cache: c},
		AccessTokenHandle: o.handle,
	}
	return o
}

// Configured reports whether the client has an app ID and secret.
func (o *OfficialAccount) Configured() bool {
	return o != nil && o.wx != nil
}

func (o *OfficialAccount) ready(ctx context.Context) error {
	if !o.Configured() {
		return ErrNotConfigured
	}
	if err := checkSetup(); err != nil {
		return err
	}
	return ctx.Err()
}

// call runs fn with the stale-token retry. silenceper's official account
// methods take no context, so the token is fetched here first: that way ctx
// at least governs the token request, and fn then finds it cached.
func (o *OfficialAccount) call(ctx context.Context, api string, fn func() error) error {
	if err := o.ready(ctx); err != nil {
		return err
	}
	err := withTokenRetry(ctx, o.cache, o.tokenKey, func() error {
		if _, err := o.handle.GetAccessTokenContext(ctx); err != nil {
			return err
		}
		return fn()
	})
	return ParseError(api, err)
}

// UploadThumb uploads data as a permanent image (material/add_material,
// type=image), as draft thumbnails require. filename's extension tells WeChat
// the format (jpg/png). It returns the media ID and the image's URL.
func (o *OfficialAccount) UploadThumb(ctx context.Context, filename string, data []byte) (mediaID, url string, err error) {
	if err := checkUpload(filename, data); err != nil {
		return "", "", err
	}
	err = o.call(ctx, apiAddMaterial, func() error {
		var err error
		// A fresh reader per attempt: a retry must resend the whole image.
		mediaID, url, err = material.NewMaterial(o.wx).AddMaterialFromReader(material.MediaTypeImage, filename, bytes.NewReader(data))
		return err
	})
	if err != nil {
		return "", "", err
	}
	return mediaID, url, nil
}

// UploadImage uploads an image for use inside article content
// (media/uploadimg) and returns its URL. Such images do not count against the
// permanent material quota.
func (o *OfficialAccount) UploadImage(ctx context.Context, filename string, data []byte) (string, error) {
	if err := checkUpload(filename, data); err != nil {
		return "", err
	}
	var imageURL string
	err := o.call(ctx, apiUploadImage, func() error {
		token, err := o.handle.GetAccessTokenContext(ctx)
		if err != nil {
			return err
		}
		uri := uploadImageURL + "?access_token=" + url.QueryEscape(token)
		body, err := util.PostFileFromReader("media", filename, path.Base(filename), uri, bytes.NewReader(data))
		if err != nil {
			return err
		}
		var res struct {
			util.CommonError
			URL string `json:"url"`
		}
		if err := util.DecodeWithError(body, &res, "UploadImage"); err != nil {
			return err
		}
		if res.URL == "" {
			return errors.New("response has no url")
		}
		imageURL = res.URL
		return nil
	})
	if err != nil {
		return "", err
	}
	return imageURL, nil
}

// checkUpload rejects uploads WeChat would refuse anyway, before spending a
// request (and possibly a token fetch) on them.
func checkUpload(filename string, data []byte) error {
	if path.Ext(filename) == "" {
		return fmt.Errorf("wechat: upload %q: file name needs an extension so WeChat can tell the image type", filename)
	}
	if len(data) == 0 {
		return fmt.Errorf("wechat: upload %q: empty data", filename)
	}
	return nil
}

// AddDraft creates a draft from articles (draft/add) and returns its media ID,
// which SubmitPublish takes.
func (o *OfficialAccount) AddDraft(ctx context.Context, articles []DraftArticle) (string, error) {
	if len(articles) == 0 {
		return "", errors.New("wechat: add draft: no articles")
	}
	req := make([]*draft.Article, len(articles))
	for i, a := range articles {
		req[i] = &draft.Article{
			Title:            a.Title,
			Author:           a.Author,
			Digest:           a.Digest,
			Content:          a.Content,
			ContentSourceURL: a.ContentSourceURL,
			ThumbMediaID:     a.ThumbMediaID,
		}
	}
	var mediaID string
	err := o.call(ctx, apiDraftAdd, func() error {
		var err error
		mediaID, err = draft.NewDraft(o.wx).AddDraft(req)
		return err
	})
	if err != nil {
		return "", err
	}
	return mediaID, nil
}

// SubmitPublish publishes the draft mediaID (freepublish/submit). Publishing
// is asynchronous: the returned publish ID is reported on by PublishStatus and
// by the PUBLISHJOBFINISH callback event.
func (o *OfficialAccount) SubmitPublish(ctx context.Context, mediaID string) (int64, error) {
	var publishID int64
	err := o.call(ctx, apiPublishSubmit, func() error {
		var err error
		publishID, err = freepublish.NewFreePublish(o.wx).Publish(mediaID)
		return err
	})
	if err != nil {
		return 0, err
	}
	return publishID, nil
}

// PublishStatus polls the state of a publish job (freepublish/get).
func (o *OfficialAccount) PublishStatus(ctx context.Context, publishID int64) (PublishResult, error) {
	var res freepublish.PublishStatusList
	err := o.call(ctx, apiPublishGet, func() error {
		var err error
		res, err = freepublish.NewFreePublish(o.wx).SelectStatus(publishID)
		return err
	})
	if err != nil {
		return PublishResult{}, err
	}
	out := PublishResult{Status: int(res.PublishStatus), ArticleID: res.ArticleID}
	if len(res.ArticleDetail.Items) > 0 {
		out.ArticleURL = res.ArticleDetail.Items[0].ArticleURL
	}
	for _, i := range res.FailIndex {
		out.FailIdx = append(out.FailIdx, int(i))
	}
	return out, nil
}
