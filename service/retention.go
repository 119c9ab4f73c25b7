package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
)

// JobRetention deletes the rows that only grow once they no longer matter; scheduled daily.
const JobRetention = "retention.purge"

// Retention periods. They are measured from the moment a row stopped mattering, not from its creation.
const (
	// RetainDoneJobs keeps finished jobs for a week: long enough to see what ran last weekend.
	RetainDoneJobs = 7 * 24 * time.Hour
	// RetainFailedJobs keeps failed and dead jobs for 90 days, for whoever investigates a failure.
	RetainFailedJobs = 90 * 24 * time.Hour
	// RetainExpiredRefreshTokens keeps a refresh token for a day after it expires. Used and revoked
	// tokens must stay until then: presenting a used one is how a stolen token is detected.
	RetainExpiredRefreshTokens = 24 * time.Hour
	// RetainExpiredBindTickets keeps a WeChat bind ticket for a day after it expires.
	RetainExpiredBindTickets = 24 * time.Hour
	// RetainReadNotifications keeps a notification for 180 days after it was read; unread ones stay.
	RetainReadNotifications = 180 * 24 * time.Hour
)

// retentionBatch bounds one DELETE, so that a first purge of a large backlog never holds locks on a
// busy table for long.
const retentionBatch = 1000

// Retention deletes expired rows of the tables that grow with every request or job.
type Retention struct {
	db    *gorm.DB
	clock Clock
	log   *slog.Logger
}

// NewRetention returns the retention service.
func NewRetention(db *gorm.DB, clock Clock, log *slog.Logger) *Retention {
	return &Retention{db: db, clock: clock, log: log}
}

// Register schedules the daily purge on jobs.
func (r *Retention) Register(jobs *Jobs) {
	jobs.Handle(JobRetention, func(ctx context.Context, _ *model.Job) error {
		_, err := r.Purge(ctx)
		return err
	})
	jobs.Every(JobRetention, 24*time.Hour)
}

// Purge deletes every row past its retention period and returns how many it deleted per table.
func (r *Retention) Purge(ctx context.Context) (map[string]int64, error) {
	now := r.clock.Now().UTC()
	rules := []struct {
		table string
		model any
		where string
		args  []any
	}{
		{"jobs", &model.Job{}, "state = ? AND updated_at < ?", []any{model.JobDone, now.Add(-RetainDoneJobs)}},
		{"jobs", &model.Job{}, "state IN ? AND updated_at < ?", []any{[]string{model.JobFailed, model.JobDead}, now.Add(-RetainFailedJobs)}},
		{"refresh_tokens", &model.RefreshToken{}, "expires_at < ?", []any{now.Add(-RetainExpiredRefreshTokens)}},
		{"wechat_bind_tickets", &model.WeChatBindTicket{}, "expires_at < ?", []any{now.Add(-RetainExpiredBindTickets)}},
		{"notifications", &model.Notification{}, "read_at < ?", []any{now.Add(-RetainReadNotifications)}},
	}
	deleted := map[string]int64{}
	for _, rule := range rules {
		n, err := r.deleteBatched(ctx, rule.model, rule.where, rule.args...)
		deleted[rule.table] += n
		if err != nil {
			return deleted, fmt.Errorf("retention %s: %w", rule.table, err)
		}
	}
	for table, n := range deleted {
		if n > 0 {
			r.log.Info("retention purged rows", "table", table, "count", n)
		}
	}
	return deleted, nil
}

// deleteBatched deletes the rows of m matching where, retentionBatch at a time. It selects ids first
// because neither MySQL (LIMIT in an IN subquery) nor SQLite (DELETE … LIMIT) offers a portable
// bounded delete.
func (r *Retention) deleteBatched(ctx context.Context, m any, where string, args ...any) (int64, error) {
	var total int64
	for {
		var ids []uint64
		if err := r.db.WithContext(ctx).Model(m).Where(where, args...).Order("id").Limit(retentionBatch).Pluck("id", &ids).Error; err != nil {
			return total, err
		}
		if len(ids) == 0 {
			return total, nil
		}
		res := r.db.WithContext(ctx).Where("id IN ?", ids).Delete(m)
		if res.Error != nil {
			return total, res.Error
		}
		total += res.RowsAffected
		if len(ids) < retentionBatch {
			return total, nil
		}
	}
}
