package apitest

import (
	"fmt"
	"net/http"

	"parksafe/model"
	"parksafe/service"
)

// USCC returns a valid 统一社会信用代码 unique within the Env, for fixtures.
func (e *Env) USCC() string {
	return service.CompleteUSCC(fmt.Sprintf("91330100%09d", 100000000+e.Seq()))
}

// Mobile returns a valid mobile number unique within the Env.
func (e *Env) Mobile() string { return fmt.Sprintf("139%08d", e.Seq()) }

// CreateEnterprise registers an enterprise as admin and returns its id.
func (e *Env) CreateEnterprise(name string) uint64 {
	e.T.Helper()
	if name == "" {
		name = fmt.Sprintf("测试化工有限公司%d", e.Seq())
	}
	return e.Admin().Post("/api/v1/enterprises", map[string]any{
		"name": name, "uscc": e.USCC(), "kind": "hazchem_production", "address": "园区大道 1 号",
		"principal_name": "王主任", "principal_mobile": e.Mobile(), "major_hazard_count": 2,
	}).Want(http.StatusCreated).ID()
}

// CreateUser creates an account as admin and returns a client signed in as it. enterpriseID is used
// for the enterprise role only.
func (e *Env) CreateUser(role string, enterpriseID uint64) *Client {
	e.T.Helper()
	username := fmt.Sprintf("user%d", e.Seq())
	body := map[string]any{"name": "测试用户" + username, "username": username, "mobile": e.Mobile(),
		"password": "Passw0rd-x", "role": role}
	if role == "enterprise" {
		body["enterprise_id"] = enterpriseID
	}
	e.Admin().Post("/api/v1/users", body).Want(http.StatusCreated)
	return e.Login(username, "Passw0rd-x")
}

// Inspector creates a signed-in inspector.
func (e *Env) Inspector() *Client { return e.CreateUser("inspector", 0) }

// EnterpriseUser creates a signed-in user of enterprise id.
func (e *Env) EnterpriseUser(id uint64) *Client { return e.CreateUser("enterprise", id) }

// InsertPhoto stores a photo row (no file behind it) uploaded by uploader, for tests of records that
// attach photos without exercising the upload pipeline.
func (e *Env) InsertPhoto(uploader uint64) uint64 {
	e.T.Helper()
	n := e.Seq()
	p := model.Photo{UploaderID: uploader, SHA256: fmt.Sprintf("%064d", n), Size: 1000, Width: 40, Height: 30,
		ContentType: "image/jpeg", StorageKey: fmt.Sprintf("t/%d.jpg", n), ThumbKey: fmt.Sprintf("t/%d_thumb.jpg", n)}
	if err := e.App.DB.Create(&p).Error; err != nil {
		e.T.Fatalf("insert photo: %v", err)
	}
	return p.ID
}
