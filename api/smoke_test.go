package api_test

import (
	"net/http"
	"testing"

	"parksafe/apitest"
)

func TestSmoke(t *testing.T) {
	env := apitest.New(t)
	admin := env.Admin()
	admin.Get("/api/v1/me").Want(http.StatusOK)
	eid := env.CreateEnterprise("")
	ent := env.EnterpriseUser(eid)
	ent.Get("/api/v1/me").Want(http.StatusOK)
	other := env.CreateEnterprise("")
	ent.Get("/api/v1/enterprises/"+itoa(other)).WantError(http.StatusNotFound, "not_found")
	ent.Get("/api/v1/enterprises/" + itoa(eid)).Want(http.StatusOK)
}
