package leader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// InterviewStatusLabels maps each interview status to its Chinese label.
var InterviewStatusLabels = map[string]string{
	model.InterviewScheduled: "待约谈",
	model.InterviewHeld:      "已约谈",
	model.InterviewClosed:    "已办结",
}

// Interview limits and defaults.
const (
	// FeedbackWorkingDays is how many working days (Mon–Fri) after the interview the written feedback
	// is due unless the office sets another date.
	FeedbackWorkingDays = 5
	maxInterviewWeeks   = 26 // fits the 255-character Weeks column
	defaultAttendee     = "主要负责人本人"
)

// InterviewInput is a new interview.
type InterviewInput struct {
	EnterpriseID uint64
	Reason       string // empty: written from Weeks
	Weeks        []string
	ScheduledAt  string // RFC 3339
	Place        string
	Attendee     string // empty: the enterprise's principal in person
}

// InterviewPatch changes an interview; nil means unchanged. Enterprise users may send Feedback only.
type InterviewPatch struct {
	Reason      *string
	Weeks       []string
	ScheduledAt *string
	Place       *string
	Attendee    *string
	Status      *string
	Minutes     *string
	Commitments *string
	FeedbackDue *string // "" clears it
	Feedback    *string
	Result      *string
	Version     *int
}

// InterviewFilter narrows a list of interviews.
type InterviewFilter struct {
	EnterpriseID uint64
	Status       string
	Week         string
}

// InterviewProposal is an interview the office may create for an enterprise that missed a week.
type InterviewProposal struct {
	EnterpriseID   uint64
	EnterpriseName string
	Weeks          []string
	MissedStreak   int
	Reason         string
	Attendee       string
	// ExistingInterviewID is an interview already recorded for this enterprise and week, if any.
	ExistingInterviewID *uint64
}

// Interviews records the talks (约谈) the park office holds with enterprises.
type Interviews struct {
	db          *gorm.DB
	park        service.ParkTime
	inspections *Inspections
	notify      InterviewNotifier
}

// InterviewNotifier tells an enterprise it has been summoned, inside the scheduling transaction.
type InterviewNotifier interface {
	InterviewScheduled(ctx context.Context, tx *gorm.DB, enterpriseID, interviewID uint64, when time.Time) error
}

// NewInterviews returns the interview service; inspections supply the weekly reports proposals come
// from, notify (nil: nobody is told) tells the enterprise's users of a scheduled interview.
func NewInterviews(db *gorm.DB, park service.ParkTime, inspections *Inspections, notify InterviewNotifier) *Interviews {
	return &Interviews{db: db, park: park, inspections: inspections, notify: notify}
}

// Create schedules an interview (admin only).
func (s *Interviews) Create(ctx context.Context, actor service.Actor, in InterviewInput) (*model.Interview, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	var v service.Validator
	iv := &model.Interview{Status: model.InterviewScheduled, CreatedByID: actor.ID, Version: 1,
		Place: strings.TrimSpace(in.Place), Attendee: strings.TrimSpace(in.Attendee), Reason: strings.TrimSpace(in.Reason)}
	var ent model.Enterprise
	if in.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择企业")
	} else if err := s.db.WithContext(ctx).First(&ent, in.EnterpriseID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		v.Add("enterprise_id", "企业不存在")
	} else if err != nil {
		return nil, err
	}
	iv.EnterpriseID = ent.ID
	weeks := s.weeks(&v, in.Weeks)
	iv.Weeks = strings.Join(weeks, ",")
	if iv.Reason == "" && len(weeks) > 0 {
		iv.Reason = missedReason(weeks)
	}
	if iv.Attendee == "" {
		iv.Attendee = attendeeOf(&ent)
	}
	if at, ok := s.scheduledAt(&v, in.ScheduledAt); ok {
		iv.ScheduledAt = at
	}
	v.Text(iv.Reason, "reason", "约谈事由", true, 2000)
	v.Text(iv.Place, "place", "约谈地点", false, 128)
	v.Text(iv.Attendee, "attendee", "参加人员", true, 128)
	if err := v.Err(); err != nil {
		return nil, err
	}
	iv.CreatedAt = s.park.Now()
	iv.UpdatedAt = iv.CreatedAt
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		iv.ID = 0
		if err := tx.Create(iv).Error; err != nil {
			return err
		}
		if s.notify == nil {
			return nil
		}
		return s.notify.InterviewScheduled(ctx, tx, iv.EnterpriseID, iv.ID, iv.ScheduledAt)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, iv.ID)
}

