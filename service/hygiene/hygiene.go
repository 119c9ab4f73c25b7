// Package hygiene owns the Friday frontage checks (每周五卫生检查, 门前三包): a check of an
// enterprise's three areas, the hazard each failed area opens, corrections carried to those hazards
// while the enterprise has not acted, the week's board and the statistics.
package hygiene

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
	"parksafe/service/hazard"
	"parksafe/service/photo"
)

// Areas lists the three frontage areas of 门前三包 in the order they are walked and shown.
var Areas = []string{model.AreaDoorway, model.AreaDitch, model.AreaRoad}

// AreaLabels maps each area to its Chinese label.
var AreaLabels = map[string]string{model.AreaDoorway: "门口", model.AreaDitch: "沟渠", model.AreaRoad: "道路"}

// DefaultRequirement is the rectification requirement of a hazard opened by a failed area when
// the inspector gives none.
const DefaultRequirement = "立即清理杂物和垃圾，消除火灾等隐患"

// photoOwnerHygieneArea is the photo owner type of a check's area.
const photoOwnerHygieneArea = "hygiene_area"

// AreaInput rates one area. Passed is a pointer so that a forgotten rating is refused rather
// than read as "failed".
type AreaInput struct {
	Area     string
	Passed   *bool
	Note     string
	PhotoIDs []uint64
}

// Input is a new check. CheckDate defaults to the park-local today.
type Input struct {
	EnterpriseID uint64
	CheckDate    string
	Deadline     string
	Note         string
	// Requirement is the rectification requirement given to the hazards of failed areas.
	Requirement string
	Areas       []AreaInput
}

// AreaPatch corrects one area, named by Area; nil fields stay as they are. PhotoIDs are
// accepted only with a change from passed to failed, whose hazard needs them.
type AreaPatch struct {
	Area     string
	Passed   *bool
	Note     *string
	PhotoIDs []uint64
}

// Patch corrects a check; nil fields stay as they are.
type Patch struct {
	Note        *string
	Deadline    *string
	Requirement string
	Areas       []AreaPatch
	Version     *int
}

// Filter narrows a check list.
type Filter struct {
	Week         string
	EnterpriseID uint64
	Result       string // passed or failed
}

// Photos holds the photos of check areas, by area id.
type Photos map[uint64][]photo.Linked

// Board is a week's round: who was checked, who failed (with the failed areas and how their
// hazards stand), and which active enterprises are still left.
type Board struct {
	Week       service.Week
	Friday     time.Time
	Checked    []*model.HygieneCheck
	Failed     []*model.HygieneCheck
	NotChecked []model.Enterprise
	Photos     Photos
}

// Stat is one enterprise's hygiene record over a window of weeks.
type Stat struct {
	EnterpriseID   uint64
	EnterpriseName string
	Checks         int
	FailedChecks   int
	FailedAreas    int
	// RepeatOffender: failed in at least two weeks of the window.
	RepeatOffender bool
}

// Stats is the hygiene table over the last Weeks ISO weeks, From to To inclusive.
type Stats struct {
	Weeks    int
	From, To service.Week
	Items    []Stat
}

// Service runs the Friday frontage checks (每周五卫生检查, 门前三包).
type Service struct {
	db      *gorm.DB
	park    service.ParkTime
	hazards hazard.Writer
}

// New returns the hygiene check service; hazards opens the hazard of each failed area.
func New(db *gorm.DB, park service.ParkTime, hazards hazard.Writer) *Service {
	return &Service{db: db, park: park, hazards: hazards}
}

