package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service"
	"parksafe/service/hazard"
	"parksafe/service/notify"
)

const subscribeTemplates = "hazard_assigned=tpl-assigned,hazard_due_tomorrow=tpl-due,hazard_overdue=tpl-overdue"

// bindOpenID gives a user a WeChat openid, as the mini-program sign-in would.
func bindOpenID(t *testing.T, env *apitest.Env, c *apitest.Client) {
	t.Helper()
	if err := env.App.DB.Model(&model.User{}).Where("id = ?", c.UserID()).Update("open_id", fmt.Sprintf("openid-%d-%d", c.UserID(), env.Seq())).Error; err != nil {
		t.Fatal(err)
	}
}

// addHazard stores a hazard directly (the hazard endpoints are another area's) and lets the notifier
// hear of its creation in the same transaction, as the hazard service does.
func addHazard(t *testing.T, env *apitest.Env, enterpriseID, reporter uint64, deadline time.Time) *model.Hazard {
	t.Helper()
	loc := env.App.Park.Loc
	d := time.Date(deadline.Year(), deadline.Month(), deadline.Day(), 0, 0, 0, 0, loc)
	h := &model.Hazard{Code: fmt.Sprintf("YH-20260508-%04d", env.Seq()), EnterpriseID: enterpriseID, Source: model.SourceSnapshot,
		Category: "fire", Level: model.LevelGeneral, Title: "消防通道堵塞", Description: "d", Requirement: "清理",
		Deadline: d.Format(time.DateOnly), DeadlineAt: d.AddDate(0, 0, 1).UTC(), Status: model.HazardPendingRectify, ReporterID: reporter, Version: 1}
	err := env.App.DB.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		return env.App.Notifier.HazardChanged(context.Background(), tx, h, hazard.ActionCreated, service.Actor{ID: reporter, Role: model.RoleInspector})
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type feed struct {
	Items []struct {
		ID         uint64 `json:"id"`
		Kind       string `json:"kind"`
		KindLabel  string `json:"kind_label"`
		Link       string `json:"link"`
		PushStatus string `json:"push_status"`
		Read       bool   `json:"read"`
	} `json:"items"`
	Total       int `json:"total"`
	UnreadCount int `json:"unread_count"`
}

func feedOf(c *apitest.Client) feed {
	var f feed
	c.Get("/api/v1/notifications").Want(http.StatusOK).JSON(&f)
	return f
}

func TestNotificationsSpendQuotaAndSendOnce(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("WECHAT_SUBSCRIBE_TEMPLATES", subscribeTemplates))
	eid := env.CreateEnterprise("")
	granted, noQuota, unbound := env.EnterpriseUser(eid), env.EnterpriseUser(eid), env.EnterpriseUser(eid)
	outsider := env.EnterpriseUser(env.CreateEnterprise(""))
	bindOpenID(t, env, granted)
	bindOpenID(t, env, noQuota)
	inspector := env.Inspector()

	r := granted.Post("/api/v1/me/subscriptions", map[string]any{"template_ids": []string{"tpl-assigned", "tpl-assigned", "tpl-due"}}).Want(http.StatusOK)
	var subs []struct {
		Event      string `json:"event"`
		TemplateID string `json:"template_id"`
		Remaining  int    `json:"remaining"`
	}
	r.JSON(&subs)
	for _, s := range subs {
		if want := map[string]int{"tpl-assigned": 1, "tpl-due": 1}[s.TemplateID]; s.Remaining != want {
			t.Errorf("%s: remaining %d, want %d", s.TemplateID, s.Remaining, want)
		}
	}
	granted.Post("/api/v1/me/subscriptions", map[string]any{"template_ids": []string{"tpl-unknown"}}).WantError(http.StatusUnprocessableEntity, "validation_failed")

	sends := env.WeChat.Calls("subscribe/send")
	h := addHazard(t, env, eid, inspector.UserID(), env.Clock.Now().AddDate(0, 0, 7))
	runJobs(t, env)
	if n := env.WeChat.Calls("subscribe/send") - sends; n != 1 {
		t.Fatalf("subscribe/send called %d times, want 1 (only the user with a grant)", n)
	}
	for c, want := range map[*apitest.Client]string{granted: "sent", noQuota: "skipped", unbound: "skipped"} {
		f := feedOf(c)
		if f.Total != 1 || f.UnreadCount != 1 || f.Items[0].Kind != "hazard_assigned" || f.Items[0].PushStatus != want || f.Items[0].Link != fmt.Sprintf("hazard:%d", h.ID) {
			t.Errorf("feed of user %d: %+v, want push %s", c.UserID(), f, want)
		}
	}
	if f := feedOf(outsider); f.Total != 0 || f.UnreadCount != 0 {
		t.Errorf("another enterprise's user was notified: %+v", f)
	}
	var q model.SubscriptionQuota
	env.App.DB.Where("user_id = ? AND template_id = ?", granted.UserID(), "tpl-assigned").First(&q)
	if q.Remaining != 0 {
		t.Errorf("quota left %d, want 0", q.Remaining)
	}

	// The same event again (a retried transition) reaches nobody twice.
	env.App.DB.Transaction(func(tx *gorm.DB) error {
		return env.App.Notifier.HazardChanged(context.Background(), tx, h, hazard.ActionCreated, service.Actor{})
	})
	runJobs(t, env)
	if n := env.WeChat.Calls("subscribe/send") - sends; n != 1 || feedOf(granted).Total != 1 {
		t.Fatalf("repeated event: %d sends, %d entries", n, feedOf(granted).Total)
	}

	// Rectification submitted goes to the reporter; a rejection back to the enterprise, once per rejection.
	for _, action := range []string{hazard.ActionRectificationSubmitted, hazard.ActionVerifyRejected} {
		env.App.DB.Transaction(func(tx *gorm.DB) error {
			return env.App.Notifier.HazardChanged(context.Background(), tx, h, action, service.Actor{})
		})
	}
	h.RejectCount = 1
	env.App.DB.Transaction(func(tx *gorm.DB) error {
		return env.App.Notifier.HazardChanged(context.Background(), tx, h, hazard.ActionApprovalRejected, service.Actor{})
	})
	if f := feedOf(inspector); f.Total != 1 || f.Items[0].Kind != "awaiting_verification" {
		t.Errorf("reporter feed: %+v", f)
	}
	if f := feedOf(granted); f.Total != 3 || f.Items[0].Kind != "rectification_rejected" {
		t.Errorf("enterprise feed after two rejections: %+v", f)
	}

	// Mark read: own entries only.
	first := feedOf(granted).Items[0].ID
	noQuota.Post("/api/v1/notifications/read", map[string]any{"ids": []uint64{first}}).Want(http.StatusOK)
	if feedOf(granted).UnreadCount != 3 {
		t.Fatal("another user marked my notification read")
	}
	granted.Post("/api/v1/notifications/read", map[string]any{"ids": []uint64{first}}).Want(http.StatusOK)
	if f := feedOf(granted); f.UnreadCount != 2 || !f.Items[0].Read {
		t.Fatalf("after reading one: %+v", f)
	}
	granted.Post("/api/v1/notifications/read", map[string]any{}).WantError(http.StatusUnprocessableEntity, "validation_failed")
	granted.Post("/api/v1/notifications/read", map[string]any{"all": true}).Want(http.StatusOK)
	if f := feedOf(granted); f.UnreadCount != 0 {
		t.Fatalf("after reading all: %+v", f)
	}
}

