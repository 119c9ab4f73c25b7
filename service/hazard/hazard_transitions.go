package hazard

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/photo"
)

// Timeline actions, also the action names the Observer hears.
const (
	ActionCreated                = "created"
	ActionRectificationSubmitted = "rectification_submitted"
	ActionVerified               = "verified"
	ActionVerifyRejected         = "verify_rejected"
	ActionApproved               = "approved"
	ActionApprovalRejected       = "approval_rejected"
	ActionVoided                 = "voided"
	ActionExtensionRequested     = "extension_requested"
	ActionExtensionApproved      = "extension_approved"
	ActionExtensionRejected      = "extension_rejected"
)

// ActionLabels maps each timeline action to its Chinese label.
var ActionLabels = map[string]string{
	ActionCreated:                "上报隐患",
	ActionRectificationSubmitted: "提交整改",
	ActionVerified:               "验收通过",
	ActionVerifyRejected:         "验收驳回",
	ActionApproved:               "审批销号",
	ActionApprovalRejected:       "审批驳回",
	ActionVoided:                 "作废",
	ActionAmended:                "更正",
	ActionExtensionRequested:     "申请延期",
	ActionExtensionApproved:      "同意延期",
	ActionExtensionRejected:      "驳回延期",
}

// RectificationInput is an enterprise's report that a hazard is put right.
type RectificationInput struct {
	Description string
	PhotoIDs    []uint64
	Version     *int
}

// DecisionInput approves or rejects (verification, approval, extension decision); a rejection needs
// a comment.
type DecisionInput struct {
	Approved *bool
	Comment  string
	Version  *int
}

// VoidInput voids a hazard reported by mistake or twice.
type VoidInput struct {
	Reason      string
	DuplicateOf *uint64
	Version     *int
}

// ExtensionInput asks for a later deadline.
type ExtensionInput struct {
	Deadline string
	Reason   string
	Version  *int
}

// step describes one transition: the verb naming it in refusals, the states it leaves from and the
// roles that may take it.
type step struct {
	verb  string
	from  []string
	roles []string
}

// change is what a transition does: the timeline action, the new status, the comment on the
// timeline, extra columns to set on the hazard, and rows to write once the hazard row is won.
type change struct {
	action  string
	to      string
	comment string
	set     map[string]any
	after   func(tx *gorm.DB, h *model.Hazard) error
}

var (
	stepRectify        = step{"提交整改", []string{model.HazardPendingRectify}, []string{model.RoleEnterprise}}
	stepVerify         = step{"验收", []string{model.HazardPendingVerify}, []string{model.RoleAdmin, model.RoleInspector}}
	stepApprove        = step{"审批销号", []string{model.HazardPendingApproval}, []string{model.RoleAdmin}}
	stepVoid           = step{"作废", []string{model.HazardPendingRectify}, []string{model.RoleAdmin, model.RoleInspector}}
	stepRequestExtend  = step{"申请延期", []string{model.HazardPendingRectify}, []string{model.RoleEnterprise}}
	stepDecideExtend   = step{"审批延期", openStatuses, []string{model.RoleAdmin, model.RoleInspector}}
	errApprovedMissing = service.Invalid("approved", "请选择通过（true）或驳回（false）")
)

// SubmitRectification records the enterprise's rectification with ≥1 after-photo and hands the
// hazard over for verification. Only a user of the hazard's enterprise may do it.
func (s *Service) SubmitRectification(ctx context.Context, actor service.Actor, id uint64, in RectificationInput) (*Detail, error) {
	desc := strings.TrimSpace(in.Description)
	return s.act(ctx, actor, id, in.Version, stepRectify, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		var v service.Validator
		v.Text(desc, "description", "整改情况", true, 2000)
		v.Check(len(in.PhotoIDs) > 0, "photo_ids", "请至少上传一张整改后照片")
		if err := v.Err(); err != nil {
			return nil, err
		}
		return &change{action: ActionRectificationSubmitted, to: model.HazardPendingVerify, comment: desc,
			after: func(tx *gorm.DB, h *model.Hazard) error {
				r := model.Rectification{HazardID: h.ID, Description: desc, SubmitterID: actor.ID, CreatedAt: now}
				if err := tx.Create(&r).Error; err != nil {
					return err
				}
				ent := h.EnterpriseID
				owner := photo.Owner{Type: photoOwnerRectification, ID: r.ID, Role: photoRoleAfter, EnterpriseID: &ent}
				return photo.Link(tx, actor, owner, in.PhotoIDs, "photo_ids", true, now)
			}}, nil
	})
}

// Verify is the on-site verification (inspector or admin). Approved, a general hazard is closed out
// and a major one goes to the park office for approval; rejected (comment required), it goes back to
// the enterprise and its reject count rises.
func (s *Service) Verify(ctx context.Context, actor service.Actor, id uint64, in DecisionInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepVerify, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		comment, err := checkDecision(in, "验收驳回")
		if err != nil {
			return nil, err
		}
		switch {
		case !*in.Approved:
			return reject(ActionVerifyRejected, comment), nil
		case h.Level == model.LevelMajor:
			return &change{action: ActionVerified, to: model.HazardPendingApproval, comment: comment}, nil
		default:
			return &change{action: ActionVerified, to: model.HazardClosed, comment: comment, set: map[string]any{"closed_at": now}}, nil
		}
	})
}