// Create files a check (inspector or admin) and opens a hazard for each failed area, all in one
// transaction.
func (s *Service) Create(ctx context.Context, actor service.Actor, in Input) (*model.HygieneCheck, Photos, error) {
	if err := actor.Require(model.RoleAdmin, model.RoleInspector); err != nil {
		return nil, nil, err
	}
	var v service.Validator
	if strings.TrimSpace(in.CheckDate) == "" {
		in.CheckDate = s.park.Today().Format(time.DateOnly)
	}
	checkDate, ok := s.park.ParseDate(in.CheckDate)
	switch {
	case !ok:
		v.Add("check_date", "检查日期格式应为 YYYY-MM-DD")
	case checkDate.After(s.park.Today()):
		v.Add("check_date", "检查日期不能晚于今天")
	case checkDate.Year() < 2000:
		v.Add("check_date", "检查日期不正确")
	}
	failed := 0
	for _, a := range in.Areas {
		if a.Passed != nil && !*a.Passed {
			failed++
		}
	}
	anyFailed := failed > 0
	s.checkDeadline(&v, in.Deadline, checkDate, ok, anyFailed)
	v.Text(in.Note, "note", "备注", false, 500)
	v.Text(in.Requirement, "requirement", "整改要求", false, 500)
	validateAreas(&v, in.Areas)
	if !v.Check(in.EnterpriseID != 0, "enterprise_id", "请选择企业") {
		return nil, nil, v.Err()
	}
	ent, err := s.activeEnterprise(ctx, in.EnterpriseID, &v)
	if err != nil {
		return nil, nil, err
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}

	week := s.park.WeekOf(checkDate).String()
	if err := s.checkWeekFree(ctx, ent.ID, week); err != nil {
		return nil, nil, err
	}
	check := &model.HygieneCheck{EnterpriseID: ent.ID, Week: week, CheckDate: in.CheckDate,
		OnSchedule: checkDate.Weekday() == time.Friday, Deadline: strings.TrimSpace(in.Deadline), Passed: !anyFailed,
		FailedAreas: failed, InspectorID: actor.ID, Note: strings.TrimSpace(in.Note), Version: 1,
		CreatedAt: s.park.Now(), UpdatedAt: s.park.Now()}
	requirement := strings.TrimSpace(in.Requirement)
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		check.ID = 0
		if err := tx.Create(check).Error; err != nil {
			return duplicateCheck(err)
		}
		for _, name := range Areas {
			i := slices.IndexFunc(in.Areas, func(a AreaInput) bool { return a.Area == name })
			a := in.Areas[i]
			area := &model.HygieneArea{CheckID: check.ID, Area: name, Passed: *a.Passed, Note: strings.TrimSpace(a.Note)}
			if err := tx.Create(area).Error; err != nil {
				return err
			}
			if err := s.linkAreaPhotos(tx, actor, ent.ID, area.ID, a.PhotoIDs, i, !area.Passed); err != nil {
				return err
			}
			if !area.Passed {
				if err := s.openHazard(ctx, tx, actor, check, area, a.PhotoIDs, requirement); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return s.Get(ctx, actor, check.ID)
}

// checkDeadline validates the findings' deadline: a date not before the check, required when an area
// failed.
func (s *Service) checkDeadline(v *service.Validator, deadline string, checkDate time.Time, checkDateOK, required bool) {
	deadline = strings.TrimSpace(deadline)
	if deadline == "" {
		v.Check(!required, "deadline", "有不合格区域时请填写整改期限")
		return
	}
	d, ok := s.park.ParseDate(deadline)
	switch {
	case !ok:
		v.Add("deadline", "整改期限格式应为 YYYY-MM-DD")
	case checkDateOK && d.Before(checkDate):
		v.Add("deadline", "整改期限不能早于检查日期")
	case checkDateOK && d.After(checkDate.AddDate(1, 0, 0)):
		v.Add("deadline", "整改期限不能超过检查日期后一年")
	}
}

// validateAreas requires each of the three areas exactly once, rated, and a failed one described
// and photographed. Fields are named by the request's index (areas[1].area).
func validateAreas(v *service.Validator, areas []AreaInput) {
	seen := map[string]bool{}
	for i, a := range areas {
		f := fmt.Sprintf("areas[%d].", i)
		switch {
		case AreaLabels[a.Area] == "":
			v.Add(f+"area", "区域应为 doorway（门口）、ditch（沟渠）或 road（道路）")
		case seen[a.Area]:
			v.Add(f+"area", "区域“"+AreaLabels[a.Area]+"”重复")
		}
		seen[a.Area] = true
		if !v.Check(a.Passed != nil, f+"passed", "请选择该区域是否合格") {
			continue
		}
		v.Text(a.Note, f+"note", "问题描述", !*a.Passed, 500)
		v.Check(*a.Passed || len(a.PhotoIDs) > 0, f+"photo_ids", "不合格区域请至少上传一张照片")
	}
	var missing []string
	for _, name := range Areas {
		if !seen[name] {
			missing = append(missing, AreaLabels[name])
		}
	}
	if len(missing) > 0 {
		v.Add("areas", "请检查全部三个区域，缺少："+strings.Join(missing, "、"))
	}
}

// activeEnterprise loads the enterprise a check is for; an unknown or inactive one is a field error.
func (s *Service) activeEnterprise(ctx context.Context, id uint64, v *service.Validator) (*model.Enterprise, error) {
	var e model.Enterprise
	err := s.db.WithContext(ctx).First(&e, id).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		v.Add("enterprise_id", "企业不存在")
	case err != nil:
		return nil, err
	case e.Status != model.StatusActive:
		v.Add("enterprise_id", "企业已停用")
	}
	return &e, nil
}

// checkWeekFree answers a second check of the same enterprise and week with a 409 before any work;
// the unique index still catches two inspectors filing at the same moment.
func (s *Service) checkWeekFree(ctx context.Context, enterpriseID uint64, week string) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&model.HygieneCheck{}).Where("enterprise_id = ? AND week = ?", enterpriseID, week).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errWeekChecked
	}
	return nil
}

