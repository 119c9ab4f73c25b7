package filing

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/notify"
)

// Notification events of filings; notify keeps their labels with every other event's, and the page
// their links open.
const (
	EventReview   = notify.EventFilingReview
	EventDecision = notify.EventFilingDecision
	EventProgress = notify.EventFilingProgress
)

// tell notifies the people on the other side of a step, inside the step's transaction: whoever must
// act next, and whoever the step concerns. The actor is never told of its own step.
func (s *Filings) tell(ctx context.Context, tx *gorm.DB, f *model.Filing, ev *model.FilingEvent, actor service.Actor) error {
	if s.notifier == nil {
		return nil
	}
	link := "filing:" + strconv.FormatUint(f.ID, 10)
	what := fmt.Sprintf("%s %s（%s）", f.Code, f.Title, KindText(f))
	when := s.local(f.PlannedStart) + " 至 " + s.local(f.PlannedEnd)
	send := func(users []uint64, event, title, body string) error {
		var to []uint64
		for _, u := range users {
			if u != actor.ID && u != 0 {
				to = append(to, u)
			}
		}
		if len(to) == 0 {
			return nil
		}
		return s.notifier.Notify(ctx, tx, to, notify.Notice{Event: event, Title: title, Body: body, Link: link, Occurrence: strconv.FormatUint(ev.ID, 10)})
	}
	reviewer := func() []uint64 {
		if f.ReviewerID == nil {
			return nil
		}
		return []uint64{*f.ReviewerID}
	}
	company := func() (string, error) {
		var ent model.Enterprise
		err := tx.Select("id", "name").First(&ent, f.EnterpriseID).Error
		return ent.Name, err
	}
	switch ev.Action {
	case ActionSubmitted, ActionResubmitted, ActionAssigned:
		name, err := company()
		if err != nil {
			return err
		}
		if f.ReviewerID != nil {
			return send(reviewer(), EventReview, "报备待审核", fmt.Sprintf("%s %s，计划 %s，请现场核查并审核。", name, what, when))
		}
		admins, err := s.admins(tx)
		if err != nil {
			return err
		}
		return send(admins, EventReview, "报备待指派审核人", fmt.Sprintf("%s %s 已提交，尚无审核人，请指派。", name, what))
	case ActionReviewPassed:
		name, err := company()
		if err != nil {
			return err
		}
		admins, err := s.admins(tx)
		if err != nil {
			return err
		}
		if err := send(admins, EventReview, "报备待园区审批", fmt.Sprintf("%s %s 已通过%s审核，计划 %s，请审批。", name, what, actor.Name, when)); err != nil {
			return err
		}
		return s.tellEnterprise(tx, f, send, "报备已通过审核，待园区审批", what+" 已通过审核，正在等待园区管理办公室审批。")
	case ActionChangesRequested:
		return s.tellEnterprise(tx, f, send, "报备需整改",
			fmt.Sprintf("%s：%s提出整改意见，请逐条整改并上传照片后重新提交。%s", what, actor.Name, ev.Comment))
	case ActionApproved:
		if err := s.tellEnterprise(tx, f, send, "报备已批准",
			fmt.Sprintf("%s 已批准，可于 %s 起开工（最早提前 %d 分钟），开工时请上传现场照片。", what, s.local(f.PlannedStart), int(StartTolerance.Minutes()))); err != nil {
			return err
		}
		return send(reviewer(), EventProgress, "报备已批准", what+" 已由园区管理办公室批准。")
	case ActionStarted:
		return send(reviewer(), EventProgress, "作业已开工", fmt.Sprintf("%s 已开工，计划 %s 结束。", what, s.local(f.PlannedEnd)))
	case ActionCompleted:
		return send(reviewer(), EventProgress, "作业已完工", what+" 已完工，现场已恢复。")
	case ActionCancelled:
		if err := send(reviewer(), EventProgress, "报备已取消", what+" 已取消："+ev.Comment); err != nil {
			return err
		}
		if actor.IsEnterprise() {
			return nil
		}
		return s.tellEnterprise(tx, f, send, "报备已被取消", what+" 已被园区管理办公室取消："+ev.Comment)
	case ActionExpired:
		if err := send(reviewer(), EventProgress, "报备已过期", what+" 在计划结束前未开工，已过期。"); err != nil {
			return err
		}
		return s.tellEnterprise(tx, f, send, "报备已过期", what+" 在计划结束前未开工，已过期；如仍需作业，请重新报备。")
	}
	return nil
}

// tellEnterprise sends a decision to every active user of the filing's enterprise.
func (s *Filings) tellEnterprise(tx *gorm.DB, f *model.Filing, send func([]uint64, string, string, string) error, title, body string) error {
	var ids []uint64
	err := tx.Model(&model.User{}).Where("role = ? AND enterprise_id = ? AND status = ?", model.RoleEnterprise, f.EnterpriseID, model.StatusActive).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return err
	}
	return send(ids, EventDecision, title, body)
}

// admins returns the ids of the active park office accounts.
func (s *Filings) admins(tx *gorm.DB) ([]uint64, error) {
	var ids []uint64
	err := tx.Model(&model.User{}).Where("role = ? AND status = ?", model.RoleAdmin, model.StatusActive).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// KindText is a filing's kind with its grade, e.g. 动火作业·特级.
func KindText(f *model.Filing) string {
	if g := GradeLabel(f.Kind, f.Grade); g != "" {
		return KindLabels[f.Kind] + "·" + g
	}
	return KindLabels[f.Kind]
}
