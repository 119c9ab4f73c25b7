package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service"
	"parksafe/service/filing"
)

// FilingContractorRequest is the contractor doing the work.
type FilingContractorRequest struct {
	Name          string `json:"name" example:"宏安建设工程有限公司"`
	USCC          string `json:"uscc" example:"91330604MA2D31720X"`
	Workers       int    `json:"workers" example:"6"`
	Manager       string `json:"manager" example:"陈志远"`
	ManagerMobile string `json:"manager_mobile" example:"13905710001"`
}

func (r *FilingContractorRequest) input() *filing.Contractor {
	if r == nil {
		return nil
	}
	return &filing.Contractor{Name: r.Name, USCC: r.USCC, Workers: r.Workers, Manager: r.Manager, ManagerMobile: r.ManagerMobile}
}

// FilingRequest files a special operation, a major production activity or a contractor project.
// grade is required for hot_work (special, level1, level2), work_at_height (level1–level4) and lifting
// (level1–level3), and empty otherwise (GET /filings/kinds lists them).
type FilingRequest struct {
	Kind                 string                   `json:"kind" enums:"hot_work,confined_space,blind_plate,work_at_height,lifting,temporary_power,excavation,road_closure,startup_shutdown,overhaul,trial_production,major_other,contractor" example:"hot_work"`
	Grade                string                   `json:"grade" enums:"special,level1,level2,level3,level4" example:"level1"`
	Title                string                   `json:"title" example:"二号罐区管线更换动火"`
	Location             string                   `json:"location" example:"二号罐区东侧管廊"`
	Latitude             *float64                 `json:"latitude" example:"30.2741"`
	Longitude            *float64                 `json:"longitude" example:"120.1551"`
	PlannedStart         string                   `json:"planned_start" example:"2026-12-03T08:00:00+08:00"`
	PlannedEnd           string                   `json:"planned_end" example:"2026-12-03T17:00:00+08:00"`
	Content              string                   `json:"content" example:"更换 DN150 物料管线两段，焊接作业"`
	HazardIdentification string                   `json:"hazard_identification" example:"可燃气体残留、火花飞溅、高处坠落"`
	SafetyMeasures       string                   `json:"safety_measures" example:"管线吹扫置换并检测合格；清理周边可燃物；配备灭火器两具；专人监护"`
	ResponsibleName      string                   `json:"responsible_name" example:"王志刚"`
	ResponsibleMobile    string                   `json:"responsible_mobile" example:"13905711234"`
	WatcherName          string                   `json:"watcher_name" example:"李强"`
	WatcherMobile        string                   `json:"watcher_mobile" example:"13905715678"`
	Contractor           *FilingContractorRequest `json:"contractor"`
	// PermitPhotoIDs are the photos of the work permit (作业票): at least one for a special operation
	// before it is submitted.
	PermitPhotoIDs     []uint64 `json:"permit_photo_ids"`
	AttachmentPhotoIDs []uint64 `json:"attachment_photo_ids"`
	// Submit files it at once; otherwise it is kept as a draft.
	Submit bool `json:"submit"`
}

// FilingPatchRequest edits a draft or a filing whose changes were requested; omitted fields stay. A
// photo list replaces that list; contractor replaces the contractor ({} removes it).
type FilingPatchRequest struct {
	Kind                 *string                  `json:"kind"`
	Grade                *string                  `json:"grade"`
	Title                *string                  `json:"title"`
	Location             *string                  `json:"location"`
	Latitude             *float64                 `json:"latitude"`
	Longitude            *float64                 `json:"longitude"`
	ClearCoordinates     bool                     `json:"clear_coordinates"`
	PlannedStart         *string                  `json:"planned_start"`
	PlannedEnd           *string                  `json:"planned_end"`
	Content              *string                  `json:"content"`
	HazardIdentification *string                  `json:"hazard_identification"`
	SafetyMeasures       *string                  `json:"safety_measures"`
	ResponsibleName      *string                  `json:"responsible_name"`
	ResponsibleMobile    *string                  `json:"responsible_mobile"`
	WatcherName          *string                  `json:"watcher_name"`
	WatcherMobile        *string                  `json:"watcher_mobile"`
	Contractor           *FilingContractorRequest `json:"contractor"`
	PermitPhotoIDs       []uint64                 `json:"permit_photo_ids"`
	AttachmentPhotoIDs   []uint64                 `json:"attachment_photo_ids"`
	// Version is the version the edit is based on; a stale one is 409.
	Version *int `json:"version"`
}

// FilingVersionRequest carries the version a step is based on (optional; a stale one is 409).
type FilingVersionRequest struct {
	Version *int `json:"version"`
}

// FilingAssignRequest names the reviewer: an active inspector (a park inspector or resident expert).
type FilingAssignRequest struct {
	ReviewerID uint64 `json:"reviewer_id" example:"9"`
	Version    *int   `json:"version"`
}

// FilingDecisionRequest approves a filing, or asks for changes with one item per suggestion.
type FilingDecisionRequest struct {
	Approved *bool    `json:"approved" example:"false"`
	Comment  string   `json:"comment" example:"现场核查意见如下"`
	Items    []string `json:"items"`
	Version  *int     `json:"version"`
}

// FilingAnswerRequest answers one suggestion: what was done and a photo of it.
type FilingAnswerRequest struct {
	ItemID   uint64   `json:"item_id" example:"31"`
	Note     string   `json:"note" example:"已增设灭火器两具并设置警戒线"`
	PhotoIDs []uint64 `json:"photo_ids"`
}

