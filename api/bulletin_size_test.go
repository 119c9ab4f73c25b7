package api_test

import (
	"net/http"
	"strings"
	"testing"

	"parksafe/model"
)

// TestBulletinTablesAreBoundedBeforeRendering: a table pads every row to its header's width, so a
// 200-column header over one-cell rows turned 100,000 characters into 66 MB of stored HTML (and a
// failed save on MySQL). Such content is refused before it is rendered; a notice's ordinary table is
// not.
func TestBulletinTablesAreBoundedBeforeRendering(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	bomb := "|" + strings.Repeat("a|", 200) + "\n|" + strings.Repeat("-|", 200) + "\n" + strings.Repeat("|x\n", 33000)
	r := admin.Post("/api/v1/bulletins", map[string]any{"title": "表格", "content_markdown": bomb}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if r.FieldError("content_markdown") == "" {
		t.Fatalf("refused without naming the field: %s", r.Body)
	}
	var n int64
	env.App.DB.Model(&model.Bulletin{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d bulletins stored", n)
	}
	var rows strings.Builder
	rows.WriteString("| 企业 | 门口 | 沟渠 | 道路 | 结果 | 整改期限 |\n|---|---|---|---|---|---|\n")
	for range 13 {
		rows.WriteString("| 龙池石化有限公司 | 合格 | 合格 | 不合格 | 不合格 | 12月5日 |\n")
	}
	admin.Post("/api/v1/bulletins", map[string]any{"title": "本周检查情况", "content_markdown": rows.String()}).Want(http.StatusCreated)
}
