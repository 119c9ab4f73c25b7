// Command seedhazards fills a database with many hazards for benchmarks: enterprises, an inspector
// and N hazards spread over the last three years (mostly closed, some open and overdue, a few void),
// inserted in batches. The day counters of the hazard codes are set to match, so that hazards
// reported afterwards through the API continue the sequences.
//
//	go run ./cmd/seedhazards -driver mysql -dsn 'root@tcp(127.0.0.1:3306)/parksafe_bench?parseTime=true&loc=UTC&charset=utf8mb4' -n 1000000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"parksafe/database"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
)

func main() {
	driver := flag.String("driver", "mysql", "sqlite or mysql")
	dsn := flag.String("dsn", "", "database DSN (the database must exist)")
	n := flag.Int("n", 1_000_000, "hazards to insert")
	ents := flag.Int("enterprises", 13, "enterprises to spread them over")
	days := flag.Int("days", 3*365, "days back over which they were reported")
	batch := flag.Int("batch", 2000, "rows per INSERT (MySQL allows 65,535 placeholders: about 25 a row)")
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
	loc, _ := time.LoadLocation("Asia/Shanghai")
	rng := rand.New(rand.NewPCG(1, 2))
	stamp := time.Now().UnixNano()
	insp := model.User{Name: "压测检查员", Role: model.RoleInspector, Status: model.StatusActive}
	if err := db.Create(&insp).Error; err != nil {
		log.Fatal(err)
	}
	entIDs := make([]uint64, *ents)
	for i := range entIDs {
		e := model.Enterprise{Name: fmt.Sprintf("压测化工%d-%d", stamp, i), USCC: fmt.Sprintf("B%017d", (stamp+int64(i))%1e17), Kind: model.KindHazchemProduction,
			Status: model.StatusActive, Version: 1}
		if err := db.Create(&e).Error; err != nil {
			log.Fatal(err)
		}
		entIDs[i] = e.ID
	}
	categories, sources := hazard.Categories, hazard.Sources
	// A small vocabulary, so that searches match a realistic share of the rows (罐区 about one in
	// eight, a rare word about one in a thousand) rather than all or none.
	titles := []string{"罐区围堰破损", "动火作业未办票", "消防通道堵塞", "静电接地线松脱", "安全阀未校验", "可燃气体报警器失效",
		"压力表超期", "应急物资缺失", "电缆桥架未封堵", "防爆灯具损坏", "洗眼器无水", "管廊支架锈蚀", "装卸区未设警示",
		"危废暂存间标识不清", "受限空间未检测", "叉车超速"}
	places := []string{"罐区", "装置区", "仓库", "装卸站台", "中控室", "污水站", "公用工程站", "危废库"}
	rare := []string{"氯气", "液氨", "导热油"}
	now := time.Now().UTC()
	today := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc)
	seq := map[string]int{}
	rows := make([]model.Hazard, 0, *batch)
	begin := time.Now()
	for i := 0; i < *n; i++ {
		// Oldest first, so that ids and creation times rise together as they do in production.
		dayOff := *days - 1 - i*(*days)/(*n)
		day := today.AddDate(0, 0, -dayOff)
		created := day.Add(time.Duration(8*3600+rng.IntN(10*3600)) * time.Second)
		if created.After(now) {
			created = now
		}
		key := day.Format("20060102")
		seq[key]++
		deadlineDay := day.AddDate(0, 0, 3+rng.IntN(12))
		h := model.Hazard{Code: fmt.Sprintf("YH-%s-%04d", key, seq[key]), EnterpriseID: entIDs[rng.IntN(len(entIDs))],
			Source: sources[rng.IntN(len(sources))], Category: categories[rng.IntN(len(categories))], Level: model.LevelGeneral,
			Requirement: "按要求整改",
			Deadline:    deadlineDay.Format(time.DateOnly), DeadlineAt: deadlineDay.AddDate(0, 0, 1).UTC(), Status: model.HazardClosed,
			ReporterID: insp.ID, Version: 3, CreatedAt: created.UTC(), UpdatedAt: created.UTC()}
		h.Title = titles[rng.IntN(len(titles))]
		h.Location = places[rng.IntN(len(places))]
		h.Description = h.Location + "发现" + h.Title
		if rng.IntN(1000) == 0 {
			h.Description += "，涉及" + rare[rng.IntN(len(rare))]
		}
		if rng.IntN(10) == 0 {
			h.Level = model.LevelMajor
		}
		// Recent hazards are still open more often; a few of every age are open (overdue) or void.
		switch r := rng.IntN(100); {
		case dayOff < 30 && r < 40, r < 2:
			h.Status = []string{model.HazardPendingRectify, model.HazardPendingRectify, model.HazardPendingVerify, model.HazardPendingApproval}[rng.IntN(4)]
			h.Version = 1
		case r < 4:
			h.Status = model.HazardVoid
		default:
			closed := created.Add(time.Duration(2+rng.IntN(240)) * time.Hour)
			if closed.After(now) {
				closed = now
			}
			h.ClosedAt = &closed
		}
		rows = append(rows, h)
		if len(rows) == *batch || i == *n-1 {
			if err := db.CreateInBatches(rows, *batch).Error; err != nil {
				log.Fatal(err)
			}
			rows = rows[:0]
			if (i+1)%100_000 < *batch {
				fmt.Fprintf(os.Stderr, "%d hazards in %s\n", i+1, time.Since(begin).Round(time.Second))
			}
		}
	}
	for day, last := range seq {
		if err := db.Exec("UPDATE counters SET last = CASE WHEN last < ? THEN ? ELSE last END WHERE name = ? AND period = ?",
			last, last, model.CounterHazardCode, day).Error; err != nil {
			log.Fatal(err)
		}
		db.Where("name = ? AND period = ?", model.CounterHazardCode, day).FirstOrCreate(&model.Counter{Name: model.CounterHazardCode, Period: day, Last: last})
	}
	// The rows went in past the hazard service, so the statistics' tallies are recounted.
	hz := hazard.New(db, service.ParkTime{Loc: loc, Clock: service.SystemClock{}}, nil, nil)
	if err := hz.RebuildTallies(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("inserted %d hazards for enterprises %v in %s\n", *n, entIDs, time.Since(begin).Round(time.Second))
}
