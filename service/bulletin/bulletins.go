// Package bulletin owns the park office's notices (通报): writing them in Markdown rendered and
// sanitized once, the weekly notices drafted from the week's hygiene round and leader inspections
// (WeekData) and numbered under the park's letterhead, and publishing to the Official Account with
// its callback.
package bulletin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"parksafe/model"
	"parksafe/service"
	"parksafe/service/jobs"
	"parksafe/service/photo"
	"parksafe/wechat"
)

// KindLabels maps each bulletin kind to its Chinese label.
var KindLabels = map[string]string{
	model.BulletinGeneral:       "通知公告",
	model.BulletinHygieneWeekly: "卫生检查周通报",
	model.BulletinLeaderWeekly:  "带队检查周通报",
	model.BulletinHazardNotice:  "隐患通报",
}

// StatusLabels maps each bulletin status to its Chinese label.
var StatusLabels = map[string]string{
	model.BulletinDraft:      "草稿",
	model.BulletinPublishing: "发布中",
	model.BulletinPublished:  "已发布",
	model.BulletinFailed:     "发布失败",
}

// Photo roles and limits of bulletins.
const (
	photoCover   = "cover"
	photoContent = "content"
	maxPhotos    = 100
	maxContent   = 100_000
	maxHTML      = 1 << 20
)

// PhotoFiles is what bulletins need of the photo store: fresh signed links for showing a photo, and
// an upright copy within WeChat's limits for uploading it to the Official Account. The photo service
// implements it.
type PhotoFiles interface {
	Links(p *model.Photo) (url, thumbURL string)
	WeChatImage(ctx context.Context, p *model.Photo) (name string, data []byte, err error)
}

// Input is a bulletin's editable fields; in a patch, nil means "unchanged".
type Input struct {
	Title           *string
	Kind            *string
	ContentMarkdown *string
	CoverPhotoID    *uint64 // 0 removes the cover
	Version         *int
}

// Filter narrows a bulletin list.
type Filter struct {
	Status string
	Kind   string
}

// View is a bulletin with its content rendered and its cover loaded.
type View struct {
	model.Bulletin
	HTML  string
	Cover *model.Photo
}

// Letterhead is how the park signs its notices.
type Letterhead struct {
	// NumberPrefix starts each notice number: 龙池园区安环〔2026〕48号.
	NumberPrefix string
	// Issuer signs generated notices.
	Issuer string
}

// maxPolls bounds how often freepublish/get is asked before the outcome is declared unknown.
const maxPolls = 30

// Service manages the park office's notices and publishes them to the Official Account.
type Service struct {
	db   *gorm.DB
	jobs *jobs.Queue
	oa   *wechat.OfficialAccount
	park service.ParkTime
	log  *slog.Logger
	// Photos reads photos for rendering and publishing; nil shows content without its photos and
	// publishes without a cover. Tests put a fake in its place before they send requests.
	Photos PhotoFiles
	// Source supplies the week's data for generated notices; tests put fixed data in its place
	// before they send requests.
	Source WeeklySource
	// BaseURL is PUBLIC_BASE_URL: the public pages live under it and photo links must start with
	// BaseURL + "/files/photos/".
	BaseURL    string
	letterhead Letterhead

	site *htmlRenderer // images: placeholders of the bulletin's photos, signed when read
	wx   *htmlRenderer // images: WeChat's copies (uploadimg URLs)
}

// New returns the bulletin service: photos are the photo store, source the week's data of
// generated notices, baseURL PUBLIC_BASE_URL and letterhead how notices are numbered and signed.
func New(db *gorm.DB, queue *jobs.Queue, oa *wechat.OfficialAccount, photos PhotoFiles, source WeeklySource, park service.ParkTime,
	baseURL string, letterhead Letterhead, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, jobs: queue, oa: oa, Photos: photos, Source: source, park: park, log: log,
		BaseURL: strings.TrimRight(baseURL, "/"), letterhead: letterhead,
		site: newHTMLRenderer(regexp.MustCompile(`^photo:\d+$`), "photo"),
		wx:   newHTMLRenderer(regexp.MustCompile(`^https?://mmbiz\.qpic\.cn/`)),
	}
}

// Register adds publishing to queue (the publish and poll jobs) and the hourly purge of the
// Official Account callback's expired nonces.
func (s *Service) Register(queue *jobs.Queue) {
	queue.Handle(JobPublish, s.publishJob)
	queue.Handle(JobPoll, s.pollJob)
	jobs.EveryCounted(queue, JobNoncePurge, time.Hour, "purged expired callback nonces", s.PurgeCallbackNonces)
}

