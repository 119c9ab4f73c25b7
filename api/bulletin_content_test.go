package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"parksafe/model"
)

// TestBulletinContentLimits refuses content too long or too deeply nested with a 422 naming the
// field, and changes nothing; content at the limits is taken.
func TestBulletinContentLimits(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	var deepList strings.Builder
	for d := range 17 {
		deepList.WriteString(strings.Repeat("  ", d) + "- 第" + fmt.Sprint(d+1) + "级\n")
	}
	for name, content := range map[string]string{
		"100,001 characters":          strings.Repeat("文", 100_001),
		"a quote nested 100,000 deep": strings.Repeat(">", 100_000),
		"a quote nested 17 deep":      strings.Repeat("> ", 17) + "引用",
		"a list nested 17 deep":       deepList.String(),
	} {
		r := admin.Post("/api/v1/bulletins", map[string]any{"title": "通知", "content_markdown": content}).
			WantError(http.StatusUnprocessableEntity, "validation_failed")
		if r.FieldError("content_markdown") == "" {
			t.Errorf("%s: no reason on content_markdown: %s", name, r.Body)
		}
	}
	if n := count(t, env, &model.Bulletin{}); n != 0 {
		t.Fatalf("refused content created %d bulletins", n)
	}

	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": strings.Repeat("> ", 16) + "引用"})
	admin.Post("/api/v1/bulletins", map[string]any{"title": "长通知", "content_markdown": strings.Repeat("文", 100_000)}).Want(http.StatusCreated)
	admin.Patch("/api/v1/bulletins/"+itoa(id), map[string]any{"content_markdown": deepList.String()}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if b := loadBulletin(t, env, id); b.Version != 1 || !strings.HasPrefix(b.ContentMarkdown, "> > ") {
		t.Fatalf("a refused edit changed the bulletin: %+v", b)
	}
}

// TestBulletinHTMLRenderedAtWrite stores each bulletin's HTML when it is written and serves that,
// with fresh signed photo links; a bulletin from before has its HTML rendered on its first read and
// kept.
func TestBulletinHTMLRenderedAtWrite(t *testing.T) {
	env := bulletinEnv(t)
	admin := env.Admin()
	photo := env.InsertPhoto(admin.UserID())
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": fmt.Sprintf("**现场**\n\n![现场](photo:%d)", photo)})
	stored := loadBulletin(t, env, id).ContentHTML
	if stored == nil || !strings.Contains(*stored, fmt.Sprintf(`<img src="photo:%d"`, photo)) || !strings.Contains(*stored, "<strong>") {
		t.Fatalf("stored HTML: %v", stored)
	}
	signed := fmt.Sprintf(`<img src="http://parksafe.test/files/photos/%d?sig=ok"`, photo)
	if html := admin.Get("/api/v1/bulletins/" + itoa(id)).Field("content_html").(string); !strings.Contains(html, signed) {
		t.Fatalf("served HTML lacks the signed link: %s", html)
	}

	// Reads serve what was stored: they do not render the Markdown again.
	env.App.DB.Model(&model.Bulletin{}).Where("id = ?", id).UpdateColumn("content_markdown", "*另一段*")
	if html := admin.Get("/api/v1/bulletins/" + itoa(id)).Field("content_html").(string); !strings.Contains(html, "<strong>现场</strong>") || strings.Contains(html, "另一段") {
		t.Fatalf("a read rendered the Markdown again: %s", html)
	}
	// A placeholder of a photo the bulletin does not own is never signed.
	other := env.InsertPhoto(env.Inspector().UserID())
	env.App.DB.Model(&model.Bulletin{}).Where("id = ?", id).UpdateColumn("content_html", fmt.Sprintf(`<p><img src="photo:%d" alt="x"></p>`, other))
	if html := admin.Get("/api/v1/bulletins/" + itoa(id)).Field("content_html").(string); strings.Contains(html, "files/photos") {
		t.Fatalf("a photo the bulletin does not own was signed: %s", html)
	}

	// A row from before the HTML was stored.
	env.App.DB.Model(&model.Bulletin{}).Where("id = ?", id).
		UpdateColumns(map[string]any{"content_markdown": fmt.Sprintf("旧通报\n\n![现场](photo:%d)", photo), "content_html": nil})
	if html := admin.Get("/api/v1/bulletins/" + itoa(id)).Field("content_html").(string); !strings.Contains(html, "旧通报") || !strings.Contains(html, signed) {
		t.Fatalf("legacy bulletin HTML: %s", html)
	}
	if b := loadBulletin(t, env, id); b.ContentHTML == nil || !strings.Contains(*b.ContentHTML, "旧通报") || b.Version != 1 {
		t.Fatalf("the first read did not keep the HTML, or changed the version: %+v", b)
	}
}

// TestBulletinPageHeaders: the public page may not be framed, sniffed or load anything foreign.
func TestBulletinPageHeaders(t *testing.T) {
	env := bulletinEnv(t)
	id := createBulletin(t, env, map[string]any{"title": "通知", "content_markdown": "正文"})
	env.App.DB.Model(&model.Bulletin{}).Where("id = ?", id).Update("status", model.BulletinPublished)
	for path, status := range map[string]int{"/p/bulletins/" + itoa(id): http.StatusOK, "/p/bulletins/999999": http.StatusNotFound, "/p/bulletins/x": http.StatusNotFound} {
		r := env.Anon().Get(path).Want(status)
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "img-src http://parksafe.test/files/photos/;", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "script-src") || strings.Contains(csp, "img-src 'self' https:") {
			t.Errorf("%s: CSP %q lets more in than the page needs", path, csp)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, r.Header)
		}
	}
}
