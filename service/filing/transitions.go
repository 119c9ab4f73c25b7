package filing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/photo"
)

// Timeline actions.
const (
	ActionCreated          = "created"
	ActionUpdated          = "updated"
	ActionSubmitted        = "submitted"
	ActionAssigned         = "assigned"
	ActionChangesRequested = "changes_requested"
	ActionResubmitted      = "resubmitted"
	ActionReviewPassed     = "review_passed"
	ActionApproved         = "approved"
	ActionStarted          = "started"
	ActionCompleted        = "completed"
	ActionCancelled        = "cancelled"
	ActionExpired          = "expired"
	ActionHazardOpened     = "hazard_opened"
)

// ActionLabels gives the Chinese label of each timeline action.
var ActionLabels = map[string]string{
	ActionCreated:          "创建报备",
	ActionUpdated:          "修改报备",
	ActionSubmitted:        "提交报备",
	ActionAssigned:         "指派审核人",
	ActionChangesRequested: "提出整改意见",
	ActionResubmitted:      "整改后重新提交",
	ActionReviewPassed:     "审核通过，报园区审批",
	ActionApproved:         "批准作业",
	ActionStarted:          "开工",
	ActionCompleted:        "完工",
	ActionCancelled:        "取消报备",
	ActionExpired:          "逾期未开工，报备过期",
	ActionHazardOpened:     "现场检查发现隐患",
}

// RoleSystem is the ActorRole of steps the service takes by itself (expiry).
const RoleSystem = "system"

// systemActor takes the steps nobody asked for.
var systemActor = service.Actor{Name: "系统", Role: RoleSystem}

// DecisionInput is a reviewer's or the park office's decision: approved, or changes requested as
// items (one suggestion each), with an optional comment.
type DecisionInput struct {
	Approved *bool
	Comment  string
	Items    []string
	Version  *int
}

// Answer is the enterprise's answer to one suggestion item.
type Answer struct {
	ItemID   uint64
	Note     string
	PhotoIDs []uint64
}

// ResubmitInput answers every open item of the last round and submits the filing again.
type ResubmitInput struct {
	Answers []Answer
	Comment string
	Version *int
}

// StepInput is a step with site photos: the start (the site ready) and the completion (the site put
// back).
type StepInput struct {
	Comment  string
	PhotoIDs []uint64
	Version  *int
}

// AssignInput names the reviewer of a filing.
type AssignInput struct {
	ReviewerID uint64
	Version    *int
}

// CancelInput withdraws a filing before the work starts.
type CancelInput struct {
	Reason  string
	Version *int
}

// FindingInput is a hazard found while checking a filing's site.
type FindingInput struct {
	Category    string
	Level       string
	Title       string
	Description string
	Location    string
	Latitude    *float64
	Longitude   *float64
	Requirement string
	Deadline    string
	PhotoIDs    []uint64
}

// step is one kind of transition: the verb naming it in refusals, the states it leaves from, and who
// may take it (checked once the filing is known to be visible, so another enterprise gets a 404).
type step struct {
	verb string
	from []string
	may  func(a service.Actor, f *model.Filing) error
}

// change is what a transition does: the timeline action and comment, the new status, further
// columns, site photos for the step, and rows to write once the filing row is won.
type change struct {
	action  string
	to      string
	comment string
	set     map[string]any
	photos  *sitePhotos
	after   func(tx *gorm.DB, f *model.Filing, ev *model.FilingEvent) error
}

// sitePhotos are the photos a step carries, linked to its timeline entry.
type sitePhotos struct {
	ids    []uint64
	reason string
}

func enterpriseOnly(a service.Actor, _ *model.Filing) error {
	if a.IsEnterprise() {
		return nil
	}
	return service.Forbidden("此操作由报备企业进行")
}

func staffOnly(a service.Actor, _ *model.Filing) error {
	if a.IsStaff() {
		return nil
	}
	return service.ErrForbiddenRole
}

// reviewerOrAdmin lets the filing's reviewer or the park office decide on it.
func reviewerOrAdmin(a service.Actor, f *model.Filing) error {
	switch {
	case a.IsAdmin():
		return nil
	case a.Role == model.RoleInspector && f.ReviewerID != nil && *f.ReviewerID == a.ID:
		return nil
	case a.Role == model.RoleInspector:
		return service.Forbidden("该报备未指派给您审核")
	}
	return service.ErrForbiddenRole
}

func adminOnly(a service.Actor, _ *model.Filing) error {
	if a.IsAdmin() {
		return nil
	}
	return service.Forbidden("需由园区管理办公室审批")
}