// FilingResubmitRequest answers every open suggestion and submits the filing again.
type FilingResubmitRequest struct {
	Answers []FilingAnswerRequest `json:"answers"`
	Comment string                `json:"comment"`
	Version *int                  `json:"version"`
}

// FilingStepRequest starts or completes the work, with site photos.
type FilingStepRequest struct {
	Comment  string   `json:"comment" example:"作业人员已到位，气体检测合格"`
	PhotoIDs []uint64 `json:"photo_ids"`
	Version  *int     `json:"version"`
}

// FilingCancelRequest withdraws a filing before the work starts.
type FilingCancelRequest struct {
	Reason  string `json:"reason" example:"检修计划推迟"`
	Version *int   `json:"version"`
}

// FilingHazardRequest is a hazard found while checking a filing's site; location and coordinates
// default to the filing's.
type FilingHazardRequest struct {
	Category    string   `json:"category" enums:"equipment,operation,management,fire,hygiene,environment,other" example:"operation"`
	Level       string   `json:"level" enums:"general,major" example:"general"`
	Title       string   `json:"title" example:"动火点周边可燃物未清理"`
	Description string   `json:"description" example:"动火点 10 米内堆放废旧木托盘"`
	Location    string   `json:"location"`
	Latitude    *float64 `json:"latitude"`
	Longitude   *float64 `json:"longitude"`
	Requirement string   `json:"requirement" example:"开工前清理完毕"`
	Deadline    string   `json:"deadline" example:"2026-12-03"`
	PhotoIDs    []uint64 `json:"photo_ids"`
}

// FilingContractor is the contractor doing the work.
type FilingContractor struct {
	Name          string `json:"name"`
	USCC          string `json:"uscc"`
	Workers       int    `json:"workers"`
	Manager       string `json:"manager"`
	ManagerMobile string `json:"manager_mobile"`
}

// FilingListItem is a filing as a list row shows it: no long text and at most one thumbnail (the
// first permit photo).
type FilingListItem struct {
	ID             uint64      `json:"id" example:"41"`
	Code           string      `json:"code" example:"BB-20261202-0003"`
	EnterpriseID   uint64      `json:"enterprise_id" example:"3"`
	EnterpriseName string      `json:"enterprise_name" example:"龙池石化有限公司"`
	Group          string      `json:"group" example:"special_operation"`
	GroupLabel     string      `json:"group_label" example:"特殊作业"`
	Kind           string      `json:"kind" example:"hot_work"`
	KindLabel      string      `json:"kind_label" example:"动火作业"`
	Grade          string      `json:"grade" example:"level1"`
	GradeLabel     string      `json:"grade_label" example:"一级"`
	Title          string      `json:"title" example:"二号罐区管线更换动火"`
	Location       string      `json:"location" example:"二号罐区东侧管廊"`
	PlannedStart   time.Time   `json:"planned_start"`
	PlannedEnd     time.Time   `json:"planned_end"`
	Status         string      `json:"status" example:"approved"`
	StatusLabel    string      `json:"status_label" example:"已批准待开工"`
	NeedsAdmin     bool        `json:"needs_admin"`
	Reviewer       *PersonRef  `json:"reviewer"`
	ChangeRounds   int         `json:"change_rounds"`
	Overrun        bool        `json:"overrun"`
	Thumb          *PhotoThumb `json:"thumb"`
	SubmittedAt    *time.Time  `json:"submitted_at"`
	CreatedAt      time.Time   `json:"created_at"`
	Version        int         `json:"version" example:"1"`
}

// FilingResponse is a filing as its detail shows it.
type FilingResponse struct {
	FilingListItem
	Latitude             *float64          `json:"latitude"`
	Longitude            *float64          `json:"longitude"`
	Content              string            `json:"content"`
	HazardIdentification string            `json:"hazard_identification"`
	SafetyMeasures       string            `json:"safety_measures"`
	ResponsibleName      string            `json:"responsible_name"`
	ResponsibleMobile    string            `json:"responsible_mobile"`
	WatcherName          string            `json:"watcher_name"`
	WatcherMobile        string            `json:"watcher_mobile"`
	Contractor           *FilingContractor `json:"contractor"`
	CreatedBy            PersonRef         `json:"created_by"`
	PermitPhotos         []PhotoResponse   `json:"permit_photos"`
	AttachmentPhotos     []PhotoResponse   `json:"attachment_photos"`
	// StartableFrom is the earliest moment the work may start once approved.
	StartableFrom   time.Time  `json:"startable_from"`
	FirstDecisionAt *time.Time `json:"first_decision_at"`
	ApprovedAt      *time.Time `json:"approved_at"`
	StartedAt       *time.Time `json:"started_at"`
	CompletedAt     *time.Time `json:"completed_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// FilingItemResponse is one suggestion and the enterprise's answer.
type FilingItemResponse struct {
	ID          uint64          `json:"id" example:"31"`
	Round       int             `json:"round" example:"1"`
	Seq         int             `json:"seq" example:"1"`
	Content     string          `json:"content" example:"动火点周边 10 米内可燃物未清理"`
	Status      string          `json:"status" example:"answered"`
	StatusLabel string          `json:"status_label" example:"已答复"`
	CreatedBy   PersonRef       `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	AnswerNote  string          `json:"answer_note"`
	AnsweredBy  *PersonRef      `json:"answered_by"`
	AnsweredAt  *time.Time      `json:"answered_at"`
	Photos      []PhotoResponse `json:"photos"`
}

