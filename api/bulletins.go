package api

import (
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"parksafe/service"
	"parksafe/service/bulletin"
)

// BulletinRequest creates or edits a bulletin; in PATCH, omitted fields stay as they are.
type BulletinRequest struct {
	Title *string `json:"title" example:"关于加强园区动火作业管理的通知"`
	Kind  *string `json:"kind" enums:"general,hygiene_weekly,leader_weekly,hazard_notice"`
	// ContentMarkdown is Markdown (GFM tables allowed), at most 100,000 characters, block quotes and
	// lists nested at most 16 deep; show an uploaded photo with ![说明](photo:12).
	ContentMarkdown *string `json:"content_markdown" example:"各入园企业：\n\n![现场](photo:12)"`
	// CoverPhotoID is an uploaded photo of yours; 0 removes the cover (PATCH).
	CoverPhotoID *uint64 `json:"cover_photo_id"`
	// Version is the version the edit is based on (PATCH only); a stale one is 409.
	Version *int `json:"version"`
}

func (r BulletinRequest) input() bulletin.Input {
	return bulletin.Input{Title: r.Title, Kind: r.Kind, ContentMarkdown: r.ContentMarkdown, CoverPhotoID: r.CoverPhotoID, Version: r.Version}
}

// GenerateBulletinRequest asks for a weekly notice drafted from the week's data.
type GenerateBulletinRequest struct {
	Kind string `json:"kind" enums:"hygiene_weekly,leader_weekly"`
	Week string `json:"week" example:"2026-W19"`
}

