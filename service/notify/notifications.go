// Package notify owns what users are told: the in-app feed, the mini-program's subscribe messages
// sent by a job against the grants users gave, reminders of hazards due tomorrow or overdue, and the
// notices other areas write through it inside their own transactions (hazard changes, interviews).
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/jobs"
	"parksafe/wechat"
)

// Notification events; each is a feed entry's kind and the key of its subscribe template in
// WECHAT_SUBSCRIBE_TEMPLATES.
const (
	EventHazardAssigned        = "hazard_assigned"
	EventRectificationRejected = "rectification_rejected"
	EventAwaitingVerification  = "awaiting_verification"
	EventHazardDueTomorrow     = "hazard_due_tomorrow"
	EventHazardOverdue         = "hazard_overdue"
	EventInterviewScheduled    = "interview_scheduled"
)

// KindLabels maps each event to its Chinese label.
var KindLabels = map[string]string{
	EventHazardAssigned:        "隐患待整改",
	EventRectificationRejected: "整改被退回",
	EventAwaitingVerification:  "整改待验收",
	EventHazardDueTomorrow:     "整改明天到期",
	EventHazardOverdue:         "整改已逾期",
	EventInterviewScheduled:    "约谈通知",
}

// PushStatusLabels maps each subscribe-message status to its Chinese label.
var PushStatusLabels = map[string]string{
	model.PushNone:    "仅站内",
	model.PushPending: "待发送",
	model.PushSending: "发送中",
	model.PushSent:    "已发送",
	model.PushSkipped: "未发送",
	model.PushFailed:  "发送失败",
}

// Job kinds run by the Notifier.
const (
	JobSend        = "subscribe.send"
	JobHazardSweep = "hazard.sweep"
)

// overdueLookback bounds the overdue sweep, so that the first run after deploying does not flood
// enterprises with notices about hazards that ran out long ago.
const overdueLookback = 30 * 24 * time.Hour

// Notice is one event to tell users about.
type Notice struct {
	Event string
	Title string
	Body  string
	// Link names the record the entry opens, "hazard:12" or "interview:3".
	Link string
	// Occurrence tells apart repeated events on one record (a second rejection, a new deadline); with
	// Event, Link and the user it makes the key under which a user hears of an event once.
	Occurrence string
}

// SubscribeSender sends a mini-program subscribe message (wechat.MiniProgram).
type SubscribeSender interface {
	Configured() bool
	SendSubscribe(ctx context.Context, toOpenID, templateID, page string, data map[string]string) error
}

// JobPurge deletes notifications read long ago; scheduled daily.
const JobPurge = "notify.purge"

// RetainRead keeps a notification for 180 days after it was read; unread ones stay.
const RetainRead = 180 * 24 * time.Hour

// DefaultSubscribeFields fill a subscribe template with a thing1 title, a thing2 detail and a time3
// time.
var DefaultSubscribeFields = map[string]string{"thing1": "title", "thing2": "body", "time3": "time"}

// Notifier writes the in-app feed and queues mini-program subscribe messages. Other services call it
// inside their own transactions, so a notice exists exactly when the action that caused it commits;
// the message itself is sent by a job, so a failed send never rolls back or delays the action.
type Notifier struct {
	db        *gorm.DB
	jobs      *jobs.Queue
	mini      SubscribeSender
	park      service.ParkTime
	templates map[string]string // event → template id
	// fields maps each template key to what fills it: "title", "body" or "time" (the notice's time).
	// Template keys are chosen in the mini-program console.
	fields map[string]string
	log    *slog.Logger
}

