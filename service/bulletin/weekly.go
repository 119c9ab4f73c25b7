package bulletin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hygiene"
)

// HygieneWeekData is what the Friday hygiene notice of a week is written from.
type HygieneWeekData struct {
	Friday      time.Time // the check day, park-local
	Enterprises int       // active enterprises in the park
	Checked     int       // enterprises checked that week
	Failed      []HygieneFailure
	NotChecked  []string // names of enterprises not checked
	// StillOpen lists earlier weeks' hygiene hazards that are not closed yet.
	StillOpen []OpenHazard
	// Filings is the week's 安全生产报备; nil leaves its section out.
	Filings *FilingWeekData
}

// FilingWeekData is the week's 安全生产报备 as the hygiene notice reports it: the operations whose
// planned span touches the week, counted by kind and by state (labels), the work that ran past its
// planned end and the filings that expired unstarted.
type FilingWeekData struct {
	Filed      int // submitted in the week
	Operations int
	ByKind     []LabelCount
	ByStatus   []LabelCount
	Overran    []FilingEntry
	Expired    []FilingEntry
	// Truncated is set when the week had more operations than the summary reads; the figures count
	// those it read.
	Truncated bool
}

// LabelCount is how many operations share one label (a kind, a state).
type LabelCount struct {
	Label string
	Count int
}

// FilingEntry is one operation the notice names.
type FilingEntry struct {
	EnterpriseName string
	Code           string
	Title          string
	Kind           string // label, with the grade: 动火作业·一级
	PlannedEnd     time.Time
	Status         string     // label
	CompletedAt    *time.Time // when the work was completed, if it was
}

// HygieneFailure is one failed area of one enterprise's check.
type HygieneFailure struct {
	EnterpriseName string
	Area           string // doorway, ditch or road
	Note           string
	PhotoIDs       []uint64
	Requirement    string
	Deadline       string // YYYY-MM-DD
	HazardCode     string // the hazard the failure opened, if known
}

// OpenHazard is a hazard still waiting to be put right.
type OpenHazard struct {
	EnterpriseName string
	Code           string
	Title          string
	Deadline       string
	Overdue        bool
}

// LeaderWeekData is what the Monday leader-inspection notice of a week is written from.
type LeaderWeekData struct {
	Monday      time.Time // park-local
	Enterprises int
	Done        []LeaderEntry // filed for that Monday
	Late        []LeaderEntry // filed, but not on Monday
	Missing     []string      // enterprise names
	Interviews  []InterviewEntry
}

// LeaderEntry is one enterprise's filed leader inspection.
type LeaderEntry struct {
	EnterpriseName string
	LeaderName     string
	InspectedOn    string // YYYY-MM-DD
	HazardsFound   int
	PhotoIDs       []uint64
}

// InterviewEntry is an interview (约谈) arranged for an enterprise that did not perform.
type InterviewEntry struct {
	EnterpriseName string
	ScheduledAt    time.Time
	Place          string
}

// reportedPhotos lists the photos of the records the hygiene notice reports.
func (d HygieneWeekData) reportedPhotos() []uint64 {
	ids := []uint64{}
	for _, f := range d.Failed {
		ids = append(ids, f.PhotoIDs...)
	}
	return service.UniqueIDs(ids)
}

// reportedPhotos lists the photos of the inspections the leader notice reports.
func (d LeaderWeekData) reportedPhotos() []uint64 {
	ids := []uint64{}
	for _, e := range slices.Concat(d.Done, d.Late) {
		ids = append(ids, e.PhotoIDs...)
	}
	return service.UniqueIDs(ids)
}

// WeeklySource supplies the week's data for generated notices; WeekData reads it from the
// hygiene checks and leader inspections, tests substitute fixed data.
type WeeklySource interface {
	HygieneWeek(ctx context.Context, w service.Week) (HygieneWeekData, error)
	LeaderWeek(ctx context.Context, w service.Week) (LeaderWeekData, error)
}

