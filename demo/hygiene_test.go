package demo

import (
	"context"
	"fmt"
	"testing"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service"
)

func TestSeedHygiene(t *testing.T) {
	env := apitest.New(t)
	for range 5 {
		env.CreateEnterprise("")
	}
	insp := env.Inspector()
	actor := service.Actor{ID: insp.UserID(), Name: "检查员", Role: model.RoleInspector}
	photo := func(ctx context.Context, uploader uint64) (uint64, error) {
		n := env.Seq()
		p := model.Photo{UploaderID: uploader, SHA256: fmt.Sprintf("%064d", n), Size: 1, Width: 1, Height: 1, ContentType: "image/jpeg",
			StorageKey: "demo", ThumbKey: "demo"}
		return p.ID, env.App.DB.Create(&p).Error
	}
	n, err := seedHygiene(context.Background(), env.App, actor, photo, 4)
	if err != nil || n != 20 {
		t.Fatalf("seeded %d checks: %v", n, err)
	}
	var failedAreas, hazards, weeks int64
	env.App.DB.Model(&model.HygieneArea{}).Where("passed = ?", false).Count(&failedAreas)
	env.App.DB.Model(&model.Hazard{}).Where("source = ?", model.SourceHygieneCheck).Count(&hazards)
	env.App.DB.Model(&model.HygieneCheck{}).Distinct("week").Count(&weeks)
	if failedAreas == 0 || hazards != failedAreas || weeks != 4 {
		t.Fatalf("failed areas %d, hazards %d, weeks %d", failedAreas, hazards, weeks)
	}
}