// BulletinResponse is a bulletin as clients see it.
type BulletinResponse struct {
	ID        uint64 `json:"id" example:"5"`
	Title     string `json:"title"`
	Kind      string `json:"kind" example:"hygiene_weekly"`
	KindLabel string `json:"kind_label" example:"卫生检查周通报"`
	// Week is the ISO week of a weekly notice; Number its 文号.
	Week            string         `json:"week" example:"2026-W19"`
	Number          string         `json:"number" example:"龙池园区安环〔2026〕48号"`
	Status          string         `json:"status" example:"published"`
	StatusLabel     string         `json:"status_label" example:"已发布"`
	ContentMarkdown string         `json:"content_markdown"`
	ContentHTML     string         `json:"content_html"`
	CoverPhoto      *PhotoResponse `json:"cover_photo"`
	PublishedAt     *time.Time     `json:"published_at"`
	ArticleURL      string         `json:"article_url"`
	// Error says, in Chinese, why publishing failed.
	Error     string    `json:"error"`
	PublicURL string    `json:"public_url"`
	AuthorID  uint64    `json:"author_id"`
	Version   int       `json:"version" example:"1"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (s *Server) bulletin(b *bulletin.View) BulletinResponse {
	out := BulletinResponse{ID: b.ID, Title: b.Title, Kind: b.Kind, KindLabel: bulletin.KindLabels[b.Kind], Week: b.Week,
		Number: b.Number, Status: b.Status, StatusLabel: bulletin.StatusLabels[b.Status], ContentMarkdown: b.ContentMarkdown,
		ContentHTML: b.HTML, PublishedAt: s.localPtr(b.PublishedAt), ArticleURL: b.ArticleURL, Error: b.Error,
		PublicURL: s.Bulletins.PublicURL(b.ID), AuthorID: b.AuthorID, Version: b.Version,
		CreatedAt: s.local(b.CreatedAt), UpdatedAt: s.local(b.UpdatedAt)}
	if b.Cover != nil {
		p := s.photo(b.Cover)
		out.CoverPhoto = &p
	}
	return out
}

// createBulletin godoc
//
//	@Summary	Write a bulletin draft (admin)
//	@Tags		bulletins
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		Idempotency-Key	header		string			false	"retry key"
//	@Param		body			body		BulletinRequest	true	"bulletin"
//	@Success	201				{object}	BulletinResponse
//	@Failure	403				{object}	ErrorBody
//	@Failure	422				{object}	ErrorBody
//	@Router		/bulletins [post]
func (s *Server) createBulletin(c *gin.Context) {
	var req BulletinRequest
	if !bindJSON(c, &req) {
		return
	}
	b, err := s.Bulletins.Create(c.Request.Context(), actor(c), req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.bulletin(b))
}

// generateBulletin godoc
//
//	@Summary		Draft a weekly notice from the week's data (admin)
//	@Description	hygiene_weekly: the Friday hygiene check (failed areas with photos, requirement and deadline; earlier items still open). leader_weekly: the Monday leader inspections (done, late, missing; interviews). The draft is numbered 龙池园区安环〔YYYY〕N号 and can be edited before publishing.
//	@Tags			bulletins
//	@Accept			json
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string					false	"retry key"
//	@Param			body			body		GenerateBulletinRequest	true	"kind and ISO week"
//	@Success		201				{object}	BulletinResponse
//	@Failure		409				{object}	ErrorBody	"that week's notice exists"
//	@Failure		422				{object}	ErrorBody
//	@Failure		503				{object}	ErrorBody
//	@Router			/bulletins/generate [post]
func (s *Server) generateBulletin(c *gin.Context) {
	var req GenerateBulletinRequest
	if !bindJSON(c, &req) {
		return
	}
	b, err := s.Bulletins.Generate(c.Request.Context(), actor(c), req.Kind, req.Week)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.bulletin(b))
}

// listBulletins godoc
//
//	@Summary		List bulletins
//	@Description	Published bulletins for everyone signed in; admins also see drafts, bulletins being published and failed ones. Newest first.
//	@Tags			bulletins
//	@Produce		json
//	@Security		Bearer
//	@Param			status		query		string	false	"draft, publishing, published or failed"
//	@Param			kind		query		string	false	"general, hygiene_weekly, leader_weekly or hazard_notice"
//	@Param			page		query		int		false	"page, from 1"
//	@Param			page_size	query		int		false	"1 to 100"
//	@Param			after	query		string		false	"the previous page's next: continues after its last row"
//	@Success		200			{object}	ListResponse[BulletinResponse]
//	@Failure		422			{object}	ErrorBody
//	@Router			/bulletins [get]
func (s *Server) listBulletins(c *gin.Context) {
	q := newQuery(c)
	f := bulletin.Filter{Status: q.str("status"), Kind: q.str("kind")}
	p := q.page()
	if !q.ok() {
		return
	}
	l, err := s.Bulletins.List(c.Request.Context(), actor(c), f, p)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, listOf(l, s.bulletin))
}

// getBulletin godoc
//
//	@Summary		One bulletin
//	@Description	Anyone but an admin gets 404 for a bulletin that is not published.
//	@Tags			bulletins
//	@Produce		json
//	@Security		Bearer
//	@Param			id	path		int	true	"bulletin id"
//	@Success		200	{object}	BulletinResponse
//	@Failure		404	{object}	ErrorBody
//	@Router			/bulletins/{id} [get]
func (s *Server) getBulletin(c *gin.Context) {
	id, ok := pathID(c, "通报")
	if !ok {
		return
	}
	b, err := s.Bulletins.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.bulletin(b))
}

// updateBulletin godoc
//
//	@Summary	Edit a draft or failed bulletin (admin)
//	@Tags		bulletins
//	@Accept		json
//	@Produce	json
//	@Security	Bearer
//	@Param		id		path		int				true	"bulletin id"
//	@Param		Idempotency-Key	header	string	false	"retry key"
//	@Param		body	body		BulletinRequest	true	"fields to change"
//	@Success	200		{object}	BulletinResponse
//	@Failure	404		{object}	ErrorBody
//	@Failure	409		{object}	ErrorBody	"being published, published, or stale version"
//	@Failure	422		{object}	ErrorBody
//	@Router		/bulletins/{id} [patch]
func (s *Server) updateBulletin(c *gin.Context) {
	id, ok := pathID(c, "通报")
	if !ok {
		return
	}
	var req BulletinRequest
	if !bindJSON(c, &req) {
		return
	}
	b, err := s.Bulletins.Update(c.Request.Context(), actor(c), id, req.input())
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.bulletin(b))
}

// publishBulletin godoc
//
//	@Summary		Publish to the Official Account (admin)
//	@Description	Answers 202 with the bulletin in status publishing; a background job uploads the cover and photos, adds the draft, submits it and records the outcome (published with article_url, or failed with a Chinese error). A failed bulletin may be published again. 503 when the Official Account is not configured (nothing changes).
//	@Tags			bulletins
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string	false	"retry key"
//	@Param			id				path		int		true	"bulletin id"
//	@Success		202				{object}	BulletinResponse
//	@Failure		404				{object}	ErrorBody
//	@Failure		409				{object}	ErrorBody	"already publishing or published"
//	@Failure		503				{object}	ErrorBody
//	@Router			/bulletins/{id}/publish [post]
func (s *Server) publishBulletin(c *gin.Context) {
	id, ok := pathID(c, "通报")
	if !ok {
		return
	}
	b, err := s.Bulletins.Publish(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, s.bulletin(b))
}

// oaCallbackVerify godoc
//
//	@Summary		Official Account server URL verification (WeChat)
//	@Description	Echoes echostr when the signature over the callback token, timestamp and nonce is right; 403 otherwise.
//	@Tags			wechat
//	@Produce		plain
//	@Param			signature	query		string	true	"sha1 signature"
//	@Param			timestamp	query		string	true	"timestamp"
//	@Param			nonce		query		string	true	"nonce"
//	@Param			echostr		query		string	true	"string to echo"
//	@Success		200			{string}	string
//	@Failure		403			{object}	ErrorBody
//	@Router			/wechat/official-account/callback [get]
func (s *Server) oaCallbackVerify(c *gin.Context) {
	echo, err := s.Bulletins.VerifyCallbackURL(c.Request.URL.Query())
	if err != nil {
		respondError(c, err)
		return
	}
	c.String(http.StatusOK, echo)
}

// oaCallback godoc
//
//	@Summary		Official Account event push (WeChat)
//	@Description	Safe mode only (encrypt_type=aes, msg_signature over the Encrypt element): WECHAT_OA_TOKEN is accepted only with WECHAT_OA_AES_KEY. A PUBLISHJOBFINISH event settles its bulletin; other messages are acknowledged. 403, changing nothing: a bad signature, plain mode, a timestamp more than 5 minutes from the server's clock, or a timestamp and nonce seen before.
//	@Tags			wechat
//	@Accept			xml
//	@Produce		plain
//	@Success		200	{string}	string	"success"
//	@Failure		400	{object}	ErrorBody
//	@Failure		403	{object}	ErrorBody
//	@Router			/wechat/official-account/callback [post]
func (s *Server) oaCallback(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		respondError(c, &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大"})
		return
	}
	if err := s.Bulletins.Callback(c.Request.Context(), c.Request.URL.Query(), body); err != nil {
		respondError(c, err)
		return
	}
	c.String(http.StatusOK, "success")
}