var errWeekChecked = &service.Error{Code: service.CodeConflict, Message: "该企业本周已检查，如需更正请修改本周的检查记录"}

func duplicateCheck(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errWeekChecked
	}
	return err
}

// linkAreaPhotos attaches an area's photos, readable by the enterprise checked.
func (s *Service) linkAreaPhotos(tx *gorm.DB, actor service.Actor, enterpriseID, areaID uint64, ids []uint64, index int, required bool) error {
	eid := enterpriseID
	owner := photo.Owner{Type: photoOwnerHygieneArea, ID: areaID, EnterpriseID: &eid}
	return photo.Link(tx, actor, owner, ids, fmt.Sprintf("areas[%d].photo_ids", index), required, s.park.Now())
}

// openHazard opens the hazard of a failed area with the area's note and photos and the check's
// deadline, and links it back to the area.
func (s *Service) openHazard(ctx context.Context, tx *gorm.DB, actor service.Actor, check *model.HygieneCheck, area *model.HygieneArea, photoIDs []uint64, requirement string) error {
	if requirement == "" {
		requirement = DefaultRequirement
	}
	found := hazard.Finding{Category: hazard.CategoryHygiene, Level: model.LevelGeneral, Title: hygieneHazardTitle(area.Area),
		Description: area.Note, Location: AreaLabels[area.Area], Requirement: requirement, Deadline: check.Deadline, PhotoIDs: photoIDs}
	h, err := s.hazards.CreateTx(ctx, tx, actor,
		found.Input(check.EnterpriseID, model.SourceHygieneCheck, photoOwnerHygieneArea, area.ID, check.CheckDate))
	if err != nil {
		return err
	}
	area.HazardID = &h.ID
	return tx.Model(&model.HygieneArea{}).Where("id = ?", area.ID).Update("hazard_id", h.ID).Error
}

func hygieneHazardTitle(area string) string {
	switch area {
	case model.AreaDoorway:
		return "门口环境卫生问题"
	case model.AreaDitch:
		return "沟渠环境卫生问题"
	default:
		return "道路环境卫生问题"
	}
}

// Get returns one check with its areas, their photos and the linked hazards' current state; an
// enterprise user may only get its own.
func (s *Service) Get(ctx context.Context, actor service.Actor, id uint64) (*model.HygieneCheck, Photos, error) {
	var c model.HygieneCheck
	err := s.withDetail(s.db.WithContext(ctx).Scopes(actor.Scope("enterprise_id"))).First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, service.NotFound("卫生检查记录")
	} else if err != nil {
		return nil, nil, err
	}
	photos, err := s.photosOf(ctx, &c)
	return &c, photos, err
}

func (s *Service) withDetail(q *gorm.DB) *gorm.DB {
	return q.Preload("Enterprise").Preload("Inspector").
		Preload("Areas", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).Preload("Areas.Hazard")
}

func (s *Service) photosOf(ctx context.Context, checks ...*model.HygieneCheck) (Photos, error) {
	var ids []uint64
	for _, c := range checks {
		for _, a := range c.Areas {
			ids = append(ids, a.ID)
		}
	}
	p, err := photo.ByOwner(s.db.WithContext(ctx), photoOwnerHygieneArea, ids)
	return Photos(p), err
}

