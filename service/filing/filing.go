// Package filing runs the park's 安全生产报备制度: an enterprise files a special operation (GB
// 30871-2022), a major production activity or a contractor project before the work; the park's
// safety stewards review it on site and ask for changes, each an item the enterprise answers with a
// note and a photo; the highest grades also need the park office's approval; only then may the work
// start, with a photo, and it ends with a photo of the site put back.
//
// The package owns the filings, their suggestion items and their timelines. It opens hazards through
// hazard.Opener and tells users through a Notifier, as the other routines do.
package filing

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/jobs"
	"parksafe/service/notify"
)

// Filing kinds: the special operations of GB 30871-2022, the major production activities and
// contractor projects.
const (
	KindHotWork         = "hot_work"
	KindConfinedSpace   = "confined_space"
	KindBlindPlate      = "blind_plate"
	KindWorkAtHeight    = "work_at_height"
	KindLifting         = "lifting"
	KindTemporaryPower  = "temporary_power"
	KindExcavation      = "excavation"
	KindRoadClosure     = "road_closure"
	KindStartupShutdown = "startup_shutdown"
	KindOverhaul        = "overhaul"
	KindTrialProduction = "trial_production"
	KindMajorOther      = "major_other"
	KindContractor      = "contractor"
)

// Groups of kinds.
const (
	GroupSpecialOperation = "special_operation"
	GroupMajorActivity    = "major_activity"
	GroupContractor       = "contractor_project"
)

// Grades. Hot work is 特级, 一级 or 二级; work at height Ⅰ–Ⅳ级 by height (GB/T 3608); lifting 一–三级 by
// load. Other kinds have no grade.
const (
	GradeSpecial = "special"
	GradeLevel1  = "level1"
	GradeLevel2  = "level2"
	GradeLevel3  = "level3"
	GradeLevel4  = "level4"
)

// Kinds lists every kind in the order the pages offer them.
var Kinds = []string{KindHotWork, KindConfinedSpace, KindBlindPlate, KindWorkAtHeight, KindLifting, KindTemporaryPower,
	KindExcavation, KindRoadClosure, KindStartupShutdown, KindOverhaul, KindTrialProduction, KindMajorOther, KindContractor}

// KindLabels, GroupLabels and StatusLabels give the Chinese label of each value.
var (
	KindLabels = map[string]string{
		KindHotWork: "动火作业", KindConfinedSpace: "受限空间作业", KindBlindPlate: "盲板抽堵作业", KindWorkAtHeight: "高处作业",
		KindLifting: "吊装作业", KindTemporaryPower: "临时用电作业", KindExcavation: "动土作业", KindRoadClosure: "断路作业",
		KindStartupShutdown: "开停车", KindOverhaul: "大检修", KindTrialProduction: "试生产", KindMajorOther: "其他重大生产活动",
		KindContractor: "外包工程",
	}
	GroupLabels = map[string]string{
		GroupSpecialOperation: "特殊作业", GroupMajorActivity: "重大生产活动", GroupContractor: "外包工程",
	}
	StatusLabels = map[string]string{
		model.FilingDraft:            "草稿",
		model.FilingSubmitted:        "待审核",
		model.FilingChangesRequested: "待整改",
		model.FilingResubmitted:      "待复核",
		model.FilingPendingAdmin:     "待园区审批",
		model.FilingApproved:         "已批准待开工",
		model.FilingInProgress:       "作业中",
		model.FilingCompleted:        "已完工",
		model.FilingCancelled:        "已取消",
		model.FilingExpired:          "已过期",
	}
	ItemStatusLabels = map[string]string{
		model.FilingItemOpen:     "待答复",
		model.FilingItemAnswered: "已答复",
	}
)

// Statuses lists every status in the order a filing passes them.
var Statuses = []string{model.FilingDraft, model.FilingSubmitted, model.FilingChangesRequested, model.FilingResubmitted,
	model.FilingPendingAdmin, model.FilingApproved, model.FilingInProgress, model.FilingCompleted, model.FilingCancelled, model.FilingExpired}

