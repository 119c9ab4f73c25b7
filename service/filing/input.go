package filing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/photo"
)

// Input is a new filing. PlannedStart and PlannedEnd are RFC 3339 instants. Submit files it at once
// (one request from a phone's outbox) instead of keeping it as a draft.
type Input struct {
	Kind                 string
	Grade                string
	Title                string
	Location             string
	Latitude             *float64
	Longitude            *float64
	PlannedStart         string
	PlannedEnd           string
	Content              string
	HazardIdentification string
	SafetyMeasures       string
	ResponsibleName      string
	ResponsibleMobile    string
	WatcherName          string
	WatcherMobile        string
	Contractor           *Contractor
	PermitPhotoIDs       []uint64
	AttachmentPhotoIDs   []uint64
	Submit               bool
}

// Contractor is the contractor doing the work: required for contractor projects.
type Contractor struct {
	Name          string
	USCC          string
	Workers       int
	Manager       string
	ManagerMobile string
}

// Patch changes a draft, or a filing whose changes were requested; nil fields stay as they are. A
// non-nil photo list replaces that role's photos (empty removes them). Clearing the contractor takes
// an empty Contractor.
type Patch struct {
	Kind                 *string
	Grade                *string
	Title                *string
	Location             *string
	Latitude             *float64
	Longitude            *float64
	ClearCoordinates     bool
	PlannedStart         *string
	PlannedEnd           *string
	Content              *string
	HazardIdentification *string
	SafetyMeasures       *string
	ResponsibleName      *string
	ResponsibleMobile    *string
	WatcherName          *string
	WatcherMobile        *string
	Contractor           *Contractor
	PermitPhotoIDs       []uint64
	AttachmentPhotoIDs   []uint64
	Version              *int
}

// checkMode says how complete a filing must be and which of its times must still lie ahead.
type checkMode int

const (
	// modeDraft checks form and consistency only: what a draft may hold.
	modeDraft checkMode = iota
	// modeCreate is a new draft, which must be planned ahead.
	modeCreate
	// modeSubmit is a first submission: complete, and planned ahead.
	modeSubmit
	// modeResubmit is a submission after changes: complete, and not already over.
	modeResubmit
)

// fieldLabels name the fields of a filing in Chinese, for the timeline of an edit.
var fieldLabels = []struct{ column, label string }{
	{"kind", "报备类型"}, {"grade", "作业级别"}, {"title", "名称"}, {"location", "作业地点"}, {"latitude", "坐标"}, {"longitude", "坐标"},
	{"planned_start", "计划开始时间"}, {"planned_end", "计划结束时间"}, {"content", "作业内容"},
	{"hazard_identification", "危险辨识"}, {"safety_measures", "安全措施"}, {"responsible_name", "作业负责人"},
	{"responsible_mobile", "作业负责人电话"}, {"watcher_name", "监护人"}, {"watcher_mobile", "监护人电话"},
	{"contractor_name", "承包商"}, {"contractor_uscc", "承包商信用代码"}, {"contractor_workers", "作业人数"},
	{"contractor_manager", "承包商现场负责人"}, {"contractor_manager_mobile", "承包商现场负责人电话"},
}

// columns are the filing's editable columns with their values, as an update writes them.
func columns(f *model.Filing) map[string]any {
	return map[string]any{
		"kind": f.Kind, "grade": f.Grade, "title": f.Title, "location": f.Location, "latitude": f.Latitude, "longitude": f.Longitude,
		"planned_start": f.PlannedStart, "planned_end": f.PlannedEnd, "content": f.Content,
		"hazard_identification": f.HazardIdentification, "safety_measures": f.SafetyMeasures,
		"responsible_name": f.ResponsibleName, "responsible_mobile": f.ResponsibleMobile,
		"watcher_name": f.WatcherName, "watcher_mobile": f.WatcherMobile,
		"contractor_name": f.ContractorName, "contractor_uscc": f.ContractorUSCC, "contractor_workers": f.ContractorWorkers,
		"contractor_manager": f.ContractorManager, "contractor_manager_mobile": f.ContractorManagerMobile,
		"needs_admin": f.NeedsAdmin,
	}
}

