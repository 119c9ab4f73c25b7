package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"parksafe/apitest"
	"parksafe/database"
	"parksafe/database/dbtest"
	"parksafe/model"
)

// legacyUser is the users table as releases before confirmed mobiles created it: every account had
// a mobile, and the first admin got a placeholder one.
type legacyUser struct {
	ID           uint64  `gorm:"primaryKey"`
	Name         string  `gorm:"size:64;not null"`
	Username     *string `gorm:"size:64;uniqueIndex"`
	Mobile       string  `gorm:"size:20;not null;uniqueIndex"`
	Role         string  `gorm:"size:16;not null;index:idx_users_role_status,priority:1"`
	EnterpriseID *uint64 `gorm:"index"`
	Status       string  `gorm:"size:16;not null;index:idx_users_role_status,priority:2"`
	PasswordHash string  `gorm:"size:100;not null;default:''"`
	OpenID       *string `gorm:"size:64;uniqueIndex"`
	UnionID      *string `gorm:"size:64;index"`
	AuthVersion  int     `gorm:"not null;default:1"`
	Version      int     `gorm:"not null;default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (legacyUser) TableName() string { return "users" }

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestUpgradeTakesThePlaceholderMobileFromTheFirstAdmin starts the service on a database of an
// earlier release in which a stranger whose WeChat number is the placeholder 13800000000 had bound
// the first admin and held a session: after the upgrade the stranger is out, the admin still signs in
// with the password, and the accounts the office registered still bind by phone. The upgrade is also
// finished when an earlier try stopped right after adding the column that confirms mobiles.
func TestUpgradeTakesThePlaceholderMobileFromTheFirstAdmin(t *testing.T) {
	t.Run("first start", func(t *testing.T) { upgradePlaceholderAdmin(t, false) })
	t.Run("after an interrupted upgrade", func(t *testing.T) { upgradePlaceholderAdmin(t, true) })
}

func upgradePlaceholderAdmin(t *testing.T, interrupted bool) {
	p := "upgrade" // openids are at most 64 characters
	driver, dsn := dbtest.Fresh(t)
	db, err := database.Open(driver, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if driver == "sqlite" {
		if err := database.Migrate(db); err != nil {
			t.Fatal(err)
		}
	}
	// A database of such a release has no migration versions either, nor the tables of later ones.
	if err := db.Migrator().DropTable(database.VersionTable, "users", "blobs"); err != nil {
		t.Fatal(err)
	}
	if err := db.AutoMigrate(&legacyUser{}); err != nil {
		t.Fatal(err)
	}
	hash := func(pw string) string {
		h, _ := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		return string(h)
	}
	adminName, inspName, strangerOpenID := apitest.AdminUsername, "veteran", p+"-stranger"
	admin := legacyUser{Name: "园区管理员", Username: &adminName, Mobile: "13800000000", Role: "admin", Status: "active",
		PasswordHash: hash(apitest.AdminPassword), OpenID: &strangerOpenID, AuthVersion: 1, Version: 1}
	insp := legacyUser{Name: "老检查员", Username: &inspName, Mobile: "13912340001", Role: "inspector", Status: "active",
		PasswordHash: hash(testPassword), AuthVersion: 1, Version: 1}
	for _, u := range []*legacyUser{&admin, &insp} {
		if err := db.Create(u).Error; err != nil {
			t.Fatal(err)
		}
	}
	if interrupted {
		if err := db.Migrator().AddColumn(&model.User{}, "MobileConfirmed"); err != nil {
			t.Fatal(err)
		}
	}
	stranger := "stranger-refresh-token"
	if err := db.Create(&model.RefreshToken{UserID: admin.ID, FamilyID: "stranger", TokenHash: sha256Hex(stranger),
		ExpiresAt: time.Now().Add(24 * time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}

	env := apitest.New(t, apitest.WithEnv("DB_DRIVER", driver), apitest.WithEnv("DB_DSN", dsn))
	env.Anon().Post("/api/v1/auth/refresh", map[string]any{"refresh_token": stranger}).WantError(http.StatusUnauthorized, "unauthenticated")
	env.WeChat.SetSession(p+"-code", strangerOpenID, "")
	if r := env.Anon().Post("/api/v1/auth/wechat/login", map[string]any{"code": p + "-code"}).Want(http.StatusOK); r.Field("bound") != false {
		t.Fatalf("the stranger's WeChat still signs in: %s", r.Body)
	}
	bind(env, bindTicket(env, p+"-code2", strangerOpenID), p+"-phone", "13800000000").WantError(http.StatusForbidden, "forbidden")

	me := env.Admin().Get("/api/v1/me").Want(http.StatusOK)
	if me.Field("phone") != "" || me.Field("wechat_bound") != false {
		t.Fatalf("admin after upgrade: %s", me.Body)
	}
	r := bind(env, bindTicket(env, p+"-code3", p+"-veteran-openid"), p+"-veteran-phone", insp.Mobile).Want(http.StatusOK)
	if uint64(r.Field("user.id").(float64)) != insp.ID {
		t.Fatalf("veteran bound to %s", r.Body)
	}
	// The schema is the current one: mobiles stay unique, and accounts without one may be many.
	env.Admin().Post("/api/v1/users", map[string]any{"name": "重复", "mobile": insp.Mobile, "role": "inspector"}).WantError(http.StatusConflict, "conflict")
	if !env.App.DB.Migrator().HasIndex(&model.User{}, "idx_users_mobile") {
		t.Fatal("the unique index on mobile is gone")
	}
	var n int64
	env.App.DB.Model(&model.User{}).Where("mobile IS NULL").Count(&n)
	if n != 1 {
		t.Fatalf("%d accounts without a mobile, want the admin only", n)
	}
}