// New returns the notifier. templates maps events to subscribe templates, fields the templates'
// keys to what fills them (nil: DefaultSubscribeFields).
func New(db *gorm.DB, queue *jobs.Queue, mini SubscribeSender, park service.ParkTime, templates, fields map[string]string, log *slog.Logger) *Notifier {
	if fields == nil {
		fields = DefaultSubscribeFields
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Notifier{db: db, jobs: queue, mini: mini, park: park, templates: templates, fields: fields, log: log}
}

// Register adds the notifier's jobs to queue: sending subscribe messages, the hourly sweep for
// hazards due tomorrow or overdue, and the daily purge of notifications read long ago.
func (s *Notifier) Register(queue *jobs.Queue) {
	queue.Handle(JobSend, s.sendJob)
	queue.Handle(JobHazardSweep, s.sweepJob)
	queue.Every(JobHazardSweep, time.Hour)
	jobs.EveryCounted(queue, JobPurge, 24*time.Hour, "purged read notifications", s.Purge)
}

// Purge deletes the notifications read longer ago than RetainRead and returns how many.
func (s *Notifier) Purge(ctx context.Context) (int64, error) {
	return service.PurgeBatched(ctx, s.db, &model.Notification{}, "read_at < ?", s.park.Now().Add(-RetainRead))
}

// Notify adds n to the feed of every user in userIDs and, when a subscribe template is configured for
// the event, queues one message per user. It runs inside tx. A user who already heard of this
// occurrence of the event is skipped, so repeating a call is harmless.
func (s *Notifier) Notify(ctx context.Context, tx *gorm.DB, userIDs []uint64, n Notice) error {
	template := s.templates[n.Event]
	for _, uid := range service.UniqueIDs(userIDs) {
		key := service.TruncateRunes(fmt.Sprintf("%s:%s:%s:%d", n.Event, n.Link, n.Occurrence, uid), 191)
		row := model.Notification{UserID: uid, Kind: n.Event, Title: service.TruncateRunes(n.Title, 128), Body: n.Body,
			Link: service.TruncateRunes(n.Link, 128), DedupeKey: &key, CreatedAt: s.park.Now()}
		if template != "" {
			row.PushStatus = model.PushPending
		}
		created, err := service.CreateUnlessDuplicate(ctx, tx, &row)
		if err != nil {
			return fmt.Errorf("notify %s: %w", n.Event, err)
		}
		if !created || template == "" {
			continue
		}
		if _, err := s.jobs.Enqueue(ctx, tx, JobSend, sendPayload{NotificationID: row.ID}, time.Time{}, "push:"+key); err != nil {
			return err
		}
	}
	return nil
}

// HazardChanged tells the people who must act about a hazard transition; the hazard service calls it
// inside each transition's transaction. A new hazard goes to every active user of its enterprise, a
// rejected rectification back to them, a submitted rectification to the inspector who reported it.
func (s *Notifier) HazardChanged(ctx context.Context, tx *gorm.DB, h *model.Hazard, action string, actor service.Actor) error {
	link := "hazard:" + strconv.FormatUint(h.ID, 10)
	switch action {
	case hazard.ActionCreated:
		users, err := s.enterpriseUsers(ctx, tx, h.EnterpriseID)
		if err != nil {
			return err
		}
		return s.Notify(ctx, tx, users, Notice{Event: EventHazardAssigned, Link: link, Title: "新的隐患待整改",
			Body: fmt.Sprintf("%s %s，请于 %s 前完成整改并上传整改照片。", h.Code, h.Title, h.Deadline)})
	case hazard.ActionVerifyRejected, hazard.ActionApprovalRejected:
		users, err := s.enterpriseUsers(ctx, tx, h.EnterpriseID)
		if err != nil {
			return err
		}
		return s.Notify(ctx, tx, users, Notice{Event: EventRectificationRejected, Link: link, Occurrence: strconv.Itoa(h.RejectCount),
			Title: "整改未通过，请重新整改", Body: fmt.Sprintf("%s %s 的整改未通过验收，请按要求重新整改，期限 %s。", h.Code, h.Title, h.Deadline)})
	case hazard.ActionRectificationSubmitted:
		return s.Notify(ctx, tx, []uint64{h.ReporterID}, Notice{Event: EventAwaitingVerification, Link: link, Occurrence: strconv.Itoa(h.RejectCount),
			Title: "整改已提交，待验收", Body: fmt.Sprintf("%s %s 已提交整改，请及时验收。", h.Code, h.Title)})
	}
	return nil
}

// InterviewScheduled tells an enterprise's users that the park office has summoned them for a talk
// (约谈); the interview service calls it inside its transaction. A rescheduled interview is a new notice.
func (s *Notifier) InterviewScheduled(ctx context.Context, tx *gorm.DB, enterpriseID, interviewID uint64, when time.Time) error {
	users, err := s.enterpriseUsers(ctx, tx, enterpriseID)
	if err != nil {
		return err
	}
	local := when.In(s.park.Loc)
	return s.Notify(ctx, tx, users, Notice{Event: EventInterviewScheduled, Link: "interview:" + strconv.FormatUint(interviewID, 10),
		Occurrence: strconv.FormatInt(when.Unix(), 10), Title: "约谈通知",
		Body: fmt.Sprintf("园区管理办公室定于 %s 约谈贵单位主要负责人，请准时参加。", local.Format("2006年1月2日 15:04"))})
}

// enterpriseUsers returns the ids of the enterprise's active accounts.
func (s *Notifier) enterpriseUsers(ctx context.Context, tx *gorm.DB, enterpriseID uint64) ([]uint64, error) {
	var ids []uint64
	err := tx.WithContext(ctx).Model(&model.User{}).
		Where("role = ? AND enterprise_id = ? AND status = ?", model.RoleEnterprise, enterpriseID, model.StatusActive).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// sweepJob tells enterprises about hazards due tomorrow and hazards that ran out, once per hazard
// and deadline (a deadline extension earns a new reminder). Each hazard gets its own short
// transaction.
func (s *Notifier) sweepJob(ctx context.Context, _ *model.Job) error {
	now := s.park.Now()
	// Due tomorrow: the deadline passes at the end of tomorrow (compared on deadline_at, which is
	// indexed with status; the date column is not).
	dueAt := s.park.EndOfDay(s.park.Today().AddDate(0, 0, 1))
	var due, overdue []model.Hazard
	if err := s.db.WithContext(ctx).Where("status = ? AND deadline_at = ?", model.HazardPendingRectify, dueAt).
		Order("id").Find(&due).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Where("status = ? AND deadline_at <= ? AND deadline_at > ?", model.HazardPendingRectify, now, now.Add(-overdueLookback)).
		Order("id").Find(&overdue).Error; err != nil {
		return err
	}
	sweep := func(h *model.Hazard, n Notice) error {
		return service.Transact(ctx, s.db, func(tx *gorm.DB) error {
			users, err := s.enterpriseUsers(ctx, tx, h.EnterpriseID)
			if err != nil {
				return err
			}
			return s.Notify(ctx, tx, users, n)
		})
	}
	for i := range due {
		h := &due[i]
		if err := sweep(h, Notice{Event: EventHazardDueTomorrow, Link: "hazard:" + strconv.FormatUint(h.ID, 10), Occurrence: h.Deadline,
			Title: "隐患整改明天到期", Body: fmt.Sprintf("%s %s 的整改期限为 %s（明天），请抓紧整改并上传整改照片。", h.Code, h.Title, h.Deadline)}); err != nil {
			return err
		}
	}
	for i := range overdue {
		h := &overdue[i]
		if err := sweep(h, Notice{Event: EventHazardOverdue, Link: "hazard:" + strconv.FormatUint(h.ID, 10), Occurrence: h.Deadline,
			Title: "隐患整改已逾期", Body: fmt.Sprintf("%s %s 已超过整改期限 %s，请立即整改；逾期未改的将被通报并约谈。", h.Code, h.Title, h.Deadline)}); err != nil {
			return err
		}
	}
	return nil
}

type sendPayload struct {
	NotificationID uint64 `json:"notification_id"`
}

// sendJob sends one notification as a subscribe message, spending one of the user's grants of the
// template. Without a template, an openid or a grant the message is skipped; the feed entry stays.
func (s *Notifier) sendJob(ctx context.Context, job *model.Job) error {
	var p sendPayload
	if err := jobs.DecodePayload(job, &p); err != nil {
		return err
	}
	var n model.Notification
	if err := s.db.WithContext(ctx).First(&n, p.NotificationID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return jobs.Permanent(err)
		}
		return err
	}
	switch n.PushStatus {
	case model.PushPending:
	case model.PushSending:
		// An earlier run stopped after spending the grant, perhaps after WeChat delivered: sending
		// again could deliver twice, so at most once wins.
		return s.pushDone(ctx, &n, model.PushSkipped, "发送过程中断，为避免重复不再重发")
	default:
		return nil // decided by an earlier run
	}
	var u model.User
	if err := s.db.WithContext(ctx).First(&u, n.UserID).Error; err != nil {
		return err
	}
	template := s.templates[n.Kind]
	switch {
	case template == "":
		return s.pushDone(ctx, &n, model.PushSkipped, "未配置订阅消息模板")
	case s.mini == nil || !s.mini.Configured():
		return s.pushDone(ctx, &n, model.PushSkipped, "小程序未配置")
	case u.OpenID == nil || u.Status != model.StatusActive:
		return s.pushDone(ctx, &n, model.PushSkipped, "用户未绑定微信或已停用")
	}
	// Spend the grant and mark the entry as being sent in one step, so a crash after it never
	// sends twice.
	spent := false
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		spent = false
		res := tx.Model(&model.SubscriptionQuota{}).Where("user_id = ? AND template_id = ? AND remaining > 0", u.ID, template).
			Updates(map[string]any{"remaining": gorm.Expr("remaining - 1"), "updated_at": s.park.Now()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		spent = true
		return tx.Model(&model.Notification{}).Where("id = ?", n.ID).Update("push_status", model.PushSending).Error
	})
	if err != nil {
		return err
	}
	if !spent {
		return s.pushDone(ctx, &n, model.PushSkipped, "用户未授权订阅消息")
	}
	err = s.mini.SendSubscribe(ctx, *u.OpenID, template, linkPage(n.Link), s.templateData(&n))
	if err == nil {
		return s.pushDone(ctx, &n, model.PushSent, "")
	}
	if apiErr, ok := wechat.AsAPIError(err); ok && apiErr.Code == 43101 {
		// The user withdrew the grant: what we counted is not there.
		if err := s.db.WithContext(ctx).Model(&model.SubscriptionQuota{}).Where("user_id = ? AND template_id = ?", u.ID, template).Update("remaining", 0).Error; err != nil {
			s.log.ErrorContext(ctx, "reset withdrawn subscription quota", "user_id", u.ID, "err", err)
		}
		return s.pushDone(ctx, &n, model.PushSkipped, "用户拒收订阅消息")
	}
	// WeChat did not deliver, so it did not use the grant either.
	if rerr := s.db.WithContext(context.WithoutCancel(ctx)).Model(&model.SubscriptionQuota{}).Where("user_id = ? AND template_id = ?", u.ID, template).
		Update("remaining", gorm.Expr("remaining + 1")).Error; rerr != nil {
		err = errors.Join(err, rerr)
	}
	if wechat.IsTransient(err) && job.Attempts < job.MaxAttempts {
		if perr := s.pushDone(ctx, &n, model.PushPending, service.TruncateRunes(err.Error(), 255)); perr != nil {
			return errors.Join(err, perr)
		}
		return err
	}
	if perr := s.pushDone(ctx, &n, model.PushFailed, service.TruncateRunes(err.Error(), 255)); perr != nil {
		return perr
	}
	return jobs.Permanent(err)
}

func (s *Notifier) pushDone(ctx context.Context, n *model.Notification, status, reason string) error {
	return s.db.WithContext(context.WithoutCancel(ctx)).Model(&model.Notification{}).Where("id = ?", n.ID).
		Updates(map[string]any{"push_status": status, "push_error": reason}).Error
}

// templateData fills the template's keys; thing values are cut to WeChat's 20 characters.
func (s *Notifier) templateData(n *model.Notification) map[string]string {
	out := make(map[string]string, len(s.fields))
	for key, what := range s.fields {
		var v string
		switch what {
		case "title":
			v = n.Title
		case "body":
			v = n.Body
		case "time":
			v = n.CreatedAt.In(s.park.Loc).Format("2006-01-02 15:04")
		}
		if strings.HasPrefix(key, "thing") {
			v = service.TruncateRunes(v, 20)
		}
		out[key] = v
	}
	return out
}

// linkPage is the mini-program page a notification opens.
func linkPage(link string) string {
	kind, id, ok := strings.Cut(link, ":")
	if !ok {
		return ""
	}
	switch kind {
	case "hazard":
		return "pages/hazards/detail?id=" + id
	case "interview":
		return "pages/interviews/detail?id=" + id
	case "bulletin":
		return "pages/bulletins/detail?id=" + id
	}
	return ""
}

// Feed is a page of a user's notifications and the number of unread ones.
type Feed struct {
	*service.List[model.Notification]
	Unread int64
}

// List returns the actor's own feed, newest first.
func (s *Notifier) List(ctx context.Context, actor service.Actor, unreadOnly bool, p service.Page) (*Feed, error) {
	q := s.db.WithContext(ctx).Model(&model.Notification{}).Where("user_id = ?", actor.ID)
	var unread int64
	if err := q.Session(&gorm.Session{}).Where("read_at IS NULL").Count(&unread).Error; err != nil {
		return nil, err
	}
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	order := service.Order[model.Notification]{Name: "-created_at", Column: "created_at", ID: "id", Desc: true,
		Key: func(n *model.Notification) (any, uint64) { return n.CreatedAt, n.ID }}
	l, err := service.Seek(q, p, order, service.Fingerprint(unreadOnly), service.CappedCount(q))
	if err != nil {
		return nil, err
	}
	return &Feed{List: l, Unread: unread}, nil
}

// MarkRead marks the actor's entries ids (or all of them) read and returns how many changed. Ids of
// other users' entries are ignored.
func (s *Notifier) MarkRead(ctx context.Context, actor service.Actor, ids []uint64, all bool) (int64, error) {
	if !all && len(ids) == 0 {
		return 0, service.Invalid("ids", "请选择要标记已读的通知，或设置 all 为 true")
	}
	if len(ids) > 500 {
		return 0, service.Invalid("ids", "一次最多标记 500 条")
	}
	q := s.db.WithContext(ctx).Model(&model.Notification{}).Where("user_id = ? AND read_at IS NULL", actor.ID)
	if !all {
		q = q.Where("id IN ?", service.UniqueIDs(ids))
	}
	res := q.Update("read_at", s.park.Now())
	return res.RowsAffected, res.Error
}

// Subscription is a configured template with the actor's remaining grants.
type Subscription struct {
	Event      string
	TemplateID string
	Remaining  int
}

// Subscriptions lists the configured templates and how many messages of each the actor has granted.
func (s *Notifier) Subscriptions(ctx context.Context, actor service.Actor) ([]Subscription, error) {
	var quotas []model.SubscriptionQuota
	if err := s.db.WithContext(ctx).Where("user_id = ?", actor.ID).Find(&quotas).Error; err != nil {
		return nil, err
	}
	left := map[string]int{}
	for _, q := range quotas {
		left[q.TemplateID] = q.Remaining
	}
	out := []Subscription{}
	for event, tpl := range s.templates {
		out = append(out, Subscription{Event: event, TemplateID: tpl, Remaining: left[tpl]})
	}
	slices.SortFunc(out, func(a, b Subscription) int { return strings.Compare(a.Event, b.Event) })
	return out, nil
}

// Subscribe records the one-time grants the user just accepted in the mini-program: one more message
// of each template. Only configured templates are accepted, each once per call.
func (s *Notifier) Subscribe(ctx context.Context, actor service.Actor, templateIDs []string) ([]Subscription, error) {
	known := map[string]bool{}
	for _, t := range s.templates {
		known[t] = true
	}
	var ids []string
	for _, t := range templateIDs {
		t = strings.TrimSpace(t)
		if !known[t] {
			return nil, service.Invalid("template_ids", "订阅消息模板 "+service.TruncateRunes(t, 64)+" 未配置")
		}
		if !slices.Contains(ids, t) {
			ids = append(ids, t)
		}
	}
	if len(ids) == 0 {
		return nil, service.Invalid("template_ids", "请提供用户同意的订阅消息模板")
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		for _, t := range ids {
			q := model.SubscriptionQuota{UserID: actor.ID, TemplateID: t, Remaining: 1, UpdatedAt: s.park.Now()}
			if err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "user_id"}, {Name: "template_id"}},
				DoUpdates: clause.Assignments(map[string]any{"remaining": gorm.Expr("remaining + 1"), "updated_at": q.UpdatedAt}),
			}).Create(&q).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Subscriptions(ctx, actor)
}
