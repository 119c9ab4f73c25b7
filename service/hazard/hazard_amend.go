package hazard

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
)

// ActionAmended is the timeline action of a correction made through the hazard's origin record.
const ActionAmended = "amended"

// AmendTx applies a correction from the hazard's origin record inside tx. Only a hazard still waiting
// for rectification can be corrected: once the enterprise has acted, the record is history (409).
// The change is guarded by version and status like every transition, goes on the timeline, and is
// told to the observer.
func (s *Service) AmendTx(ctx context.Context, tx *gorm.DB, actor service.Actor, id uint64, in Amendment) error {
	var h model.Hazard
	if err := tx.First(&h, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return service.NotFound("隐患")
		}
		return err
	}
	if h.Status != model.HazardPendingRectify {
		return service.Conflict("隐患 %s 已进入整改流程（%s），不能再更正", h.Code, StatusLabels[h.Status])
	}
	now := s.park.Now()
	ch := &change{action: ActionAmended, to: h.Status, comment: in.Comment, set: map[string]any{}}
	var v service.Validator
	if in.Void {
		ch.action, ch.to = ActionVoided, model.HazardVoid
	}
	if in.Description != nil {
		v.Text(*in.Description, "description", "隐患描述", true, 2000)
		ch.set["description"] = *in.Description
	}
	if in.Deadline != nil {
		if at, ok := s.deadline(&v, *in.Deadline, "deadline", s.park.DateOf(h.CreatedAt)); ok {
			ch.set["deadline"], ch.set["deadline_at"] = *in.Deadline, at
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	before := h
	err := s.update(ctx, tx, &h, ch, actor, now, func() error { return service.Conflict("隐患 %s 刚刚被他人处理，请刷新后重试", h.Code) })
	if err != nil || in.Description == nil {
		return err
	}
	after := before
	after.Description = *in.Description
	return reindexText(tx, before, after)
}

// cancelPendingExtensions withdraws a pending deadline request of a hazard that became final.
func cancelPendingExtensions(tx *gorm.DB, hazardID uint64, now time.Time) error {
	return tx.Model(&model.HazardExtension{}).Where("hazard_id = ? AND status = ?", hazardID, model.ExtensionPending).
		Updates(map[string]any{"status": model.ExtensionCancelled, "decided_at": now}).Error
}