// FilingHazardRef names the hazard a step opened.
type FilingHazardRef struct {
	ID   uint64 `json:"id"`
	Code string `json:"code" example:"YH-20261203-0002"`
}

// FilingEventResponse is one step of the timeline.
type FilingEventResponse struct {
	ID              uint64           `json:"id"`
	Action          string           `json:"action" example:"changes_requested"`
	ActionLabel     string           `json:"action_label" example:"提出整改意见"`
	FromStatus      string           `json:"from_status" example:"submitted"`
	FromStatusLabel string           `json:"from_status_label" example:"待审核"`
	ToStatus        string           `json:"to_status" example:"changes_requested"`
	ToStatusLabel   string           `json:"to_status_label" example:"待整改"`
	Actor           ActorRef         `json:"actor"`
	Comment         string           `json:"comment"`
	Photos          []PhotoResponse  `json:"photos"`
	Hazard          *FilingHazardRef `json:"hazard"`
	CreatedAt       time.Time        `json:"created_at"`
}

// FilingDetailResponse is a filing with its suggestions and timeline.
type FilingDetailResponse struct {
	FilingResponse
	Items  []FilingItemResponse  `json:"items"`
	Events []FilingEventResponse `json:"events"`
}

// FilingGradeResponse is one grade of a kind.
type FilingGradeResponse struct {
	Grade      string `json:"grade" example:"special"`
	GradeLabel string `json:"grade_label" example:"特级"`
	NeedsAdmin bool   `json:"needs_admin"`
}

// FilingKindResponse is one kind of filing, with its grades (none for kinds without grades).
type FilingKindResponse struct {
	Kind       string                `json:"kind" example:"hot_work"`
	KindLabel  string                `json:"kind_label" example:"动火作业"`
	Group      string                `json:"group" example:"special_operation"`
	GroupLabel string                `json:"group_label" example:"特殊作业"`
	NeedsAdmin bool                  `json:"needs_admin"`
	Grades     []FilingGradeResponse `json:"grades"`
}

// FilingKindCount is how many filings are of one kind.
type FilingKindCount struct {
	Kind      string `json:"kind" example:"hot_work"`
	KindLabel string `json:"kind_label" example:"动火作业"`
	Count     int    `json:"count" example:"4"`
}

// FilingBoardGroup is one enterprise's operations on the board.
type FilingBoardGroup struct {
	EnterpriseID   uint64           `json:"enterprise_id" example:"3"`
	EnterpriseName string           `json:"enterprise_name" example:"龙池石化有限公司"`
	Items          []FilingListItem `json:"items"`
}

// FilingBoardResponse is 今日作业: the operations approved or in progress on a day, by enterprise;
// overrun flags work running past its planned end.
type FilingBoardResponse struct {
	Date        string             `json:"date" example:"2026-12-03"`
	Total       int                `json:"total" example:"9"`
	Approved    int                `json:"approved" example:"5"`
	InProgress  int                `json:"in_progress" example:"4"`
	Overrun     int                `json:"overrun" example:"1"`
	ByKind      []FilingKindCount  `json:"by_kind"`
	Enterprises []FilingBoardGroup `json:"enterprises"`
	Truncated   bool               `json:"truncated"`
}

// FilingStatusCount is how many filings are in one status.
type FilingStatusCount struct {
	Status      string `json:"status" example:"completed"`
	StatusLabel string `json:"status_label" example:"已完工"`
	Count       int    `json:"count" example:"12"`
}

// FilingWeekEnterprise is one enterprise's operations of a week.
type FilingWeekEnterprise struct {
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	Operations     int    `json:"operations"`
	Completed      int    `json:"completed"`
	Overran        int    `json:"overran"`
	Expired        int    `json:"expired"`
	Cancelled      int    `json:"cancelled"`
}

// FilingWeekItem is one operation of a week, as the week view lists it: no photos and no long text.
// overran is true when the work ran past its planned end (completed after it, or still going on).
type FilingWeekItem struct {
	ID             uint64    `json:"id" example:"41"`
	Code           string    `json:"code" example:"BB-20261202-0003"`
	EnterpriseID   uint64    `json:"enterprise_id" example:"3"`
	EnterpriseName string    `json:"enterprise_name" example:"龙池石化有限公司"`
	Kind           string    `json:"kind" example:"hot_work"`
	KindLabel      string    `json:"kind_label" example:"动火作业"`
	Grade          string    `json:"grade" example:"level1"`
	GradeLabel     string    `json:"grade_label" example:"一级"`
	Title          string    `json:"title" example:"二号罐区管线更换动火"`
	Location       string    `json:"location" example:"二号罐区东侧管廊"`
	PlannedStart   time.Time `json:"planned_start"`
	PlannedEnd     time.Time `json:"planned_end"`
	Status         string    `json:"status" example:"completed"`
	StatusLabel    string    `json:"status_label" example:"已完工"`
	Overrun        bool      `json:"overrun"`
	Overran        bool      `json:"overran"`
}

// FilingWeekDay names the operations live on one day (not cancelled or expired), by id into items.
type FilingWeekDay struct {
	Date    string   `json:"date" example:"2026-11-30"`
	Weekday int      `json:"weekday" example:"1"`
	Count   int      `json:"count" example:"12"`
	IDs     []uint64 `json:"ids"`
}