func attendeeOf(e *model.Enterprise) string {
	if e.PrincipalName == "" {
		return defaultAttendee
	}
	return e.PrincipalName + "（" + defaultAttendee + "）"
}

// weeks validates a list of ISO weeks (none in the future), sorted and without repeats.
func (s *Interviews) weeks(v *service.Validator, in []string) []string {
	current := s.park.WeekOf(s.park.Now()).String()
	out := []string{}
	for _, raw := range in {
		w, err := service.ParseWeek(strings.TrimSpace(raw))
		if err != nil {
			v.Add("weeks", "周次“"+raw+"”格式应为 YYYY-Www，例如 2026-W48")
			continue
		}
		if w.String() > current {
			v.Add("weeks", "周次 "+w.String()+" 尚未开始")
			continue
		}
		if !slices.Contains(out, w.String()) {
			out = append(out, w.String())
		}
	}
	v.Check(len(out) <= maxInterviewWeeks, "weeks", "关联周次不能超过 26 个")
	slices.Sort(out)
	return out
}

func (s *Interviews) scheduledAt(v *service.Validator, raw string) (time.Time, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		v.Add("scheduled_at", "请填写约谈时间")
		return time.Time{}, false
	}
	t, ok := service.ParseInstant(raw)
	if !ok {
		v.Add("scheduled_at", "约谈时间格式应为 RFC 3339，例如 2026-12-01T09:30:00+08:00")
		return time.Time{}, false
	}
	return t, true
}

// missedReason writes the reason of an interview about missed weeks, e.g.
// "2026年第48周未按要求开展主要负责人带队检查".
func missedReason(weeks []string) string {
	parsed := make([]service.Week, 0, len(weeks))
	for _, s := range weeks {
		if w, err := service.ParseWeek(s); err == nil {
			parsed = append(parsed, w)
		}
	}
	const tail = "未按要求开展主要负责人带队检查"
	switch {
	case len(parsed) == 0:
		return ""
	case len(parsed) == 1:
		return weekName(parsed[0], service.Week{}) + tail
	}
	names := make([]string, len(parsed))
	prev := service.Week{}
	for i, w := range parsed {
		names[i] = weekName(w, prev)
		prev = w
	}
	return strings.Join(names, "、") + "共" + fmt.Sprint(len(parsed)) + "周" + tail
}

// streakReason writes the reason for n consecutive missed weeks from first to last.
func streakReason(first, last service.Week, n int) string {
	const tail = "未按要求开展主要负责人带队检查"
	if n <= 1 {
		return weekName(last, service.Week{}) + tail
	}
	return weekName(first, service.Week{}) + "至" + weekName(last, first) + "连续" + fmt.Sprint(n) + "周" + tail
}

// weekName names a week in Chinese, leaving out the year when it is prev's.
func weekName(w, prev service.Week) string {
	if w.Year == prev.Year {
		return fmt.Sprintf("第%d周", w.Num)
	}
	return fmt.Sprintf("%d年第%d周", w.Year, w.Num)
}

// Get returns one interview; an enterprise user only its own.
func (s *Interviews) Get(ctx context.Context, actor service.Actor, id uint64) (*model.Interview, error) {
	var iv model.Interview
	err := s.db.WithContext(ctx).Scopes(actor.Scope("enterprise_id")).
		Preload("Enterprise").Preload("CreatedBy").Preload("FeedbackBy").First(&iv, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("约谈记录")
	}
	return &iv, err
}

// List returns a page of interviews, latest first; an enterprise user sees only its own.
func (s *Interviews) List(ctx context.Context, actor service.Actor, f InterviewFilter, p service.Page) (*service.List[model.Interview], error) {
	q := s.db.WithContext(ctx).Model(&model.Interview{}).Scopes(actor.Scope("enterprise_id"))
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if f.Status != "" {
		if _, ok := InterviewStatusLabels[f.Status]; !ok {
			return nil, service.Invalid("status", "状态应为 scheduled、held 或 closed")
		}
		q = q.Where("status = ?", f.Status)
	}
	if f.Week != "" {
		w, err := service.ParseWeek(f.Week)
		if err != nil {
			return nil, err
		}
		q = q.Where("weeks LIKE ? ESCAPE '!'", service.LikePattern(w.String()))
	}
	order := service.Order[model.Interview]{Name: "-scheduled_at", Column: "scheduled_at", ID: "id", Desc: true,
		Key: func(iv *model.Interview) (any, uint64) { return iv.ScheduledAt, iv.ID }}
	return service.Seek(q, p, order, service.Fingerprint(f), service.CappedCount(q),
		func(db *gorm.DB) *gorm.DB { return db.Preload("Enterprise").Preload("CreatedBy").Preload("FeedbackBy") })
}