// Generate drafts the weekly notice of kind (hygiene_weekly or leader_weekly) for week from the
// week's data, numbered with the year's next number (admin only). Each kind and week has one
// generated notice (model.WeeklyNotice): asking again, even at the same moment as another admin, is a
// conflict naming the notice that exists, which the admin edits instead.
func (s *Service) Generate(ctx context.Context, actor service.Actor, kind, week string) (*View, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	var v service.Validator
	v.Check(kind == model.BulletinHygieneWeekly || kind == model.BulletinLeaderWeekly, "kind", "只能生成 hygiene_weekly 或 leader_weekly 周通报")
	w, werr := service.ParseWeek(week)
	if werr != nil {
		v.Add("week", "周次格式应为 YYYY-Www，例如 2026-W19，且该年有这一周")
	} else if start, _ := s.park.WeekRange(w); start.After(s.park.Now()) {
		v.Add("week", "该周尚未开始，不能生成通报")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.weekTaken(ctx, kind, w); err != nil {
		return nil, err
	}
	// The week's figures are read before the transaction: they need no write lock, and reading them
	// on other connections while holding it would keep every other writer waiting.
	var hygiene HygieneWeekData
	var leader LeaderWeekData
	var err error
	if kind == model.BulletinHygieneWeekly {
		hygiene, err = s.Source.HygieneWeek(ctx, w)
	} else {
		leader, err = s.Source.LeaderWeek(ctx, w)
	}
	if err != nil {
		return nil, err
	}
	var title, content string
	reported := hygiene.reportedPhotos()
	if kind == model.BulletinLeaderWeekly {
		reported = leader.reportedPhotos()
	}
	buf, err := json.Marshal(reported)
	if err != nil {
		return nil, err
	}
	b := model.Bulletin{Kind: kind, Week: w.String(), Status: model.BulletinDraft, AuthorID: actor.ID, Version: 1,
		ReportedPhotos: new(string(buf))}
	err = service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		b.ID = 0
		today := s.park.Today()
		n, err := service.NextInSequence(tx, model.CounterBulletinNumber, strconv.Itoa(today.Year()))
		if err != nil {
			return err
		}
		b.Number = fmt.Sprintf("%s〔%d〕%d号", s.letterhead.NumberPrefix, today.Year(), n)
		head := noticeHead{Number: b.Number, Week: w, Issuer: s.letterhead.Issuer, Date: cnDate(today)}
		if kind == model.BulletinHygieneWeekly {
			title, content, err = RenderHygieneNotice(head, hygiene)
		} else {
			title, content, err = RenderLeaderNotice(head, leader, s.park.Loc)
		}
		if err != nil {
			return err
		}
		b.Title, b.ContentMarkdown, b.ContentHTML = title, content, new(s.storedHTML(content))
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		err = tx.Create(&model.WeeklyNotice{Kind: kind, Week: w.String(), BulletinID: b.ID}).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errWeekGenerated // another admin's generate committed first; this one gives its number back
		} else if err != nil {
			return err
		}
		return s.linkPhotos(tx, actor, &b, false, true)
	})
	if errors.Is(err, errWeekGenerated) {
		if err := s.weekTaken(ctx, kind, w); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, b.ID)
}

var errWeekGenerated = service.Conflict("该周的通报已生成，请直接修改")

// weekTaken returns the conflict of generating kind for w again, naming the notice that exists, or
// nil when there is none.
func (s *Service) weekTaken(ctx context.Context, kind string, w service.Week) error {
	var wn model.WeeklyNotice
	err := s.db.WithContext(ctx).Where("kind = ? AND week = ?", kind, w.String()).Take(&wn).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return service.Conflict("%d 年第 %d 周的%s已生成（通报 ID %d），请直接修改", w.Year, w.Num, KindLabels[kind], wn.BulletinID)
}

// noticeHead is what every generated notice starts and ends with.
type noticeHead struct {
	Number string
	Week   service.Week
	Issuer string
	Date   string // issue date, 2026年5月8日
}

func cnDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

var weekdayCN = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// noticeFuncs serve the notice templates. Every text that users typed (names, notes, requirements,
// titles, places) goes through md, mdjoin or cell, which escape it: an enterprise must not be able to
// put a link, or another enterprise's photo, into the park's official notice.
var noticeFuncs = template.FuncMap{
	"cndate": cnDate,
	"weekday": func(t time.Time) string {
		return "星期" + weekdayCN[t.Weekday()]
	},
	"inc":  func(i int) int { return i + 1 },
	"area": func(a string) string { return labelOr(hygiene.AreaLabels, a) },
	"md":   escapeMarkdown,
	"mdjoin": func(s []string) string {
		out := make([]string, len(s))
		for i := range s {
			out[i] = escapeMarkdown(s[i])
		}
		return strings.Join(out, "、")
	},
	"cell": func(s string) string {
		if s = escapeMarkdown(s); s == "" {
			return "—"
		}
		return s
	},
	"clock": func(t time.Time) string { return t.Format("1月2日 15:04") },
	"counts": func(l []LabelCount) string {
		out := make([]string, len(l))
		for i, c := range l {
			out[i] = fmt.Sprintf("%s %d 项", escapeMarkdown(c.Label), c.Count)
		}
		return strings.Join(out, "、")
	},
}

func labelOr(m map[string]string, k string) string {
	if l, ok := m[k]; ok {
		return l
	}
	return k
}