// instant parses an RFC 3339 field into *dst, recording a reason on v when it cannot.
func instant(v *service.Validator, s, field, label string, dst *time.Time) {
	s = strings.TrimSpace(s)
	if s == "" {
		v.Add(field, "请填写"+label)
		return
	}
	t, ok := service.ParseInstant(s)
	if !ok {
		v.Add(field, label+"格式应为 RFC 3339，例如 2026-12-03T08:00:00+08:00")
		return
	}
	*dst = t
}

func (c *Contractor) trim() {
	c.Name, c.USCC = strings.TrimSpace(c.Name), strings.ToUpper(strings.TrimSpace(c.USCC))
	c.Manager, c.ManagerMobile = strings.TrimSpace(c.Manager), strings.TrimSpace(c.ManagerMobile)
}

func setContractor(f *model.Filing, c *Contractor) {
	if c == nil {
		c = &Contractor{}
	}
	c.trim()
	f.ContractorName, f.ContractorUSCC, f.ContractorWorkers = c.Name, c.USCC, c.Workers
	f.ContractorManager, f.ContractorManagerMobile = c.Manager, c.ManagerMobile
}

// build fills a new filing from in.
func build(f *model.Filing, in *Input, v *service.Validator) {
	f.Kind, f.Grade, f.Title = strings.TrimSpace(in.Kind), strings.TrimSpace(in.Grade), strings.TrimSpace(in.Title)
	f.Location, f.Latitude, f.Longitude = strings.TrimSpace(in.Location), in.Latitude, in.Longitude
	f.Content, f.HazardIdentification = strings.TrimSpace(in.Content), strings.TrimSpace(in.HazardIdentification)
	f.SafetyMeasures = strings.TrimSpace(in.SafetyMeasures)
	f.ResponsibleName, f.ResponsibleMobile = strings.TrimSpace(in.ResponsibleName), strings.TrimSpace(in.ResponsibleMobile)
	f.WatcherName, f.WatcherMobile = strings.TrimSpace(in.WatcherName), strings.TrimSpace(in.WatcherMobile)
	setContractor(f, in.Contractor)
	instant(v, in.PlannedStart, "planned_start", "计划开始时间", &f.PlannedStart)
	instant(v, in.PlannedEnd, "planned_end", "计划结束时间", &f.PlannedEnd)
}

// patch applies p to f.
func patch(f *model.Filing, p *Patch, v *service.Validator) {
	str := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	str(&f.Kind, p.Kind)
	str(&f.Grade, p.Grade)
	str(&f.Title, p.Title)
	str(&f.Location, p.Location)
	str(&f.Content, p.Content)
	str(&f.HazardIdentification, p.HazardIdentification)
	str(&f.SafetyMeasures, p.SafetyMeasures)
	str(&f.ResponsibleName, p.ResponsibleName)
	str(&f.ResponsibleMobile, p.ResponsibleMobile)
	str(&f.WatcherName, p.WatcherName)
	str(&f.WatcherMobile, p.WatcherMobile)
	if p.Latitude != nil {
		f.Latitude = p.Latitude
	}
	if p.Longitude != nil {
		f.Longitude = p.Longitude
	}
	if p.ClearCoordinates {
		f.Latitude, f.Longitude = nil, nil
	}
	if p.Contractor != nil {
		setContractor(f, p.Contractor)
	}
	if p.PlannedStart != nil {
		instant(v, *p.PlannedStart, "planned_start", "计划开始时间", &f.PlannedStart)
	}
	if p.PlannedEnd != nil {
		instant(v, *p.PlannedEnd, "planned_end", "计划结束时间", &f.PlannedEnd)
	}
}