// List returns a page of checks, newest first; an enterprise user sees only its own.
func (s *Service) List(ctx context.Context, actor service.Actor, f Filter, p service.Page) (*service.List[*model.HygieneCheck], Photos, error) {
	q := s.db.WithContext(ctx).Model(&model.HygieneCheck{}).Scopes(actor.Scope("enterprise_id"))
	var v service.Validator
	if f.Week != "" {
		if w, err := service.ParseWeek(f.Week); err != nil {
			v.Add("week", err.(*service.Error).Fields["week"])
		} else {
			q = q.Where("week = ?", w.String())
		}
	}
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	switch f.Result {
	case "":
	case "passed":
		q = q.Where("passed = ?", true)
	case "failed":
		q = q.Where("passed = ?", false)
	default:
		v.Add("result", "检查结果应为 passed（合格）或 failed（不合格）")
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	order := service.Order[*model.HygieneCheck]{Name: "-check_date", Column: "check_date", ID: "id", Desc: true,
		Key: func(c **model.HygieneCheck) (any, uint64) { return (*c).CheckDate, (*c).ID }}
	l, err := service.Seek(q, p, order, service.Fingerprint(f), service.CappedCount(q), s.withDetail)
	if err != nil {
		return nil, nil, err
	}
	photos, err := s.photosOf(ctx, l.Items...)
	return l, photos, err
}

// Update corrects a check while none of its hazards has moved past pending_rectify (afterwards the
// hazard loop owns the finding). It may change the note, the deadline (carried to the open hazards),
// an area's note (carried to its hazard's description) and an area's rating: failed → passed voids
// the area's hazard, passed → failed opens one and then needs a note and photos. Photos of an area
// that stays as it was cannot be changed.
func (s *Service) Update(ctx context.Context, actor service.Actor, id uint64, in Patch) (*model.HygieneCheck, Photos, error) {
	if err := actor.Require(model.RoleAdmin, model.RoleInspector); err != nil {
		return nil, nil, err
	}
	c, _, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if in.Version != nil && *in.Version != c.Version {
		return nil, nil, service.ErrStale
	}
	if err := lockedByHazards(c); err != nil {
		return nil, nil, err
	}
	var v service.Validator
	plan := s.applyPatch(&v, c, in)
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	before := c.Version
	hazardIDs := make([]*uint64, len(c.Areas))
	for i, a := range c.Areas {
		hazardIDs[i] = a.HazardID
	}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		for i, a := range c.Areas {
			a.HazardID = hazardIDs[i] // carryOut moves them; every run starts from the check as read
		}
		res := tx.Model(&model.HygieneCheck{}).Where("id = ? AND version = ?", c.ID, before).Updates(map[string]any{
			"note": c.Note, "deadline": c.Deadline, "passed": c.Passed, "failed_areas": c.FailedAreas,
			"version": before + 1, "updated_at": s.park.Now(),
		})
		if err := service.Guarded(res); err != nil {
			return err
		}
		return s.carryOut(ctx, tx, actor, c, plan, strings.TrimSpace(in.Requirement))
	})
	if err != nil {
		return nil, nil, err
	}
	return s.Get(ctx, actor, id)
}

// lockedByHazards refuses a correction once any linked hazard has left pending_rectify.
func lockedByHazards(c *model.HygieneCheck) error {
	for _, a := range c.Areas {
		if a.Hazard != nil && a.Hazard.Status != model.HazardPendingRectify {
			return service.Conflict("“%s”的隐患 %s 已进入整改流程（%s），检查记录不能再修改", AreaLabels[a.Area], a.Hazard.Code, a.Hazard.Status)
		}
	}
	return nil
}

// areaChange is what a correction does to one area.
type areaChange struct {
	area     *model.HygieneArea
	index    int // in the request, for field names
	noteSet  bool
	open     bool // passed → failed
	void     bool // failed → passed
	photoIDs []uint64
}