// FilingWeekResponse is a week of filings: every operation whose planned span touches the week
// (drafts aside) once in items, by planned start; counts by status, kind and enterprise; how many ran
// past their planned end; how many were filed in the week; and which operations are live each day.
type FilingWeekResponse struct {
	Week         string                 `json:"week" example:"2026-W49"`
	Monday       string                 `json:"monday" example:"2026-11-30"`
	Filed        int                    `json:"filed" example:"23"`
	Operations   int                    `json:"operations" example:"25"`
	Overran      int                    `json:"overran" example:"1"`
	ByStatus     []FilingStatusCount    `json:"by_status"`
	ByKind       []FilingKindCount      `json:"by_kind"`
	ByEnterprise []FilingWeekEnterprise `json:"by_enterprise"`
	Items        []FilingWeekItem       `json:"items"`
	Days         []FilingWeekDay        `json:"days"`
	Truncated    bool                   `json:"truncated"`
}

// FilingFigures are the review figures of filings submitted in a period: first_pass_rate is the
// share of approved filings approved without a request for changes; the medians are hours from the
// first submission to the first decision and to the approval (null when there is none).
type FilingFigures struct {
	Count               int      `json:"count" example:"120"`
	Approved            int      `json:"approved" example:"110"`
	FirstPass           int      `json:"first_pass" example:"82"`
	FirstPassRate       *float64 `json:"first_pass_rate" example:"0.7455"`
	MedianReviewHours   *float64 `json:"median_review_hours" example:"3.5"`
	MedianApprovalHours *float64 `json:"median_approval_hours" example:"20.2"`
	Cancelled           int      `json:"cancelled" example:"4"`
	Expired             int      `json:"expired" example:"1"`
}

// FilingKindStats are one kind's figures.
type FilingKindStats struct {
	Kind      string `json:"kind" example:"hot_work"`
	KindLabel string `json:"kind_label" example:"动火作业"`
	FilingFigures
}

// FilingEnterpriseStats are one enterprise's figures.
type FilingEnterpriseStats struct {
	EnterpriseID   uint64 `json:"enterprise_id" example:"3"`
	EnterpriseName string `json:"enterprise_name" example:"龙池石化有限公司"`
	FilingFigures
}

// FilingStatsResponse are the review figures of the filings submitted from `from` to `to`.
type FilingStatsResponse struct {
	From         string                  `json:"from" example:"2026-09-05"`
	To           string                  `json:"to" example:"2026-12-03"`
	EnterpriseID uint64                  `json:"enterprise_id,omitempty"`
	Total        FilingFigures           `json:"total"`
	ByKind       []FilingKindStats       `json:"by_kind"`
	ByEnterprise []FilingEnterpriseStats `json:"by_enterprise"`
}

func (s *Server) filingListItem(r *filing.Row) FilingListItem {
	group := filing.GroupOf(r.Kind)
	out := FilingListItem{ID: r.ID, Code: r.Code, EnterpriseID: r.EnterpriseID, Group: group, GroupLabel: filing.GroupLabels[group],
		Kind: r.Kind, KindLabel: filing.KindLabels[r.Kind], Grade: r.Grade, GradeLabel: filing.GradeLabel(r.Kind, r.Grade),
		Title: r.Title, Location: r.Location, PlannedStart: s.local(r.PlannedStart), PlannedEnd: s.local(r.PlannedEnd),
		Status: r.Status, StatusLabel: filing.StatusLabels[r.Status], NeedsAdmin: r.NeedsAdmin, ChangeRounds: r.ChangeRounds,
		Overrun: r.Overrun, SubmittedAt: s.localPtr(r.SubmittedAt), CreatedAt: s.local(r.CreatedAt), Version: r.Version}
	if r.Enterprise != nil {
		out.EnterpriseName = r.Enterprise.Name
	}
	if r.ReviewerID != nil {
		p := personRef(*r.ReviewerID, r.Reviewer)
		out.Reviewer = &p
	}
	if r.Thumb != nil {
		out.Thumb = &PhotoThumb{ID: r.Thumb.ID}
		if s.PhotoLinks != nil {
			_, out.Thumb.ThumbURL = s.PhotoLinks.Links(r.Thumb)
		}
	}
	return out
}