// Approve is the park office's decision on closing a verified major hazard (admin only).
func (s *Service) Approve(ctx context.Context, actor service.Actor, id uint64, in DecisionInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepApprove, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		comment, err := checkDecision(in, "审批驳回")
		if err != nil {
			return nil, err
		}
		if !*in.Approved {
			return reject(ActionApprovalRejected, comment), nil
		}
		return &change{action: ActionApproved, to: model.HazardClosed, comment: comment, set: map[string]any{"closed_at": now}}, nil
	})
}

// Void cancels a hazard reported by mistake or twice (inspector or admin); duplicate_of, when
// given, must name another hazard that is not void itself.
func (s *Service) Void(ctx context.Context, actor service.Actor, id uint64, in VoidInput) (*Detail, error) {
	reason := strings.TrimSpace(in.Reason)
	return s.act(ctx, actor, id, in.Version, stepVoid, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		var v service.Validator
		v.Text(reason, "reason", "作废原因", true, 500)
		ch := &change{action: ActionVoided, to: model.HazardVoid, comment: reason}
		if in.DuplicateOf != nil {
			dup := *in.DuplicateOf
			var other model.Hazard
			err := tx.Scopes(actor.Scope("enterprise_id")).Select("id", "code", "status").First(&other, dup).Error
			switch {
			case dup == h.ID:
				v.Add("duplicate_of", "不能标记为与自身重复")
			case errors.Is(err, gorm.ErrRecordNotFound):
				v.Add("duplicate_of", "重复的隐患不存在")
			case err != nil:
				return nil, err
			case other.Status == model.HazardVoid:
				v.Add("duplicate_of", "重复的隐患已作废，请选择有效的隐患")
			default:
				ch.set = map[string]any{"duplicate_of": dup}
				ch.comment = reason + "（与 " + other.Code + " 重复）"
			}
		}
		return ch, v.Err()
	})
}

// RequestExtension asks for a later deadline (the hazard's enterprise, while it waits for
// rectification); one request may be pending at a time.
func (s *Service) RequestExtension(ctx context.Context, actor service.Actor, id uint64, in ExtensionInput) (*Detail, error) {
	reason, day := strings.TrimSpace(in.Reason), strings.TrimSpace(in.Deadline)
	return s.act(ctx, actor, id, in.Version, stepRequestExtend, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		var v service.Validator
		v.Text(reason, "reason", "延期原因", true, 500)
		if _, ok := s.deadline(&v, day, "deadline", s.park.Today()); ok {
			v.Check(day > h.Deadline, "deadline", "新的整改期限应晚于当前期限 "+h.Deadline)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		var pending int64
		if err := tx.Model(&model.HazardExtension{}).Where("hazard_id = ? AND status = ?", h.ID, model.ExtensionPending).Count(&pending).Error; err != nil {
			return nil, err
		}
		if pending > 0 {
			return nil, service.Conflict("该隐患已有待审批的延期申请，请等待审批结果")
		}
		return &change{action: ActionExtensionRequested, to: h.Status, comment: "申请延期至 " + day + "：" + reason,
			after: func(tx *gorm.DB, h *model.Hazard) error {
				return tx.Create(&model.HazardExtension{HazardID: h.ID, OldDeadline: h.Deadline, NewDeadline: day, Reason: reason,
					RequesterID: actor.ID, Status: model.ExtensionPending, CreatedAt: now}).Error
			}}, nil
	})
}

// DecideExtension approves or rejects the pending extension request (inspector or admin); approved,
// the hazard's deadline moves.
func (s *Service) DecideExtension(ctx context.Context, actor service.Actor, id uint64, in DecisionInput) (*Detail, error) {
	return s.act(ctx, actor, id, in.Version, stepDecideExtend, func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error) {
		comment, err := checkDecision(in, "驳回延期")
		if err != nil {
			return nil, err
		}
		var ext model.HazardExtension
		err = tx.Where("hazard_id = ? AND status = ?", h.ID, model.ExtensionPending).Order("id").First(&ext).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, service.Conflict("该隐患没有待审批的延期申请")
		} else if err != nil {
			return nil, err
		}
		ch := &change{action: ActionExtensionRejected, to: h.Status, comment: comment}
		status := model.ExtensionRejected
		if *in.Approved {
			day, _ := s.park.ParseDate(ext.NewDeadline)
			status = model.ExtensionApproved
			ch.action = ActionExtensionApproved
			ch.comment = strings.TrimSpace("同意延期至 " + ext.NewDeadline + " " + comment)
			ch.set = map[string]any{"deadline": ext.NewDeadline, "deadline_at": s.park.EndOfDay(day)}
		}
		ch.after = func(tx *gorm.DB, h *model.Hazard) error {
			return tx.Model(&model.HazardExtension{}).Where("id = ? AND status = ?", ext.ID, model.ExtensionPending).
				Updates(map[string]any{"status": status, "decider_id": actor.ID, "comment": comment, "decided_at": now}).Error
		}
		return ch, nil
	})
}