// Update edits an interview. The office (admin) moves it scheduled → held → closed and records the
// minutes, commitments, feedback due date and result; the enterprise submits only its written
// feedback, while the interview is held.
func (s *Interviews) Update(ctx context.Context, actor service.Actor, id uint64, in InterviewPatch) (*model.Interview, error) {
	iv, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	switch {
	case actor.IsEnterprise():
		err = s.feedback(iv, actor, in)
	case actor.IsAdmin():
		err = s.edit(iv, in)
	default:
		err = service.ErrForbiddenRole
	}
	if err != nil {
		return nil, err
	}
	before := iv.Version
	iv.Version = before + 1
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&model.Interview{}).Where("id = ? AND version = ?", id, before).
			Select("reason", "weeks", "scheduled_at", "place", "attendee", "status", "minutes", "commitments", "feedback_due",
				"feedback", "feedback_at", "feedback_by_id", "result", "held_at", "closed_at", "version", "updated_at").
			Updates(&model.Interview{Reason: iv.Reason, Weeks: iv.Weeks, ScheduledAt: iv.ScheduledAt, Place: iv.Place, Attendee: iv.Attendee,
				Status: iv.Status, Minutes: iv.Minutes, Commitments: iv.Commitments, FeedbackDue: iv.FeedbackDue, Feedback: iv.Feedback,
				FeedbackAt: iv.FeedbackAt, FeedbackByID: iv.FeedbackByID, Result: iv.Result, HeldAt: iv.HeldAt, ClosedAt: iv.ClosedAt,
				Version: iv.Version, UpdatedAt: s.park.Now()})
		return service.Guarded(res)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// feedback applies an enterprise's written feedback.
func (s *Interviews) feedback(iv *model.Interview, actor service.Actor, in InterviewPatch) error {
	if in.Reason != nil || in.Weeks != nil || in.ScheduledAt != nil || in.Place != nil || in.Attendee != nil || in.Status != nil ||
		in.Minutes != nil || in.Commitments != nil || in.FeedbackDue != nil || in.Result != nil {
		return service.Forbidden("企业用户只能提交书面反馈")
	}
	if in.Version != nil && *in.Version != iv.Version {
		return service.ErrStale
	}
	switch iv.Status {
	case model.InterviewScheduled:
		return service.Conflict("约谈尚未举行，暂不能提交书面反馈")
	case model.InterviewClosed:
		return service.Conflict("约谈已办结，不能再提交书面反馈")
	}
	var v service.Validator
	text := ""
	if in.Feedback != nil {
		text = strings.TrimSpace(*in.Feedback)
	}
	v.Text(text, "feedback", "书面反馈", true, 5000)
	if err := v.Err(); err != nil {
		return err
	}
	now, by := s.park.Now(), actor.ID
	iv.Feedback, iv.FeedbackAt, iv.FeedbackByID = text, &now, &by
	return nil
}

