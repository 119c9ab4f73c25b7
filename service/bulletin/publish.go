package bulletin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
	"parksafe/service/photo"
	"parksafe/wechat"
)

// Job kinds of publishing.
const (
	JobPublish = "bulletin.publish"
	JobPoll    = "bulletin.poll"
)

// Chinese reasons an admin can act on, kept on a failed bulletin.
const (
	msgSubmitUnknown = "提交发布时连接中断，无法确认微信是否已收到。请先在公众号后台「发表记录」中核实：已发表的请勿重复发布，未发表的可重新发布"
	msgPollGaveUp    = "长时间未收到微信的发布结果。请在公众号后台「发表记录」中核实：已发表的请勿重复发布，未发表的可重新发布"
	msgRetriesUsedUp = "微信接口多次重试仍不可用，请稍后重新发布"
	msgPhotoMissing  = "通报中的照片无法读取，请检查或更换照片后重新发布"
)

// errAbandoned stops a publish job whose bulletin moved on (another attempt, an outcome) meanwhile.
var errAbandoned = errors.New("bulletin no longer in this publish attempt")

type publishPayload struct {
	BulletinID uint64 `json:"bulletin_id"`
	Attempt    int    `json:"attempt"`
}

type pollPayload struct {
	BulletinID uint64 `json:"bulletin_id"`
	Attempt    int    `json:"attempt"`
	PublishID  int64  `json:"publish_id"`
	N          int    `json:"n"`
}