func TestNotificationSendRetriesAndNeverBlocksTheAction(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("WECHAT_SUBSCRIBE_TEMPLATES", subscribeTemplates))
	eid := env.CreateEnterprise("")
	u := env.EnterpriseUser(eid)
	bindOpenID(t, env, u)
	u.Post("/api/v1/me/subscriptions", map[string]any{"template_ids": []string{"tpl-assigned"}}).Want(http.StatusOK)
	env.WeChat.FailNext("subscribe/send", 1, http.StatusBadGateway)
	sends := env.WeChat.Calls("subscribe/send")
	addHazard(t, env, eid, env.Inspector().UserID(), env.Clock.Now().AddDate(0, 0, 7))
	runJobs(t, env)
	if f := feedOf(u); f.Total != 1 || f.Items[0].PushStatus != "pending" {
		t.Fatalf("after a failed send: %+v", f)
	}
	var q model.SubscriptionQuota
	env.App.DB.Where("user_id = ?", u.UserID()).First(&q)
	if q.Remaining != 1 {
		t.Fatalf("a failed send spent the grant: %d left", q.Remaining)
	}
	env.Clock.Advance(time.Minute)
	runJobs(t, env)
	if f := feedOf(u); f.Items[0].PushStatus != "sent" || env.WeChat.Calls("subscribe/send")-sends != 2 {
		t.Fatalf("after the retry: %+v, %d calls", f, env.WeChat.Calls("subscribe/send")-sends)
	}
}

