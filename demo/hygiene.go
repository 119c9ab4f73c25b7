package demo

import (
	"context"
	"fmt"
	"time"

	"parksafe/app"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hygiene"
)

// PhotoMaker stores a demo photo uploaded by the given user and returns its id; Seed passes one that
// goes through the photo store, so the demo's images display.
type PhotoMaker func(ctx context.Context, uploaderID uint64) (uint64, error)

// hygieneFindings are what an inspector writes on a Friday round, per area.
var hygieneFindings = map[string][]string{
	model.AreaDoorway: {"门口堆放废弃纸箱和木托盘，遇火源易引燃", "门卫室旁堆放破损包装袋及生活垃圾"},
	model.AreaDitch:   {"厂区外沟渠内有塑料瓶和油污，排水不畅", "雨水沟被枯枝落叶堵塞"},
	model.AreaRoad:    {"门前道路散落砂石和废弃油桶", "路边杂草丛生，夹杂烟头等可燃物"},
}

// seedHygiene files the Friday hygiene rounds of the last `weeks` weeks for every active enterprise,
// as inspector, through the real service, so that failed areas open their hazards as in production.
// Nearly half the enterprises have findings each week, a few of them in several areas.
func seedHygiene(ctx context.Context, a *app.App, inspector service.Actor, photo PhotoMaker, weeks int) (checks int, err error) {
	var ents []model.Enterprise
	if err := a.DB.WithContext(ctx).Where("status = ?", model.StatusActive).Order("id").Find(&ents).Error; err != nil {
		return 0, err
	}
	today := a.Park.Today()
	fri := a.Park.Monday(a.Park.WeekOf(a.Park.Now())).AddDate(0, 0, 4)
	if fri.After(today) {
		fri = fri.AddDate(0, 0, -7)
	}
	for k := weeks - 1; k >= 0; k-- {
		day := fri.AddDate(0, 0, -7*k)
		for i, e := range ents {
			in := hygiene.Input{EnterpriseID: e.ID, CheckDate: day.Format(time.DateOnly),
				Deadline: day.AddDate(0, 0, 3).Format(time.DateOnly)}
			for j, name := range hygiene.Areas {
				passed := (i*7+k*3+j*5)%11 > 1
				ar := hygiene.AreaInput{Area: name, Passed: &passed}
				if !passed {
					ar.Note = hygieneFindings[name][(i+k)%len(hygieneFindings[name])]
					id, err := photo(ctx, inspector.ID)
					if err != nil {
						return checks, err
					}
					ar.PhotoIDs = []uint64{id}
				}
				in.Areas = append(in.Areas, ar)
			}
			if _, _, err := a.Hygiene.Create(ctx, inspector, in); err != nil {
				return checks, fmt.Errorf("hygiene check of %s on %s: %w", e.Name, in.CheckDate, err)
			}
			checks++
		}
	}
	return checks, nil
}
