// Package hazard owns every write to the hazards table: reports and the records that open them
// (Opener, Amender), the closed loop of rectification, verification, approval, voiding and deadline
// extensions, the codes, the timeline each change is told to an Observer from, the statistics'
// tallies kept in the same transaction, the statistics and the ledger export.
package hazard

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/photo"
)

// Hazard categories.
const (
	CategoryEquipment   = "equipment"
	CategoryOperation   = "operation"
	CategoryManagement  = "management"
	CategoryFire        = "fire"
	CategoryHygiene     = "hygiene"
	CategoryEnvironment = "environment"
	CategoryOther       = "other"
)

// Owner types and roles under which hazard photos are linked. Rectification after-photos hang off the
// rectification, but carry the hazard's enterprise, so they are visible exactly where the hazard is.
const (
	photoOwnerHazard        = "hazard"
	photoOwnerRectification = "rectification"
	photoRoleDiscovery      = "discovery"
	photoRoleAfter          = "after"
)

// Labels of the hazard enums, answered beside every value.
var (
	StatusLabels = map[string]string{
		model.HazardPendingRectify:  "待整改",
		model.HazardPendingVerify:   "待验收",
		model.HazardPendingApproval: "待审批销号",
		model.HazardClosed:          "已销号",
		model.HazardVoid:            "已作废",
	}
	SourceLabels = map[string]string{
		model.SourceSnapshot:         "随手拍",
		model.SourceHygieneCheck:     "周五卫生检查",
		model.SourceLeaderInspection: "主要负责人带队检查",
		model.SourceSpecialCheck:     "专项检查",
		model.SourceFiling:           "安全生产报备",
	}
	CategoryLabels = map[string]string{
		CategoryEquipment:   "设备设施",
		CategoryOperation:   "作业行为",
		CategoryManagement:  "安全管理",
		CategoryFire:        "消防",
		CategoryHygiene:     "环境卫生",
		CategoryEnvironment: "环境保护",
		CategoryOther:       "其他",
	}
	LevelLabels = map[string]string{
		model.LevelGeneral: "一般隐患",
		model.LevelMajor:   "重大隐患",
	}
	ExtensionStatusLabels = map[string]string{
		model.ExtensionPending:   "待审批",
		model.ExtensionApproved:  "已同意",
		model.ExtensionRejected:  "已驳回",
		model.ExtensionCancelled: "已取消",
	}
)

// Enum orders, for statistics that list every value even when its count is zero.
var (
	Statuses   = []string{model.HazardPendingRectify, model.HazardPendingVerify, model.HazardPendingApproval, model.HazardClosed, model.HazardVoid}
	Sources    = []string{model.SourceSnapshot, model.SourceHygieneCheck, model.SourceLeaderInspection, model.SourceSpecialCheck, model.SourceFiling}
	Categories = []string{CategoryEquipment, CategoryOperation, CategoryManagement, CategoryFire, CategoryHygiene, CategoryEnvironment, CategoryOther}
	Levels     = []string{model.LevelGeneral, model.LevelMajor}
	// openStatuses are the states in which a hazard still waits for someone and can be overdue.
	openStatuses = []string{model.HazardPendingRectify, model.HazardPendingVerify, model.HazardPendingApproval}
)

// Observer hears about every new hazard and every transition, inside the transaction that
// makes it, so that what it records (e.g. notifications) commits or rolls back with the change.
// action is the timeline action (created, rectification_submitted, verified, …).
type Observer interface {
	HazardChanged(ctx context.Context, tx *gorm.DB, h *model.Hazard, action string, actor service.Actor) error
}

// Service runs the hazard closed loop (整改销号闭环): reports, rectification, verification, approval,
// voiding, deadline extensions, the ledger and its statistics.
type Service struct {
	db       *gorm.DB
	park     service.ParkTime
	observer Observer
	log      *slog.Logger
}

// New returns the hazard service; observer may be nil.
func New(db *gorm.DB, park service.ParkTime, observer Observer, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, park: park, observer: observer, log: log}
}

// Item is a hazard as lists show it: with its enterprise, reporter, discovery photos and
// whether it is overdue now.
type Item struct {
	model.Hazard
	Photos  []model.Photo
	Overdue bool
}

// RectificationItem is a rectification with its after-photos.
type RectificationItem struct {
	model.Rectification
	Photos []model.Photo
}