func (s *Server) filingDetail(d *filing.Detail) FilingDetailResponse {
	f := &d.Filing
	out := FilingDetailResponse{FilingResponse: FilingResponse{FilingListItem: s.filingListItem(&d.Row),
		Latitude: f.Latitude, Longitude: f.Longitude, Content: f.Content, HazardIdentification: f.HazardIdentification,
		SafetyMeasures: f.SafetyMeasures, ResponsibleName: f.ResponsibleName, ResponsibleMobile: f.ResponsibleMobile,
		WatcherName: f.WatcherName, WatcherMobile: f.WatcherMobile, CreatedBy: personRef(f.CreatedByID, f.CreatedBy),
		PermitPhotos: s.photos(d.Permits), AttachmentPhotos: s.photos(d.Attachments),
		StartableFrom: s.local(f.PlannedStart.Add(-filing.StartTolerance)), FirstDecisionAt: s.localPtr(f.FirstDecisionAt),
		ApprovedAt: s.localPtr(f.ApprovedAt), StartedAt: s.localPtr(f.StartedAt), CompletedAt: s.localPtr(f.CompletedAt),
		ClosedAt: s.localPtr(f.ClosedAt), UpdatedAt: s.local(f.UpdatedAt)},
		Items: []FilingItemResponse{}, Events: []FilingEventResponse{}}
	if f.ContractorName != "" || f.Kind == filing.KindContractor {
		out.Contractor = &FilingContractor{Name: f.ContractorName, USCC: f.ContractorUSCC, Workers: f.ContractorWorkers,
			Manager: f.ContractorManager, ManagerMobile: f.ContractorManagerMobile}
	}
	for _, it := range d.Items {
		item := FilingItemResponse{ID: it.ID, Round: it.Round, Seq: it.Seq, Content: it.Content, Status: it.Status,
			StatusLabel: filing.ItemStatusLabels[it.Status], CreatedBy: personRef(it.CreatedByID, it.CreatedBy), CreatedAt: s.local(it.CreatedAt),
			AnswerNote: it.AnswerNote, AnsweredAt: s.localPtr(it.AnsweredAt), Photos: s.photos(it.Photos)}
		if it.AnsweredByID != nil {
			p := personRef(*it.AnsweredByID, it.AnsweredBy)
			item.AnsweredBy = &p
		}
		out.Items = append(out.Items, item)
	}
	for _, e := range d.Events {
		role := service.RoleLabels[e.ActorRole]
		if e.ActorRole == filing.RoleSystem {
			role = "系统"
		}
		ev := FilingEventResponse{ID: e.ID, Action: e.Action, ActionLabel: filing.ActionLabels[e.Action],
			FromStatus: e.FromStatus, FromStatusLabel: filing.StatusLabels[e.FromStatus], ToStatus: e.ToStatus,
			ToStatusLabel: filing.StatusLabels[e.ToStatus], Actor: ActorRef{ID: e.ActorID, Name: e.ActorName, Role: e.ActorRole, RoleLabel: role},
			Comment: e.Comment, Photos: s.photos(e.Photos), CreatedAt: s.local(e.CreatedAt)}
		if e.HazardID != nil {
			ev.Hazard = &FilingHazardRef{ID: *e.HazardID, Code: e.HazardCode}
		}
		out.Events = append(out.Events, ev)
	}
	return out
}

func (s *Server) filingRows(rows []filing.Row) []FilingListItem {
	out := make([]FilingListItem, 0, len(rows))
	for i := range rows {
		out = append(out, s.filingListItem(&rows[i]))
	}
	return out
}

func kindCounts(ks []filing.KindCount) []FilingKindCount {
	out := make([]FilingKindCount, 0, len(ks))
	for _, k := range ks {
		out = append(out, FilingKindCount{Kind: k.Kind, KindLabel: filing.KindLabels[k.Kind], Count: k.Count})
	}
	return out
}

func figures(f filing.Figures) FilingFigures {
	return FilingFigures{Count: f.Count, Approved: f.Approved, FirstPass: f.FirstPass, FirstPassRate: f.FirstPassRate,
		MedianReviewHours: f.MedianReviewHours, MedianApprovalHours: f.MedianApprovalHours, Cancelled: f.Cancelled, Expired: f.Expired}
}

// createFiling godoc
//
//	@Summary		File an operation, activity or contractor project (enterprise)
//	@Description	Kept as a draft, or submitted at once with submit: true (then complete: location, content, hazard identification, safety measures, responsible person and watcher with mobiles, at least one permit photo for a special operation, the contractor for a contractor project; planned start ahead). Code BB-YYYYMMDD-NNNN.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string			false	"retry key"
//	@Param			body			body		FilingRequest	true	"filing"
//	@Success		201				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings [post]
func (s *Server) createFiling(c *gin.Context) {
	var r FilingRequest
	if !bindJSON(c, &r) {
		return
	}
	d, err := s.Filings.Create(c.Request.Context(), actor(c), filing.Input{Kind: r.Kind, Grade: r.Grade, Title: r.Title,
		Location: r.Location, Latitude: r.Latitude, Longitude: r.Longitude, PlannedStart: r.PlannedStart, PlannedEnd: r.PlannedEnd,
		Content: r.Content, HazardIdentification: r.HazardIdentification, SafetyMeasures: r.SafetyMeasures,
		ResponsibleName: r.ResponsibleName, ResponsibleMobile: r.ResponsibleMobile, WatcherName: r.WatcherName,
		WatcherMobile: r.WatcherMobile, Contractor: r.Contractor.input(), PermitPhotoIDs: r.PermitPhotoIDs,
		AttachmentPhotoIDs: r.AttachmentPhotoIDs, Submit: r.Submit})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.filingDetail(d))
}