func enterpriseOrAdmin(a service.Actor, _ *model.Filing) error {
	if a.IsEnterprise() || a.IsAdmin() {
		return nil
	}
	return service.ErrForbiddenRole
}

var (
	waitingReview = []string{model.FilingSubmitted, model.FilingResubmitted}
	beforeWork    = []string{model.FilingDraft, model.FilingSubmitted, model.FilingChangesRequested, model.FilingResubmitted,
		model.FilingPendingAdmin, model.FilingApproved}

	stepUpdate   = step{"修改", []string{model.FilingDraft, model.FilingChangesRequested}, enterpriseOnly}
	stepSubmit   = step{"提交", []string{model.FilingDraft}, enterpriseOnly}
	stepResubmit = step{"重新提交", []string{model.FilingChangesRequested}, enterpriseOnly}
	stepAssign   = step{"指派审核人", []string{model.FilingSubmitted, model.FilingChangesRequested, model.FilingResubmitted}, staffOnly}
	stepReview   = step{"审核", waitingReview, reviewerOrAdmin}
	stepApprove  = step{"审批", []string{model.FilingPendingAdmin}, adminOnly}
	stepStart    = step{"开工", []string{model.FilingApproved}, enterpriseOnly}
	stepComplete = step{"完工", []string{model.FilingInProgress}, enterpriseOnly}
	stepCancel   = step{"取消", beforeWork, enterpriseOrAdmin}
	stepExpire   = step{"过期", []string{model.FilingApproved}, func(service.Actor, *model.Filing) error { return nil }}
	stepFinding  = step{"记录现场发现的隐患", []string{model.FilingSubmitted, model.FilingChangesRequested, model.FilingResubmitted,
		model.FilingPendingAdmin, model.FilingApproved, model.FilingInProgress, model.FilingCompleted}, staffOnly}
)

// Submit files a draft with the park: it must be complete and planned ahead. It goes to the
// enterprise's cadre for review when it has one; otherwise the park office assigns a reviewer.
func (s *Filings) Submit(ctx context.Context, actor service.Actor, id uint64, version *int) (*Detail, error) {
	return s.act(ctx, actor, id, version, stepSubmit, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		permits, err := s.permitCount(tx, f.ID)
		if err != nil {
			return nil, err
		}
		var v service.Validator
		s.check(&v, f, modeSubmit, permits)
		if err := v.Err(); err != nil {
			return nil, err
		}
		return s.submission(tx, f, ActionSubmitted, "", now)
	})
}

// permitCount counts the permit photos linked to filing id.
func (s *Filings) permitCount(tx *gorm.DB, id uint64) (int, error) {
	linked, err := photo.ByOwner(tx, model.OriginFiling, []uint64{id})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range linked[id] {
		if p.Role == RolePermit {
			n++
		}
	}
	return n, nil
}

// submission is the change of a first or renewed submission by an active enterprise: it stamps the
// first submission and gives a filing without a reviewer the enterprise's cadre, when that is an
// active inspector.
func (s *Filings) submission(tx *gorm.DB, f *model.Filing, action, comment string, now time.Time) (*change, error) {
	ch := &change{action: action, to: model.FilingSubmitted, comment: comment, set: map[string]any{}}
	if action == ActionResubmitted {
		ch.to = model.FilingResubmitted
	}
	if f.SubmittedAt == nil {
		ch.set["submitted_at"] = now
	}
	var ent model.Enterprise
	if err := tx.Select("id", "status", "cadre_id").First(&ent, f.EnterpriseID).Error; err != nil {
		return nil, err
	}
	if ent.Status != model.StatusActive {
		return nil, service.Forbidden("企业已停用，不能报备")
	}
	if f.ReviewerID == nil {
		if ent.CadreID != nil {
			var n int64
			err := tx.Model(&model.User{}).Where("id = ? AND role = ? AND status = ?", *ent.CadreID, model.RoleInspector, model.StatusActive).Count(&n).Error
			if err != nil {
				return nil, err
			}
			if n == 1 {
				ch.set["reviewer_id"] = *ent.CadreID
			}
		}
	}
	return ch, nil
}