var hygieneTmpl = template.Must(template.New("hygiene").Funcs(noticeFuncs).Parse(`{{.Number}}

各入园企业：

为落实企业"门前三包"责任，{{cndate .Data.Friday}}（{{weekday .Data.Friday}}），园区管理办公室安环办对园区企业门口、沟渠、道路三个区域的环境卫生进行了检查。现将检查情况通报如下：

## 一、检查情况

本周应检查企业 {{.Data.Enterprises}} 家，实际检查 {{.Data.Checked}} 家，{{if .Data.Failed}}发现问题 {{len .Data.Failed}} 处，涉及 {{.FailedEnterprises}} 家企业{{else}}未发现问题{{end}}。{{if .Data.NotChecked}}未检查企业：{{mdjoin .Data.NotChecked}}。{{end}}
{{if .Data.Failed}}
## 二、存在问题

| 序号 | 企业 | 区域 | 问题 | 整改期限 |
| --- | --- | --- | --- | --- |
{{range $i, $f := .Data.Failed}}| {{inc $i}} | {{cell $f.EnterpriseName}} | {{cell (area $f.Area)}} | {{cell $f.Note}} | {{md $f.Deadline}} |
{{end}}
{{range $i, $f := .Data.Failed}}
**{{inc $i}}. {{md $f.EnterpriseName}}（{{md (area $f.Area)}}）**：{{md $f.Note}}{{if $f.HazardCode}}（隐患编号 {{md $f.HazardCode}}）{{end}}
{{if $f.Requirement}}
整改要求：{{md $f.Requirement}}，{{md $f.Deadline}} 前完成。
{{else}}
整改期限：{{md $f.Deadline}} 前完成。
{{end}}{{range $f.PhotoIDs}}
![{{md $f.EnterpriseName}}{{md (area $f.Area)}}](photo:{{.}})
{{end}}{{end}}{{end}}
{{if .Data.StillOpen}}
## {{.OpenSection}}、往期问题尚未整改

| 企业 | 隐患编号 | 问题 | 整改期限 | 状态 |
| --- | --- | --- | --- | --- |
{{range .Data.StillOpen}}| {{cell .EnterpriseName}} | {{cell .Code}} | {{cell .Title}} | {{cell .Deadline}} | {{if .Overdue}}已逾期{{else}}整改中{{end}} |
{{end}}{{end}}{{with .Data.Filings}}
## {{$.FilingSection}}、本周安全生产报备情况

本周园区企业提交报备 {{.Filed}} 件，本周计划作业 {{.Operations}} 项{{if .ByKind}}，其中{{counts .ByKind}}{{end}}。{{if .ByStatus}}截至通报时：{{counts .ByStatus}}。{{end}}{{if .Truncated}}本周报备较多，以上仅统计按计划开工时间排列的前 {{.Operations}} 项。{{end}}
{{if .Overran}}
超过计划结束时间的作业 {{len .Overran}} 项：

| 序号 | 企业 | 报备编号 | 作业 | 类别 | 计划结束 | 情况 |
| --- | --- | --- | --- | --- | --- | --- |
{{range $i, $f := .Overran}}| {{inc $i}} | {{cell $f.EnterpriseName}} | {{cell $f.Code}} | {{cell $f.Title}} | {{cell $f.Kind}} | {{clock $f.PlannedEnd}} | {{if $f.CompletedAt}}{{clock $f.CompletedAt}} 完工{{else}}仍在作业{{end}} |
{{end}}{{end}}{{if .Expired}}
过期未开工的报备 {{len .Expired}} 项：

| 序号 | 企业 | 报备编号 | 作业 | 类别 | 计划结束 |
| --- | --- | --- | --- | --- | --- |
{{range $i, $f := .Expired}}| {{inc $i}} | {{cell $f.EnterpriseName}} | {{cell $f.Code}} | {{cell $f.Title}} | {{cell $f.Kind}} | {{clock $f.PlannedEnd}} |
{{end}}{{end}}{{if or .Overran .Expired}}
作业超过计划时间的，企业应重新办理作业许可并报备；批准后不再作业的，应及时在小程序中取消报备。
{{end}}{{end}}
## {{.ReqSection}}、整改要求

1. 请存在问题的企业对照通报逐项整改，在整改期限前通过"园区安全管家"小程序上传整改前后对比照片，由园区验收销号。
2. 各企业要举一反三，每日清理门口、沟渠、道路范围内的杂物和垃圾，严禁堆放易燃可燃物，保持消防通道畅通。
3. 企业主要负责人要亲自过问"门前三包"落实情况，明确责任人。

## {{.ConsSection}}、有关要求

对逾期未整改或同一问题反复出现的企业，园区将在公众号予以通报批评，并约谈企业主要负责人；存在火灾等安全风险拒不整改的，依法依规移交有关部门处理。

{{.Issuer}}
{{.Date}}
`))

