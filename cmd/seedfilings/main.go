// Command seedfilings fills a database with many filings (安全生产报备) for measuring the filing list,
// detail, board, week and statistics: enterprises with their cadres, and N filings whose planned
// starts are spread over the last three years up to two days ahead, each with its timeline, a permit
// photo and, when it was sent back, its answered suggestions. The old ones are done (completed, a few
// cancelled or expired); those of the last days wait at every step, and today's work is approved or
// running. The day counters of the codes are set to match, so that filings made afterwards through
// the API continue the sequences.
//
//	go run ./cmd/seedfilings -dsn 'root@tcp(127.0.0.1:3306)/parksafe_bench?parseTime=true&loc=UTC&charset=utf8mb4' -n 100000
package main

import (
	"flag"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"gorm.io/gorm"

	"parksafe/database"
	"parksafe/model"
	"parksafe/service/filing"
)

func main() {
	driver := flag.String("driver", "mysql", "sqlite or mysql")
	dsn := flag.String("dsn", "", "database DSN (the database must exist)")
	n := flag.Int("n", 100_000, "filings to insert")
	ents := flag.Int("enterprises", 13, "enterprises to spread them over")
	days := flag.Int("days", 3*365, "days back over which they were planned")
	batch := flag.Int("batch", 1000, "rows per INSERT (MySQL allows 65,535 placeholders: about 45 a filing)")
	flag.Parse()
	if *dsn == "" {
		log.Fatal("-dsn is required")
	}
	db, err := database.Open(*driver, *dsn, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	if err != nil {
		log.Fatal(err)
	}
	if err := database.Migrate(db); err != nil {
		log.Fatal(err)
	}
	s := newSeeder(db, *ents, *batch)
	begin := time.Now()
	s.run(*n, *days)
	fmt.Printf("inserted %d filings (%d events, %d items) for enterprises %v in %s\n", *n, s.events, s.items, s.entIDs, time.Since(begin).Round(time.Second))
}

type seeder struct {
	db        *gorm.DB
	loc       *time.Location
	rng       *rand.Rand
	batch     int
	entIDs    []uint64
	reviewers []model.User
	userOf    map[uint64]uint64 // enterprise → its user
	stamp     uint64            // makes the photos' hashes unique between runs
	seq       map[string]int
	events    int
	items     int
}

func newSeeder(db *gorm.DB, ents, batch int) *seeder {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s := &seeder{db: db, loc: loc, rng: rand.New(rand.NewPCG(3, 4)), batch: batch, userOf: map[uint64]uint64{}, seq: map[string]int{}}
	stamp := time.Now().UnixNano()
	for i := range 8 {
		u := model.User{Name: fmt.Sprintf("压测审核员%d", i+1), Role: model.RoleInspector, Status: model.StatusActive}
		must(db.Create(&u).Error)
		s.reviewers = append(s.reviewers, u)
	}
	for i := range ents {
		cadre := s.reviewers[i%len(s.reviewers)].ID
		e := model.Enterprise{Name: fmt.Sprintf("压测报备化工%d-%d", stamp, i), USCC: fmt.Sprintf("F%017d", (stamp+int64(i))%1e17),
			Kind: model.KindHazchemProduction, Status: model.StatusActive, CadreID: &cadre, Version: 1}
		must(db.Create(&e).Error)
		s.entIDs = append(s.entIDs, e.ID)
		u := model.User{Name: fmt.Sprintf("压测企业用户%d", i+1), Role: model.RoleEnterprise, EnterpriseID: &e.ID, Status: model.StatusActive}
		must(db.Create(&u).Error)
		s.userOf[e.ID] = u.ID
	}
	s.stamp = uint64(stamp)
	return s
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// kinds is how often each kind is filed, in tenths of a percent of the work.
var kinds = []struct {
	kind, grade string
	weight      int
}{
	{filing.KindHotWork, filing.GradeLevel2, 220}, {filing.KindHotWork, filing.GradeLevel1, 120}, {filing.KindHotWork, filing.GradeSpecial, 15},
	{filing.KindConfinedSpace, "", 90}, {filing.KindBlindPlate, "", 80}, {filing.KindWorkAtHeight, filing.GradeLevel1, 90},
	{filing.KindWorkAtHeight, filing.GradeLevel2, 50}, {filing.KindWorkAtHeight, filing.GradeLevel3, 15}, {filing.KindLifting, filing.GradeLevel3, 60},
	{filing.KindLifting, filing.GradeLevel2, 20}, {filing.KindLifting, filing.GradeLevel1, 5}, {filing.KindTemporaryPower, "", 100},
	{filing.KindExcavation, "", 50}, {filing.KindRoadClosure, "", 30}, {filing.KindStartupShutdown, "", 10}, {filing.KindOverhaul, "", 5},
	{filing.KindTrialProduction, "", 2}, {filing.KindMajorOther, "", 3}, {filing.KindContractor, "", 35},
}

func (s *seeder) pickKind() (string, string) {
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	r := s.rng.IntN(total)
	for _, k := range kinds {
		if r < k.weight {
			return k.kind, k.grade
		}
		r -= k.weight
	}
	return filing.KindHotWork, filing.GradeLevel2
}

// pending is a filing row with what goes in beside it.
type pending struct {
	f      model.Filing
	events []model.FilingEvent
	items  []model.FilingItem
}

func (s *seeder) run(n, days int) {
	now := time.Now().UTC()
	l := now.In(s.loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, s.loc)
	rows := make([]pending, 0, s.batch)
	for i := 0; i < n; i++ {
		// Oldest first, so that ids and times rise together as they do in production; the last two
		// days are ahead of today.
		dayOff := days - 1 - i*(days+2)/n
		start := today.AddDate(0, 0, -dayOff).Add(time.Duration(7*60+s.rng.IntN(10*60)) * time.Minute)
		rows = append(rows, s.filing(start, now))
		if len(rows) == s.batch || i == n-1 {
			s.flush(rows)
			rows = rows[:0]
			if (i+1)%20_000 < s.batch {
				fmt.Fprintf(os.Stderr, "%d filings\n", i+1)
			}
		}
	}
	for day, last := range s.seq {
		must(s.db.Exec("UPDATE counters SET last = CASE WHEN last < ? THEN ? ELSE last END WHERE name = ? AND period = ?",
			last, last, model.CounterFilingCode, day).Error)
		s.db.Where("name = ? AND period = ?", model.CounterFilingCode, day).FirstOrCreate(&model.Counter{Name: model.CounterFilingCode, Period: day, Last: last})
	}
}

// filing makes one filing planned to start at start, in the state its age gives it at now.
func (s *seeder) filing(start, now time.Time) pending {
	kind, grade := s.pickKind()
	ent := s.entIDs[s.rng.IntN(len(s.entIDs))]
	user := s.userOf[ent]
	hours := 2 + s.rng.IntN(8)
	switch filing.GroupOf(kind) {
	case filing.GroupMajorActivity:
		hours = 24 * (1 + s.rng.IntN(10))
	case filing.GroupContractor:
		hours = 24 * (5 + s.rng.IntN(40))
	}
	end := start.Add(time.Duration(hours) * time.Hour)
	created := start.Add(-time.Duration(4+s.rng.IntN(40)) * time.Hour)
	if created.After(now) {
		created = now.Add(-time.Duration(1+s.rng.IntN(120)) * time.Minute)
	}
	day := created.In(s.loc).Format("20060102")
	s.seq[day]++
	reviewer := s.reviewers[int(ent)%len(s.reviewers)]
	f := model.Filing{Code: fmt.Sprintf("BB-%s-%04d", day, s.seq[day]), EnterpriseID: ent, Kind: kind, Grade: grade,
		Title: "压测报备作业", Location: fmt.Sprintf("%d 号装置区", 1+s.rng.IntN(9)), PlannedStart: start.UTC(), PlannedEnd: end.UTC(),
		Content: "压测用作业内容", HazardIdentification: "压测用危险辨识", SafetyMeasures: "压测用安全措施",
		ResponsibleName: "压测负责人", ResponsibleMobile: "13905710001", WatcherName: "压测监护人", WatcherMobile: "13905710002",
		NeedsAdmin: filing.NeedsAdmin(kind, grade), ReviewerID: &reviewer.ID, CreatedByID: user, Version: 1,
		Status: model.FilingDraft, CreatedAt: created.UTC(), UpdatedAt: created.UTC()}
	if kind == filing.KindContractor {
		f.ContractorName, f.ContractorUSCC, f.ContractorWorkers = "压测承包商", "91330604MA2D31720X", 10
		f.ContractorManager, f.ContractorManagerMobile = "压测现场负责人", "13905710003"
	}
	p := pending{}
	ev := func(action, from, to string, at time.Time, actor uint64, role string) {
		p.events = append(p.events, model.FilingEvent{Action: action, FromStatus: from, ToStatus: to, ActorID: actor, ActorName: "压测",
			ActorRole: role, Comment: "", CreatedAt: at.UTC()})
		f.Status, f.UpdatedAt = to, at.UTC()
		f.Version++
	}
	f.Version = 0
	ev(filing.ActionCreated, "", model.FilingDraft, created, user, model.RoleEnterprise)
	// step moves t forward by d, and reports whether that moment has come.
	t := created
	step := func(d time.Duration) bool {
		if t.Add(d).After(now) {
			return false
		}
		t = t.Add(d)
		return true
	}
	if s.rng.IntN(200) == 0 || !step(time.Duration(2+s.rng.IntN(30))*time.Minute) {
		p.f = f
		return p // a draft, or filed a minute ago
	}
	submitted := t.UTC()
	f.SubmittedAt = &submitted
	ev(filing.ActionSubmitted, model.FilingDraft, model.FilingSubmitted, t, user, model.RoleEnterprise)
	if s.rng.IntN(40) == 0 && step(time.Hour) {
		ev(filing.ActionCancelled, f.Status, model.FilingCancelled, t, user, model.RoleEnterprise)
		f.ClosedAt = timePtr(t)
		p.f = f
		return p
	}
	rounds := 0
	if r := s.rng.IntN(100); r < 20 {
		rounds = 1
	} else if r < 25 {
		rounds = 2
	}
	for round := 1; round <= rounds; round++ {
		if !step(time.Duration(30+s.rng.IntN(240)) * time.Minute) {
			p.f = f
			return p
		}
		s.decided(&f, submitted, t)
		ev(filing.ActionChangesRequested, f.Status, model.FilingChangesRequested, t, reviewer.ID, model.RoleInspector)
		f.ChangeRounds = round
		answered := step(time.Duration(60+s.rng.IntN(300)) * time.Minute)
		for seq := 1; seq <= 1+s.rng.IntN(3); seq++ {
			it := model.FilingItem{Round: round, Seq: seq, Content: "压测整改意见", Status: model.FilingItemOpen, CreatedByID: reviewer.ID,
				CreatedAt: t.UTC()}
			if answered {
				it.Status, it.AnswerNote, it.AnsweredByID, it.AnsweredAt = model.FilingItemAnswered, "已整改", &user, timePtr(t)
			}
			p.items = append(p.items, it)
		}
		if !answered {
			p.f = f
			return p
		}
		ev(filing.ActionResubmitted, f.Status, model.FilingResubmitted, t, user, model.RoleEnterprise)
	}
	if !step(time.Duration(20+s.rng.IntN(300)) * time.Minute) {
		p.f = f
		return p
	}
	s.decided(&f, submitted, t)
	if f.NeedsAdmin {
		ev(filing.ActionReviewPassed, f.Status, model.FilingPendingAdmin, t, reviewer.ID, model.RoleInspector)
		if !step(time.Duration(30+s.rng.IntN(240)) * time.Minute) {
			p.f = f
			return p
		}
	}
	ev(filing.ActionApproved, f.Status, model.FilingApproved, t, reviewer.ID, model.RoleInspector)
	f.ApprovedAt = timePtr(t)
	approval := int64(t.Sub(submitted) / time.Second)
	f.ApprovalSeconds = &approval
	startAt := start.Add(time.Duration(s.rng.IntN(40)-10) * time.Minute)
	if earliest := t.Add(10 * time.Minute); startAt.Before(earliest) {
		startAt = earliest // approved late: the crew waited
	}
	switch {
	case !startAt.After(now) && s.rng.IntN(50) != 0:
		ev(filing.ActionStarted, f.Status, model.FilingInProgress, startAt, user, model.RoleEnterprise)
		f.StartedAt = timePtr(startAt)
		done := end.Add(time.Duration(s.rng.IntN(60)-45) * time.Minute)
		if least := startAt.Add(30 * time.Minute); done.Before(least) {
			done = least
		}
		if !done.After(now) {
			ev(filing.ActionCompleted, f.Status, model.FilingCompleted, done, user, model.RoleEnterprise)
			f.CompletedAt = timePtr(done)
		}
	case !end.After(now):
		at := end.Add(5 * time.Minute)
		ev(filing.ActionExpired, f.Status, model.FilingExpired, at, 0, filing.RoleSystem)
		f.ClosedAt = timePtr(at)
	}
	p.f = f
	return p
}

// decided stamps the first decision on f.
func (s *seeder) decided(f *model.Filing, submitted, at time.Time) {
	if f.FirstDecisionAt == nil {
		f.FirstDecisionAt = timePtr(at)
		review := int64(at.Sub(submitted) / time.Second)
		f.ReviewSeconds = &review
	}
}

func timePtr(t time.Time) *time.Time { u := t.UTC(); return &u }

// flush inserts a batch: the filings, then their events, items and permit photo links.
func (s *seeder) flush(rows []pending) {
	fs := make([]model.Filing, len(rows))
	for i := range rows {
		fs[i] = rows[i].f
	}
	must(s.db.CreateInBatches(fs, s.batch).Error)
	// One permit photo of its own per filing, as phones upload them.
	photos := make([]model.Photo, len(rows))
	for i := range rows {
		photos[i] = model.Photo{UploaderID: fs[i].CreatedByID, SHA256: fmt.Sprintf("%064x", s.stamp+fs[i].ID), Size: 250_000, Width: 1920,
			Height: 1440, ContentType: "image/jpeg", StorageKey: "bench/permit.jpg", ThumbKey: "bench/permit_thumb.jpg",
			LinkedAt: timePtr(fs[i].CreatedAt), CreatedAt: fs[i].CreatedAt}
	}
	must(s.db.CreateInBatches(photos, s.batch).Error)
	var events []model.FilingEvent
	var items []model.FilingItem
	links := make([]model.PhotoLink, 0, len(rows))
	for i := range rows {
		id := fs[i].ID
		for _, e := range rows[i].events {
			e.FilingID = id
			events = append(events, e)
		}
		for _, it := range rows[i].items {
			it.FilingID = id
			items = append(items, it)
		}
		ent := fs[i].EnterpriseID
		links = append(links, model.PhotoLink{PhotoID: photos[i].ID, OwnerType: model.OriginFiling, OwnerID: id,
			Role: filing.RolePermit, EnterpriseID: &ent, CreatedAt: fs[i].CreatedAt})
	}
	must(s.db.CreateInBatches(events, 4*s.batch).Error)
	if len(items) > 0 {
		must(s.db.CreateInBatches(items, 2*s.batch).Error)
	}
	must(s.db.CreateInBatches(links, 4*s.batch).Error)
	s.events += len(events)
	s.items += len(items)
}