// Assign makes an active inspector the filing's reviewer while it is under review. The park office
// picks anyone; an inspector may take a filing nobody reviews yet.
func (s *Filings) Assign(ctx context.Context, actor service.Actor, id uint64, in AssignInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepAssign, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		if !actor.IsAdmin() {
			switch {
			case f.ReviewerID != nil && *f.ReviewerID != actor.ID:
				return nil, service.Forbidden("该报备已有审核人，改派请联系园区管理办公室")
			case in.ReviewerID != actor.ID:
				return nil, service.Forbidden("检查人员只能把尚无审核人的报备指派给自己")
			}
		}
		if in.ReviewerID == 0 {
			return nil, service.Invalid("reviewer_id", "请选择审核人")
		}
		var u model.User
		err := tx.Select("id", "name", "role", "status").First(&u, in.ReviewerID).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return nil, service.Invalid("reviewer_id", "审核人不存在")
		case err != nil:
			return nil, err
		case u.Role != model.RoleInspector || u.Status != model.StatusActive:
			return nil, service.Invalid("reviewer_id", "审核人应为在用的园区检查人员或驻园专家")
		case f.ReviewerID != nil && *f.ReviewerID == u.ID:
			return nil, service.Invalid("reviewer_id", "该报备已由"+u.Name+"审核")
		}
		return &change{action: ActionAssigned, to: f.Status, comment: "审核人：" + u.Name, set: map[string]any{"reviewer_id": u.ID}}, nil
	})
}

// Review is the reviewer's decision on a submitted or resubmitted filing (the assigned reviewer, or
// the park office). Approved, a filing that needs the office's approval goes to it (an admin's own
// review approves it at once), any other is approved; otherwise each item is a suggestion the
// enterprise must answer.
func (s *Filings) Review(ctx context.Context, actor service.Actor, id uint64, in DecisionInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepReview, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		return s.decide(f, actor, in, now, f.NeedsAdmin && !actor.IsAdmin())
	})
}

// Approve is the park office's decision on a filing its reviewer passed: approved, or changes
// requested as items.
func (s *Filings) Approve(ctx context.Context, actor service.Actor, id uint64, in DecisionInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepApprove, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		return s.decide(f, actor, in, now, false)
	})
}

