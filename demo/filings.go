package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"parksafe/app"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/filing"
	"parksafe/service/hazard"
)

// Fates of a demo filing: the state it is left in.
const (
	fateDraft        = "draft"
	fateSubmitted    = "submitted"
	fateChanges      = "changes_requested"
	fateResubmitted  = "resubmitted"
	fatePendingAdmin = "pending_admin"
	fateApproved     = "approved"
	fateInProgress   = "in_progress"
	fateCompleted    = "completed"
	fateCancelled    = "cancelled"
	fateExpired      = "expired"
)

// demoFiling is one filing of the demo week. Day and hour place its planned start (day 0 is today,
// hour in the park's time); live ones are placed around now instead (from, relative to now) so that
// they are running or due whatever the hour the demo is made.
type demoFiling struct {
	ent                         int // index in the park's enterprises
	kind, grade, title, place   string
	content, risks, measures    string
	day, hour                   int
	fromNow                     *time.Duration
	hours                       int
	fate                        string
	items                       []string // the reviewer's suggestions, answered before approval
	expert, finding, contractor bool
}

func ago(d time.Duration) *time.Duration { return &d }

// demoFilings is a believable week of the park's 安全生产报备: last week's work done (one sent back
// first, one that ran over, one never started, one called off), today's work running, and filings
// waiting at every step.
var demoFilings = []demoFiling{
	{ent: 0, kind: filing.KindHotWork, grade: filing.GradeLevel1, title: "二号罐区 DN150 物料管线更换动火", place: "二号罐区东侧管廊",
		content: "更换腐蚀减薄的物料管线两段，电焊连接", risks: "管内可燃物料残留，焊渣飞溅引燃，高处坠落",
		measures: "管线吹扫置换、加盲板隔离；动火点 15 米内清除可燃物；可燃气体检测合格后作业；配 8kg 干粉灭火器两具、专人监护",
		day:      -6, hour: 9, hours: 7, fate: fateCompleted, items: []string{"动火点下方地沟未封堵", "气体检测记录未附检测仪校验证书"}},
	{ent: 1, kind: filing.KindConfinedSpace, title: "三号反应釜内部清理", place: "聚合车间三号反应釜",
		content: "反应釜停车后人工清理釜壁结焦", risks: "缺氧窒息、有毒气体中毒、搅拌误启动",
		measures: "切断电源并挂牌上锁；强制通风；作业前及每 2 小时检测氧含量和有毒气体；釜外设监护人和应急救援器材",
		day:      -6, hour: 8, hours: 8, fate: fateCompleted, finding: true},
	{ent: 2, kind: filing.KindBlindPlate, title: "导热油系统检修加盲板", place: "导热油炉房",
		content: "导热油炉进出口法兰加装盲板 4 处", risks: "高温油品喷溅烫伤、盲板未登记漏拆",
		measures: "系统降温至 60℃ 以下泄压；盲板编号挂牌并登记；作业人员穿戴防烫服和面罩",
		day:      -5, hour: 9, hours: 4, fate: fateCompleted},
	{ent: 3, kind: filing.KindWorkAtHeight, grade: filing.GradeLevel3, title: "电解厂房屋面彩钢板更换", place: "电解厂房屋面",
		content: "更换屋面破损彩钢板约 60 平方米", risks: "高处坠落、物体打击、屋面踏空",
		measures: "设置生命线和安全网；作业人员系双钩安全带；地面设警戒区；风力五级以上停止作业",
		day:      -5, hour: 8, hours: 9, fate: fateCompleted},
	{ent: 4, kind: filing.KindLifting, grade: filing.GradeLevel2, title: "新增冷凝器吊装就位", place: "氟化装置框架三层",
		content: "50 吨汽车吊吊装 42 吨冷凝器至框架三层", risks: "吊物坠落、吊车倾覆、碰撞管廊",
		measures: "编制吊装方案并经审批；支腿下铺路基箱；试吊 10 cm 检查；吊装区域全封闭，专人指挥",
		day:      -4, hour: 7, hours: 6, fate: fateCompleted, expert: true},
	{ent: 5, kind: filing.KindTemporaryPower, title: "原料仓库检修临时用电", place: "甲类原料仓库",
		content: "仓库照明线路检修期间接临时照明", risks: "触电、电气火花引燃",
		measures: "采用防爆灯具和防爆配电箱；漏电保护器试验合格；电工持证作业",
		day:      -4, hour: 13, hours: 5, fate: fateCompleted},
	{ent: 6, kind: filing.KindExcavation, title: "消防管网改造动土", place: "厂区南侧消防环网",
		content: "开挖沟槽约 40 米，更换消防主管", risks: "挖断地下电缆和管线、沟槽坍塌",
		measures: "查清地下设施并标识；人工开挖探明后机械作业；深度超 1.5 米放坡支护；夜间设警示灯",
		day:      -3, hour: 8, hours: 9, fate: fateCompleted},
	{ent: 7, kind: filing.KindRoadClosure, title: "港区路北段管廊施工断路", place: "港区路北段",
		content: "管廊施工期间封闭港区路北段单侧车道", risks: "车辆闯入作业区、消防通道受阻",
		measures: "设置路障和绕行标志；保留一条消防通道；夜间设警示灯；报园区应急中心备案",
		day:      -3, hour: 7, hours: 10, fate: fateCompleted},
	{ent: 8, kind: filing.KindHotWork, grade: filing.GradeLevel2, title: "仓库货架加固焊接", place: "丙类仓库二号库",
		content: "货架立柱加固焊接", risks: "焊渣引燃包装物", measures: "清空作业点周边货物；铺设防火毯；配灭火器和监护人",
		day: -2, hour: 9, hours: 5, fate: fateExpired},
	{ent: 9, kind: filing.KindOverhaul, title: "空分装置年度大检修", place: "空分装置区",
		content: "空分装置停车检修 7 天：冷箱检查、压缩机大修、阀门校验", risks: "交叉作业多、富氧和缺氧环境、低温冻伤",
		measures: "成立检修指挥部；每日交底；检修区域分区管理；氧含量监测；承包商人员入场培训",
		day:      -2, hour: 8, hours: 7*24 - 4, fate: fateInProgress, contractor: true},
	{ent: 10, kind: filing.KindLifting, grade: filing.GradeLevel3, title: "储罐附件吊装", place: "五号储罐",
		content: "25 吨吊车吊装呼吸阀及阻火器", risks: "吊物坠落", measures: "吊装区域警戒，专人指挥",
		day: -1, hour: 9, hours: 3, fate: fateCancelled},
	{ent: 11, kind: filing.KindContractor, title: "污水处理站提标改造工程", place: "污水处理站",
		content: "新建深度处理单元：土建、设备安装、管道连接", risks: "动火、高处、受限空间等交叉作业",
		measures: "承包商资质审核；每日班前安全交底；特殊作业另行报备；专职安全员旁站",
		day:      -1, hour: 8, hours: 30 * 24, fate: fateInProgress, contractor: true},
	{ent: 0, kind: filing.KindHotWork, grade: filing.GradeLevel1, title: "装卸站台鹤管法兰焊接", place: "汽车装卸站台",
		content: "更换鹤管法兰，焊接作业", risks: "油气积聚、焊渣飞溅", measures: "停止装卸作业；检测油气浓度合格；设置挡火板；专人监护",
		fromNow: ago(-3 * time.Hour), hours: 6, fate: fateInProgress},
	{ent: 1, kind: filing.KindWorkAtHeight, grade: filing.GradeLevel2, title: "管廊保温层修复", place: "一号管廊 8–12 号支架",
		content: "修复破损保温层约 30 米", risks: "高处坠落", measures: "搭设脚手架并验收挂牌；系安全带；下方设警戒区",
		fromNow: ago(-10 * time.Hour), hours: 8, fate: fateInProgress},
	{ent: 2, kind: filing.KindConfinedSpace, title: "污水池清淤", place: "事故应急池",
		content: "应急池底部淤泥清理", risks: "硫化氢中毒、缺氧", measures: "强制通风；连续气体监测；佩戴正压式空气呼吸器；池外双人监护",
		fromNow: ago(2 * time.Hour), hours: 6, fate: fateApproved},
	{ent: 3, kind: filing.KindHotWork, grade: filing.GradeSpecial, title: "氯气缓冲罐出口管线带压堵漏焊接", place: "液氯工段缓冲罐",
		content: "缓冲罐出口管线微漏，带压堵漏后补焊", risks: "氯气泄漏中毒、火灾", measures: "编制专项方案；专家论证；应急救援队现场待命；无关人员撤离",
		day: 1, hour: 9, hours: 6, fate: fatePendingAdmin},
	{ent: 4, kind: filing.KindStartupShutdown, title: "氟化装置检修后开车", place: "氟化装置",
		content: "检修结束后装置开车，逐步投料至满负荷", risks: "工艺参数波动、泄漏、超温超压",
		measures: "开车方案审批；开车前条件确认表逐项签字；安全联锁全部投用；分管领导现场指挥",
		day:      2, hour: 8, hours: 12, fate: fateSubmitted},
	{ent: 5, kind: filing.KindExcavation, title: "围墙基础开挖", place: "厂区东围墙",
		content: "新建围墙基础开挖", risks: "挖断电缆", measures: "人工探挖；标识地下设施",
		day: 1, hour: 8, hours: 8, fate: fateChanges, items: []string{"未附地下管线图，请补充并在现场标识走向", "监护人未持证，请更换持证人员"}},
	{ent: 6, kind: filing.KindBlindPlate, title: "溶剂回收塔进料线抽盲板", place: "溶剂回收装置",
		content: "检修结束后拆除进料线盲板 2 处", risks: "物料泄漏", measures: "确认系统泄压置换合格；盲板登记销号",
		day: 1, hour: 14, hours: 3, fate: fateResubmitted, items: []string{"盲板位置图未标注编号"}},
	{ent: 7, kind: filing.KindTemporaryPower, title: "码头泵房检修临时用电", place: "码头泵房",
		content: "检修期间临时动力电源接入", risks: "触电", measures: "防爆配电箱；漏电保护；电工持证",
		day: 2, hour: 9, hours: 8, fate: fateDraft},
}

