package wechat

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram/auth"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	mpcontext "github.com/silenceper/wechat/v2/miniprogram/context"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
)

// MiniProgram calls the WeChat mini program APIs ParkSafe uses. The zero
// value and a nil pointer are valid and unconfigured.
type MiniProgram struct {
	appID    string
	cache    cache.Cache
	tokenKey string
	wx       *mpcontext.Context // nil when unconfigured
}

// Session is the result of a mini program login (jscode2session). The
// session key is deliberately not exposed: ParkSafe does not decrypt
// client-side data with it, and keeping it out of the API keeps it out of
// logs and databases.
type Session struct {
	OpenID  string
	UnionID string // empty unless the app is bound to an open platform account
}

// NewMiniProgram returns a client for the mini program appID. It never returns
// nil; when appID or secret is empty the client is unconfigured and every
// method returns ErrNotConfigured, so callers can wire it unconditionally. c
// caches the access token; nil means a private MemoryCache.
func NewMiniProgram(appID, secret string, c cache.Cache) *MiniProgram {
	// Trim because credentials usually come from env vars or files where a
	// stray newline would otherwise surface as WeChat's "invalid appid".
	appID, secret = strings.TrimSpace(appID), strings.TrimSpace(secret)
	if appID == "" || secret == "" {
		return &MiniProgram{}
	}
	if c == nil {
		c = NewMemoryCache()
	}
	const prefix = credential.CacheKeyMiniProgramPrefix
	return &MiniProgram{
		appID:    appID,
		cache:    c,
		tokenKey: tokenCacheKey(prefix, appID),
		wx: &mpcontext.Context{
			Config:                   &mpconfig.Config{AppID: appID, AppSecret: secret, Cache: c},
			AccessTokenContextHandle: credential.NewDefaultAccessToken(appID, secret, prefix, c),
		},
	}
}

// Configured reports whether the client has an app ID and secret.
func (m *MiniProgram) Configured() bool {
	return m != nil && m.wx != nil
}

// AppID returns the configured app ID ("" when unconfigured).
func (m *MiniProgram) AppID() string {
	if m == nil {
		return ""
	}
	return m.appID
}

func (m *MiniProgram) ready(ctx context.Context) error {
	if !m.Configured() {
		return ErrNotConfigured
	}
	if err := checkSetup(); err != nil {
		return err
	}
	return ctx.Err()
}

// Code2Session exchanges a wx.login code for the user's identity. An invalid
// or already used code comes back as *APIError with Code 40029 (or 40163 for
// a reused code).
func (m *MiniProgram) Code2Session(ctx context.Context, code string) (Session, error) {
	if err := m.ready(ctx); err != nil {
		return Session{}, err
	}
	// silenceper formats the code into the query unescaped; escaping keeps a
	// hostile code from smuggling extra parameters.
	res, err := auth.NewAuth(m.wx).Code2SessionContext(ctx, url.QueryEscape(code))
	if err != nil {
		return Session{}, ParseError(apiCode2Session, err)
	}
	if res.OpenID == "" {
		return Session{}, ParseError(apiCode2Session, errors.New("response has no openid"))
	}
	return Session{OpenID: res.OpenID, UnionID: res.UnionID}, nil
}

// Phone is a phone number a user agreed to share through getPhoneNumber.
type Phone struct {
	// CountryCode is the calling code without "+": "86" for mainland China.
	CountryCode string
	// Number is the number without the country code (WeChat's purePhoneNumber): the same digits
	// may be a mobile in several countries, so it identifies nobody without CountryCode.
	Number string
}

// PhoneNumber exchanges a getPhoneNumber button code for the user's phone
// number and its country code.
func (m *MiniProgram) PhoneNumber(ctx context.Context, phoneCode string) (Phone, error) {
	if err := m.ready(ctx); err != nil {
		return Phone{}, err
	}
	var phone Phone
	err := withTokenRetry(ctx, m.cache, m.tokenKey, func() error {
		res, err := auth.NewAuth(m.wx).GetPhoneNumberContext(ctx, phoneCode)
		if err != nil {
			return err
		}
		phone = Phone{CountryCode: strings.TrimPrefix(strings.TrimSpace(res.PhoneInfo.CountryCode), "+"),
			Number: res.PhoneInfo.PurePhoneNumber}
		return nil
	})
	if err != nil {
		return Phone{}, ParseError(apiPhoneNumber, err)
	}
	if phone.Number == "" {
		return Phone{}, ParseError(apiPhoneNumber, errors.New("response has no purePhoneNumber"))
	}
	return phone, nil
}

// SendSubscribe sends a subscribe message to toOpenID using templateID. page
// is the mini program page opened from the message ("" for none); data maps
// template keys (e.g. "thing1") to values, each sent as {"value": v}.
func (m *MiniProgram) SendSubscribe(ctx context.Context, toOpenID, templateID, page string, data map[string]string) error {
	if err := m.ready(ctx); err != nil {
		return err
	}
	msg := &subscribe.Message{
		ToUser:     toOpenID,
		TemplateID: templateID,
		Page:       page,
		Data:       make(map[string]*subscribe.DataItem, len(data)),
	}
	for k, v := range data {
		msg.Data[k] = &subscribe.DataItem{Value: v}
	}
	err := withTokenRetry(ctx, m.cache, m.tokenKey, func() error {
		// silenceper's Send has no context variant; fetching the token here
		// first at least makes ctx govern the token request.
		if _, err := m.wx.GetAccessTokenContext(ctx); err != nil {
			return err
		}
		return subscribe.NewSubscribe(m.wx).Send(msg)
	})
	return ParseError(apiSubscribeSend, err)
}