// edit applies the office's changes and status transition.
func (s *Interviews) edit(iv *model.Interview, in InterviewPatch) error {
	if in.Version != nil && *in.Version != iv.Version {
		return service.ErrStale
	}
	if iv.Status == model.InterviewClosed {
		return service.Conflict("约谈已办结，不能再修改")
	}
	var v service.Validator
	set := func(dst *string, src *string, field, label string, required bool, max int) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
			v.Text(*dst, field, label, required, max)
		}
	}
	set(&iv.Reason, in.Reason, "reason", "约谈事由", true, 2000)
	set(&iv.Place, in.Place, "place", "约谈地点", false, 128)
	set(&iv.Attendee, in.Attendee, "attendee", "参加人员", true, 128)
	set(&iv.Minutes, in.Minutes, "minutes", "约谈纪要", false, 10000)
	set(&iv.Commitments, in.Commitments, "commitments", "整改承诺", false, 5000)
	set(&iv.Result, in.Result, "result", "约谈结果", false, 5000)
	v.Check(in.Feedback == nil, "feedback", "书面反馈由企业提交")
	if in.Weeks != nil {
		iv.Weeks = strings.Join(s.weeks(&v, in.Weeks), ",")
	}
	if in.ScheduledAt != nil {
		if at, ok := s.scheduledAt(&v, *in.ScheduledAt); ok {
			iv.ScheduledAt = at
		}
	}
	if in.FeedbackDue != nil {
		due := strings.TrimSpace(*in.FeedbackDue)
		d, ok := s.park.ParseDate(due)
		switch {
		case due == "":
			iv.FeedbackDue = ""
		case !ok:
			v.Add("feedback_due", "反馈期限格式应为 YYYY-MM-DD")
		case d.Before(s.park.DateOf(iv.ScheduledAt)):
			v.Add("feedback_due", "反馈期限不能早于约谈日期")
		default:
			iv.FeedbackDue = due
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if in.Status == nil || *in.Status == iv.Status {
		return nil
	}
	to := *in.Status
	if _, ok := InterviewStatusLabels[to]; !ok {
		return service.Invalid("status", "状态应为 scheduled、held 或 closed")
	}
	now := s.park.Now()
	switch {
	case iv.Status == model.InterviewScheduled && to == model.InterviewHeld:
		iv.Status, iv.HeldAt = to, &now
		if iv.FeedbackDue == "" {
			iv.FeedbackDue = AddWorkingDays(s.park.DateOf(iv.ScheduledAt), FeedbackWorkingDays).Format(time.DateOnly)
		}
	case iv.Status == model.InterviewHeld && to == model.InterviewClosed:
		v.Check(iv.Minutes != "", "minutes", "办结前请填写约谈纪要")
		v.Check(iv.Result != "", "result", "办结前请填写约谈结果")
		if err := v.Err(); err != nil {
			return err
		}
		iv.Status, iv.ClosedAt = to, &now
	default:
		return &service.Error{Code: service.CodeConflict, Fields: map[string]string{"status": "不允许的状态变更"},
			Message: "约谈状态不能从“" + InterviewStatusLabels[iv.Status] + "”改为“" + InterviewStatusLabels[to] + "”"}
	}
	return nil
}

// AddWorkingDays returns the date n working days (Monday to Friday) after d.
func AddWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// ProposeFromWeek drafts, without creating anything, an interview for each enterprise missing from
// week's leader report (admin only), covering its whole streak of missed weeks.
func (s *Interviews) ProposeFromWeek(ctx context.Context, actor service.Actor, week string) ([]InterviewProposal, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	rep, err := s.inspections.WeeklyReport(ctx, actor, week)
	if err != nil {
		return nil, err
	}
	out := []InterviewProposal{}
	if len(rep.Missing) == 0 {
		return out, nil
	}
	ids := make([]uint64, len(rep.Missing))
	for i, m := range rep.Missing {
		ids[i] = m.EnterpriseID
	}
	var ents []model.Enterprise
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&ents).Error; err != nil {
		return nil, err
	}
	byID := map[uint64]*model.Enterprise{}
	for i := range ents {
		byID[ents[i].ID] = &ents[i]
	}
	// A proposal ends at the last week that is over; an interview arranged for it already covers it.
	last := s.park.LastEnded(rep.Week)
	var existing []model.Interview
	if err := s.db.WithContext(ctx).Select("id, enterprise_id").Where("enterprise_id IN ? AND weeks LIKE ? ESCAPE '!'", ids, service.LikePattern(last.String())).
		Order("id").Find(&existing).Error; err != nil {
		return nil, err
	}
	already := map[uint64]uint64{}
	for _, iv := range existing {
		already[iv.EnterpriseID] = iv.ID
	}
	for _, m := range rep.Missing {
		if m.MissedStreak == 0 {
			continue // nothing missed yet: registered since, or the week is still running
		}
		first := last.Add(-(m.MissedStreak - 1))
		n := min(m.MissedStreak, maxInterviewWeeks)
		weeks := make([]string, n)
		for i := range n {
			weeks[i] = last.Add(i - n + 1).String()
		}
		p := InterviewProposal{EnterpriseID: m.EnterpriseID, EnterpriseName: m.EnterpriseName, Weeks: weeks,
			MissedStreak: m.MissedStreak, Reason: streakReason(first, last, m.MissedStreak), Attendee: defaultAttendee}
		if e := byID[m.EnterpriseID]; e != nil {
			p.Attendee = attendeeOf(e)
		}
		if id, ok := already[m.EnterpriseID]; ok {
			p.ExistingInterviewID = &id
		}
		out = append(out, p)
	}
	return out, nil
}