// check validates f for mode, with permits permit photos attached; every problem is recorded on v.
// It also sets NeedsAdmin from the kind and grade.
func (s *Filings) check(v *service.Validator, f *model.Filing, mode checkMode, permits int) {
	full := mode == modeSubmit || mode == modeResubmit
	if _, ok := KindLabels[f.Kind]; !ok {
		v.Add("kind", "报备类型不正确，应为 "+strings.Join(Kinds, "、")+" 之一")
	} else if grades := Grades(f.Kind); grades == nil {
		v.Check(f.Grade == "", "grade", KindLabels[f.Kind]+"不分级，请不要填写级别")
	} else if _, ok := grades[f.Grade]; !ok {
		v.Add("grade", KindLabels[f.Kind]+"请选择级别："+gradeChoices(f.Kind))
	}
	f.NeedsAdmin = NeedsAdmin(f.Kind, f.Grade)
	v.Text(f.Title, "title", "报备名称", true, 128)
	v.Text(f.Location, "location", "作业地点", full, 255)
	if (f.Latitude == nil) != (f.Longitude == nil) {
		v.Add("latitude", "经纬度应同时填写或同时留空")
	} else if f.Latitude != nil {
		v.Check(*f.Latitude >= -90 && *f.Latitude <= 90 && !math.IsNaN(*f.Latitude), "latitude", "纬度应在 -90 到 90 之间")
		v.Check(*f.Longitude >= -180 && *f.Longitude <= 180 && !math.IsNaN(*f.Longitude), "longitude", "经度应在 -180 到 180 之间")
	}
	v.Text(f.Content, "content", "作业内容", full, 2000)
	v.Text(f.HazardIdentification, "hazard_identification", "危险有害因素辨识", full, 2000)
	v.Text(f.SafetyMeasures, "safety_measures", "安全措施", full, 4000)
	v.Text(f.ResponsibleName, "responsible_name", "作业负责人", full, 64)
	v.Mobile(f.ResponsibleMobile, "responsible_mobile", "作业负责人电话", full)
	v.Text(f.WatcherName, "watcher_name", "监护人", full, 64)
	v.Mobile(f.WatcherMobile, "watcher_mobile", "监护人电话", full)

	contractor := f.Kind == KindContractor
	if given := f.ContractorName != "" || f.ContractorUSCC != "" || f.ContractorWorkers != 0 || f.ContractorManager != "" || f.ContractorManagerMobile != ""; contractor || given {
		required := full || given
		v.Text(f.ContractorName, "contractor.name", "承包商名称", required, 128)
		if f.ContractorUSCC != "" || required {
			v.Check(service.ValidUSCC(f.ContractorUSCC), "contractor.uscc", "承包商统一社会信用代码应为 18 位且校验位正确")
		}
		if f.ContractorWorkers != 0 || required {
			v.Check(f.ContractorWorkers >= 1 && f.ContractorWorkers <= 10000, "contractor.workers", "作业人数应在 1 到 10000 之间")
		}
		v.Text(f.ContractorManager, "contractor.manager", "承包商现场负责人", required, 64)
		v.Mobile(f.ContractorManagerMobile, "contractor.manager_mobile", "承包商现场负责人电话", required)
	}

	now := s.park.Now()
	if !v.Has("planned_start") && !v.Has("planned_end") {
		switch {
		case !f.PlannedEnd.After(f.PlannedStart):
			v.Add("planned_end", "计划结束时间应晚于计划开始时间")
		case f.PlannedEnd.Sub(f.PlannedStart) > maxSpan:
			v.Add("planned_end", "计划作业时间不能超过一年")
		case f.PlannedStart.After(now.Add(maxAhead)):
			v.Add("planned_start", "计划开始时间不能晚于一年后")
		case (mode == modeCreate || mode == modeSubmit) && !f.PlannedStart.After(now):
			v.Add("planned_start", "报备应在作业开始前提交，计划开始时间已过，请修改")
		case mode == modeResubmit && !f.PlannedEnd.After(now):
			v.Add("planned_end", "计划结束时间已过，请修改计划时间后再提交")
		}
	}
	if full && GroupOf(f.Kind) == GroupSpecialOperation && !v.Has("kind") {
		v.Check(permits > 0, "permit_photo_ids", "特殊作业请上传作业票照片")
	}
}

