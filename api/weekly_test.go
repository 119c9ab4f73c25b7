package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"parksafe/apitest"
	"parksafe/model"
	"parksafe/service/photo"
)

// TestWeeklyNoticesFromTheWeeksRecords drafts both weekly notices from real filings: a hygiene round
// with one failed area and one enterprise left unchecked, and leader inspections done, late and
// missing with an interview arranged.
func TestWeeklyNoticesFromTheWeeksRecords(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h"))
	loc := env.App.Park.Loc
	env.Clock.Set(time.Date(2026, 5, 4, 10, 0, 0, 0, loc)) // Monday of 2026-W19
	a, b, c := env.CreateEnterprise("江南化工有限公司"), env.CreateEnterprise("华盛新材料有限公司"), env.CreateEnterprise("远东石化有限公司")
	ua, ub := env.EnterpriseUser(a), env.EnterpriseUser(b)
	insp := env.Inspector()
	admin := env.Admin()

	ua.Post("/api/v1/leader-inspections", leaderBody(t, env, ua, "2026-05-04")).Want(http.StatusCreated)
	env.Clock.Set(time.Date(2026, 5, 6, 10, 0, 0, 0, loc))
	ub.Post("/api/v1/leader-inspections", leaderBody(t, env, ub, "2026-05-06")).Want(http.StatusCreated)
	admin.Post("/api/v1/interviews", map[string]any{"enterprise_id": c, "reason": "第19周未开展主要负责人带队检查", "weeks": []string{"2026-W19"},
		"scheduled_at": "2026-05-11T09:30:00+08:00", "place": "园区办 302 会议室", "attendee": "主要负责人本人"}).Want(http.StatusCreated)

	env.Clock.Set(time.Date(2026, 5, 8, 15, 0, 0, 0, loc)) // Friday
	photo := env.InsertPhoto(insp.UserID())
	insp.Post("/api/v1/hygiene-checks", checkBody(a, "2026-05-08", "2026-05-12",
		area("doorway", true, ""), area("ditch", false, "沟渠内堆有油污棉纱", photo), area("road", true, ""))).Want(http.StatusCreated)
	insp.Post("/api/v1/hygiene-checks", checkBody(b, "2026-05-08", "",
		area("doorway", true, ""), area("ditch", true, ""), area("road", true, ""))).Want(http.StatusCreated)

	r := admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	md := r.Field("content_markdown").(string)
	for _, want := range []string{"实际检查 2 家", "江南化工有限公司", "沟渠内堆有油污棉纱", "2026-05-12", "YH-20260508-0001",
		"远东石化有限公司", fmt.Sprintf("photo:%d", photo)} {
		if !strings.Contains(md, want) {
			t.Errorf("hygiene notice lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "华盛新材料有限公司") {
		t.Errorf("an enterprise that passed is named in the hygiene notice:\n%s", md)
	}

	r = admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	md = r.Field("content_markdown").(string)
	for _, want := range []string{"按时完成 1 家，补报 1 家，未上报 1 家", "江南化工有限公司", "华盛新材料有限公司", "2026-05-06",
		"远东石化有限公司", "园区办 302 会议室"} {
		if !strings.Contains(md, want) {
			t.Errorf("leader notice lacks %q:\n%s", want, md)
		}
	}
	admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W99"}).WantError(http.StatusUnprocessableEntity, "validation_failed")
}

// TestWeeklyNoticeKeepsWhatEnterprisesTypedAsText has an enterprise file a leader inspection whose
// leader name is a Markdown link and an image of another enterprise's photo, and an inspector note
// that tries the same: the generated notices show both as text, link and embed nothing, the photo is
// neither linked to the notice nor uploaded to WeChat, and it stays private once the notice is
// published. Editing the generated notice cannot add that photo either.
func TestWeeklyNoticeKeepsWhatEnterprisesTypedAsText(t *testing.T) {
	env := bulletinEnv(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h"))
	loc := env.App.Park.Loc
	env.Clock.Set(time.Date(2026, 4, 27, 10, 0, 0, 0, loc)) // Monday of 2026-W18
	a, b, c := env.CreateEnterprise(""), env.CreateEnterprise(""), env.CreateEnterprise("")
	ua, ub, uc := env.EnterpriseUser(a), env.EnterpriseUser(b), env.EnterpriseUser(c)
	insp, admin := env.Inspector(), env.Admin()

	// b's photo of an earlier week's inspection: private to b and the park office.
	ub.Post("/api/v1/leader-inspections", leaderBody(t, env, ub, "2026-04-27")).Want(http.StatusCreated)
	var secret uint64
	env.App.DB.Model(&model.PhotoLink{}).Where("owner_type = ?", model.OriginLeaderInspection).Pluck("photo_id", &secret)
	ua.Get("/api/v1/photos/"+itoa(secret)).WantError(http.StatusNotFound, "not_found")

	env.Clock.Set(time.Date(2026, 5, 4, 10, 0, 0, 0, loc)) // Monday of 2026-W19
	ub.Post("/api/v1/leader-inspections", leaderBody(t, env, ub, "2026-05-04")).Want(http.StatusCreated)

	injected := fmt.Sprintf("王[x](http://evil.example/a) ![](photo:%d)<img src=x>*强调*", secret)
	body := leaderBody(t, env, ua, "2026-05-04")
	body["leader_name"] = injected
	ua.Post("/api/v1/leader-inspections", body).Want(http.StatusCreated)
	env.Clock.Set(time.Date(2026, 5, 8, 15, 0, 0, 0, loc)) // Friday
	ownPhoto := env.InsertPhoto(insp.UserID())
	note := fmt.Sprintf("门口堆放纸箱\n\n# 标题\n[链接](http://evil.example/b) ![图](photo:%d) | 竖线", secret)
	insp.Post("/api/v1/hygiene-checks", checkBody(a, "2026-05-08", "2026-05-12",
		area("doorway", false, note, ownPhoto), area("ditch", true, ""), area("road", true, ""))).Want(http.StatusCreated)

	leader := admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	hygiene := admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	for _, r := range []*apitest.Response{leader, hygiene} {
		html := r.Field("content_html").(string)
		for _, bad := range []string{"evil.example/a\"", "evil.example/b\"", "<a ", "<h1", "<em>", `src="x"`, fmt.Sprintf("files/photos/%d", secret)} {
			if strings.Contains(html, bad) {
				t.Errorf("notice %v shows %q: %s", r.Field("kind"), bad, html)
			}
		}
	}
	if html := leader.Field("content_html").(string); !strings.Contains(html, "王[x](http://evil.example/a) ![](photo:") || strings.Contains(html, "<img") {
		t.Errorf("the leader's name is not shown as typed: %s", html)
	}
	if html := hygiene.Field("content_html").(string); !strings.Contains(html, "[链接](http://evil.example/b)") ||
		!strings.Contains(html, fmt.Sprintf("files/photos/%d", ownPhoto)) {
		t.Errorf("the hygiene note or the check's own photo is missing: %s", html)
	}
	if n := count(t, env, &model.PhotoLink{}, "owner_type = ? AND photo_id = ?", photo.OwnerBulletin, secret); n != 0 {
		t.Fatalf("the other enterprise's photo is linked to %d notices", n)
	}

	// Only the photos of the reported records may be shown, whoever edits the notice.
	lid := leader.ID()
	md := leader.Field("content_markdown").(string)
	admin.Patch("/api/v1/bulletins/"+itoa(lid), map[string]any{"content_markdown": md + fmt.Sprintf("\n![](photo:%d)\n", ownPhoto)}).
		WantError(http.StatusUnprocessableEntity, "validation_failed")
	if n := count(t, env, &model.PhotoLink{}, "owner_type = ? AND owner_id = ?", photo.OwnerBulletin, lid); n != 0 {
		t.Fatalf("a refused edit linked %d photos", n)
	}

	before := snapshot(env)
	admin.Post("/api/v1/bulletins/"+itoa(lid)+"/publish", nil).Want(http.StatusAccepted)
	runJobs(t, env)
	if n := before.since(env, "media/uploadimg"); n != 0 {
		t.Fatalf("%d images uploaded to WeChat for a notice without photos", n)
	}
	callback(env, publishEventXML(*loadBulletin(t, env, lid).PublishID, 0, "https://mp.weixin.qq.com/s/w19"), apitest.OAToken).Want(http.StatusOK)
	page := string(env.Anon().Get("/p/bulletins/" + itoa(lid)).Want(http.StatusOK).Body)
	if strings.Contains(page, `href="http://evil.example`) || strings.Contains(page, fmt.Sprintf("files/photos/%d", secret)) {
		t.Fatalf("the public page links or shows the injected content: %s", page)
	}
	for _, u := range []*apitest.Client{ua, uc} {
		u.Get("/api/v1/photos/"+itoa(secret)).WantError(http.StatusNotFound, "not_found")
	}
}

// TestConcurrentGenerateMakesOneNotice: six admins generating the same week's notice at once get one
// draft with one official number; the others are told it exists (409 naming it), none a 500. The
// next notice of the year takes the next number.
func TestConcurrentGenerateMakesOneNotice(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("ACCESS_TOKEN_TTL", "2400h"))
	loc := env.App.Park.Loc
	env.Clock.Set(time.Date(2026, 5, 8, 15, 0, 0, 0, loc))
	admins := []*apitest.Client{env.Admin()}
	for range 5 {
		admins = append(admins, env.CreateUser("admin", 0))
	}
	results := make([]*apitest.Response, len(admins))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range admins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = c.Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W19"})
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for _, r := range results {
		switch r.Status {
		case http.StatusCreated:
			created++
			if r.Field("number") != "龙池园区安环〔2026〕1号" {
				t.Errorf("the notice is numbered %v", r.Field("number"))
			}
		case http.StatusConflict:
			r.WantError(http.StatusConflict, "conflict")
		default:
			t.Fatalf("concurrent generate: %d %s", r.Status, r.Body)
		}
	}
	var n int64
	env.App.DB.Model(&model.Bulletin{}).Where("kind = ? AND week = ?", "hygiene_weekly", "2026-W19").Count(&n)
	if created != 1 || n != 1 {
		t.Fatalf("%d answered created, %d drafts stored; want one", created, n)
	}
	r := env.Admin().Post("/api/v1/bulletins/generate", map[string]any{"kind": "leader_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	if r.Field("number") != "龙池园区安环〔2026〕2号" {
		t.Fatalf("the next notice is numbered %v", r.Field("number"))
	}
}

// TestNoticesCarryTheParksLetterhead: a park configured with a name of its own and an issuer numbers
// its generated notices with the prefix made from that name and signs them with that issuer.
func TestNoticesCarryTheParksLetterhead(t *testing.T) {
	env := apitest.New(t, apitest.WithEnv("PARK_NAME", "东湖园区"), apitest.WithEnv("PARK_NOTICE_ISSUER", "东湖园区管委会安监局"))
	env.Clock.Set(time.Date(2026, 5, 8, 15, 0, 0, 0, env.App.Park.Loc))
	r := env.Admin().Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W19"}).Want(http.StatusCreated)
	content, _ := r.Field("content_markdown").(string)
	if r.Field("number") != "东湖园区安环〔2026〕1号" || !strings.HasSuffix(strings.TrimSpace(content), "东湖园区管委会安监局\n2026年5月8日") ||
		strings.Contains(content, "龙池") {
		t.Fatalf("number %v, content ends %q", r.Field("number"), content[max(0, len(content)-80):])
	}
}

// TestHygieneNoticeReportsTheWeeksFilings: the week's hygiene notice has a section on its 安全生产报备:
// the filings by kind and by state, the work that ran past its planned end and the filings that
// expired unstarted. A title the enterprise typed as Markdown shows as typed and links nothing.
func TestHygieneNoticeReportsTheWeeksFilings(t *testing.T) {
	p := newFilingPark(t)
	title := "三号罐[领奖](http://evil.example/f) **加急** ![](photo:1)"
	running := p.file(map[string]any{"title": title})
	idle := p.file(map[string]any{"title": "污水池盲板抽堵", "kind": "blind_plate", "grade": ""})
	cancelled := p.file(map[string]any{"planned_start": p.at(26 * time.Hour), "planned_end": p.at(30 * time.Hour)})
	for _, id := range []uint64{running, idle} {
		p.reviewer.Post(p.path(id, "review"), map[string]any{"approved": true}).Want(http.StatusOK)
	}
	p.entUser.Post(p.path(cancelled, "cancel"), map[string]any{"reason": "计划调整"}).Want(http.StatusOK)
	p.env.Clock.Set(p.start.Add(3 * time.Hour))
	p.entUser.Post(p.path(running, "start"), map[string]any{"photo_ids": []uint64{p.photo(p.entUser)}}).Want(http.StatusOK)
	p.env.Clock.Set(p.start.Add(8*time.Hour + 15*time.Minute)) // past both planned ends: idle expires, running overruns
	if err := p.env.App.Jobs.Schedule(t.Context()); err != nil {
		t.Fatal(err)
	}
	runJobs(t, p.env)
	if d := p.get(idle); d.Status != "expired" {
		t.Fatalf("idle filing not expired: %+v", d)
	}

	r := p.admin.Post("/api/v1/bulletins/generate", map[string]any{"kind": "hygiene_weekly", "week": "2026-W49"}).Want(http.StatusCreated)
	md, html := r.Field("content_markdown").(string), r.Field("content_html").(string)
	_, section, ok := strings.Cut(md, "、本周安全生产报备情况")
	if !ok {
		t.Fatalf("no filings section:\n%s", md)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for _, want := range []string{"提交报备 3 件", "本周计划作业 3 项", "动火作业 2 项", "盲板抽堵作业 1 项", "作业中 1 项", "已取消 1 项", "已过期 1 项",
		"超过计划结束时间的作业 1 项", "过期未开工的报备 1 项", p.get(running).Code, p.get(idle).Code, "东方化工有限公司", "污水池盲板抽堵", "12月2日 17:00"} {
		if !strings.Contains(section, want) {
			t.Errorf("filings section lacks %q:\n%s", want, section)
		}
	}
	if strings.Contains(section, p.get(cancelled).Code) {
		t.Errorf("the cancelled filing is listed as overrun or expired:\n%s", section)
	}
	if !strings.Contains(html, "三号罐[领奖](http://evil.example/f) **加急** ![](photo:1)") {
		t.Errorf("the typed title is not shown as typed: %s", html)
	}
	for _, bad := range []string{"evil.example/f\"", "<a ", "<strong>", "<img"} {
		if strings.Contains(html, bad) {
			t.Errorf("the notice shows %q: %s", bad, html)
		}
	}
}