// decide checks a decision and returns its change; toAdmin sends an approval on to the park office.
func (s *Filings) decide(f *model.Filing, actor service.Actor, in DecisionInput, now time.Time, toAdmin bool) (*change, error) {
	comment := strings.TrimSpace(in.Comment)
	var v service.Validator
	if in.Approved == nil {
		return nil, service.Invalid("approved", "请选择批准（true）或提出整改意见（false）")
	}
	v.Text(comment, "comment", "意见", false, 500)
	items := make([]string, 0, len(in.Items))
	for i, it := range in.Items {
		if i >= maxItems {
			v.Add("items", fmt.Sprintf("整改意见不能超过 %d 条", maxItems))
			break
		}
		it = strings.TrimSpace(it)
		v.Text(it, fmt.Sprintf("items.%d", i), "整改意见", true, 500)
		items = append(items, it)
	}
	if *in.Approved {
		v.Check(len(in.Items) == 0, "items", "批准时不应提出整改意见")
	} else {
		v.Check(len(in.Items) > 0, "items", "请逐条填写整改意见")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	set := map[string]any{}
	if f.FirstDecisionAt == nil {
		set["first_decision_at"] = now
		if f.SubmittedAt != nil {
			set["review_seconds"] = int64(now.Sub(*f.SubmittedAt) / time.Second)
		}
	}
	if !*in.Approved {
		set["change_rounds"] = gorm.Expr("change_rounds + 1")
		return &change{action: ActionChangesRequested, to: model.FilingChangesRequested, set: set,
			comment: strings.TrimSpace(fmt.Sprintf("提出 %d 条整改意见 %s", len(items), comment)),
			after: func(tx *gorm.DB, f *model.Filing, _ *model.FilingEvent) error {
				rows := make([]model.FilingItem, len(items))
				for i, it := range items {
					rows[i] = model.FilingItem{FilingID: f.ID, Round: f.ChangeRounds, Seq: i + 1, Content: it, Status: model.FilingItemOpen,
						CreatedByID: actor.ID, CreatedAt: now}
				}
				return tx.Create(&rows).Error
			}}, nil
	}
	if !f.PlannedEnd.After(now) {
		return nil, service.Conflict("计划结束时间 %s 已过，不能批准；请提出整改意见，由企业修改计划时间", s.local(f.PlannedEnd))
	}
	if toAdmin {
		return &change{action: ActionReviewPassed, to: model.FilingPendingAdmin, comment: comment, set: set}, nil
	}
	set["approved_at"] = now
	if f.SubmittedAt != nil {
		set["approval_seconds"] = int64(now.Sub(*f.SubmittedAt) / time.Second)
	}
	return &change{action: ActionApproved, to: model.FilingApproved, comment: comment, set: set}, nil
}

// Resubmit answers every open item of the last round, each with a note and at least one photo, and
// submits the filing again; it must be complete and not already over.
func (s *Filings) Resubmit(ctx context.Context, actor service.Actor, id uint64, in ResubmitInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepResubmit, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		var open []model.FilingItem
		if err := tx.Where("filing_id = ? AND status = ?", f.ID, model.FilingItemOpen).Order("round, seq").Find(&open).Error; err != nil {
			return nil, err
		}
		byID := make(map[uint64]*model.FilingItem, len(open))
		for i := range open {
			byID[open[i].ID] = &open[i]
		}
		var v service.Validator
		comment := strings.TrimSpace(in.Comment)
		v.Text(comment, "comment", "说明", false, 500)
		answered := map[uint64]int{}
		for i, a := range in.Answers {
			if i >= maxItems {
				v.Add("answers", fmt.Sprintf("一次最多答复 %d 条整改意见", maxItems))
				break
			}
			field := fmt.Sprintf("answers.%d.", i)
			if _, ok := byID[a.ItemID]; !ok {
				v.Add(field+"item_id", "整改意见不存在或已答复")
			} else if _, dup := answered[a.ItemID]; dup {
				v.Add(field+"item_id", "同一条整改意见只能答复一次")
			} else {
				answered[a.ItemID] = i
			}
			v.Text(strings.TrimSpace(a.Note), field+"note", "整改情况", true, 1000)
			v.Check(len(a.PhotoIDs) > 0, field+"photo_ids", "请上传整改后的照片")
			photoCount(&v, a.PhotoIDs, field+"photo_ids")
		}
		for _, it := range open {
			if _, ok := answered[it.ID]; !ok && !v.Has("answers") {
				v.Add("answers", fmt.Sprintf("第 %d 条整改意见尚未答复：%s", it.Seq, truncate(it.Content, 40)))
			}
		}
		permits, err := s.permitCount(tx, f.ID)
		if err != nil {
			return nil, err
		}
		s.check(&v, f, modeResubmit, permits)
		if err := v.Err(); err != nil {
			return nil, err
		}
		if comment == "" {
			comment = fmt.Sprintf("已逐条答复 %d 条整改意见", len(open))
		}
		ch, err := s.submission(tx, f, ActionResubmitted, comment, now)
		if err != nil {
			return nil, err
		}
		ch.after = func(tx *gorm.DB, f *model.Filing, _ *model.FilingEvent) error {
			for _, it := range open {
				a := in.Answers[answered[it.ID]]
				res := tx.Model(&model.FilingItem{}).Where("id = ? AND status = ?", it.ID, model.FilingItemOpen).
					Updates(map[string]any{"status": model.FilingItemAnswered, "answer_note": strings.TrimSpace(a.Note),
						"answered_by_id": actor.ID, "answered_at": now})
				if err := service.Guarded(res); err != nil {
					return err
				}
				owner := photo.Owner{Type: model.OwnerFilingItem, ID: it.ID, Role: RoleAnswer, EnterpriseID: &f.EnterpriseID}
				if err := photo.Link(tx, actor, owner, a.PhotoIDs, fmt.Sprintf("answers.%d.photo_ids", answered[it.ID]), true, now); err != nil {
					return err
				}
			}
			return nil
		}
		return ch, nil
	})
}

// Start begins the approved work (the enterprise), with a photo of the site: not earlier than
// StartTolerance before the planned start, and not once the planned end has passed.
func (s *Filings) Start(ctx context.Context, actor service.Actor, id uint64, in StepInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepStart, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		comment, err := stepComment(in, "请上传开工前的现场照片")
		if err != nil {
			return nil, err
		}
		if earliest := f.PlannedStart.Add(-StartTolerance); now.Before(earliest) {
			return nil, service.Conflict("计划开始时间为 %s，最早可于 %s 开工", s.local(f.PlannedStart), s.local(earliest))
		}
		if !now.Before(f.PlannedEnd) {
			return nil, service.Conflict("计划结束时间 %s 已过，报备已失效，不能开工；请重新报备", s.local(f.PlannedEnd))
		}
		return &change{action: ActionStarted, to: model.FilingInProgress, comment: comment, set: map[string]any{"started_at": now},
			photos: &sitePhotos{ids: in.PhotoIDs}}, nil
	})
}

