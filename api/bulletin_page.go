package api

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"parksafe/middleware"
	"parksafe/service"
	"parksafe/service/bulletin"
)

// bulletinPageTmpl is the public page of a published bulletin: readable on a phone, self-contained
// (inline CSS, no external assets), so the mini-program's web-view and a shared link both open it.
var bulletinPageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{margin:0;background:#f5f6f7;color:#222;font:16px/1.75 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:720px;margin:0 auto;background:#fff;padding:20px 18px 32px;min-height:100vh;box-sizing:border-box}
h1{font-size:21px;line-height:1.4;margin:4px 0 10px}
.meta{color:#888;font-size:13px;margin-bottom:18px}
.meta span{margin-right:10px}
.cover{width:100%;border-radius:6px;margin-bottom:16px}
article h1,article h2,article h3{font-size:17px;margin:22px 0 8px}
article img{max-width:100%;height:auto;display:block;margin:10px auto;border-radius:4px}
article table{border-collapse:collapse;width:100%;font-size:14px;display:block;overflow-x:auto}
article th,article td{border:1px solid #ddd;padding:6px 8px;white-space:nowrap}
article th{background:#f0f4f2}
article a{color:#1a7f56;word-break:break-all}
article blockquote{margin:0;padding:4px 12px;border-left:3px solid #1a7f56;color:#555;background:#f7faf8}
.notfound{text-align:center;color:#888;padding-top:30vh}
</style>
</head>
<body><main>
{{if .Found}}
<h1>{{.Title}}</h1>
<div class="meta">{{if .Number}}<span>{{.Number}}</span>{{end}}<span>{{.Kind}}</span>{{if .Date}}<span>{{.Date}}</span>{{end}}</div>
{{if .Cover}}<img class="cover" src="{{.Cover}}" alt="">{{end}}
<article>{{.HTML}}</article>
{{else}}
<div class="notfound"><p>通报不存在或尚未发布</p></div>
{{end}}
</main></body>
</html>
`))

type bulletinPage struct {
	Found                     bool
	Title, Number, Kind, Date string
	Cover                     string
	HTML                      template.HTML
}

// bulletinPage godoc
//
//	@Summary		Public page of a published bulletin
//	@Description	HTML for phones; no sign-in. Anything not published is a 404 page.
//	@Tags			bulletins
//	@Produce		html
//	@Param			id	path		int	true	"bulletin id"
//	@Success		200	{string}	string	"HTML"
//	@Failure		404	{string}	string	"HTML"
func (s *Server) bulletinPage(c *gin.Context) {
	// The page shows content that admins wrote and photos served by this service: nothing else may
	// load, no script runs, no other site may frame it (clickjacking) and the browser takes the type
	// as given.
	c.Header("Cache-Control", "no-cache")
	c.Header("Content-Security-Policy", "default-src 'none'; img-src "+s.Bulletins.BaseURL+"/files/photos/"+
		"; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("X-Frame-Options", "DENY")
	c.Header("Referrer-Policy", "no-referrer")
	render := func(status int, page bulletinPage) {
		c.Status(status)
		c.Header("Content-Type", "text/html; charset=utf-8")
		if err := bulletinPageTmpl.Execute(c.Writer, page); err != nil {
			// The status is sent; all that is left is to say why the page is cut short.
			middleware.Log(c).WarnContext(c.Request.Context(), "bulletin page", "err", err)
		}
	}
	notFound := func() { render(http.StatusNotFound, bulletinPage{}) }
	id, ok := service.ParseID(c.Param("id"))
	if !ok {
		notFound()
		return
	}
	b, err := s.Bulletins.Public(c.Request.Context(), id)
	if service.ErrorCode(err) == service.CodeNotFound {
		notFound()
		return
	} else if err != nil {
		respondError(c, err)
		return
	}
	page := bulletinPage{Found: true, Title: b.Title, Number: b.Number, Kind: bulletin.KindLabels[b.Kind],
		// The content was sanitized by the service (bluemonday), so it is trusted here.
		HTML: template.HTML(b.HTML)}
	if b.PublishedAt != nil {
		page.Date = s.date(*b.PublishedAt)
	}
	if b.Cover != nil && s.PhotoLinks != nil {
		page.Cover, _ = s.PhotoLinks.Links(b.Cover)
	}
	render(http.StatusOK, page)
}
