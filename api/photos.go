package api

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"parksafe/service"
	"parksafe/service/photo"
)

// multipartSlack is what an upload's body may carry beyond the photo: boundaries, part headers and
// the small form fields.
const multipartSlack = 64 << 10

// maxFormField bounds a form field's value; taken_at, latitude and longitude are a few dozen bytes.
const maxFormField = 256

var errUploadTooLarge = &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大"}

// uploadForm collects the text fields of an upload, in whatever order they come.
type uploadForm struct {
	takenAt, lat, lng string
}

// meta parses the fields; each malformed one is named.
func (f uploadForm) meta() (photo.UploadMeta, error) {
	var (
		m photo.UploadMeta
		v service.Validator
	)
	if f.takenAt != "" {
		t, ok := service.ParseInstant(f.takenAt)
		if v.Check(ok, "taken_at", "拍摄时间格式应为 RFC 3339，如 2026-05-08T09:30:00+08:00") {
			m.TakenAt = &t
		}
	}
	m.Lat = parseCoord(&v, "latitude", f.lat)
	m.Lng = parseCoord(&v, "longitude", f.lng)
	return m, v.Err()
}

func parseCoord(v *service.Validator, field, s string) *float64 {
	if s == "" {
		return nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if !v.Check(err == nil, field, "应为数字") {
		return nil
	}
	return &x
}

// uploadStream maps the body limit's failure to 413 for the service, which passes domain errors on.
type uploadStream struct{ r io.Reader }

func (u uploadStream) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if err != nil && err != io.EOF {
		err = uploadReadError(err)
	}
	return n, err
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errUploadTooLarge
	}
	return service.BadRequest("上传内容格式有误，请重新上传")
}

// uploadPhoto godoc
//
//	@Summary		Upload a photo
//	@Description	multipart/form-data as wx.uploadFile sends it: the image in `file` (JPEG, PNG or WebP, decided by its bytes; at most MAX_PHOTO_BYTES and MAX_PHOTO_PIXELS), and optional `taken_at` (RFC 3339), `latitude`, `longitude` in any order. A photo attached to no record within 24 hours is removed.
//	@Tags			photos
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		Bearer
//	@Param			Idempotency-Key	header		string	false	"retry key"
//	@Param			file			formData	file	true	"the photo"
//	@Param			taken_at		formData	string	false	"capture time, RFC 3339"
//	@Param			latitude		formData	number	false	"-90 to 90"
//	@Param			longitude		formData	number	false	"-180 to 180"
//	@Success		201				{object}	PhotoResponse
//	@Failure		400				{object}	ErrorBody
//	@Failure		413				{object}	ErrorBody	"file or pixel count too large"
//	@Failure		415				{object}	ErrorBody	"not a JPEG, PNG or WebP"
//	@Failure		422				{object}	ErrorBody	"corrupt or truncated image, bad form field"
//	@Router			/photos [post]
func (s *Server) uploadPhoto(c *gin.Context) {
	ctx := c.Request.Context()
	mr, err := c.Request.MultipartReader()
	if err != nil {
		respondError(c, &service.Error{Code: service.CodeUnsupportedMediaType, Message: "请以 multipart/form-data 格式上传照片"})
		return
	}
	var (
		form   uploadForm
		staged *photo.Staged
	)
	defer func() { staged.Close() }()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			respondError(c, uploadReadError(err))
			return
		}
		if err := s.readUploadPart(c, part, &form, &staged); err != nil {
			respondError(c, err)
			return
		}
	}
	if staged == nil {
		respondError(c, service.Invalid("file", "请选择要上传的照片"))
		return
	}
	meta, err := form.meta()
	if err != nil {
		respondError(c, err)
		return
	}
	p, err := s.Photos.Commit(ctx, actor(c), staged, meta)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.photo(p))
}

// readUploadPart takes one part: the file is staged (after the fields seen so far are checked, so a
// bad form is refused before a large file is read), a field is kept, anything else is skipped.
func (s *Server) readUploadPart(c *gin.Context, part *multipart.Part, form *uploadForm, staged **photo.Staged) error {
	defer part.Close()
	name := part.FormName()
	if name == "file" {
		if *staged != nil {
			return service.Invalid("file", "一次只能上传一张照片")
		}
		meta, err := form.meta()
		if err == nil {
			err = s.Photos.CheckMeta(meta)
		}
		if err != nil {
			return err
		}
		st, err := s.Photos.Stage(c.Request.Context(), uploadStream{part}, -1)
		if err != nil {
			return err
		}
		*staged = st
		return nil
	}
	var dst *string
	switch name {
	case "taken_at":
		dst = &form.takenAt
	case "latitude":
		dst = &form.lat
	case "longitude":
		dst = &form.lng
	default:
		return nil // wx.uploadFile may add fields of its own
	}
	b, err := io.ReadAll(io.LimitReader(uploadStream{part}, maxFormField+1))
	if err != nil {
		return err
	}
	if len(b) > maxFormField {
		return service.Invalid(name, "内容过长")
	}
	*dst = strings.TrimSpace(string(b))
	return nil
}

// getPhoto godoc
//
//	@Summary		A photo's metadata with fresh signed links
//	@Description	For its uploader and for users who may see a record using it; anyone else gets 404.
//	@Tags			photos
//	@Produce		json
//	@Security		Bearer
//	@Param			id	path		int	true	"photo id"
//	@Success		200	{object}	PhotoResponse
//	@Failure		404	{object}	ErrorBody
//	@Router			/photos/{id} [get]
func (s *Server) getPhoto(c *gin.Context) {
	id, ok := pathID(c, "照片")
	if !ok {
		return
	}
	p, err := s.Photos.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.photo(p))
}

// servePhoto godoc
//
//	@Summary		A photo's bytes under a signed link
//	@Description	Served outside /api/v1 at /files/photos/{id}/{variant} and needs no Authorization header: the link's `exp` and `sig` are the credential (use the `url`/`thumb_url` of a photo as given). A tampered or expired link is 403.
//	@Tags			photos
//	@Produce		image/jpeg,image/png,image/webp
//	@Param			id				path		int		true	"photo id"
//	@Param			variant			path		string	true	"orig or thumb"	Enums(orig, thumb)
//	@Param			exp				query		int		true	"expiry, Unix seconds"
//	@Param			sig				query		string	true	"signature"
//	@Param			If-None-Match	header		string	false	"ETag of a cached copy"
//	@Success		200				{file}		binary
//	@Success		304				{string}	string	"not modified"
//	@Failure		403				{object}	ErrorBody
//	@Failure		404				{object}	ErrorBody
func (s *Server) servePhoto(c *gin.Context) {
	f, err := s.Photos.OpenSigned(c.Request.Context(), c.Param("id"), c.Param("variant"), c.Query("exp"), c.Query("sig"))
	if err != nil {
		respondError(c, err)
		return
	}
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d", max(0, int(f.Expires.Sub(s.Park.Now()).Seconds()))))
	h.Set("ETag", f.ETag)
	h.Set("X-Content-Type-Options", "nosniff")
	if etagMatches(c.GetHeader("If-None-Match"), f.ETag) {
		c.Status(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	c.Status(http.StatusOK)
	io.Copy(c.Writer, f)
}

// etagMatches implements If-None-Match's weak comparison against one ETag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