// checkDecision checks an approve/reject request: approved must be given, and a rejection needs a comment.
func checkDecision(in DecisionInput, what string) (string, error) {
	comment := strings.TrimSpace(in.Comment)
	var v service.Validator
	if in.Approved == nil {
		return "", errApprovedMissing
	}
	if !*in.Approved {
		v.Check(comment != "", "comment", "请填写"+what+"的理由")
	}
	v.Text(comment, "comment", "意见", false, 500)
	return comment, v.Err()
}

// reject sends a hazard back to the enterprise, counting the rejection.
func reject(action, comment string) *change {
	return &change{action: action, to: model.HazardPendingRectify, comment: comment,
		set: map[string]any{"reject_count": gorm.Expr("reject_count + 1")}}
}

// act runs one transition. The hazard must be visible to the actor (else 404, whatever the role, so
// that another enterprise learns nothing), the actor's role must allow the step (403) and the state
// must be one the step leaves from (409 naming the state). plan validates the request and decides
// the change inside the transaction; the hazard row is then updated only if its version and status
// are still the ones read, so of simultaneous actions exactly one wins and writes its timeline entry.
func (s *Service) act(ctx context.Context, actor service.Actor, id uint64, version *int, st step,
	plan func(tx *gorm.DB, h *model.Hazard, now time.Time) (*change, error)) (*Detail, error) {
	var h model.Hazard
	err := s.db.WithContext(ctx).Scopes(actor.Scope("enterprise_id")).First(&h, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("隐患")
	} else if err != nil {
		return nil, err
	}
	if err := actor.Require(st.roles...); err != nil {
		return nil, err
	}
	if !slices.Contains(st.from, h.Status) {
		return nil, stateConflict(h.Status, st.verb)
	}
	if version != nil && *version != h.Version {
		return nil, service.ErrStale
	}
	read := h
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		h := read // the hazard as read before, on every run
		now := s.park.Now()
		ch, err := plan(tx, &h, now)
		if err != nil {
			return err
		}
		return s.update(ctx, tx, &h, ch, actor, now, func() error { return s.lostRace(tx, h.ID, st) })
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// update writes ch to h inside tx: the hazard row only if its version and status are still those
// of h (else lost explains who came first), then ch's own rows, the withdrawal of a pending
// extension of a hazard that became final, and the timeline entry. Every change of an existing
// hazard, a transition or a correction, goes through it.
func (s *Service) update(ctx context.Context, tx *gorm.DB, h *model.Hazard, ch *change, actor service.Actor, now time.Time, lost func() error) error {
	set := map[string]any{"status": ch.to, "version": gorm.Expr("version + 1"), "updated_at": now}
	maps.Copy(set, ch.set)
	res := tx.Model(&model.Hazard{}).Where("id = ? AND version = ? AND status = ?", h.ID, h.Version, h.Status).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return lost()
	}
	from := h.Status
	if err := tx.First(h, h.ID).Error; err != nil {
		return err
	}
	if ch.after != nil {
		if err := ch.after(tx, h); err != nil {
			return err
		}
	}
	if ch.to == model.HazardClosed || ch.to == model.HazardVoid {
		// A final hazard has no deadline left to move.
		if err := cancelPendingExtensions(tx, h.ID, now); err != nil {
			return err
		}
	}
	return s.appendEvent(ctx, tx, h, ch.action, from, actor, ch.comment, now)
}

// lostRace explains why the guarded update changed nothing: someone else moved the hazard first.
func (s *Service) lostRace(tx *gorm.DB, id uint64, st step) error {
	var cur model.Hazard
	q := tx
	if tx.Dialector.Name() == "mysql" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"}) // the latest committed row, not this transaction's snapshot
	}
	if err := q.Select("id", "status").First(&cur, id).Error; err != nil {
		return err
	}
	if slices.Contains(st.from, cur.Status) {
		return service.ErrStale // same state, but someone else changed the hazard meanwhile
	}
	return stateConflict(cur.Status, st.verb)
}

// stateConflict is the 409 for a transition the current state does not allow.
func stateConflict(status, verb string) error {
	return service.Conflict("隐患当前状态为“%s”，不能%s", StatusLabels[status], verb)
}

// appendEvent appends a timeline entry and tells the observer, inside tx.
func (s *Service) appendEvent(ctx context.Context, tx *gorm.DB, h *model.Hazard, action, from string, actor service.Actor, comment string, now time.Time) error {
	ev := model.HazardEvent{HazardID: h.ID, Action: action, FromStatus: from, ToStatus: h.Status, ActorID: actor.ID,
		ActorName: actor.Name, ActorRole: actor.Role, Comment: comment, CreatedAt: now}
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	// Every hazard write passes here, so this is where the statistics' tallies follow it.
	if err := s.countChange(tx, h, from); err != nil {
		return err
	}
	if s.observer == nil {
		return nil
	}
	return s.observer.HazardChanged(ctx, tx, h, action, actor)
}
