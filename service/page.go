package service

import "gorm.io/gorm"

// Page limits.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Page is a 1-based page request, already validated by Normalize.
type Page struct {
	Page int
	Size int
}

// Normalize fills defaults and refuses sizes out of range.
func (p Page) Normalize() (Page, error) {
	var v Validator
	if p.Page == 0 {
		p.Page = 1
	}
	if p.Size == 0 {
		p.Size = DefaultPageSize
	}
	v.Check(p.Page >= 1 && p.Page <= 1_000_000, "page", "页码应为正整数")
	v.Check(p.Size >= 1 && p.Size <= MaxPageSize, "page_size", "每页条数应在 1 到 100 之间")
	return p, v.Err()
}

// Apply adds LIMIT and OFFSET for the page.
func (p Page) Apply(db *gorm.DB) *gorm.DB {
	return db.Limit(p.Size).Offset((p.Page - 1) * p.Size)
}

// List is one page of results and the total count of the query.
type List[T any] struct {
	Items    []T
	Total    int64
	Page     int
	PageSize int
}

// paginate counts q and loads one page of it into a List, sorted by order.
func paginate[T any](q *gorm.DB, p Page, order string) (*List[T], error) {
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	out := &List[T]{Page: p.Page, PageSize: p.Size, Items: []T{}}
	if err := q.Session(&gorm.Session{}).Count(&out.Total).Error; err != nil {
		return nil, err
	}
	if out.Total == 0 {
		return out, nil
	}
	if err := p.Apply(q.Order(order)).Find(&out.Items).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// likePattern escapes a user's search text for LIKE ... ESCAPE '!'.
func likePattern(s string) string {
	out := make([]rune, 0, len(s)+2)
	out = append(out, '%')
	for _, r := range s {
		if r == '%' || r == '_' || r == '!' {
			out = append(out, '!')
		}
		out = append(out, r)
	}
	return string(append(out, '%'))
}