// applyPatch validates in against c and applies it to c in memory, returning the per-area changes.
func (s *Service) applyPatch(v *service.Validator, c *model.HygieneCheck, in Patch) []*areaChange {
	if in.Note != nil {
		c.Note = strings.TrimSpace(*in.Note)
		v.Text(c.Note, "note", "备注", false, 500)
	}
	v.Text(in.Requirement, "requirement", "整改要求", false, 500)
	var plan []*areaChange
	for i, p := range in.Areas {
		f := fmt.Sprintf("areas[%d].", i)
		j := slices.IndexFunc(c.Areas, func(a *model.HygieneArea) bool { return a.Area == p.Area })
		if j < 0 {
			v.Add(f+"area", "区域应为 doorway（门口）、ditch（沟渠）或 road（道路）")
			continue
		}
		if slices.ContainsFunc(plan, func(ch *areaChange) bool { return ch.area.Area == p.Area }) {
			v.Add(f+"area", "区域“"+AreaLabels[p.Area]+"”重复")
			continue
		}
		a := c.Areas[j]
		ch := &areaChange{area: a, index: i, photoIDs: p.PhotoIDs}
		if p.Note != nil {
			a.Note, ch.noteSet = strings.TrimSpace(*p.Note), true
		}
		if p.Passed != nil && *p.Passed != a.Passed {
			ch.open, ch.void = !*p.Passed, *p.Passed
			a.Passed = *p.Passed
		}
		v.Text(a.Note, f+"note", "问题描述", !a.Passed, 500)
		switch {
		case ch.open:
			v.Check(len(p.PhotoIDs) > 0, f+"photo_ids", "改为不合格时请至少上传一张照片")
		case len(p.PhotoIDs) > 0:
			v.Add(f+"photo_ids", "只有把区域改为不合格时才能提交照片")
		}
		plan = append(plan, ch)
	}
	c.FailedAreas = 0
	for _, a := range c.Areas {
		if !a.Passed {
			c.FailedAreas++
		}
	}
	c.Passed = c.FailedAreas == 0
	if in.Deadline != nil {
		c.Deadline = strings.TrimSpace(*in.Deadline)
	}
	checkDate, _ := s.park.ParseDate(c.CheckDate)
	if in.Deadline != nil || c.FailedAreas > 0 {
		s.checkDeadline(v, c.Deadline, checkDate, true, c.FailedAreas > 0)
	}
	return plan
}

// carryOut writes the area changes and keeps the linked hazards in step, inside tx. Hazard rows are
// updated only while still pending_rectify, so a hazard acted on meanwhile makes the correction 409.
func (s *Service) carryOut(ctx context.Context, tx *gorm.DB, actor service.Actor, c *model.HygieneCheck, plan []*areaChange, requirement string) error {
	for _, ch := range plan {
		a := ch.area
		if err := tx.Model(&model.HygieneArea{}).Where("id = ?", a.ID).Updates(map[string]any{"note": a.Note, "passed": a.Passed}).Error; err != nil {
			return err
		}
		switch {
		case ch.void:
			if err := s.hazards.AmendTx(ctx, tx, actor, *a.HazardID, hazard.Amendment{Void: true, Comment: "卫生检查更正：该区域改为合格"}); err != nil {
				return err
			}
			if err := tx.Model(&model.HygieneArea{}).Where("id = ?", a.ID).Update("hazard_id", nil).Error; err != nil {
				return err
			}
			a.HazardID = nil
		case ch.open:
			if err := s.linkAreaPhotos(tx, actor, c.EnterpriseID, a.ID, ch.photoIDs, ch.index, true); err != nil {
				return err
			}
			if err := s.openHazard(ctx, tx, actor, c, a, ch.photoIDs, requirement); err != nil {
				return err
			}
		case ch.noteSet && a.HazardID != nil:
			note := a.Note
			if err := s.hazards.AmendTx(ctx, tx, actor, *a.HazardID, hazard.Amendment{Description: &note, Comment: "卫生检查更正：问题描述"}); err != nil {
				return err
			}
		}
	}
	// The deadline applies to every open hazard of the check, old or new.
	for _, a := range c.Areas {
		if a.HazardID == nil || a.Hazard == nil || a.Hazard.Deadline == c.Deadline {
			continue
		}
		deadline := c.Deadline
		err := s.hazards.AmendTx(ctx, tx, actor, *a.HazardID, hazard.Amendment{Deadline: &deadline,
			Comment: "卫生检查更正：整改期限由 " + a.Hazard.Deadline + " 改为 " + c.Deadline})
		if err != nil {
			return err
		}
	}
	return nil
}