// Complete ends the work (the enterprise), with a photo of the site put back.
func (s *Filings) Complete(ctx context.Context, actor service.Actor, id uint64, in StepInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepComplete, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		comment, err := stepComment(in, "请上传作业结束、现场恢复后的照片")
		if err != nil {
			return nil, err
		}
		return &change{action: ActionCompleted, to: model.FilingCompleted, comment: comment, set: map[string]any{"completed_at": now},
			photos: &sitePhotos{ids: in.PhotoIDs}}, nil
	})
}

func stepComment(in StepInput, photoReason string) (string, error) {
	comment := strings.TrimSpace(in.Comment)
	var v service.Validator
	v.Text(comment, "comment", "说明", false, 500)
	v.Check(len(in.PhotoIDs) > 0, "photo_ids", photoReason)
	photoCount(&v, in.PhotoIDs, "photo_ids")
	return comment, v.Err()
}

// Cancel withdraws a filing before the work starts, with a reason: its enterprise, or the park office.
func (s *Filings) Cancel(ctx context.Context, actor service.Actor, id uint64, in CancelInput) (*Detail, error) {
	reason := strings.TrimSpace(in.Reason)
	return s.act(ctx, actor, id, in.Version, stepCancel, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		var v service.Validator
		v.Text(reason, "reason", "取消原因", true, 500)
		if err := v.Err(); err != nil {
			return nil, err
		}
		return &change{action: ActionCancelled, to: model.FilingCancelled, comment: reason, set: map[string]any{"closed_at": now}}, nil
	})
}

// OpenHazard records a hazard found while checking the filing's site (park staff), opened as a
// hazard of source filing for the filing's enterprise in the same transaction as its timeline entry.
// The location and coordinates default to the filing's.
func (s *Filings) OpenHazard(ctx context.Context, actor service.Actor, id uint64, in FindingInput) (*Detail, error) {
	f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := stepFinding.may(actor, f); err != nil {
		return nil, err
	}
	if !slices.Contains(stepFinding.from, f.Status) {
		return nil, stateConflict(f.Status, stepFinding.verb)
	}
	if strings.TrimSpace(in.Location) == "" {
		in.Location = f.Location
	}
	if in.Latitude == nil && in.Longitude == nil {
		in.Latitude, in.Longitude = f.Latitude, f.Longitude
	}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		now := s.park.Now()
		h, err := s.hazards.CreateTx(ctx, tx, actor, hazard.Input{EnterpriseID: f.EnterpriseID, Source: model.SourceFiling,
			Category: in.Category, Level: in.Level, Title: in.Title, Description: in.Description, Location: in.Location,
			Latitude: in.Latitude, Longitude: in.Longitude, Requirement: in.Requirement, Deadline: in.Deadline, PhotoIDs: in.PhotoIDs,
			OriginType: model.OriginFiling, OriginID: f.ID})
		if err != nil {
			return err
		}
		hid, code := h.ID, h.Code
		ev := model.FilingEvent{FilingID: f.ID, Action: ActionHazardOpened, FromStatus: f.Status, ToStatus: f.Status,
			ActorID: actor.ID, ActorName: actor.Name, ActorRole: actor.Role, Comment: code + " " + strings.TrimSpace(in.Title),
			HazardID: &hid, HazardCode: code, CreatedAt: now}
		return tx.Create(&ev).Error
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// ExpireDue expires the approved filings whose planned end has passed without a start, each in its
// own short transaction, and returns how many it expired.
func (s *Filings) ExpireDue(ctx context.Context) (int, error) {
	now := s.park.Now()
	n := 0
	for {
		var due []model.Filing
		err := s.db.WithContext(ctx).Where("status = ? AND planned_start < ? AND planned_end <= ?", model.FilingApproved, now, now).
			Order("planned_start, id").Limit(200).Find(&due).Error
		if err != nil || len(due) == 0 {
			return n, err
		}
		for i := range due {
			read := due[i]
			err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
				f := read
				ch := &change{action: ActionExpired, to: model.FilingExpired, set: map[string]any{"closed_at": now},
					comment: fmt.Sprintf("计划结束时间 %s 前未开工", s.local(f.PlannedEnd))}
				return s.apply(ctx, tx, systemActor, &f, ch, now, stepExpire)
			})
			var de *service.Error
			switch {
			case errors.As(err, &de) && de.Code == service.CodeConflict:
				// Started or cancelled meanwhile: not ours to expire any more.
			case err != nil:
				return n, err
			default:
				n++
			}
		}
		if len(due) < 200 {
			return n, nil
		}
	}
}