// Detail is a hazard with everything that happened to it.
type Detail struct {
	Item
	Rectifications []RectificationItem
	Events         []model.HazardEvent
	Extensions     []model.HazardExtension
}

// Overdue reports whether h is past the end of its deadline day and still open.
func (s *Service) Overdue(h *model.Hazard) bool { return Overdue(h, s.park.Now()) }

// Overdue reports whether h is still open at now although its deadline day has ended.
func Overdue(h *model.Hazard, now time.Time) bool {
	return isOpen(h.Status) && !now.Before(h.DeadlineAt)
}

// Rectified reports whether the enterprise has done its part on a hazard: rectification
// submitted (awaiting verification or approval) or closed out.
func Rectified(status string) bool {
	return status == model.HazardPendingVerify || status == model.HazardPendingApproval || status == model.HazardClosed
}

func isOpen(status string) bool {
	return status == model.HazardPendingRectify || status == model.HazardPendingVerify || status == model.HazardPendingApproval
}

// Create reports a hazard (inspector or admin). Source defaults to snapshot; special_check is the
// other source staff may pick here — hygiene checks and leader inspections open theirs via CreateTx.
func (s *Service) Create(ctx context.Context, actor service.Actor, in Input) (*Detail, error) {
	if err := actor.Require(model.RoleAdmin, model.RoleInspector); err != nil {
		return nil, err
	}
	if in.Source == "" {
		in.Source = model.SourceSnapshot
	}
	if in.Source != model.SourceSnapshot && in.Source != model.SourceSpecialCheck {
		return nil, service.Invalid("source", "来源应为 snapshot（随手拍）或 special_check（专项检查）")
	}
	var id uint64
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		h, err := s.CreateTx(ctx, tx, actor, in)
		if err == nil {
			id = h.ID
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// CreateTx opens a hazard inside the caller's transaction tx, so that the record that finds it (a
// hygiene check, a leader inspection) and the hazard commit together. It checks who may open a
// hazard of in.Source for in.EnterpriseID: staff for snapshot, special_check, hygiene_check and filing; the
// enterprise's own user for leader_inspection.
func (s *Service) CreateTx(ctx context.Context, tx *gorm.DB, actor service.Actor, in Input) (*model.Hazard, error) {
	tx = tx.WithContext(ctx)
	switch in.Source {
	case model.SourceSnapshot, model.SourceSpecialCheck, model.SourceHygieneCheck, model.SourceFiling:
		if !actor.IsStaff() {
			return nil, service.ErrForbiddenRole
		}
	case model.SourceLeaderInspection:
		if !actor.IsEnterprise() || actor.EnterpriseID != in.EnterpriseID {
			return nil, service.ErrForbiddenRole
		}
	default:
		return nil, service.Invalid("source", "隐患来源不正确")
	}
	now := s.park.Now()
	h := model.Hazard{
		EnterpriseID: in.EnterpriseID, Source: in.Source, Category: strings.TrimSpace(in.Category),
		Level: strings.TrimSpace(in.Level), Title: strings.TrimSpace(in.Title), Description: strings.TrimSpace(in.Description),
		Location: strings.TrimSpace(in.Location), Latitude: in.Latitude, Longitude: in.Longitude,
		Requirement: strings.TrimSpace(in.Requirement), Deadline: strings.TrimSpace(in.Deadline),
		Status: model.HazardPendingRectify, ReporterID: actor.ID, OriginType: in.OriginType, OriginID: in.OriginID,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	var v service.Validator
	if in.EnterpriseID == 0 {
		v.Add("enterprise_id", "请选择企业")
	} else {
		var ent model.Enterprise
		err := tx.Scopes(actor.Scope("id")).Select("id", "status").First(&ent, in.EnterpriseID).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			v.Add("enterprise_id", "企业不存在")
		case err != nil:
			return nil, err
		case ent.Status != model.StatusActive:
			v.Add("enterprise_id", "企业已停用，不能上报隐患")
		}
	}
	if _, ok := CategoryLabels[h.Category]; !ok {
		v.Add("category", "隐患类别应为 equipment、operation、management、fire、hygiene、environment 或 other")
	}
	if _, ok := LevelLabels[h.Level]; !ok {
		v.Add("level", "隐患级别应为 general（一般隐患）或 major（重大隐患）")
	}
	v.Text(h.Title, "title", "隐患标题", true, 128)
	v.Text(h.Description, "description", "隐患描述", true, 2000)
	v.Text(h.Location, "location", "位置", false, 255)
	v.Text(h.Requirement, "requirement", "整改要求", true, 2000)
	floor := s.park.Today()
	if in.FoundOn != "" {
		// A record filed for an earlier day (a late-entered Friday round) sets its deadline from
		// that day; the hazard is then overdue at once, which is what happened.
		if d, ok := s.park.ParseDate(in.FoundOn); ok && d.Before(floor) {
			floor = d
		}
	}
	if at, ok := s.deadline(&v, h.Deadline, "deadline", floor); ok {
		h.DeadlineAt = at
	}
	checkCoordinates(&v, h.Latitude, h.Longitude)
	v.Check(len(in.PhotoIDs) > 0, "photo_ids", "请至少上传一张隐患照片")
	if err := v.Err(); err != nil {
		return nil, err
	}
	code, err := s.nextCode(tx, now)
	if err != nil {
		return nil, err
	}
	h.Code = code
	if err := tx.Create(&h).Error; err != nil {
		return nil, err
	}
	if err := insertTerms(tx, []model.Hazard{h}); err != nil {
		return nil, err
	}
	ent := h.EnterpriseID
	owner := photo.Owner{Type: photoOwnerHazard, ID: h.ID, Role: photoRoleDiscovery, EnterpriseID: &ent}
	if err := photo.Link(tx, actor, owner, in.PhotoIDs, "photo_ids", true, now); err != nil {
		return nil, err
	}
	if err := s.appendEvent(ctx, tx, &h, ActionCreated, "", actor, "", now); err != nil {
		return nil, err
	}
	return &h, nil
}

// deadline parses a YYYY-MM-DD deadline that must not lie before floor (a park-local date, usually
// today); it returns the instant the deadline passes.
func (s *Service) deadline(v *service.Validator, d, field string, floor time.Time) (time.Time, bool) {
	if d == "" {
		v.Add(field, "请填写整改期限")
		return time.Time{}, false
	}
	day, ok := s.park.ParseDate(d)
	if !ok {
		v.Add(field, "整改期限格式应为 YYYY-MM-DD")
		return time.Time{}, false
	}
	if day.Before(floor) {
		if floor.Equal(s.park.Today()) {
			v.Add(field, "整改期限不能早于今天")
		} else {
			v.Add(field, "整改期限不能早于发现隐患的日期 "+floor.Format(time.DateOnly))
		}
		return time.Time{}, false
	}
	if day.After(s.park.Today().AddDate(3, 0, 0)) {
		v.Add(field, "整改期限不能超过三年")
		return time.Time{}, false
	}
	return s.park.EndOfDay(day), true
}

func checkCoordinates(v *service.Validator, lat, lng *float64) {
	if (lat == nil) != (lng == nil) {
		v.Add("latitude", "经纬度应同时填写或同时留空")
		return
	}
	if lat != nil {
		v.Check(*lat >= -90 && *lat <= 90, "latitude", "纬度应在 -90 到 90 之间")
		v.Check(*lng >= -180 && *lng <= 180, "longitude", "经度应在 -180 到 180 之间")
	}
}

// Get returns one hazard with its photos, rectifications, timeline and extensions. Another
// enterprise's hazard is not found.
func (s *Service) Get(ctx context.Context, actor service.Actor, id uint64) (*Detail, error) {
	db := s.db.WithContext(ctx)
	var h model.Hazard
	err := db.Scopes(actor.Scope("enterprise_id")).Preload("Enterprise").Preload("Reporter").First(&h, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("隐患")
	} else if err != nil {
		return nil, err
	}
	items, err := s.withPhotos(db, []model.Hazard{h})
	if err != nil {
		return nil, err
	}
	d := &Detail{Item: items[0], Rectifications: []RectificationItem{}}
	var rects []model.Rectification
	if err := db.Where("hazard_id = ?", id).Preload("Submitter").Order("id").Find(&rects).Error; err != nil {
		return nil, err
	}
	rectIDs := make([]uint64, len(rects))
	for i := range rects {
		rectIDs[i] = rects[i].ID
	}
	photos, err := photo.ByOwner(db, photoOwnerRectification, rectIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rects {
		d.Rectifications = append(d.Rectifications, RectificationItem{Rectification: r, Photos: photo.WithRole(photos[r.ID], photoRoleAfter)})
	}
	if err := db.Where("hazard_id = ?", id).Order("id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	if err := db.Where("hazard_id = ?", id).Preload("Requester").Preload("Decider").Order("id").Find(&d.Extensions).Error; err != nil {
		return nil, err
	}
	return d, nil
}

// withPhotos adds discovery photos (one query for all) and the overdue flag to loaded hazards.
func (s *Service) withPhotos(db *gorm.DB, hs []model.Hazard) ([]Item, error) {
	ids := make([]uint64, len(hs))
	for i := range hs {
		ids[i] = hs[i].ID
	}
	photos, err := photo.ByOwner(db, photoOwnerHazard, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(hs))
	for i := range hs {
		out[i] = Item{Hazard: hs[i], Photos: photo.WithRole(photos[hs[i].ID], photoRoleDiscovery), Overdue: s.Overdue(&hs[i])}
	}
	return out, nil
}

// Filter narrows hazard lists, exports and statistics. From and To are park-local dates
// (YYYY-MM-DD) bounding the creation time, both inclusive.
type Filter struct {
	Status       string
	EnterpriseID uint64
	Level        string
	Category     string
	Source       string
	Overdue      *bool
	Q            string
	From, To     string
	// Sort is -created_at (newest first, the default), created_at, deadline (soonest first) or -deadline.
	Sort string
}

// hazardSorts are the list's orders, each ending in the id so that a cursor continues exactly.
var hazardSorts = map[string]service.Order[hazardRow]{
	"":            {Name: "-created_at", Column: "hazards.created_at", ID: "hazards.id", Desc: true, Key: createdKey},
	"-created_at": {Name: "-created_at", Column: "hazards.created_at", ID: "hazards.id", Desc: true, Key: createdKey},
	"created_at":  {Name: "created_at", Column: "hazards.created_at", ID: "hazards.id", Key: createdKey},
	"deadline":    {Name: "deadline", Column: "hazards.deadline_at", ID: "hazards.id", Key: deadlineKey},
	"-deadline":   {Name: "-deadline", Column: "hazards.deadline_at", ID: "hazards.id", Desc: true, Key: deadlineKey},
}

func createdKey(r *hazardRow) (any, uint64)  { return r.CreatedAt, r.ID }
func deadlineKey(r *hazardRow) (any, uint64) { return r.DeadlineAt, r.ID }

// hazardRow is a hazard with the names lists show beside it, loaded by one joined query.
type hazardRow struct {
	model.Hazard
	EnterpriseName *string
	ReporterName   *string
}

// withNames joins the enterprise's and the reporter's names into a page query.
var withNames = service.WithNames("hazards", "reporter_id", "reporter_name")

// List returns a page of hazards; an enterprise user sees only its own enterprise's, whatever the
// filters say.
func (s *Service) List(ctx context.Context, actor service.Actor, f Filter, p service.Page) (*service.List[Item], error) {
	q, err := s.filtered(s.db.WithContext(ctx), actor, f, true)
	if err != nil {
		return nil, err
	}
	order, ok := hazardSorts[f.Sort]
	if !ok {
		return nil, service.Invalid("sort", "排序应为 -created_at、created_at、deadline 或 -deadline")
	}
	count := service.CappedCount(q)
	if text := strings.TrimSpace(f.Q); text != "" && len([]rune(text)) <= 64 && !isCodePrefix(text) {
		count = service.CappedCountAt(q, searchCountCap)
		common, err := commonText(s.db.WithContext(ctx), text)
		if err != nil {
			return nil, err
		}
		if common {
			if q, err = s.filteredBy(s.db.WithContext(ctx), actor, f, true, true); err != nil {
				return nil, err
			}
			if len([]rune(text)) == 1 {
				// The pairs beginning with a common character are a wide range of the index; the
				// rows read in order reach the count's cap sooner.
				count = service.CappedCountAt(q, searchCountCap)
			}
		}
	}
	if f == (Filter{EnterpriseID: f.EnterpriseID, Status: f.Status, Sort: f.Sort}) {
		// Filtered by enterprise and status at most (the default view, the mini-program's tabs):
		// the tallies hold the exact total, a few dozen rows instead of every matching index entry.
		count = service.Counter{Exact: func(n *int64) error {
			return s.countByStatus(s.db.WithContext(ctx), actor, f.EnterpriseID, f.Status, n)
		}}
	}
	// The overdue filter depends on the clock, so a cursor carries the filter as sent, not as applied.
	filter := service.Fingerprint(f.Status, f.EnterpriseID, f.Level, f.Category, f.Source, f.Overdue, strings.TrimSpace(f.Q), f.From, f.To)
	l, err := service.Seek(q, p, order, filter, count, withNames)
	if err != nil {
		return nil, err
	}
	hs := make([]model.Hazard, len(l.Items))
	for i, r := range l.Items {
		hs[i] = r.Hazard
		if r.EnterpriseName != nil {
			hs[i].Enterprise = &model.Enterprise{ID: r.EnterpriseID, Name: *r.EnterpriseName}
		}
		if r.ReporterName != nil {
			hs[i].Reporter = &model.User{ID: r.ReporterID, Name: *r.ReporterName}
		}
	}
	items, err := s.withPhotos(s.db.WithContext(ctx), hs)
	if err != nil {
		return nil, err
	}
	return service.WithItems(l, items), nil
}

// filtered applies the actor's scope and f to a query on hazards. withState adds the status and
// overdue filters (statistics break figures down by status instead).
func (s *Service) filtered(db *gorm.DB, actor service.Actor, f Filter, withState bool) (*gorm.DB, error) {
	return s.filteredBy(db, actor, f, withState, false)
}

// filteredBy is filtered; with scanText the search text is matched on the rows alone, without
// narrowing them by the search index first (see commonText).
func (s *Service) filteredBy(db *gorm.DB, actor service.Actor, f Filter, withState, scanText bool) (*gorm.DB, error) {
	var v service.Validator
	q := db.Model(&model.Hazard{}).Scopes(actor.Scope("hazards.enterprise_id"))
	if f.EnterpriseID != 0 {
		q = q.Where("hazards.enterprise_id = ?", f.EnterpriseID)
	}
	enum := func(val, field string, labels map[string]string, reason string) {
		if val == "" {
			return
		}
		if _, ok := labels[val]; !ok {
			v.Add(field, reason)
			return
		}
		q = q.Where("hazards."+field+" = ?", val)
	}
	if withState {
		enum(f.Status, "status", StatusLabels, "状态应为 pending_rectify、pending_verify、pending_approval、closed 或 void")
	}
	enum(f.Level, "level", LevelLabels, "级别应为 general 或 major")
	enum(f.Category, "category", CategoryLabels, "类别不正确")
	enum(f.Source, "source", SourceLabels, "来源应为 snapshot、hygiene_check、leader_inspection、special_check 或 filing")
	if withState && f.Overdue != nil {
		now := s.park.Now()
		if *f.Overdue {
			q = q.Where("hazards.status IN ? AND hazards.deadline_at <= ?", openStatuses, now)
		} else {
			q = q.Where("(hazards.status NOT IN ? OR hazards.deadline_at > ?)", openStatuses, now)
		}
	}
	if text := strings.TrimSpace(f.Q); text != "" {
		v.Check(len([]rune(text)) <= 64, "q", "搜索内容不能超过 64 个字")
		pat := service.LikePattern(text)
		switch {
		case isCodePrefix(text):
			q = codePrefix(q, strings.ToUpper(text))
		case !scanText:
			q = searchCandidates(q, text)
			fallthrough
		default:
			q = q.Where("(hazards.code LIKE ? ESCAPE '!' OR hazards.title LIKE ? ESCAPE '!' OR hazards.description LIKE ? ESCAPE '!' OR hazards.location LIKE ? ESCAPE '!')", pat, pat, pat, pat)
		}
	}
	from, to, err := s.dateRange(f.From, f.To)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() {
		q = q.Where("hazards.created_at >= ?", from)
	}
	if !to.IsZero() {
		q = q.Where("hazards.created_at < ?", to)
	}
	return q, v.Err()
}

// dateRange turns park-local from/to dates (inclusive) into instants [from, to); absent ends are zero.
func (s *Service) dateRange(from, to string) (start, end time.Time, err error) {
	var v service.Validator
	start, end = s.park.DateRange(&v, from, to)
	return start, end, v.Err()
}