// seedFilings files the demo week through the filing service, each step on its own moment of a
// clock that never passes now: the enterprises file a day ahead, their cadres (and once an expert)
// review and ask for changes that are answered with photos, the office approves the highest grades,
// work starts and ends with site photos.
func seedFilings(ctx context.Context, a *app.App, p *Park, out io.Writer) error {
	n, err := SeedFilings(ctx, a, p, realPhotos(a))
	if err != nil {
		return fmt.Errorf("demo filings: %w", err)
	}
	fmt.Fprintf(out, "演示报备：近一周 %d 项安全生产报备（已完工、作业中、待审核、待整改、待园区审批、已过期、已取消等各状态）。\n", n)
	return nil
}

// SeedFilings files the demo week of filings in park p and returns how many it filed; photo may be
// nil (bare photo rows stand in then).
func SeedFilings(ctx context.Context, a *app.App, p *Park, photo PhotoMaker) (int, error) {
	if photo == nil {
		photo = placeholderPhoto(a)
	}
	clock := &demoClock{}
	fs := a.FilingsAt(service.ParkTime{Loc: a.Park.Loc, Clock: clock})
	now := a.Park.Now()
	today := a.Park.Today()
	staff := map[uint64]service.Actor{}
	for _, u := range p.Inspectors {
		staff[u.ID] = Actor(u)
	}
	yes, no := true, false
	for i, df := range demoFilings {
		ent := p.Enterprises[df.ent%len(p.Enterprises)]
		owner := Actor(p.EnterpriseUsers[ent.ID])
		start := today.AddDate(0, 0, df.day).Add(time.Duration(df.hour) * time.Hour)
		if df.fromNow != nil {
			start = now.Add(*df.fromNow).Truncate(10 * time.Minute)
		}
		end := start.Add(time.Duration(df.hours) * time.Hour)
		// Filed the afternoon before, or (for work due within hours) shortly before now; each later
		// step at a later moment, never past now.
		filed := start.Add(-18 * time.Hour)
		if latest := now.Add(-time.Duration(90+3*i) * time.Minute); filed.After(latest) {
			filed = latest
		}
		until := start.Add(-30 * time.Minute)
		if until.After(now) {
			until = now
		}
		steps := 0
		next := func() {
			steps++
			clock.set(filed.Add(until.Sub(filed) * time.Duration(steps) / 6))
		}
		clock.set(filed)
		in := filing.Input{Kind: df.kind, Grade: df.grade, Title: df.title, Location: df.place,
			PlannedStart: start.Format(time.RFC3339), PlannedEnd: end.Format(time.RFC3339), Content: df.content,
			HazardIdentification: df.risks, SafetyMeasures: df.measures, ResponsibleName: ent.PrincipalName,
			ResponsibleMobile: ent.PrincipalMobile, WatcherName: ent.SafetyOfficerName, WatcherMobile: ent.SafetyOfficerMobile,
			Submit: df.fate != fateDraft}
		pid, err := photo(ctx, owner.ID)
		if err != nil {
			return i, err
		}
		if filing.GroupOf(df.kind) == filing.GroupSpecialOperation {
			in.PermitPhotoIDs = []uint64{pid}
		} else {
			in.AttachmentPhotoIDs = []uint64{pid}
		}
		if df.contractor || df.kind == filing.KindContractor {
			in.Contractor = &filing.Contractor{Name: "宏安建设工程有限公司", USCC: demoUSCC(40 + i), Workers: 12 + i, Manager: "陈志远",
				ManagerMobile: fmt.Sprintf("1390574%04d", i+1)}
		}
		d, err := fs.Create(ctx, owner, in)
		if err != nil {
			return i, fmt.Errorf("demo filing %q: %w", df.title, err)
		}
		id := d.ID
		if df.fate == fateDraft || df.fate == fateSubmitted {
			continue
		}
		if df.expert {
			next()
			expert := p.Inspectors[len(p.Inspectors)-1]
			if d, err = fs.Assign(ctx, p.Admin, id, filing.AssignInput{ReviewerID: expert.ID}); err != nil {
				return i, fmt.Errorf("demo filing %q: %w", df.title, err)
			}
		}
		reviewer := p.Admin
		if d.ReviewerID != nil {
			reviewer = staff[*d.ReviewerID]
		}
		if df.fate == fateCancelled {
			next()
			if _, err := fs.Cancel(ctx, owner, id, filing.CancelInput{Reason: "吊车故障，作业推迟，另行报备"}); err != nil {
				return i, fmt.Errorf("demo filing %q: %w", df.title, err)
			}
			continue
		}
		if len(df.items) > 0 {
			next()
			d, err = fs.Review(ctx, reviewer, id, filing.DecisionInput{Approved: &no, Comment: "现场核查意见", Items: df.items})
			if err != nil {
				return i, fmt.Errorf("demo filing %q: %w", df.title, err)
			}
			if df.fate == fateChanges {
				continue
			}
			next()
			var answers []filing.Answer
			for _, it := range d.Items {
				pid, err := photo(ctx, owner.ID)
				if err != nil {
					return i, err
				}
				answers = append(answers, filing.Answer{ItemID: it.ID, Note: "已按意见整改，附现场照片", PhotoIDs: []uint64{pid}})
			}
			if _, err := fs.Resubmit(ctx, owner, id, filing.ResubmitInput{Answers: answers}); err != nil {
				return i, fmt.Errorf("demo filing %q: %w", df.title, err)
			}
			if df.fate == fateResubmitted {
				continue
			}
		}
		next()
		if d, err = fs.Review(ctx, reviewer, id, filing.DecisionInput{Approved: &yes, Comment: "现场核查，措施落实到位"}); err != nil {
			return i, fmt.Errorf("demo filing %q: %w", df.title, err)
		}
		if d.Status == model.FilingPendingAdmin {
			if df.fate == fatePendingAdmin {
				continue
			}
			next()
			if _, err := fs.Approve(ctx, p.Admin, id, filing.DecisionInput{Approved: &yes, Comment: "同意，严格落实方案"}); err != nil {
				return i, fmt.Errorf("demo filing %q: %w", df.title, err)
			}
		}
		switch df.fate {
		case fateApproved:
			continue
		case fateExpired:
			clock.set(end.Add(5 * time.Minute))
			if _, err := fs.ExpireDue(ctx); err != nil {
				return i, err
			}
			continue
		}
		work := func(at time.Time, do func(filing.StepInput) error, comment string) error {
			clock.set(at)
			pid, err := photo(ctx, owner.ID)
			if err != nil {
				return err
			}
			return do(filing.StepInput{Comment: comment, PhotoIDs: []uint64{pid}})
		}
		err = work(start.Add(10*time.Minute), func(in filing.StepInput) error { _, err := fs.Start(ctx, owner, id, in); return err },
			"作业条件确认完毕，开始作业")
		if err != nil {
			return i, fmt.Errorf("demo filing %q: %w", df.title, err)
		}
		if df.finding {
			clock.set(start.Add(50 * time.Minute))
			pid, err := photo(ctx, reviewer.ID)
			if err != nil {
				return i, err
			}
			_, err = fs.OpenHazard(ctx, reviewer, id, filing.FindingInput{Category: hazard.CategoryOperation, Level: model.LevelGeneral,
				Title: "受限空间出入口未设专人登记", Description: "检查时人孔处无出入人员登记表", Requirement: "立即设登记表并专人记录进出人员",
				Deadline: a.Park.DateOf(clock.Now()).AddDate(0, 0, 1).Format(time.DateOnly), PhotoIDs: []uint64{pid}})
			if err != nil {
				return i, fmt.Errorf("demo filing %q finding: %w", df.title, err)
			}
		}
		if df.fate == fateInProgress {
			continue
		}
		done := end.Add(-20 * time.Minute)
		if i == 3 {
			done = end.Add(40 * time.Minute) // the roof ran over by a little
		}
		err = work(done, func(in filing.StepInput) error { _, err := fs.Complete(ctx, owner, id, in); return err },
			"作业结束，现场已清理恢复")
		if err != nil {
			return i, fmt.Errorf("demo filing %q: %w", df.title, err)
		}
	}
	return len(demoFilings), nil
}