// visible loads a filing the actor may see; another enterprise's is not found.
func (s *Filings) visible(ctx context.Context, actor service.Actor, id uint64) (*model.Filing, error) {
	var f model.Filing
	err := s.db.WithContext(ctx).Scopes(actor.Scope("enterprise_id")).First(&f, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("报备")
	}
	return &f, err
}

// act runs one transition. The filing must be visible to the actor (else 404, whatever the role),
// the actor must be allowed the step (403) and the state must be one it leaves from (409 naming the
// state). plan validates the request and decides the change inside the transaction; apply then
// updates the row only if its version and status are still the ones read, so of simultaneous
// decisions exactly one wins.
func (s *Filings) act(ctx context.Context, actor service.Actor, id uint64, version *int, st step,
	plan func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error)) (*Detail, error) {
	f, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := st.may(actor, f); err != nil {
		return nil, err
	}
	if !slices.Contains(st.from, f.Status) {
		return nil, stateConflict(f.Status, st.verb)
	}
	if version != nil && *version != f.Version {
		return nil, service.ErrStale
	}
	read := *f
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		f := read // the filing as read, on every run of the transaction
		now := s.park.Now()
		ch, err := plan(tx, &f, now)
		if err != nil {
			return err
		}
		f.Status, f.Version = read.Status, read.Version
		return s.apply(ctx, tx, actor, &f, ch, now, st)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// apply writes ch to f inside tx: the guarded update of the row (status and version as f has them),
// the timeline entry with its photos, the change's own rows and the notices.
func (s *Filings) apply(ctx context.Context, tx *gorm.DB, actor service.Actor, f *model.Filing, ch *change, now time.Time, st step) error {
	set := map[string]any{"status": ch.to, "version": gorm.Expr("version + 1"), "updated_at": now}
	for k, v := range ch.set {
		set[k] = v
	}
	from := f.Status
	res := tx.Model(&model.Filing{}).Where("id = ? AND version = ? AND status = ?", f.ID, f.Version, f.Status).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return lostRace(tx, f.ID, st)
	}
	if err := tx.First(f, f.ID).Error; err != nil {
		return err
	}
	ev, err := s.event(tx, f, ch.action, from, actor, ch.comment, now)
	if err != nil {
		return err
	}
	if ch.photos != nil {
		owner := photo.Owner{Type: model.OwnerFilingEvent, ID: ev.ID, Role: RoleSite, EnterpriseID: &f.EnterpriseID}
		if err := photo.Link(tx, actor, owner, ch.photos.ids, "photo_ids", true, now); err != nil {
			return err
		}
	}
	if ch.after != nil {
		if err := ch.after(tx, f, ev); err != nil {
			return err
		}
	}
	return s.tell(ctx, tx, f, ev, actor)
}

// event appends a timeline entry.
func (s *Filings) event(tx *gorm.DB, f *model.Filing, action, from string, actor service.Actor, comment string, now time.Time) (*model.FilingEvent, error) {
	ev := model.FilingEvent{FilingID: f.ID, Action: action, FromStatus: from, ToStatus: f.Status, ActorID: actor.ID,
		ActorName: actor.Name, ActorRole: actor.Role, Comment: comment, CreatedAt: now}
	return &ev, tx.Create(&ev).Error
}

// lostRace explains why the guarded update changed nothing: someone else moved the filing first.
func lostRace(tx *gorm.DB, id uint64, st step) error {
	var cur model.Filing
	q := tx
	if tx.Dialector.Name() == "mysql" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"}) // the latest committed row, not this transaction's snapshot
	}
	if err := q.Select("id", "status").First(&cur, id).Error; err != nil {
		return err
	}
	if slices.Contains(st.from, cur.Status) {
		return service.ErrStale
	}
	return stateConflict(cur.Status, st.verb)
}

// stateConflict is the 409 for a step the current state does not allow.
func stateConflict(status, verb string) error {
	return service.Conflict("报备当前状态为“%s”，不能%s", StatusLabels[status], verb)
}

// local formats an instant in the park's zone for messages.
func (s *Filings) local(t time.Time) string { return t.In(s.park.Loc).Format("2006-01-02 15:04") }

// truncate cuts s to at most n characters, marking a cut with an ellipsis.
func truncate(s string, n int) string {
	if cut := service.TruncateRunes(s, n); cut != s {
		return cut + "…"
	}
	return s
}