// listFilings godoc
//
//	@Summary		List filings (an enterprise user sees only its own)
//	@Description	Compact rows; queue=true keeps what waits for the caller: an inspector's filings to review, the office's to approve or assign, an enterprise's drafts, filings to put right and approved or running work.
//	@Tags			filings
//	@Produce		json
//	@Security		Bearer
//	@Param			status			query		string	false	"one status or several separated by commas: draft, submitted, changes_requested, resubmitted, pending_admin, approved, in_progress, completed, cancelled, expired"
//	@Param			kind			query		string	false	"kind"
//	@Param			group			query		string	false	"special_operation, major_activity or contractor_project"
//	@Param			enterprise_id	query		int		false	"enterprise"
//	@Param			reviewer_id		query		int		false	"reviewer"
//	@Param			queue			query		bool	false	"only what waits for the caller"
//	@Param			q				query		string	false	"code, title or location contains"
//	@Param			from			query		string	false	"planned start on or after, YYYY-MM-DD (park time)"
//	@Param			to				query		string	false	"planned start on or before, YYYY-MM-DD (park time)"
//	@Param			sort			query		string	false	"-created_at (default), created_at, planned_start or -planned_start"
//	@Param			page			query		int		false	"page, from 1"
//	@Param			page_size		query		int		false	"1 to 100"
//	@Success		200				{object}	ListResponse[FilingListItem]
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings [get]
func (s *Server) listFilings(c *gin.Context) {
	q := newQuery(c)
	queue := q.boolPtr("queue")
	f := filing.Filter{Status: q.str("status"), Kind: q.str("kind"), Group: q.str("group"), EnterpriseID: q.uint("enterprise_id"),
		ReviewerID: q.uint("reviewer_id"), Queue: queue != nil && *queue, Q: q.str("q"), From: q.str("from"), To: q.str("to"), Sort: q.str("sort")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Filings.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.filingListItem))
}

// filingKinds godoc
//
//	@Summary	The kinds of filing with their grades, and which need the park office's approval
//	@Tags		filings
//	@Produce	json
//	@Security	Bearer
//	@Success	200	{array}	FilingKindResponse
//	@Router		/filings/kinds [get]
func (s *Server) filingKinds(c *gin.Context) {
	out := make([]FilingKindResponse, 0, len(filing.Kinds))
	for _, k := range filing.Kinds {
		group := filing.GroupOf(k)
		kr := FilingKindResponse{Kind: k, KindLabel: filing.KindLabels[k], Group: group, GroupLabel: filing.GroupLabels[group],
			NeedsAdmin: filing.NeedsAdmin(k, ""), Grades: []FilingGradeResponse{}}
		for _, g := range []string{filing.GradeSpecial, filing.GradeLevel1, filing.GradeLevel2, filing.GradeLevel3, filing.GradeLevel4} {
			if label := filing.GradeLabel(k, g); label != "" {
				kr.Grades = append(kr.Grades, FilingGradeResponse{Grade: g, GradeLabel: label, NeedsAdmin: filing.NeedsAdmin(k, g)})
			}
		}
		out = append(out, kr)
	}
	c.JSON(http.StatusOK, out)
}

// filingBoard godoc
//
//	@Summary		今日作业: operations approved or in progress on a day, by enterprise (an enterprise user: its own)
//	@Description	Approved operations whose planned span touches the day and has not run out, and work in progress that started by the day's end; overrun flags work past its planned end.
//	@Tags			filings
//	@Produce		json
//	@Security		Bearer
//	@Param			date	query		string	false	"YYYY-MM-DD (park time); today when omitted"
//	@Success		200		{object}	FilingBoardResponse
//	@Failure		422		{object}	ErrorBody
//	@Router			/filings/board [get]
func (s *Server) filingBoard(c *gin.Context) {
	b, err := s.Filings.Board(c.Request.Context(), actor(c), newQuery(c).str("date"))
	if err != nil {
		respondError(c, err)
		return
	}
	out := FilingBoardResponse{Date: b.Date.Format(time.DateOnly), Total: b.Approved + b.InProgress, Approved: b.Approved,
		InProgress: b.InProgress, Overrun: b.Overrun, ByKind: kindCounts(b.ByKind), Enterprises: []FilingBoardGroup{}, Truncated: b.Truncated}
	for _, g := range b.Enterprises {
		out.Enterprises = append(out.Enterprises, FilingBoardGroup{EnterpriseID: g.EnterpriseID, EnterpriseName: g.EnterpriseName, Items: s.filingRows(g.Rows)})
	}
	c.JSON(http.StatusOK, out)
}

// filingWeek godoc
//
//	@Summary	A week of filings: its operations once, which are live each day, counts by status, kind and enterprise (an enterprise user: its own)
//	@Tags		filings
//	@Produce	json
//	@Security	Bearer
//	@Param		week	path		string	true	"ISO week YYYY-Www"
//	@Success	200		{object}	FilingWeekResponse
//	@Failure	422		{object}	ErrorBody
//	@Router		/filings/weeks/{week} [get]
func (s *Server) filingWeek(c *gin.Context) {
	w, err := s.Filings.Week(c.Request.Context(), actor(c), c.Param("week"))
	if err != nil {
		respondError(c, err)
		return
	}
	out := FilingWeekResponse{Week: w.Week.String(), Monday: w.Monday.Format(time.DateOnly), Filed: w.Filed, Operations: w.Operations,
		Overran: w.Overran, ByStatus: []FilingStatusCount{}, ByKind: kindCounts(w.ByKind), ByEnterprise: []FilingWeekEnterprise{},
		Days: []FilingWeekDay{}, Truncated: w.Truncated}
	for _, st := range w.ByStatus {
		out.ByStatus = append(out.ByStatus, FilingStatusCount{Status: st.Status, StatusLabel: filing.StatusLabels[st.Status], Count: st.Count})
	}
	for _, e := range w.ByEnterprise {
		out.ByEnterprise = append(out.ByEnterprise, FilingWeekEnterprise{EnterpriseID: e.EnterpriseID, EnterpriseName: e.EnterpriseName,
			Operations: e.Operations, Completed: e.Completed, Overran: e.Overran, Expired: e.Expired, Cancelled: e.Cancelled})
	}
	out.Items = make([]FilingWeekItem, 0, len(w.Rows))
	for i := range w.Rows {
		r := &w.Rows[i]
		it := FilingWeekItem{ID: r.ID, Code: r.Code, EnterpriseID: r.EnterpriseID, Kind: r.Kind, KindLabel: filing.KindLabels[r.Kind],
			Grade: r.Grade, GradeLabel: filing.GradeLabel(r.Kind, r.Grade), Title: r.Title, Location: r.Location,
			PlannedStart: s.local(r.PlannedStart), PlannedEnd: s.local(r.PlannedEnd), Status: r.Status,
			StatusLabel: filing.StatusLabels[r.Status], Overrun: r.Overrun, Overran: filing.Overran(r)}
		if r.Enterprise != nil {
			it.EnterpriseName = r.Enterprise.Name
		}
		out.Items = append(out.Items, it)
	}
	for i, d := range w.Days {
		out.Days = append(out.Days, FilingWeekDay{Date: d.Date.Format(time.DateOnly), Weekday: i + 1, Count: len(d.IDs), IDs: d.IDs})
	}
	c.JSON(http.StatusOK, out)
}

