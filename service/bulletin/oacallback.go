package bulletin

import (
	"context"
	"errors"
	"net/url"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/wechat"
)

// JobNoncePurge deletes the remembered nonces of Official Account callbacks once they have
// expired; scheduled hourly.
const JobNoncePurge = "wechat.callback_nonce_purge"

// nonceGrace keeps a nonce beyond the end of its timestamp's window, so that instances whose clocks
// differ still refuse its replay.
const nonceGrace = time.Hour

// Refusals of callbacks that did not come from WeChat, or not now, or not for the first time.
var (
	ErrBadCallbackSignature = service.Forbidden("签名校验失败")
	errCallbackStale        = service.Forbidden("回调时间戳超出允许范围，请求已过期")
	errCallbackPlain        = service.Forbidden("公众号已配置消息加密，只接受安全模式（encrypt_type=aes）的回调")
	errCallbackReplayed     = service.Forbidden("该回调已处理过，不能重复提交")
)

// VerifyCallbackURL answers WeChat's URL verification: the echo string when the signature is right.
func (s *Service) VerifyCallbackURL(q url.Values) (string, error) {
	if !s.oa.VerifySignature(q.Get("signature"), q.Get("timestamp"), q.Get("nonce")) {
		return "", ErrBadCallbackSignature
	}
	return q.Get("echostr"), nil
}

// Callback handles a message pushed to the Official Account's server URL: a PUBLISHJOBFINISH event
// settles its bulletin, other messages are acknowledged and ignored. It must come from WeChat (its
// signature), in safe mode when an EncodingAESKey is configured, now (its timestamp within
// wechat.CallbackMaxAge of the park's clock) and for the first time: its timestamp and nonce are
// remembered in the database, so every instance refuses a replay. They are recorded in the
// transaction that applies the event, so a failure leaves WeChat free to deliver the message again.
func (s *Service) Callback(ctx context.Context, q url.Values, body []byte) error {
	cb, err := s.oa.OpenCallback(q, body, s.park.Now())
	switch {
	case errors.Is(err, wechat.ErrBadSignature):
		return ErrBadCallbackSignature
	case errors.Is(err, wechat.ErrStaleCallback):
		return errCallbackStale
	case errors.Is(err, wechat.ErrPlainCallback):
		return errCallbackPlain
	case err != nil:
		return service.BadRequest("回调内容无法解析")
	}
	ev, isPublish, err := wechat.ParsePublishEvent(cb.Message)
	if err != nil {
		return service.BadRequest("回调内容无法解析")
	}
	return service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		first, err := service.CreateUnlessDuplicate(ctx, tx, &model.CallbackNonce{Timestamp: cb.Timestamp.Unix(), Nonce: cb.Nonce,
			ExpiresAt: cb.Timestamp.Add(wechat.CallbackMaxAge + nonceGrace).UTC()})
		if err != nil {
			return err
		}
		if !first {
			return errCallbackReplayed
		}
		if !isPublish {
			return nil
		}
		return s.applyOutcome(tx, ev.PublishID, ev.PublishResult)
	})
}

// PurgeCallbackNonces deletes the nonces whose callbacks could no longer be replayed anyway, and
// returns how many.
func (s *Service) PurgeCallbackNonces(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at < ?", s.park.Now().UTC()).Delete(&model.CallbackNonce{})
	return res.RowsAffected, res.Error
}