func TestDueTomorrowAndOverdueSweeps(t *testing.T) {
	env := apitest.New(t)
	eid := env.CreateEnterprise("")
	u := env.EnterpriseUser(eid)
	loc := env.App.Park.Loc
	env.Clock.Set(time.Date(2026, 5, 8, 9, 0, 0, 0, loc))
	h := addHazard(t, env, eid, env.Inspector().UserID(), time.Date(2026, 5, 9, 0, 0, 0, 0, loc))
	closed := addHazard(t, env, eid, 1, time.Date(2026, 5, 9, 0, 0, 0, 0, loc))
	env.App.DB.Model(closed).Update("status", model.HazardClosed)

	count := func(kind string) int {
		var n int64
		env.App.DB.Model(&model.Notification{}).Where("user_id = ? AND kind = ?", u.UserID(), kind).Count(&n)
		return int(n)
	}
	for range 2 { // two instances, or two hourly runs: once each
		if err := env.App.Jobs.Schedule(context.Background()); err != nil {
			t.Fatal(err)
		}
		runJobs(t, env)
		env.Clock.Advance(time.Hour)
	}
	if n := count(notify.EventHazardDueTomorrow); n != 1 {
		t.Fatalf("due-tomorrow notices: %d, want 1 (and none for the closed hazard)", n)
	}
	if count(notify.EventHazardOverdue) != 0 {
		t.Fatal("overdue before the deadline passed")
	}
	env.Clock.Set(time.Date(2026, 5, 10, 0, 30, 0, 0, loc)) // the deadline (end of 5-9) has passed
	for range 3 {
		env.App.Jobs.Schedule(context.Background())
		runJobs(t, env)
		env.Clock.Advance(time.Hour)
	}
	if n := count(notify.EventHazardOverdue); n != 1 {
		t.Fatalf("overdue notices: %d, want 1", n)
	}
	var link string
	env.App.DB.Model(&model.Notification{}).Where("user_id = ? AND kind = ?", u.UserID(), notify.EventHazardOverdue).Pluck("link", &link)
	if link != fmt.Sprintf("hazard:%d", h.ID) {
		t.Fatalf("overdue link %q", link)
	}
}

func TestInterviewScheduledNotice(t *testing.T) {
	env := apitest.New(t)
	eid := env.CreateEnterprise("")
	u := env.EnterpriseUser(eid)
	when := time.Date(2026, 5, 11, 1, 30, 0, 0, time.UTC)
	env.App.DB.Transaction(func(tx *gorm.DB) error {
		return env.App.Notifier.InterviewScheduled(context.Background(), tx, eid, 7, when)
	})
	var n model.Notification
	if err := env.App.DB.Where("user_id = ?", u.UserID()).First(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n.Kind != notify.EventInterviewScheduled || n.Link != "interview:7" || !strings.Contains(n.Body, "2026年5月11日 09:30") {
		t.Fatalf("interview notice: %+v", n)
	}
}

// TestFilingNoticeLabelAndPage: a filing's notice carries its Chinese label in the feed and in the
// subscriptions, and its subscribe message opens the filing's page in the mini-program.
func TestFilingNoticeLabelAndPage(t *testing.T) {
	p := newFilingPark(t, apitest.WithEnv("WECHAT_SUBSCRIBE_TEMPLATES", "filing_review=tpl-review,filing_decision=tpl-decision"))
	bindOpenID(t, p.env, p.reviewer)
	p.reviewer.Post("/api/v1/me/subscriptions", map[string]any{"template_ids": []string{"tpl-review"}}).Want(http.StatusOK)
	var subs []struct {
		Event      string `json:"event"`
		EventLabel string `json:"event_label"`
	}
	p.reviewer.Get("/api/v1/me/subscriptions").Want(http.StatusOK).JSON(&subs)
	labels := map[string]string{}
	for _, s := range subs {
		labels[s.Event] = s.EventLabel
	}
	if labels["filing_review"] != "报备待审核" || labels["filing_decision"] != "报备审核结果" {
		t.Fatalf("subscription labels: %+v", subs)
	}

	before := len(p.env.WeChat.Requests())
	id := p.file(nil)
	runJobs(t, p.env)
	f := feedOf(p.reviewer)
	if f.Total != 1 || f.Items[0].Kind != "filing_review" || f.Items[0].KindLabel != "报备待审核" || f.Items[0].PushStatus != "sent" {
		t.Fatalf("reviewer's feed: %+v", f)
	}
	var pages []string
	for _, r := range p.env.WeChat.Requests()[before:] {
		if !strings.HasSuffix(r.Path, "subscribe/send") {
			continue
		}
		var msg struct {
			Page string `json:"page"`
		}
		if err := json.Unmarshal(r.Body, &msg); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, msg.Page)
	}
	if want := "pages/filings/detail?id=" + itoa(id); len(pages) != 1 || pages[0] != want {
		t.Fatalf("subscribe messages opened %q, want one opening %q", pages, want)
	}
}
