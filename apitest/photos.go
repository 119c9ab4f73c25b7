package apitest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
)

// Part is one part of a multipart form: a text field when Filename is empty, a file otherwise.
type Part struct {
	Name, Filename, ContentType string
	Data                        []byte
}

// File is a file part named "file", as wx.uploadFile sends it.
func File(filename string, data []byte) Part {
	return Part{Name: "file", Filename: filename, ContentType: "image/jpeg", Data: data}
}

// Field is a text part.
func Field(name, value string) Part { return Part{Name: name, Data: []byte(value)} }

// Multipart encodes parts in order and returns the body and its Content-Type.
func Multipart(parts ...Part) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.Filename != "" {
			h.Set("Content-Disposition", `form-data; name="`+p.Name+`"; filename="`+p.Filename+`"`)
			h.Set("Content-Type", p.ContentType)
		} else {
			h.Set("Content-Disposition", `form-data; name="`+p.Name+`"`)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			panic(err)
		}
		pw.Write(p.Data)
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// Upload posts parts to /api/v1/photos.
func (c *Client) Upload(parts []Part, headers ...string) *Response {
	c.env.T.Helper()
	body, ct := Multipart(parts...)
	return c.Do(http.MethodPost, "/api/v1/photos", bytes.NewReader(body), append([]string{"Content-Type", ct}, headers...)...)
}

// UploadPhoto uploads data as photo.jpg with optional name, value field pairs sent before it, and
// fails the test unless it is created; it returns the photo's id.
func (c *Client) UploadPhoto(data []byte, fields ...string) uint64 {
	c.env.T.Helper()
	var parts []Part
	for i := 0; i+1 < len(fields); i += 2 {
		parts = append(parts, Field(fields[i], fields[i+1]))
	}
	return c.Upload(append(parts, File("photo.jpg", data))).Want(http.StatusCreated).ID()
}

// Fetch requests a link the API handed out (an absolute URL under PUBLIC_BASE_URL) anonymously.
func (e *Env) Fetch(url string, headers ...string) *Response {
	e.T.Helper()
	path := strings.TrimPrefix(url, e.App.Config.PublicBaseURL)
	if path == url {
		e.T.Fatalf("link %q is not under %s", url, e.App.Config.PublicBaseURL)
	}
	return e.Anon().Get(path, headers...)
}
