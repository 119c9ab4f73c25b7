package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"parksafe/app"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
)

// demoClock is the clock the demo's hazard service runs on, moved back in time so that eight weeks
// of hazards go through the real service (codes, timeline, validation) on their own dates.
type demoClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *demoClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *demoClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t.UTC() }

var demoHazards = []struct{ category, title, requirement string }{
	{hazard.CategoryFire, "消防通道堆放杂物", "立即清理，保持消防通道畅通"},
	{hazard.CategoryFire, "灭火器压力不足", "更换或充装灭火器并建立月检记录"},
	{hazard.CategoryEquipment, "储罐呼吸阀锈蚀", "更换呼吸阀并做防腐处理"},
	{hazard.CategoryEquipment, "可燃气体报警器未校验", "委托有资质单位校验并张贴合格标签"},
	{hazard.CategoryOperation, "动火作业未设监护人", "停止作业，补办动火票并落实监护"},
	{hazard.CategoryOperation, "受限空间作业未检测气体", "作业前检测氧含量及有毒有害气体"},
	{hazard.CategoryManagement, "安全培训记录不全", "补全培训记录并组织考核"},
	{hazard.CategoryHygiene, "厂区门口堆放废旧包装", "清理并设置定点堆放区"},
	{hazard.CategoryEnvironment, "雨水沟渠有油污", "清理油污并排查泄漏源"},
	{hazard.CategoryOther, "安全警示标识缺失", "按标准补设警示标识"},
}

