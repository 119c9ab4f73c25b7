package demo

import (
	"context"
	"fmt"
	"time"

	"parksafe/app"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/leader"
)

// demoLeaderWeeks is how many past weeks of leader inspections the demo files.
const demoLeaderWeeks = 6

// seedLeader files the Monday leader inspections of the last six weeks for the enterprises that have
// a user in users (enterprise id → one of its users): most on the Monday, some later in the week,
// some not at all (the third enterprise misses the last two weeks in a row). It then records a held
// interview with feedback for an earlier missed week and schedules one from the last week's
// proposals. Each filing goes through the real service with a clock standing on its day, so the
// demo obeys the same rules as the app. photo may be nil: bare photo rows stand in then.
func seedLeader(ctx context.Context, a *app.App, enterpriseIDs []uint64, users map[uint64]service.Actor, photo PhotoMaker) error {
	if photo == nil {
		photo = placeholderPhoto(a)
	}
	var adminUser model.User
	if err := a.DB.WithContext(ctx).Where("role = ? AND status = ?", model.RoleAdmin, model.StatusActive).Order("id").First(&adminUser).Error; err != nil {
		return fmt.Errorf("leader demo: no admin: %w", err)
	}
	admin := service.Actor{ID: adminUser.ID, Name: adminUser.Name, Role: model.RoleAdmin}
	current := a.Park.WeekOf(a.Park.Now())
	at := func(d time.Time, hour, minute int) service.ParkTime {
		l := d.In(a.Park.Loc)
		return service.ParkTime{Loc: a.Park.Loc, Clock: fixedClock(time.Date(l.Year(), l.Month(), l.Day(), hour, minute, 0, 0, a.Park.Loc))}
	}
	participants := []string{"安全总监、生产部经理、设备部经理", "分管安全副总、安环部主任、车间主任", "安全员、工艺工程师、班组长"}
	areas := []string{"罐区、装卸站台、消防泵房", "生产装置区、中控室、危化品仓库", "甲类仓库、污水处理站、配电室"}
	findings := []string{"检查消防设施、可燃气体报警器和动火作业票证，未发现问题。",
		"罐区防火堤排水阀未关闭，已当场关闭；一处静电接地线松动，已当场紧固。",
		"仓库通道堆放空桶一处，已当场清理；应急柜防毒面具过期两套，已更换。"}
	for k := demoLeaderWeeks; k >= 0; k-- { // k = 0: this week, as far as it has gone
		monday := a.Park.Monday(current).AddDate(0, 0, -7*k)
		for i, eid := range enterpriseIDs {
			u, ok := users[eid]
			if !ok || (i == 2 && k <= 2) || (i*5+k)%11 == 0 {
				continue // missed this week
			}
			day := monday
			if (i+k)%4 == 0 {
				day = monday.AddDate(0, 0, 1+(i+k)%3) // late: Tuesday to Thursday
			}
			if day.After(a.Park.Today()) {
				continue
			}
			park := at(day, 8+i%3, 10*(i%6))
			pid, err := photo(ctx, u.ID)
			if err != nil {
				return fmt.Errorf("leader demo photo: %w", err)
			}
			n := (i + k) % 3
			found := n
			_, err = leader.NewInspections(a.DB, park, a.Hazards).File(ctx, u, leader.Input{
				InspectedOn: day.Format(time.DateOnly), Participants: participants[n], Areas: areas[(i+n)%3], Findings: findings[n],
				ProblemsFound: found, ProblemsFixed: found, PhotoIDs: []uint64{pid}})
			if err != nil {
				return fmt.Errorf("leader demo filing: %w", err)
			}
		}
	}
	return seedInterviews(ctx, a, admin, users, current, at)
}