// Publish starts publishing a draft or failed bulletin to the Official Account (admin only): it moves
// to publishing and a job is queued in the same transaction, which does the work in the background.
// A fresh attempt forgets everything an earlier one recorded. Without a configured Official Account
// nothing changes and the answer is 503.
func (s *Service) Publish(ctx context.Context, actor service.Actor, id uint64) (*View, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	if !s.oa.Configured() {
		return nil, service.Unavailable("公众号未配置，暂时无法发布；请联系系统管理员配置 WECHAT_OA_APPID 和 WECHAT_OA_SECRET")
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		b, err := editable(tx, id, "不能再次发布")
		if err != nil {
			return err
		}
		attempt := b.PublishAttempt + 1
		res := tx.Model(&model.Bulletin{}).Where("id = ? AND version = ? AND status = ?", id, b.Version, b.Status).
			Updates(map[string]any{"status": model.BulletinPublishing, "publish_attempt": attempt, "version": b.Version + 1,
				"thumb_media_id": "", "wx_images": "", "draft_media_id": "", "submitting_at": nil, "publish_id": nil,
				"article_url": "", "article_id": "", "published_at": nil, "error": ""})
		if err := service.Guarded(res); err != nil {
			return err
		}
		_, err = s.jobs.Enqueue(ctx, tx, JobPublish, publishPayload{BulletinID: id, Attempt: attempt}, time.Time{},
			fmt.Sprintf("%s:%d:%d", JobPublish, id, attempt))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// publishJob runs the publishing steps, recording each step's result on the bulletin before the next
// one, so that a rerun (after a crash or a transient failure) continues where it stopped. Submitting
// is guarded twice: SubmittingAt is recorded before freepublish/submit, PublishID right after; a rerun
// that finds either never submits again.
func (s *Service) publishJob(ctx context.Context, job *model.Job) error {
	var p publishPayload
	if err := jobs.DecodePayload(job, &p); err != nil {
		return err
	}
	b, err := s.attempt(ctx, p.BulletinID, p.Attempt)
	if err != nil || b == nil {
		return err
	}
	switch {
	case b.PublishID != nil:
		return nil // submitted; the poll job or the callback brings the outcome
	case b.SubmittingAt != nil:
		return s.failAttempt(ctx, b, msgSubmitUnknown, errors.New("an earlier run stopped while submitting"))
	}
	return s.stepFailed(ctx, job, b, s.publishSteps(ctx, b))
}

// attempt loads the bulletin if it is still publishing in the given attempt; nil means the job has
// nothing left to do.
func (s *Service) attempt(ctx context.Context, id uint64, attempt int) (*model.Bulletin, error) {
	var b model.Bulletin
	err := s.db.WithContext(ctx).First(&b, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if b.Status != model.BulletinPublishing || b.PublishAttempt != attempt {
		return nil, nil
	}
	return &b, nil
}

func (s *Service) publishSteps(ctx context.Context, b *model.Bulletin) error {
	photos, err := photo.ByOwner(s.db.WithContext(ctx), photo.OwnerBulletin, []uint64{b.ID})
	if err != nil {
		return err
	}
	linked := photos[b.ID]

	if b.ThumbMediaID == "" {
		name, data := "cover.jpg", photo.DefaultCover()
		if cover := photo.WithRole(linked, photoCover); len(cover) > 0 && s.Photos != nil {
			if name, data, err = s.photoBytes(ctx, &cover[0]); err != nil {
				return err
			}
		}
		mediaID, _, err := s.oa.UploadThumb(ctx, name, data)
		if err != nil {
			return err
		}
		if err := s.saveStep(ctx, b, map[string]any{"thumb_media_id": mediaID}); err != nil {
			return err
		}
		b.ThumbMediaID = mediaID
	}

	images := map[uint64]string{}
	if b.WXImages != "" {
		if err := json.Unmarshal([]byte(b.WXImages), &images); err != nil {
			return jobs.Permanent(fmt.Errorf("bulletin %d wx_images: %w", b.ID, err))
		}
	}
	for _, id := range PhotoRefs(b.ContentMarkdown) {
		if images[id] != "" {
			continue
		}
		var photo *model.Photo
		for i := range linked {
			if linked[i].ID == id && linked[i].Role == photoContent {
				photo = &linked[i].Photo
			}
		}
		if photo == nil || s.Photos == nil {
			return errPhotoMissing
		}
		name, data, err := s.photoBytes(ctx, photo)
		if err != nil {
			return err
		}
		u, err := s.oa.UploadImage(ctx, name, data)
		if err != nil {
			return err
		}
		images[id] = u
		buf, _ := json.Marshal(images)
		if err := s.saveStep(ctx, b, map[string]any{"wx_images": string(buf)}); err != nil {
			return err
		}
	}

	if b.DraftMediaID == "" {
		html := s.wx.render(b.ContentMarkdown, func(id uint64) string { return images[id] })
		mediaID, err := s.oa.AddDraft(ctx, []wechat.DraftArticle{{
			Title: b.Title, Author: service.TruncateRunes(s.letterhead.Issuer, 16), Digest: Digest(b.ContentMarkdown, 100), Content: html,
			ContentSourceURL: s.PublicURL(b.ID), ThumbMediaID: b.ThumbMediaID,
		}})
		if err != nil {
			return err
		}
		if err := s.saveStep(ctx, b, map[string]any{"draft_media_id": mediaID}); err != nil {
			return err
		}
		b.DraftMediaID = mediaID
	}

	if err := s.saveStep(ctx, b, map[string]any{"submitting_at": s.park.Now()}); err != nil {
		return err
	}
	// Not cut short by shutdown: a submit abandoned halfway leaves an outcome nobody knows. The
	// WeChat client's own timeout still bounds it.
	publishID, err := s.oa.SubmitPublish(context.WithoutCancel(ctx), b.DraftMediaID)
	if err != nil {
		if ambiguous(err) {
			return s.failAttempt(ctx, b, msgSubmitUnknown, err)
		}
		// WeChat answered, so it did not take the draft: the next run may submit.
		if rerr := s.saveStep(context.WithoutCancel(ctx), b, map[string]any{"submitting_at": nil}); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return service.Transact(context.WithoutCancel(ctx), s.db, func(tx *gorm.DB) error {
		res := tx.Model(&model.Bulletin{}).Where("id = ? AND status = ? AND publish_attempt = ?", b.ID, model.BulletinPublishing, b.PublishAttempt).
			Update("publish_id", publishID)
		if res.Error != nil {
			return res.Error
		}
		_, err := s.jobs.Enqueue(ctx, tx, JobPoll, pollPayload{BulletinID: b.ID, Attempt: b.PublishAttempt, PublishID: publishID, N: 1},
			s.park.Now().Add(pollDelay(1)), pollKey(b.ID, b.PublishAttempt, 1))
		return err
	})
}

var errPhotoMissing = errors.New("a photo of the bulletin cannot be read")

// photoBytes reads a photo as WeChat takes it. A photo that cannot be read fails the bulletin; a
// job cut short while waiting to decode is handed back.
func (s *Service) photoBytes(ctx context.Context, p *model.Photo) (string, []byte, error) {
	name, data, err := s.Photos.WeChatImage(ctx, p)
	switch {
	case err == nil:
		return name, data, nil
	case ctx.Err() != nil:
		return "", nil, err
	}
	return "", nil, fmt.Errorf("%w: photo %d: %v", errPhotoMissing, p.ID, err)
}

// ambiguous reports whether a failed submit may nonetheless have reached WeChat: the request timed
// out or the connection broke before an answer came.
func ambiguous(err error) bool {
	if _, ok := wechat.AsAPIError(err); ok {
		return false
	}
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout())
}

// saveStep saves a step's result, provided the bulletin is still in b's publish attempt.
func (s *Service) saveStep(ctx context.Context, b *model.Bulletin, fields map[string]any) error {
	res := s.db.WithContext(ctx).Model(&model.Bulletin{}).
		Where("id = ? AND status = ? AND publish_attempt = ?", b.ID, model.BulletinPublishing, b.PublishAttempt).Updates(fields)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errAbandoned
	}
	return nil
}

// stepFailed decides what a failed step means: transient failures are retried by the job until its
// attempts run out; anything else fails the bulletin with a reason an admin can act on.
func (s *Service) stepFailed(ctx context.Context, job *model.Job, b *model.Bulletin, err error) error {
	switch {
	case err == nil, errors.Is(err, errAbandoned):
		return nil
	case jobs.IsPermanent(err):
		return s.failAttempt(ctx, b, wxFailure(err), err)
	case errors.Is(err, errPhotoMissing):
		return s.failAttempt(ctx, b, msgPhotoMissing, err)
	case wechat.IsTransient(err) || !isWeChatError(err):
		if job.Attempts < job.MaxAttempts && ctx.Err() == nil {
			return err
		}
		if ctx.Err() != nil {
			return err // shutting down: the job is handed back and resumes
		}
		return s.failAttempt(ctx, b, msgRetriesUsedUp, err)
	}
	return s.failAttempt(ctx, b, wxFailure(err), err)
}

// isWeChatError reports whether err is an answer from WeChat (as opposed to our database).
func isWeChatError(err error) bool {
	_, ok := wechat.AsAPIError(err)
	return ok || errors.Is(err, wechat.ErrNotConfigured)
}

// failAttempt moves the bulletin to failed with reason and ends the job.
func (s *Service) failAttempt(ctx context.Context, b *model.Bulletin, reason string, cause error) error {
	res := s.db.WithContext(context.WithoutCancel(ctx)).Model(&model.Bulletin{}).
		Where("id = ? AND status = ? AND publish_attempt = ?", b.ID, model.BulletinPublishing, b.PublishAttempt).
		Updates(map[string]any{"status": model.BulletinFailed, "error": reason, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return errors.Join(cause, res.Error)
	}
	s.log.Warn("bulletin publishing failed", "bulletin", b.ID, "attempt", b.PublishAttempt, "reason", reason, "err", cause)
	return jobs.Permanent(cause)
}

// wxFailure turns a WeChat error into a reason an admin can act on.
func wxFailure(err error) string {
	if errors.Is(err, wechat.ErrNotConfigured) {
		return "公众号未配置，请联系系统管理员"
	}
	apiErr, ok := wechat.AsAPIError(err)
	if !ok {
		return msgRetriesUsedUp
	}
	switch apiErr.Code {
	case 40001, 42001, 40014, 40013, 40125, 40164:
		return "公众号凭证无效或服务器 IP 不在白名单中，请在公众号后台核对 AppID、AppSecret 和 IP 白名单"
	case 45009:
		return "公众号今日接口调用次数已用完，请明天再发布"
	case 48001:
		return "公众号没有发布接口权限，请确认公众号已认证并开通发布能力"
	case 40007:
		return "素材无效（可能已在公众号后台被删除），请重新发布"
	case 45002, 45003, 45004:
		return "标题、摘要或正文超出公众号限制，请精简后重新发布"
	case 53503, 53504, 53505:
		return "草稿未通过公众号发布检查，请检查内容后重新发布"
	}
	return fmt.Sprintf("微信接口返回错误（错误码 %d），请稍后重新发布；如仍失败请联系系统管理员", apiErr.Code)
}

// pollDelay is how long to wait before poll n: 30 s, doubling, at most 15 minutes.
func pollDelay(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 15*time.Minute; i++ {
		d *= 2
	}
	return min(d, 15*time.Minute)
}

func pollKey(id uint64, attempt, n int) string {
	return fmt.Sprintf("%s:%d:%d:%d", JobPoll, id, attempt, n)
}

// pollJob asks freepublish/get for the outcome; while WeChat is still publishing it queues the next
// poll with a longer delay, and gives up (bulletin failed, to be checked by hand) after maxPolls.
func (s *Service) pollJob(ctx context.Context, job *model.Job) error {
	var p pollPayload
	if err := jobs.DecodePayload(job, &p); err != nil {
		return err
	}
	b, err := s.attempt(ctx, p.BulletinID, p.Attempt)
	if err != nil || b == nil || b.PublishID == nil || *b.PublishID != p.PublishID {
		return err
	}
	res, err := s.oa.PublishStatus(ctx, p.PublishID)
	if err != nil {
		return s.stepFailed(ctx, job, b, err)
	}
	if res.Status != wechat.PublishStatusPublishing {
		return s.ApplyOutcome(ctx, p.PublishID, res)
	}
	if p.N >= maxPolls {
		return s.failAttempt(ctx, b, msgPollGaveUp, fmt.Errorf("still publishing after %d polls", p.N))
	}
	next := p
	next.N++
	_, err = s.jobs.Enqueue(ctx, nil, JobPoll, next, s.park.Now().Add(pollDelay(next.N)), pollKey(p.BulletinID, p.Attempt, next.N))
	return err
}

// ApplyOutcome records the result of publish job publishID, from the PUBLISHJOBFINISH callback or a
// poll, whichever comes first; the other finds nothing left to do. An unknown publish ID is ignored.
func (s *Service) ApplyOutcome(ctx context.Context, publishID int64, res wechat.PublishResult) error {
	return s.applyOutcome(s.db.WithContext(ctx), publishID, res)
}

// applyOutcome is ApplyOutcome inside tx.
func (s *Service) applyOutcome(tx *gorm.DB, publishID int64, res wechat.PublishResult) error {
	set := map[string]any{"version": gorm.Expr("version + 1")}
	switch res.Status {
	case wechat.PublishStatusPublishing:
		return nil
	case wechat.PublishStatusSuccess:
		set["status"], set["article_url"], set["article_id"], set["published_at"], set["error"] =
			model.BulletinPublished, res.ArticleURL, res.ArticleID, s.park.Now(), ""
	default:
		set["status"], set["error"] = model.BulletinFailed, publishStatusReason(res.Status)
	}
	return tx.Model(&model.Bulletin{}).
		Where("publish_id = ? AND status = ?", publishID, model.BulletinPublishing).Updates(set).Error
}

// publishStatusReason explains a failed publish status in Chinese.
func publishStatusReason(status int) string {
	switch status {
	case wechat.PublishStatusOriginalFail:
		return "原创校验未通过：文章被判定为与已有文章重复，请修改内容后重新发布"
	case wechat.PublishStatusAuditRefused:
		return "微信平台审核未通过，请检查标题、正文和图片中是否有敏感或违规内容，修改后重新发布"
	case wechat.PublishStatusDeleted:
		return "文章发表后已在公众号后台被删除"
	case wechat.PublishStatusBanned:
		return "文章发表后已被微信平台封禁"
	case wechat.PublishStatusFail:
		return "公众号发布失败，请稍后重新发布；如多次失败请在公众号后台查看原因"
	}
	return "公众号返回未知的发布状态 " + strconv.Itoa(status) + "，请在公众号后台核实"
}
