package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"parksafe/service"
)

// bindJSON decodes the request body into dst. Unreadable JSON is 400 bad_request; a value of the
// wrong type is 422 naming the field; an oversize body is 413. It writes the error and returns false.
func bindJSON(c *gin.Context, dst any) bool {
	if ct := c.ContentType(); ct != "" && ct != "application/json" {
		respondError(c, &service.Error{Code: service.CodeUnsupportedMediaType, Message: "请以 application/json 格式提交"})
		return false
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.UseNumber()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		if field := idOutOfRange(reflect.ValueOf(dst), ""); field != "" {
			respondError(c, service.Invalid(field, "编号超出范围"))
			return false
		}
		return true
	}
	var mbe *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		respondError(c, &service.Error{Code: service.CodePayloadTooLarge, Message: "提交的内容过大"})
	case errors.Is(err, io.EOF):
		respondError(c, service.BadRequest("请求内容为空，请提交 JSON"))
	case errors.As(err, &typeErr) && typeErr.Field != "":
		respondError(c, service.Invalid(typeErr.Field, "字段类型不正确，应为"+jsonKind(typeErr.Type.Kind().String())))
	default:
		respondError(c, service.BadRequest("请求内容不是有效的 JSON"))
	}
	return false
}

// idOutOfRange returns the JSON path of the first unsigned number in v that is larger than any
// record id (every unsigned field of a request names a record), or "". Such a number would fail in
// the database driver rather than simply match nothing.
func idOutOfRange(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return idOutOfRange(v.Elem(), path)
		}
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		if v.Uint() > service.MaxID {
			return path
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if f := idOutOfRange(v.Index(i), path); f != "" {
				return f
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if !t.Field(i).IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = t.Field(i).Name
			}
			if path != "" {
				name = path + "." + name
			}
			if f := idOutOfRange(v.Field(i), name); f != "" {
				return f
			}
		}
	}
	return ""
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "数字"
	case k == "string":
		return "文本"
	case k == "bool":
		return "true 或 false"
	case k == "slice":
		return "数组"
	default:
		return "对象"
	}
}

// pathID reads the numeric :id path parameter. Anything that is not a positive number names no
// record, so it is answered like a missing one.
func pathID(c *gin.Context, what string) (uint64, bool) {
	id, ok := service.ParseID(c.Param("id"))
	if !ok {
		respondError(c, service.NotFound(what))
		return 0, false
	}
	return id, true
}

// query reads typed query parameters, collecting every malformed one into a single 422.
type query struct {
	c *gin.Context
	v service.Validator
}

func newQuery(c *gin.Context) *query { return &query{c: c} }

func (q *query) str(name string) string { return strings.TrimSpace(q.c.Query(name)) }

func (q *query) uint(name string) uint64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, ok := service.ParseID(s)
	q.v.Check(ok, name, "应为正整数")
	return n
}

func (q *query) int(name string) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	q.v.Check(err == nil, name, "应为整数")
	return n
}

// boolPtr reads true/false (also 1/0); absent is nil.
func (q *query) boolPtr(name string) *bool {
	s := q.str(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	q.v.Check(err == nil, name, "应为 true 或 false")
	return &b
}

func (q *query) page() service.Page {
	return service.Page{Page: q.int("page"), Size: q.int("page_size"), After: q.str("after")}
}

// ok writes the collected error and reports whether there was none.
func (q *query) ok() bool {
	if err := q.v.Err(); err != nil {
		respondError(q.c, err)
		return false
	}
	return true
}

// ListResponse is one page of a list. Next is the cursor to send as after for the following page
// (null at the end). Total is null on a page reached by cursor; TotalAtLeast says the count stopped
// at the first 10,000 rows, as far as numbered pages reach.
type ListResponse[T any] struct {
	Items        []T     `json:"items"`
	Total        *int64  `json:"total" example:"42"`
	TotalAtLeast bool    `json:"total_at_least,omitempty"`
	Page         int     `json:"page" example:"1"`
	PageSize     int     `json:"page_size" example:"20"`
	Next         *string `json:"next" example:"eyJzIjoiLWNyZWF0ZWRfYXQiLCJpIjo0Mn0"`
}

// listOf converts a service page with f.
func listOf[M, T any](l *service.List[M], f func(*M) T) ListResponse[T] {
	out := ListResponse[T]{Items: make([]T, 0, len(l.Items)), Page: l.Page, PageSize: l.PageSize, TotalAtLeast: l.AtLeast}
	if !l.Uncounted {
		out.Total = &l.Total
	}
	if l.Next != "" {
		out.Next = &l.Next
	}
	for i := range l.Items {
		out.Items = append(out.Items, f(&l.Items[i]))
	}
	return out
}