// SeedHazards fills the demo park with about sixty hazards reported over the last eight weeks, in
// every state: waiting for rectification (some overdue), waiting for verification or approval,
// rejected and rectified again, closed, void, with extension requests. It needs the demo's
// enterprises, their users and at least one inspector and admin; without them it does nothing.
func SeedHazards(ctx context.Context, a *app.App, rng *rand.Rand, makePhoto PhotoMaker) error {
	if makePhoto == nil {
		makePhoto = placeholderPhoto(a)
	}
	var staff, entUsers []model.User
	if err := a.DB.WithContext(ctx).Where("role IN ? AND status = ?", []string{model.RoleAdmin, model.RoleInspector}, model.StatusActive).Order("id").Find(&staff).Error; err != nil {
		return err
	}
	if err := a.DB.WithContext(ctx).Where("role = ? AND status = ? AND enterprise_id IS NOT NULL", model.RoleEnterprise, model.StatusActive).Order("id").Find(&entUsers).Error; err != nil {
		return err
	}
	var admin *service.Actor
	var inspectors []service.Actor
	for _, u := range staff {
		act := service.Actor{ID: u.ID, Name: u.Name, Role: u.Role}
		if u.Role == model.RoleAdmin && admin == nil {
			admin = &act
		} else if u.Role == model.RoleInspector {
			inspectors = append(inspectors, act)
		}
	}
	byEnt := map[uint64]service.Actor{}
	var ents []uint64
	for _, u := range entUsers {
		if _, ok := byEnt[*u.EnterpriseID]; !ok {
			byEnt[*u.EnterpriseID] = service.Actor{ID: u.ID, Name: u.Name, Role: u.Role, EnterpriseID: *u.EnterpriseID}
			ents = append(ents, *u.EnterpriseID)
		}
	}
	if admin == nil || len(inspectors) == 0 || len(ents) == 0 {
		return nil
	}
	clock := &demoClock{}
	park := service.ParkTime{Loc: a.Park.Loc, Clock: clock}
	hz := hazard.New(a.DB, park, nil, nil)
	// photo is used inside expressions; its first failure is kept and returned after the loop (the
	// service refuses the missing photo meanwhile, so nothing half-made is left behind).
	var photoErr error
	photo := func(by service.Actor) uint64 {
		id, err := makePhoto(ctx, by.ID)
		if err != nil && photoErr == nil {
			photoErr = err
		}
		return id
	}
	yes, no := true, false
	now := a.Park.Now()
	start := a.Park.Today().AddDate(0, 0, -56)
	for i := 0; i < 60; i++ {
		day := start.AddDate(0, 0, i*56/60)
		at := day.Add(time.Duration(8*60+rng.IntN(9*60)) * time.Minute)
		if at.After(now) {
			at = now.Add(-time.Minute)
		}
		clock.set(at)
		insp := inspectors[rng.IntN(len(inspectors))]
		ent := ents[rng.IntN(len(ents))]
		owner := byEnt[ent]
		kind := demoHazards[rng.IntN(len(demoHazards))]
		level := model.LevelGeneral
		if i%7 == 0 {
			level = model.LevelMajor
		}
		source := model.SourceSnapshot
		if rng.IntN(5) == 0 {
			source = model.SourceSpecialCheck
		}
		deadline := park.Today().AddDate(0, 0, 3+rng.IntN(8)).Format(time.DateOnly)
		found := hazard.Finding{Category: kind.category, Level: level, Title: kind.title, Description: kind.title + "，现场拍照取证。",
			Location: fmt.Sprintf("%d 号装置区", 1+rng.IntN(6)), Requirement: kind.requirement, Deadline: deadline, PhotoIDs: []uint64{photo(insp)}}
		d, err := hz.Create(ctx, insp, found.Input(ent, source, "", 0, ""))
		if err != nil {
			return fmt.Errorf("demo hazard: %w", err)
		}
		id := d.ID
		// step moves the demo clock forward by hours (never past now) and reports whether it could.
		step := func(hours int) bool {
			t := clock.Now().Add(time.Duration(hours) * time.Hour)
			if t.After(now) {
				return false
			}
			clock.set(t)
			return true
		}
		rectify := func() error {
			_, err := hz.SubmitRectification(ctx, owner, id, hazard.RectificationInput{Description: "已按要求完成整改，附整改后照片。", PhotoIDs: []uint64{photo(owner)}})
			return err
		}
		var errs []error
		switch fate := rng.IntN(10); {
		case fate == 0 && step(2): // reported twice
			_, err = hz.Void(ctx, insp, id, hazard.VoidInput{Reason: "重复上报"})
			errs = append(errs, err)
		case fate == 1 && step(20): // extension asked (and granted for half)
			_, err = hz.RequestExtension(ctx, owner, id, hazard.ExtensionInput{Deadline: park.Today().AddDate(0, 0, 14).Format(time.DateOnly), Reason: "备件采购周期较长"})
			errs = append(errs, err)
			if rng.IntN(2) == 0 && step(4) {
				_, err = hz.DecideExtension(ctx, insp, id, hazard.DecisionInput{Approved: &yes, Comment: "同意延期"})
				errs = append(errs, err)
			}
		case fate == 2: // left alone: overdue once its deadline passed
		default:
			if !step(24 + rng.IntN(72)) {
				break
			}
			errs = append(errs, rectify())
			if fate == 3 && step(20) { // rejected once, rectified again
				_, err = hz.Verify(ctx, insp, id, hazard.DecisionInput{Approved: &no, Comment: "整改不彻底，请重新整改"})
				errs = append(errs, err)
				if step(30) {
					errs = append(errs, rectify())
				}
			}
			if fate >= 3 && fate != 4 && step(6+rng.IntN(30)) {
				cur, err := hz.Get(ctx, insp, id)
				if err == nil && cur.Status == model.HazardPendingVerify {
					_, err = hz.Verify(ctx, insp, id, hazard.DecisionInput{Approved: &yes, Comment: "现场复核，整改到位"})
				}
				errs = append(errs, err)
				if level == model.LevelMajor && i%14 != 0 && step(20) { // the others wait for the office
					_, err = hz.Approve(ctx, *admin, id, hazard.DecisionInput{Approved: &yes, Comment: "同意销号"})
					errs = append(errs, err)
				}
			}
		}
		if photoErr != nil {
			return photoErr
		}
		for _, err := range errs {
			if err != nil {
				return fmt.Errorf("demo hazard %s: %w", d.Code, err)
			}
		}
	}
	return nil
}