func gradeChoices(kind string) string {
	var out []string
	for _, g := range []string{GradeSpecial, GradeLevel1, GradeLevel2, GradeLevel3, GradeLevel4} {
		if l, ok := gradeLabels[kind][g]; ok {
			out = append(out, g+"（"+l+"）")
		}
	}
	return strings.Join(out, "、")
}

// activeEnterprise refuses filings of an enterprise the park has deactivated.
func (s *Filings) activeEnterprise(ctx context.Context, id uint64) error {
	var ent model.Enterprise
	err := s.db.WithContext(ctx).Select("id", "status").First(&ent, id).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return service.NotFound("企业")
	case err != nil:
		return err
	case ent.Status != model.StatusActive:
		return service.Forbidden("企业已停用，不能报备")
	}
	return nil
}

// photoCount refuses more photos than a record may carry before anything is written.
func photoCount(v *service.Validator, ids []uint64, field string) {
	seen := make(map[uint64]struct{}, len(ids))
	for _, id := range ids {
		seen[id] = struct{}{}
	}
	v.Check(len(seen) <= photo.MaxPerRecord, field, fmt.Sprintf("照片不能超过 %d 张", photo.MaxPerRecord))
}

// Create records a new filing of the actor's enterprise (enterprise users only), as a draft or, with
// Submit, submitted at once. Its code is drawn in the same transaction, so a refused filing uses none.
func (s *Filings) Create(ctx context.Context, actor service.Actor, in Input) (*Detail, error) {
	if !actor.IsEnterprise() || actor.EnterpriseID == 0 {
		return nil, service.Forbidden("安全生产报备由企业用户填报")
	}
	now := s.park.Now()
	read := model.Filing{EnterpriseID: actor.EnterpriseID, CreatedByID: actor.ID, Status: model.FilingDraft, Version: 1}
	var v service.Validator
	build(&read, &in, &v)
	mode := modeCreate
	if in.Submit {
		mode = modeSubmit
	}
	s.check(&v, &read, mode, len(in.PermitPhotoIDs))
	photoCount(&v, in.PermitPhotoIDs, "permit_photo_ids")
	photoCount(&v, in.AttachmentPhotoIDs, "attachment_photo_ids")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.activeEnterprise(ctx, actor.EnterpriseID); err != nil {
		return nil, err
	}
	var id uint64
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		f := read // the same record on every run of the transaction
		f.CreatedAt, f.UpdatedAt = now, now
		day := s.park.DateOf(now).Format("20060102")
		n, err := service.NextInSequence(tx, model.CounterFilingCode, day)
		if err != nil {
			return err
		}
		f.Code = fmt.Sprintf("BB-%s-%04d", day, n)
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		id = f.ID
		if err := s.linkAttachments(tx, actor, &f, in.PermitPhotoIDs, in.AttachmentPhotoIDs, now); err != nil {
			return err
		}
		if _, err := s.event(tx, &f, ActionCreated, "", actor, "", now); err != nil {
			return err
		}
		if !in.Submit {
			return nil
		}
		ch, err := s.submission(tx, &f, ActionSubmitted, "", now)
		if err != nil {
			return err
		}
		return s.apply(ctx, tx, actor, &f, ch, now, stepSubmit)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// linkAttachments links the permit and other attachment photos of f.
func (s *Filings) linkAttachments(tx *gorm.DB, actor service.Actor, f *model.Filing, permits, attachments []uint64, now time.Time) error {
	owner := photo.Owner{Type: model.OriginFiling, ID: f.ID, Role: RolePermit, EnterpriseID: &f.EnterpriseID}
	if err := photo.Link(tx, actor, owner, permits, "permit_photo_ids", false, now); err != nil {
		return err
	}
	owner.Role = RoleAttachment
	return photo.Link(tx, actor, owner, attachments, "attachment_photo_ids", false, now)
}

// Update edits a draft, or a filing whose changes were requested (its enterprise's users only). A
// replaced photo list replaces that role's links.
func (s *Filings) Update(ctx context.Context, actor service.Actor, id uint64, p Patch) (*Detail, error) {
	return s.act(ctx, actor, id, p.Version, stepUpdate, func(tx *gorm.DB, f *model.Filing, now time.Time) (*change, error) {
		before := columns(f)
		var v service.Validator
		patch(f, &p, &v)
		photoCount(&v, p.PermitPhotoIDs, "permit_photo_ids")
		photoCount(&v, p.AttachmentPhotoIDs, "attachment_photo_ids")
		s.check(&v, f, modeDraft, 0)
		if err := v.Err(); err != nil {
			return nil, err
		}
		after := columns(f)
		var changed []string
		for _, c := range fieldLabels {
			if fmt.Sprint(deref(before[c.column])) != fmt.Sprint(deref(after[c.column])) && !slices.Contains(changed, c.label) {
				changed = append(changed, c.label)
			}
		}
		if p.PermitPhotoIDs != nil {
			changed = append(changed, "作业票照片")
		}
		if p.AttachmentPhotoIDs != nil {
			changed = append(changed, "附件照片")
		}
		if len(changed) == 0 {
			return nil, service.Errorf(service.CodeValidation, "提交的信息有误：没有需要修改的内容")
		}
		return &change{action: ActionUpdated, to: f.Status, comment: "修改了" + strings.Join(changed, "、"), set: after,
			after: func(tx *gorm.DB, f *model.Filing, _ *model.FilingEvent) error {
				if err := s.replacePhotos(tx, actor, f, RolePermit, "permit_photo_ids", p.PermitPhotoIDs, now); err != nil {
					return err
				}
				return s.replacePhotos(tx, actor, f, RoleAttachment, "attachment_photo_ids", p.AttachmentPhotoIDs, now)
			}}, nil
	})
}

// replacePhotos makes ids the photos of f in role (nil leaves them alone). Photos already there stay
// linked, whoever of the enterprise uploaded them; new ones must be the actor's own uploads.
func (s *Filings) replacePhotos(tx *gorm.DB, actor service.Actor, f *model.Filing, role, field string, ids []uint64, now time.Time) error {
	if ids == nil {
		return nil
	}
	linked, err := photo.ByOwner(tx, model.OriginFiling, []uint64{f.ID})
	if err != nil {
		return err
	}
	want := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	have := map[uint64]bool{}
	var gone []uint64
	for _, p := range linked[f.ID] {
		if p.Role != role {
			continue
		}
		have[p.ID] = true
		if !want[p.ID] {
			gone = append(gone, p.ID)
		}
	}
	var added []uint64
	for _, id := range ids {
		if !have[id] {
			added = append(added, id)
			have[id] = true
		}
	}
	owner := photo.Owner{Type: model.OriginFiling, ID: f.ID, Role: role, EnterpriseID: &f.EnterpriseID}
	if len(gone) > 0 {
		if err := photo.Unlink(tx, owner, gone); err != nil {
			return err
		}
	}
	return photo.Link(tx, actor, owner, added, field, false, now)
}

// deref turns pointer values into what they point at, for comparing before and after an edit.
func deref(v any) any {
	switch p := v.(type) {
	case *float64:
		if p == nil {
			return nil
		}
		return *p
	case time.Time:
		return p.UTC()
	}
	return v
}