// filingStats godoc
//
//	@Summary		Review figures of filings by kind and enterprise (an enterprise user: its own)
//	@Description	Over the filings first submitted from `from` to `to` (default: the last 90 days): count, approved, first-pass approvals and their rate, median hours to the first decision and to approval, cancelled, expired.
//	@Tags			filings
//	@Produce		json
//	@Security		Bearer
//	@Param			from			query		string	false	"YYYY-MM-DD (park time)"
//	@Param			to				query		string	false	"YYYY-MM-DD (park time)"
//	@Param			enterprise_id	query		int		false	"enterprise"
//	@Success		200				{object}	FilingStatsResponse
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/stats [get]
func (s *Server) filingStats(c *gin.Context) {
	q := newQuery(c)
	f := filing.StatsFilter{From: q.str("from"), To: q.str("to"), EnterpriseID: q.uint("enterprise_id")}
	if !q.ok() {
		return
	}
	st, err := s.Filings.Stats(c.Request.Context(), actor(c), f)
	if err != nil {
		respondError(c, err)
		return
	}
	out := FilingStatsResponse{From: st.From.Format(time.DateOnly), To: st.To.Format(time.DateOnly), EnterpriseID: st.EnterpriseID,
		Total: figures(st.Total), ByKind: []FilingKindStats{}, ByEnterprise: []FilingEnterpriseStats{}}
	for _, k := range st.ByKind {
		out.ByKind = append(out.ByKind, FilingKindStats{Kind: k.Kind, KindLabel: filing.KindLabels[k.Kind], FilingFigures: figures(k.Figures)})
	}
	for _, e := range st.ByEnterprise {
		out.ByEnterprise = append(out.ByEnterprise, FilingEnterpriseStats{EnterpriseID: e.EnterpriseID, EnterpriseName: e.EnterpriseName,
			FilingFigures: figures(e.Figures)})
	}
	c.JSON(http.StatusOK, out)
}

// getFiling godoc
//
//	@Summary	One filing with its photos, suggestions and timeline
//	@Tags		filings
//	@Produce	json
//	@Security	Bearer
//	@Param		id	path		int	true	"filing id"
//	@Success	200	{object}	FilingDetailResponse
//	@Failure	404	{object}	ErrorBody
//	@Router		/filings/{id} [get]
func (s *Server) getFiling(c *gin.Context) {
	id, ok := pathID(c, "报备")
	if !ok {
		return
	}
	d, err := s.Filings.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.filingDetail(d))
}

// filingAction binds a request of type R, calls do with the filing id and answers the detail.
func filingAction[R any](s *Server, c *gin.Context, do func(id uint64, req *R) (*filing.Detail, error)) {
	id, ok := pathID(c, "报备")
	if !ok {
		return
	}
	var req R
	if !bindJSON(c, &req) {
		return
	}
	d, err := do(id, &req)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.filingDetail(d))
}

// updateFiling godoc
//
//	@Summary		Edit a draft, or a filing whose changes were requested (its enterprise)
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingPatchRequest	true	"changes"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id} [patch]
func (s *Server) updateFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingPatchRequest) (*filing.Detail, error) {
		return s.Filings.Update(c.Request.Context(), actor(c), id, filing.Patch{Kind: r.Kind, Grade: r.Grade, Title: r.Title,
			Location: r.Location, Latitude: r.Latitude, Longitude: r.Longitude, ClearCoordinates: r.ClearCoordinates,
			PlannedStart: r.PlannedStart, PlannedEnd: r.PlannedEnd, Content: r.Content, HazardIdentification: r.HazardIdentification,
			SafetyMeasures: r.SafetyMeasures, ResponsibleName: r.ResponsibleName, ResponsibleMobile: r.ResponsibleMobile,
			WatcherName: r.WatcherName, WatcherMobile: r.WatcherMobile, Contractor: r.Contractor.input(),
			PermitPhotoIDs: r.PermitPhotoIDs, AttachmentPhotoIDs: r.AttachmentPhotoIDs, Version: r.Version})
	})
}

// submitFiling godoc
//
//	@Summary		Submit a draft (its enterprise)
//	@Description	draft → submitted; it must be complete and planned ahead. The enterprise's cadre becomes the reviewer, else the park office assigns one.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int						true	"filing id"
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		FilingVersionRequest	true	"version"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/submit [post]
func (s *Server) submitFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingVersionRequest) (*filing.Detail, error) {
		return s.Filings.Submit(c.Request.Context(), actor(c), id, r.Version)
	})
}