// seedInterviews records a held interview with the enterprise's feedback for the first enterprise
// missing two weeks ago, and schedules the first proposal of last week.
func seedInterviews(ctx context.Context, a *app.App, admin service.Actor, users map[uint64]service.Actor, current service.Week,
	at func(time.Time, int, int) service.ParkTime) error {
	monday := a.Park.Monday(current)
	earlier := a.Park.WeekOf(monday.AddDate(0, 0, -14))
	lastWeek := a.Park.WeekOf(monday.AddDate(0, 0, -7))
	propose := func(w service.Week, park service.ParkTime) ([]leader.InterviewProposal, *leader.Interviews, error) {
		ivs := leader.NewInterviews(a.DB, park, leader.NewInspections(a.DB, park, a.Hazards), a.Notifier)
		ps, err := ivs.ProposeFromWeek(ctx, admin, w.String())
		return ps, ivs, err
	}
	schedule := func(ivs *leader.Interviews, p leader.InterviewProposal, when time.Time) (*model.Interview, error) {
		return ivs.Create(ctx, admin, leader.InterviewInput{EnterpriseID: p.EnterpriseID, Reason: p.Reason, Weeks: p.Weeks,
			ScheduledAt: when.Format(time.RFC3339), Place: "园区管委会三楼会议室", Attendee: p.Attendee})
	}
	// Two weeks ago: summoned on the Wednesday after, held, feedback given that Friday.
	wed := a.Park.Monday(earlier).AddDate(0, 0, 9)
	ps, ivs, err := propose(earlier, at(wed.AddDate(0, 0, -1), 9, 0))
	if err != nil {
		return fmt.Errorf("leader demo proposals: %w", err)
	}
	if len(ps) > 0 {
		p := ps[0]
		iv, err := schedule(ivs, p, time.Date(wed.Year(), wed.Month(), wed.Day(), 9, 30, 0, 0, a.Park.Loc))
		if err != nil {
			return fmt.Errorf("leader demo interview: %w", err)
		}
		minutes := "园区安环办约谈企业主要负责人，通报其未按要求开展周一带队检查的情况；企业主要负责人说明原因并作出承诺。"
		commitments := "每周一上午 8:30 由主要负责人带队开展安全检查，当日在小程序填报；安环部负责提醒和台账。"
		held := leader.NewInterviews(a.DB, at(wed, 11, 0), nil, nil)
		status := model.InterviewHeld
		if iv, err = held.Update(ctx, admin, iv.ID, leader.InterviewPatch{Status: &status, Minutes: &minutes, Commitments: &commitments}); err != nil {
			return fmt.Errorf("leader demo interview held: %w", err)
		}
		if u, ok := users[p.EnterpriseID]; ok {
			fb := "已建立主要负责人周一带队检查制度，指定安环部每周一提醒并跟踪填报，相关制度文件已印发。"
			if _, err := leader.NewInterviews(a.DB, at(wed.AddDate(0, 0, 2), 16, 20), nil, nil).Update(ctx, u, iv.ID, leader.InterviewPatch{Feedback: &fb}); err != nil {
				return fmt.Errorf("leader demo feedback: %w", err)
			}
		}
	}
	// Last week: the first missing enterprise is summoned for Wednesday of this week.
	ps, ivs, err = propose(lastWeek, at(monday, 14, 0))
	if err != nil || len(ps) == 0 {
		return err
	}
	p := ps[0]
	if p.ExistingInterviewID != nil {
		return nil
	}
	when := monday.AddDate(0, 0, 2)
	_, err = schedule(ivs, p, time.Date(when.Year(), when.Month(), when.Day(), 15, 0, 0, 0, a.Park.Loc))
	return err
}

// fixedClock stands still at one instant, for a service acting on one day of the past.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c).UTC() }

// placeholderPhoto makes bare photo rows (no stored image) when the demo has no photo maker.
func placeholderPhoto(a *app.App) PhotoMaker {
	n := 0
	return func(ctx context.Context, uploaderID uint64) (uint64, error) {
		n++
		p := model.Photo{UploaderID: uploaderID, SHA256: fmt.Sprintf("%064x", time.Now().UnixNano()+int64(n)), Size: 1, Width: 1, Height: 1,
			ContentType: "image/jpeg", StorageKey: "demo/placeholder.jpg", ThumbKey: "demo/placeholder-thumb.jpg"}
		return p.ID, a.DB.WithContext(ctx).Create(&p).Error
	}
}
