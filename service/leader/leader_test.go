package leader_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"parksafe/database/dbtest"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/leader"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t.UTC() }

// fakeHazards opens hazards in the caller's transaction, as the real service does, and refuses a
// hazard titled "bad" the way the real one refuses a missing field.
var errBadTitle = service.Invalid("title", "请填写隐患标题")

type fakeHazards struct {
	got []hazard.Input
}

func (f *fakeHazards) CreateTx(ctx context.Context, tx *gorm.DB, actor service.Actor, in hazard.Input) (*model.Hazard, error) {
	f.got = append(f.got, in)
	if in.Title == "bad" {
		return nil, errBadTitle
	}
	h := &model.Hazard{Code: fmt.Sprintf("YH-TEST-%04d", len(f.got)), EnterpriseID: in.EnterpriseID, Source: in.Source,
		Category: in.Category, Level: in.Level, Title: in.Title, Description: in.Description, Requirement: in.Requirement,
		Deadline: in.Deadline, DeadlineAt: time.Now(), Status: model.HazardPendingRectify, ReporterID: actor.ID,
		OriginType: in.OriginType, OriginID: in.OriginID}
	return h, tx.Create(h).Error
}

type leaderFixture struct {
	db    *gorm.DB
	park  service.ParkTime
	actor service.Actor
	photo func() uint64
}

func newLeaderFixture(t *testing.T) *leaderFixture {
	t.Helper()
	db := dbtest.Open(t)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	park := service.ParkTime{Loc: loc, Clock: fixedClock{time.Date(2026, 11, 30, 10, 0, 0, 0, loc)}}
	ent := model.Enterprise{Name: "测试化工", USCC: "91330100MA2XXXXX0X", Kind: model.KindHazchemProduction, PrincipalName: "王主任", Status: model.StatusActive}
	if err := db.Create(&ent).Error; err != nil {
		t.Fatal(err)
	}
	eid := ent.ID
	u := model.User{Name: "企业安全员", Role: model.RoleEnterprise, EnterpriseID: &eid, Status: model.StatusActive}
	if err := db.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	n := 0
	return &leaderFixture{db: db, park: park, actor: service.Actor{ID: u.ID, Name: u.Name, Role: u.Role, EnterpriseID: eid},
		photo: func() uint64 {
			n++
			p := model.Photo{UploaderID: u.ID, SHA256: fmt.Sprintf("%064d", n), Size: 1, Width: 1, Height: 1, ContentType: "image/jpeg"}
			if err := db.Create(&p).Error; err != nil {
				t.Fatal(err)
			}
			return p.ID
		}}
}

func (f *leaderFixture) input(hazards ...hazard.Finding) leader.Input {
	return leader.Input{InspectedOn: "2026-11-30", Areas: "罐区", Findings: "两处问题未能当场整改",
		ProblemsFound: len(hazards), PhotoIDs: []uint64{f.photo()}, Hazards: hazards}
}

func (f *leaderFixture) count(m any) int64 {
	var n int64
	f.db.Model(m).Count(&n)
	return n
}

func TestFileOpensHazardsInItsTransaction(t *testing.T) {
	f := newLeaderFixture(t)
	fake := &fakeHazards{}
	svc := leader.NewInspections(f.db, f.park, fake)
	hp := f.photo()
	d, err := svc.File(context.Background(), f.actor, f.input(
		hazard.Finding{Title: "灭火器压力不足", Category: "fire", Level: "general", Deadline: "2026-12-04", PhotoIDs: []uint64{hp}},
		hazard.Finding{Title: "排水阀未关闭", Category: "equipment", Level: "general", Deadline: "2026-12-04"},
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(fake.got) != 2 || len(d.Hazards) != 2 || d.Hazards[0].Title != "灭火器压力不足" {
		t.Fatalf("hazards: got %d inputs, detail %+v", len(fake.got), d.Hazards)
	}
	in := fake.got[0]
	if in.Source != model.SourceLeaderInspection || in.OriginType != model.OriginLeaderInspection || in.OriginID != d.ID ||
		in.EnterpriseID != f.actor.EnterpriseID || len(in.PhotoIDs) != 1 || in.PhotoIDs[0] != hp {
		t.Fatalf("hazard input: %+v", in)
	}
	if !d.OnTime || d.Week != "2026-W49" || d.LeaderName != "王主任" || len(d.Photos) != 1 {
		t.Fatalf("filing: %+v", d.LeaderInspection)
	}
}

func TestFileRollsBackWhenAHazardIsRefused(t *testing.T) {
	f := newLeaderFixture(t)
	svc := leader.NewInspections(f.db, f.park, &fakeHazards{})
	_, err := svc.File(context.Background(), f.actor, f.input(
		hazard.Finding{Title: "灭火器压力不足", Category: "fire", Level: "general", Deadline: "2026-12-04"},
		hazard.Finding{Title: "bad"},
	))
	var e *service.Error
	if !errors.As(err, &e) || e.Code != service.CodeValidation || e.Fields["hazards.1.title"] == "" {
		t.Fatalf("want the second hazard's title named, got %v", err)
	}
	if n := f.count(&model.LeaderInspection{}) + f.count(&model.Hazard{}) + f.count(&model.PhotoLink{}); n != 0 {
		t.Fatalf("a refused filing left %d rows", n)
	}
	// The hazard service's error value is not changed by the renaming.
	if len(errBadTitle.Fields) != 1 || errBadTitle.Fields["title"] == "" {
		t.Fatalf("shared error changed: %v", errBadTitle.Fields)
	}
}

func TestAddWorkingDays(t *testing.T) {
	for from, want := range map[string]string{
		"2026-12-02": "2026-12-09", // Wednesday → Wednesday
		"2026-12-04": "2026-12-11", // Friday → Friday
		"2026-12-05": "2026-12-11", // Saturday → Friday
		"2026-12-06": "2026-12-11", // Sunday → Friday
		"2026-12-31": "2027-01-07", // across the year
	} {
		d, _ := time.Parse(time.DateOnly, from)
		if got := leader.AddWorkingDays(d, 5).Format(time.DateOnly); got != want {
			t.Errorf("%s + 5 working days = %s, want %s", from, got, want)
		}
	}
}