// assignFiling godoc
//
//	@Summary		Assign the reviewer (admin: anyone; an inspector: itself, when nobody reviews it yet)
//	@Description	While submitted, changes_requested or resubmitted; the reviewer is an active inspector.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingAssignRequest	true	"reviewer"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/assign [post]
func (s *Server) assignFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingAssignRequest) (*filing.Detail, error) {
		return s.Filings.Assign(c.Request.Context(), actor(c), id, filing.AssignInput{ReviewerID: r.ReviewerID, Version: r.Version})
	})
}

func (r *FilingDecisionRequest) input() filing.DecisionInput {
	return filing.DecisionInput{Approved: r.Approved, Comment: r.Comment, Items: r.Items, Version: r.Version}
}

// reviewFiling godoc
//
//	@Summary		Review a submitted filing (its reviewer, or admin)
//	@Description	Approved: → approved, or → pending_admin for 特级动火, 高处作业, 一级吊装 and major activities (an admin's own review approves at once); not while the planned end has passed. Not approved: items (1–20 suggestions) → changes_requested.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int						true	"filing id"
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		FilingDecisionRequest	true	"decision"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/review [post]
func (s *Server) reviewFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingDecisionRequest) (*filing.Detail, error) {
		return s.Filings.Review(c.Request.Context(), actor(c), id, r.input())
	})
}

// approveFiling godoc
//
//	@Summary		The park office's approval of a filing its reviewer passed (admin)
//	@Description	pending_admin → approved, or with items → changes_requested.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int						true	"filing id"
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		FilingDecisionRequest	true	"decision"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/approve [post]
func (s *Server) approveFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingDecisionRequest) (*filing.Detail, error) {
		return s.Filings.Approve(c.Request.Context(), actor(c), id, r.input())
	})
}

// resubmitFiling godoc
//
//	@Summary		Answer every open suggestion with a note and a photo, and submit again (its enterprise)
//	@Description	changes_requested → resubmitted; the filing must be complete and its planned end still ahead.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int						true	"filing id"
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		FilingResubmitRequest	true	"answers"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/resubmit [post]
func (s *Server) resubmitFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingResubmitRequest) (*filing.Detail, error) {
		in := filing.ResubmitInput{Comment: r.Comment, Version: r.Version}
		for _, a := range r.Answers {
			in.Answers = append(in.Answers, filing.Answer{ItemID: a.ItemID, Note: a.Note, PhotoIDs: a.PhotoIDs})
		}
		return s.Filings.Resubmit(c.Request.Context(), actor(c), id, in)
	})
}

// startFiling godoc
//
//	@Summary		Start the approved work with a site photo (its enterprise)
//	@Description	approved → in_progress; not earlier than 30 minutes before the planned start, not once the planned end has passed.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingStepRequest	true	"photos"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody	"not approved, too early or too late"
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/start [post]
func (s *Server) startFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingStepRequest) (*filing.Detail, error) {
		return s.Filings.Start(c.Request.Context(), actor(c), id, filing.StepInput{Comment: r.Comment, PhotoIDs: r.PhotoIDs, Version: r.Version})
	})
}

// completeFiling godoc
//
//	@Summary		Complete the work with a photo of the site put back (its enterprise)
//	@Description	in_progress → completed.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingStepRequest	true	"photos"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/complete [post]
func (s *Server) completeFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingStepRequest) (*filing.Detail, error) {
		return s.Filings.Complete(c.Request.Context(), actor(c), id, filing.StepInput{Comment: r.Comment, PhotoIDs: r.PhotoIDs, Version: r.Version})
	})
}

// cancelFiling godoc
//
//	@Summary		Cancel a filing before the work starts (its enterprise, or admin)
//	@Description	From draft, submitted, changes_requested, resubmitted, pending_admin or approved; reason required.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingCancelRequest	true	"reason"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/cancel [post]
func (s *Server) cancelFiling(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingCancelRequest) (*filing.Detail, error) {
		return s.Filings.Cancel(c.Request.Context(), actor(c), id, filing.CancelInput{Reason: r.Reason, Version: r.Version})
	})
}

// openFilingHazard godoc
//
//	@Summary		Record a hazard found on the filing's site (inspector, admin)
//	@Description	Opens a hazard of source filing for the filing's enterprise, in the same transaction as the timeline entry; same rules as POST /hazards. Not on drafts, cancelled or expired filings.
//	@Tags			filings
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			id				path		int					true	"filing id"
//	@Param			Idempotency-Key	header		string				false	"retry key"
//	@Param			body			body		FilingHazardRequest	true	"hazard"
//	@Success		200				{object}	FilingDetailResponse
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody
//	@Failure		422				{object}	ErrorBody
//	@Router			/filings/{id}/hazards [post]
func (s *Server) openFilingHazard(c *gin.Context) {
	filingAction(s, c, func(id uint64, r *FilingHazardRequest) (*filing.Detail, error) {
		return s.Filings.OpenHazard(c.Request.Context(), actor(c), id, filing.FindingInput{Category: r.Category, Level: r.Level,
			Title: r.Title, Description: r.Description, Location: r.Location, Latitude: r.Latitude, Longitude: r.Longitude,
			Requirement: r.Requirement, Deadline: r.Deadline, PhotoIDs: r.PhotoIDs})
	})
}