var leaderTmpl = template.Must(template.New("leader").Funcs(noticeFuncs).Parse(`{{.Number}}

各入园企业：

按照园区安全生产工作要求，各企业主要负责人应于每周一带队开展安全检查，并通过"园区安全管家"小程序上报检查情况。现将{{cndate .Data.Monday}}（{{weekday .Data.Monday}}）所在周的落实情况通报如下：

## 一、总体情况

园区应上报企业 {{.Data.Enterprises}} 家，按时完成 {{len .Data.Done}} 家，补报 {{len .Data.Late}} 家，未上报 {{len .Data.Missing}} 家。

## 二、按时完成的企业
{{if .Data.Done}}
| 序号 | 企业 | 带队负责人 | 检查日期 | 发现隐患 |
| --- | --- | --- | --- | --- |
{{range $i, $e := .Data.Done}}| {{inc $i}} | {{cell $e.EnterpriseName}} | {{cell $e.LeaderName}} | {{cell $e.InspectedOn}} | {{$e.HazardsFound}} 处 |
{{end}}{{else}}
无。
{{end}}
## 三、未按时完成（补报）的企业
{{if .Data.Late}}
| 序号 | 企业 | 带队负责人 | 检查日期 |
| --- | --- | --- | --- |
{{range $i, $e := .Data.Late}}| {{inc $i}} | {{cell $e.EnterpriseName}} | {{cell $e.LeaderName}} | {{cell $e.InspectedOn}} |
{{end}}{{else}}
无。
{{end}}
## 四、未开展带队检查的企业
{{if .Data.Missing}}
{{mdjoin .Data.Missing}}。
{{else}}
无。
{{end}}{{if .Data.Interviews}}
## 五、约谈安排

{{range .Data.Interviews}}- {{md .EnterpriseName}}：{{clock .ScheduledAt}}{{if .Place}}，地点：{{md .Place}}{{end}}
{{end}}{{end}}
## {{.ReqSection}}、工作要求

1. 企业主要负责人是本单位安全生产第一责任人，必须每周一亲自带队检查，不得委托他人代替。
2. 检查发现的问题要建立台账、落实整改，重大隐患立即上报园区。
3. 未按时完成的企业要说明原因，下周起严格按时开展。

## {{.ConsSection}}、有关要求

对未开展带队检查的企业，园区将约谈企业主要负责人；连续两周未开展的，在公众号通报批评，并纳入企业安全生产信用评价。

{{.Issuer}}
{{.Date}}
`))

var sectionNums = [...]string{"一", "二", "三", "四", "五", "六", "七", "八"}

// RenderHygieneNotice writes the Friday hygiene notice (title and Markdown) from its data.
func RenderHygieneNotice(head noticeHead, d HygieneWeekData) (string, string, error) {
	failedEnt := map[string]bool{}
	for _, f := range d.Failed {
		failedEnt[f.EnterpriseName] = true
	}
	next := 1 // 一、检查情况
	if len(d.Failed) > 0 {
		next++
	}
	open, filings := "", ""
	if len(d.StillOpen) > 0 {
		next++
		open = sectionNums[next-1]
	}
	if d.Filings != nil {
		next++
		filings = sectionNums[next-1]
	}
	var buf bytes.Buffer
	err := hygieneTmpl.Execute(&buf, map[string]any{
		"Number": head.Number, "Issuer": head.Issuer, "Date": head.Date, "Data": d, "FailedEnterprises": len(failedEnt),
		"OpenSection": open, "FilingSection": filings, "ReqSection": sectionNums[next], "ConsSection": sectionNums[next+1],
	})
	title := fmt.Sprintf("关于%d年第%d周企业“门前三包”卫生检查情况的通报", head.Week.Year, head.Week.Num)
	return title, tidy(buf.String()), err
}

// RenderLeaderNotice writes the Monday leader-inspection notice (title and Markdown) from its data;
// interview times are shown in loc.
func RenderLeaderNotice(head noticeHead, d LeaderWeekData, loc *time.Location) (string, string, error) {
	for i := range d.Interviews {
		d.Interviews[i].ScheduledAt = d.Interviews[i].ScheduledAt.In(loc)
	}
	next := 4 // 一 to 四 are always there
	if len(d.Interviews) > 0 {
		next++
	}
	var buf bytes.Buffer
	err := leaderTmpl.Execute(&buf, map[string]any{
		"Number": head.Number, "Issuer": head.Issuer, "Date": head.Date, "Data": d,
		"ReqSection": sectionNums[next], "ConsSection": sectionNums[next+1],
	})
	title := fmt.Sprintf("关于%d年第%d周企业主要负责人带队检查情况的通报", head.Week.Year, head.Week.Num)
	return title, tidy(buf.String()), err
}

// tidy collapses the blank lines the templates leave behind.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if l == "" && len(out) > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
