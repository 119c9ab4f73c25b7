package api_test

import (
	"context"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
)

// TestRetentionPurgesOnlyWhatNoLongerMatters seeds each growing table with rows on both sides of its
// retention period and runs the daily job through the worker, as the scheduler would.
func TestRetentionPurgesOnlyWhatNoLongerMatters(t *testing.T) {
	env := apitest.New(t)
	db := env.App.DB
	now := env.Clock.Now().UTC()
	day := 24 * time.Hour
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	user := env.Inspector().UserID()

	jobs := []model.Job{
		{Kind: "old.done", State: model.JobDone, RunAt: ago(30 * day), UpdatedAt: ago(8 * day)},
		{Kind: "recent.done", State: model.JobDone, RunAt: ago(2 * day), UpdatedAt: ago(2 * day)},
		{Kind: "old.dead", State: model.JobDead, RunAt: ago(100 * day), UpdatedAt: ago(91 * day)},
		{Kind: "recent.failed", State: model.JobFailed, RunAt: ago(30 * day), UpdatedAt: ago(30 * day)},
		{Kind: "old.pending", State: model.JobPending, RunAt: ago(400 * day), UpdatedAt: ago(400 * day)},
	}
	for i := range jobs {
		jobs[i].MaxAttempts = 8
		if err := db.Create(&jobs[i]).Error; err != nil {
			t.Fatal(err)
		}
		db.Model(&jobs[i]).UpdateColumn("updated_at", jobs[i].UpdatedAt) // gorm stamps UpdatedAt on create
	}
	used := ago(40 * day)
	tokens := []model.RefreshToken{
		{UserID: user, FamilyID: "f-old", TokenHash: "old-expired", ExpiresAt: ago(2 * day), UsedAt: &used},
		{UserID: user, FamilyID: "f-used", TokenHash: "used-not-expired", ExpiresAt: now.Add(day), UsedAt: &used},
	}
	tickets := []model.WeChatBindTicket{
		{TokenHash: "ticket-old", OpenID: "o1", ExpiresAt: ago(2 * day)},
		{TokenHash: "ticket-live", OpenID: "o2", ExpiresAt: now.Add(time.Minute)},
	}
	readLong, readRecently := ago(181*day), ago(10*day)
	notes := []model.Notification{
		{UserID: user, Kind: "k", Title: "read long ago", ReadAt: &readLong},
		{UserID: user, Kind: "k", Title: "read recently", ReadAt: &readRecently},
		{UserID: user, Kind: "k", Title: "unread and old", CreatedAt: ago(400 * day)},
	}
	for _, rows := range []any{&tokens, &tickets, &notes} {
		if err := db.Create(rows).Error; err != nil {
			t.Fatal(err)
		}
	}

	if err := env.App.Jobs.Schedule(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Worker.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}

	var kinds []string
	db.Model(&model.Job{}).Where("kind IN ?", []string{"old.done", "recent.done", "old.dead", "recent.failed", "old.pending"}).Order("kind").Pluck("kind", &kinds)
	if got := len(kinds); got != 3 || kinds[0] != "old.pending" || kinds[1] != "recent.done" || kinds[2] != "recent.failed" {
		t.Errorf("jobs left: %v, want old.pending, recent.done, recent.failed", kinds)
	}
	var hashes []string
	db.Model(&model.RefreshToken{}).Where("token_hash IN ?", []string{"old-expired", "used-not-expired"}).Pluck("token_hash", &hashes)
	if len(hashes) != 1 || hashes[0] != "used-not-expired" {
		t.Errorf("refresh tokens left: %v; a used token must stay until it expires (reuse detection)", hashes)
	}
	db.Model(&model.WeChatBindTicket{}).Where("token_hash IN ?", []string{"ticket-old", "ticket-live"}).Pluck("token_hash", &hashes)
	if len(hashes) != 1 || hashes[0] != "ticket-live" {
		t.Errorf("bind tickets left: %v", hashes)
	}
	var titles []string
	db.Model(&model.Notification{}).Where("kind = ?", "k").Order("title").Pluck("title", &titles)
	if len(titles) != 2 || titles[0] != "read recently" || titles[1] != "unread and old" {
		t.Errorf("notifications left: %v", titles)
	}
}
