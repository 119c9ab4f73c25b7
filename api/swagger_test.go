package api_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"parksafe/apitest"
	"parksafe/docs"
)

// TestSwaggerPathsAreServedUnderBasePath keeps "Try it out" honest: every operation the generated
// spec lists must be a route at basePath + path, or the Swagger UI sends people to a 404.
func TestSwaggerPathsAreServedUnderBasePath(t *testing.T) {
	env := apitest.New(t)
	engine, ok := env.App.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("handler is %T, want *gin.Engine", env.App.Handler)
	}
	served := map[string]bool{}
	for _, r := range engine.Routes() {
		served[r.Method+" "+r.Path] = true
	}
	var spec struct {
		BasePath string                                `json:"basePath"`
		Paths    map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(docs.SwaggerInfo.ReadDoc()), &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Paths) == 0 {
		t.Fatal("the spec lists no paths")
	}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	for path, ops := range spec.Paths {
		route := spec.BasePath + param.ReplaceAllString(path, ":$1")
		for method := range ops {
			if !served[strings.ToUpper(method)+" "+route] {
				t.Errorf("spec lists %s %s, but the router serves no %s", strings.ToUpper(method), spec.BasePath+path, route)
			}
		}
	}
}