// gradeLabels are the grades each graded kind takes, with their labels.
var gradeLabels = map[string]map[string]string{
	KindHotWork:      {GradeSpecial: "特级", GradeLevel1: "一级", GradeLevel2: "二级"},
	KindWorkAtHeight: {GradeLevel1: "Ⅰ级", GradeLevel2: "Ⅱ级", GradeLevel3: "Ⅲ级", GradeLevel4: "Ⅳ级"},
	KindLifting:      {GradeLevel1: "一级", GradeLevel2: "二级", GradeLevel3: "三级"},
}

// adminGrades are the graded kinds' grades that need the park office's approval after the reviewer's:
// 特级动火, 高处作业 of Ⅰ级 or above (every class GB/T 3608 has, from 2 m up) and 一级吊装. Every
// major production activity needs it too (NeedsAdmin).
var adminGrades = map[string][]string{
	KindHotWork:      {GradeSpecial},
	KindWorkAtHeight: {GradeLevel1, GradeLevel2, GradeLevel3, GradeLevel4},
	KindLifting:      {GradeLevel1},
}

// GroupOf returns the group of a kind.
func GroupOf(kind string) string {
	switch kind {
	case KindStartupShutdown, KindOverhaul, KindTrialProduction, KindMajorOther:
		return GroupMajorActivity
	case KindContractor:
		return GroupContractor
	}
	return GroupSpecialOperation
}

// GradeLabel returns the label of grade for kind, "" when the kind has no such grade.
func GradeLabel(kind, grade string) string { return gradeLabels[kind][grade] }

// Grades returns the grades kind takes (nil for kinds without grades), keyed to their labels.
func Grades(kind string) map[string]string { return gradeLabels[kind] }

// NeedsAdmin reports whether a filing of kind and grade needs the park office's approval after the
// reviewer's.
func NeedsAdmin(kind, grade string) bool {
	if GroupOf(kind) == GroupMajorActivity {
		return true
	}
	for _, g := range adminGrades[kind] {
		if g == grade {
			return true
		}
	}
	return false
}

// StartTolerance is how long before its planned start an approved operation may start: crews gather
// and put out their barriers a little early, never hours early.
const StartTolerance = 30 * time.Minute

// Limits of a filing.
const (
	maxItems = 20
	maxSpan  = 366 * 24 * time.Hour // the longest planned span: a year-long contractor project
	maxAhead = 366 * 24 * time.Hour // how far ahead a filing may be planned
)

// Photo owners and roles of a filing's photos.
const (
	RolePermit     = "permit"     // 作业票 and other permits, on the filing
	RoleAttachment = "attachment" // plans, drawings, certificates, on the filing
	RoleAnswer     = "answer"     // on an item: the put-right photo
	RoleSite       = "site"       // on a start or completion step
)

// JobExpire is the kind of the periodic job that expires approved filings not started by their
// planned end.
const JobExpire = "filing.expire"

// expireEvery is how often the expiry sweep runs.
const expireEvery = 10 * time.Minute

// Notifier adds notices to users' feeds and queues their subscribe messages inside tx
// (notify.Notifier).
type Notifier interface {
	Notify(ctx context.Context, tx *gorm.DB, userIDs []uint64, n notify.Notice) error
}

// Deps are the filing service's collaborators. Hazards opens the hazards an on-site check finds, of
// source filing, inside the filing's transaction; Notifier (nil: nobody is told) tells users of each
// step.
type Deps struct {
	DB       *gorm.DB
	Park     service.ParkTime
	Hazards  hazard.Opener
	Notifier Notifier
	Log      *slog.Logger
}

// Filings is the filing service.
type Filings struct {
	db       *gorm.DB
	park     service.ParkTime
	hazards  hazard.Opener
	notifier Notifier
	log      *slog.Logger
}

// New returns the filing service.
func New(d Deps) *Filings {
	s := &Filings{db: d.DB, park: d.Park, hazards: d.Hazards, notifier: d.Notifier, log: d.Log}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Register schedules on queue the sweep that expires approved filings not started by their planned
// end.
func (s *Filings) Register(queue *jobs.Queue) {
	jobs.EveryCounted(queue, JobExpire, expireEvery, "filings expired", s.ExpireDue)
}