// Create adds a draft (admin only).
func (s *Service) Create(ctx context.Context, actor service.Actor, in Input) (*View, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	b := model.Bulletin{Kind: model.BulletinGeneral, Status: model.BulletinDraft, AuthorID: actor.ID, Version: 1}
	if err := s.apply(&b, in, true); err != nil {
		return nil, err
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		b.ID = 0
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		return s.linkPhotos(tx, actor, &b, true, true)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, b.ID)
}

// Update edits a draft or a failed bulletin (admin only); Version, when given, must match.
func (s *Service) Update(ctx context.Context, actor service.Actor, id uint64, in Input) (*View, error) {
	if err := actor.Require(model.RoleAdmin); err != nil {
		return nil, err
	}
	err := service.Transact(ctx, s.db, func(tx *gorm.DB) error {
		b, err := editable(tx, id, "不能修改")
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != b.Version {
			return service.ErrStale
		}
		before, oldCover, oldContent := b.Version, b.CoverPhotoID, b.ContentMarkdown
		if err := s.apply(b, in, false); err != nil {
			return err
		}
		if b.ContentHTML == nil {
			b.ContentHTML = new(s.storedHTML(b.ContentMarkdown))
		}
		res := tx.Model(&model.Bulletin{}).Where("id = ? AND version = ? AND status IN ?", id, before, []string{model.BulletinDraft, model.BulletinFailed}).
			Select("title", "kind", "content_markdown", "content_html", "cover_photo_id", "version").
			Updates(&model.Bulletin{Title: b.Title, Kind: b.Kind, ContentMarkdown: b.ContentMarkdown, ContentHTML: b.ContentHTML,
				CoverPhotoID: b.CoverPhotoID, Version: before + 1})
		if err := service.Guarded(res); err != nil {
			return err
		}
		coverChanged := !service.EqualPtr(oldCover, b.CoverPhotoID)
		return s.linkPhotos(tx, actor, b, coverChanged, oldContent != b.ContentMarkdown)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// editable loads a bulletin that may still change (a draft or a failed one); refusing names what
// the caller wanted to do.
func editable(tx *gorm.DB, id uint64, refusing string) (*model.Bulletin, error) {
	var b model.Bulletin
	if err := tx.First(&b, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, service.NotFound("通报")
		}
		return nil, err
	}
	if b.Status != model.BulletinDraft && b.Status != model.BulletinFailed {
		return nil, service.Conflict("通报%s，%s", StatusLabels[b.Status], refusing)
	}
	return &b, nil
}

// apply validates in onto b.
func (s *Service) apply(b *model.Bulletin, in Input, create bool) error {
	var v service.Validator
	if in.Title != nil || create {
		b.Title = strings.TrimSpace(deref(in.Title))
		v.Text(b.Title, "title", "标题", true, 64)
	}
	if in.Kind != nil {
		b.Kind = *in.Kind
		_, ok := KindLabels[b.Kind]
		v.Check(ok, "kind", "通报类型应为 general、hygiene_weekly、leader_weekly 或 hazard_notice")
	}
	if in.ContentMarkdown != nil || create {
		b.ContentMarkdown = deref(in.ContentMarkdown)
		// Length and nesting are checked before anything parses the content: they are what bounds
		// the parsing time.
		v.Text(b.ContentMarkdown, "content_markdown", "正文", true, maxContent)
		if !v.Has("content_markdown") && markdownNesting(b.ContentMarkdown) > maxMarkdownNesting {
			v.Add("content_markdown", fmt.Sprintf("正文的引用和列表最多嵌套 %d 层（行首缩进也按嵌套计算），请减少层级", maxMarkdownNesting))
		}
		if !v.Has("content_markdown") && markdownTableCells(b.ContentMarkdown) > maxMarkdownTableCells {
			v.Add("content_markdown", fmt.Sprintf("正文中表格的单元格合计不能超过 %d 个，请拆分或精简表格", maxMarkdownTableCells))
		}
		if !v.Has("content_markdown") {
			v.Check(len(PhotoRefs(b.ContentMarkdown)) <= maxPhotos, "content_markdown", "正文中的照片不能超过 100 张")
			html := s.storedHTML(b.ContentMarkdown)
			// The HTML is stored and served on every read: a bound on it is what keeps a row and a
			// response reasonable, whatever construct the limits above missed.
			v.Check(len(html) <= maxHTML, "content_markdown", "正文排版后过长，请精简内容")
			b.ContentHTML = &html
		}
	}
	if in.CoverPhotoID != nil {
		b.CoverPhotoID = in.CoverPhotoID
		if *in.CoverPhotoID == 0 {
			b.CoverPhotoID = nil
		}
	}
	return v.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// linkPhotos records which photos the bulletin uses, so that every signed-in user may see them. The
// cover goes through photo.Link (an admin's own upload). Content photos of a notice the office wrote
// may be any photo, since only admins write bulletins; a generated weekly notice may show only the
// photos of the records it reports (ReportedPhotos), whatever text of an enterprise's ended up in it.
func (s *Service) linkPhotos(tx *gorm.DB, actor service.Actor, b *model.Bulletin, cover, content bool) error {
	now := s.park.Now()
	if cover {
		if err := tx.Where("owner_type = ? AND owner_id = ? AND role = ?", photo.OwnerBulletin, b.ID, photoCover).Delete(&model.PhotoLink{}).Error; err != nil {
			return err
		}
		if b.CoverPhotoID != nil {
			owner := photo.Owner{Type: photo.OwnerBulletin, ID: b.ID, Role: photoCover}
			if err := photo.Link(tx, actor, owner, []uint64{*b.CoverPhotoID}, "cover_photo_id", false, now); err != nil {
				return err
			}
		}
	}
	if !content {
		return nil
	}
	if err := tx.Where("owner_type = ? AND owner_id = ? AND role = ?", photo.OwnerBulletin, b.ID, photoContent).Delete(&model.PhotoLink{}).Error; err != nil {
		return err
	}
	ids := PhotoRefs(b.ContentMarkdown)
	if len(ids) == 0 {
		return nil
	}
	if b.ReportedPhotos != nil {
		var reported []uint64
		if err := json.Unmarshal([]byte(*b.ReportedPhotos), &reported); err != nil {
			return fmt.Errorf("bulletin %d reported_photos: %w", b.ID, err)
		}
		for _, id := range ids {
			if !slices.Contains(reported, id) {
				return service.Invalid("content_markdown", fmt.Sprintf("周通报只能引用所通报记录的照片，照片 %d 不在其中", id))
			}
		}
	}
	var found []uint64
	if err := tx.Model(&model.Photo{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return err
	}
	links := make([]model.PhotoLink, 0, len(ids))
	for i, id := range ids {
		if !slices.Contains(found, id) {
			return service.Invalid("content_markdown", fmt.Sprintf("正文引用的照片 %d 不存在，请重新上传", id))
		}
		links = append(links, model.PhotoLink{PhotoID: id, OwnerType: photo.OwnerBulletin, OwnerID: b.ID, Role: photoContent, Position: i})
	}
	if err := tx.Create(&links).Error; err != nil {
		return err
	}
	return tx.Model(&model.Photo{}).Where("id IN ? AND linked_at IS NULL", ids).Update("linked_at", now).Error
}

// visibleTo limits a query to what the actor may read: admins everything, others published only.
func visibleTo(actor service.Actor) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		if actor.IsAdmin() {
			return db
		}
		return db.Where("status = ?", model.BulletinPublished)
	}
}

// Get returns one bulletin rendered; to anyone but an admin only a published one exists.
func (s *Service) Get(ctx context.Context, actor service.Actor, id uint64) (*View, error) {
	var b model.Bulletin
	err := s.db.WithContext(ctx).Scopes(visibleTo(actor)).First(&b, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, service.NotFound("通报")
	}
	if err != nil {
		return nil, err
	}
	views, err := s.views(ctx, []model.Bulletin{b})
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

// Public returns a published bulletin for the public page, which needs no sign-in.
func (s *Service) Public(ctx context.Context, id uint64) (*View, error) {
	return s.Get(ctx, service.Actor{}, id)
}

// List returns a page of bulletins, newest first: published ones for everyone, drafts and failed
// ones for admins too.
func (s *Service) List(ctx context.Context, actor service.Actor, f Filter, p service.Page) (*service.List[View], error) {
	var v service.Validator
	if f.Status != "" {
		_, ok := StatusLabels[f.Status]
		v.Check(ok, "status", "状态应为 draft、publishing、published 或 failed")
	}
	if f.Kind != "" {
		_, ok := KindLabels[f.Kind]
		v.Check(ok, "kind", "通报类型应为 general、hygiene_weekly、leader_weekly 或 hazard_notice")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Model(&model.Bulletin{}).Scopes(visibleTo(actor))
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	order := service.Order[model.Bulletin]{Name: "-id", ID: "id", Desc: true,
		Key: func(b *model.Bulletin) (any, uint64) { return nil, b.ID }}
	l, err := service.Seek(q, p, order, service.Fingerprint(f), service.CappedCount(q))
	if err != nil {
		return nil, err
	}
	views, err := s.views(ctx, l.Items)
	if err != nil {
		return nil, err
	}
	return service.WithItems(l, views), nil
}

// views shows bulletins with one photo query for all of them: the HTML stored when each was written,
// its photo placeholders turned into fresh signed links. A row from before the HTML was stored is
// rendered once here and keeps the result.
func (s *Service) views(ctx context.Context, bs []model.Bulletin) ([]View, error) {
	ids := make([]uint64, len(bs))
	for i := range bs {
		ids[i] = bs[i].ID
	}
	photos, err := photo.ByOwner(s.db.WithContext(ctx), photo.OwnerBulletin, ids)
	if err != nil {
		return nil, err
	}
	out := make([]View, len(bs))
	for i := range bs {
		b := &bs[i]
		linked := photos[b.ID]
		if b.ContentHTML == nil {
			b.ContentHTML = s.renderLegacy(ctx, b, linked)
		}
		out[i] = View{Bulletin: *b, HTML: s.signPhotos(*b.ContentHTML, linked)}
		if cover := photo.WithRole(linked, photoCover); len(cover) > 0 {
			out[i].Cover = &cover[0]
		}
	}
	return out, nil
}

// storedHTML renders content as it is stored: sanitized HTML whose images are placeholders
// (photo:N) of the photos the content references, all of which are linked to the bulletin when it is
// saved.
func (s *Service) storedHTML(content string) string {
	return s.site.render(content, func(id uint64) string { return "photo:" + strconv.FormatUint(id, 10) })
}

// renderLegacy renders and keeps the HTML of a bulletin stored before its HTML was, placing only the
// photos linked to it; an edit that came meanwhile wins.
func (s *Service) renderLegacy(ctx context.Context, b *model.Bulletin, linked []photo.Linked) *string {
	out := s.site.render(b.ContentMarkdown, func(id uint64) string {
		if linkedContent(linked, id) == nil {
			return ""
		}
		return "photo:" + strconv.FormatUint(id, 10)
	})
	// Keeping the HTML only spares the next read; a failure to keep it must not fail this one.
	err := s.db.WithContext(ctx).Model(&model.Bulletin{}).Where("id = ? AND version = ? AND content_html IS NULL", b.ID, b.Version).
		UpdateColumn("content_html", out).Error
	if err != nil {
		s.log.WarnContext(ctx, "keep rendered bulletin HTML", "bulletin", b.ID, "err", err)
	}
	return &out
}

// placeholderRE finds the image placeholders of stored HTML. Only an img element that the renderer
// made can contain this text: elsewhere bluemonday escapes the quote.
var placeholderRE = regexp.MustCompile(`<img src="photo:(\d{1,19})"`)

// signPhotos replaces the photo placeholders of stored HTML with signed links. Only photos linked to
// the bulletin resolve, so content cannot show a photo the bulletin does not own; an image that does
// not resolve loses its source and shows its description.
func (s *Service) signPhotos(stored string, linked []photo.Linked) string {
	return placeholderRE.ReplaceAllStringFunc(stored, func(m string) string {
		id, _ := service.ParseID(placeholderRE.FindStringSubmatch(m)[1])
		p := linkedContent(linked, id)
		if p == nil || s.Photos == nil {
			return "<img"
		}
		url, _ := s.Photos.Links(p)
		return `<img src="` + html.EscapeString(url) + `"`
	})
}

// linkedContent finds photo id among the bulletin's content photos.
func linkedContent(linked []photo.Linked, id uint64) *model.Photo {
	for i := range linked {
		if linked[i].ID == id && linked[i].Role == photoContent {
			return &linked[i].Photo
		}
	}
	return nil
}

// PublicURL is the public page of a bulletin.
func (s *Service) PublicURL(id uint64) string {
	return s.BaseURL + "/p/bulletins/" + strconv.FormatUint(id, 10)
}