// WeeklyBoard returns week's round. An enterprise user sees only its own entry.
func (s *Service) WeeklyBoard(ctx context.Context, actor service.Actor, week string) (*Board, error) {
	w, err := service.ParseWeek(week)
	if err != nil {
		return nil, err
	}
	b := &Board{Week: w, Friday: s.park.Monday(w).AddDate(0, 0, 4), Checked: []*model.HygieneCheck{},
		Failed: []*model.HygieneCheck{}, NotChecked: []model.Enterprise{}}
	db := s.db.WithContext(ctx)
	var checks []*model.HygieneCheck
	if err := s.withDetail(db.Scopes(actor.Scope("enterprise_id"))).Where("week = ?", w.String()).Find(&checks).Error; err != nil {
		return nil, err
	}
	slices.SortFunc(checks, func(a, b *model.HygieneCheck) int { return strings.Compare(a.Enterprise.Name, b.Enterprise.Name) })
	checked := map[uint64]bool{}
	for _, c := range checks {
		checked[c.EnterpriseID] = true
		b.Checked = append(b.Checked, c)
		if !c.Passed {
			b.Failed = append(b.Failed, c)
		}
	}
	// An enterprise registered after the week was not in its round.
	var active []model.Enterprise
	if err := db.Scopes(actor.Scope("id")).Where("status = ? AND created_at < ?", model.StatusActive, s.park.Monday(w).AddDate(0, 0, 7).UTC()).
		Order("name, id").Find(&active).Error; err != nil {
		return nil, err
	}
	for _, e := range active {
		if !checked[e.ID] {
			b.NotChecked = append(b.NotChecked, e)
		}
	}
	b.Photos, err = s.photosOf(ctx, b.Failed...)
	return b, err
}

// Stats returns, per enterprise, the checks and failures of the last weeks ISO weeks (this week
// included). Active enterprises appear even without checks; an enterprise user sees only its own.
func (s *Service) Stats(ctx context.Context, actor service.Actor, weeks int) (*Stats, error) {
	if weeks == 0 {
		weeks = 4
	}
	if weeks < 1 || weeks > 52 {
		return nil, service.Invalid("weeks", "统计周数应在 1 到 52 之间")
	}
	to := s.park.WeekOf(s.park.Now())
	fromDay := s.park.Monday(to).AddDate(0, 0, -7*(weeks-1))
	from := s.park.WeekOf(fromDay)
	out := &Stats{Weeks: weeks, From: from, To: to, Items: []Stat{}}
	db := s.db.WithContext(ctx)
	var rows []struct {
		EnterpriseID uint64
		Checks       int
		FailedChecks int
		FailedAreas  int
	}
	// check_date (YYYY-MM-DD) orders like the dates it names, so the window is a string range.
	err := db.Model(&model.HygieneCheck{}).Scopes(actor.Scope("enterprise_id")).
		Select("enterprise_id, COUNT(*) AS checks, SUM(CASE WHEN passed THEN 0 ELSE 1 END) AS failed_checks, SUM(failed_areas) AS failed_areas").
		Where("check_date >= ? AND check_date < ?", fromDay.Format(time.DateOnly), s.park.Monday(to).AddDate(0, 0, 7).Format(time.DateOnly)).
		Group("enterprise_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var ents []model.Enterprise
	if err := db.Scopes(actor.Scope("id")).Order("name, id").Find(&ents).Error; err != nil {
		return nil, err
	}
	byID := map[uint64]int{}
	for i, r := range rows {
		byID[r.EnterpriseID] = i
	}
	for _, e := range ents {
		i, has := byID[e.ID]
		if !has && e.Status != model.StatusActive {
			continue
		}
		st := Stat{EnterpriseID: e.ID, EnterpriseName: e.Name}
		if has {
			r := rows[i]
			st.Checks, st.FailedChecks, st.FailedAreas = r.Checks, r.FailedChecks, r.FailedAreas
			st.RepeatOffender = r.FailedChecks >= 2
		}
		out.Items = append(out.Items, st)
	}
	return out, nil
}
