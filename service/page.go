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

// Paginate counts q and loads one page of it into a List, sorted by order; page, when given,
// adjusts the page query alone (joins and columns the count does not need).
func Paginate[T any](q *gorm.DB, p Page, order string, page ...func(*gorm.DB) *gorm.DB) (*List[T], error) {
	return PaginateCounted[T](q, p, order, func(n *int64) error { return q.Session(&gorm.Session{}).Count(n).Error }, page...)
}

// PaginateCounted is paginate with the total counted by count (a cheaper way than COUNT(*) over q).
// A first page shorter than the page size is the whole list, and needs no count.
func PaginateCounted[T any](q *gorm.DB, p Page, order string, count func(*int64) error, page ...func(*gorm.DB) *gorm.DB) (*List[T], error) {
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	out := &List[T]{Page: p.Page, PageSize: p.Size, Items: []T{}}
	pq := p.Apply(q.Session(&gorm.Session{}).Order(order))
	for _, f := range page {
		pq = f(pq)
	}
	if err := pq.Find(&out.Items).Error; err != nil {
		return nil, err
	}
	if p.Page == 1 && len(out.Items) < p.Size {
		out.Total = int64(len(out.Items))
		return out, nil
	}
	return out, count(&out.Total)
}

// LikePattern escapes a user's search text for LIKE ... ESCAPE '!'.
func LikePattern(s string) string {
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

// WithNames joins into a page query on table the name of each row's enterprise (enterprise_name)
// and of the user in userColumn (as userName), so that a list shows them without a query per row.
func WithNames(table, userColumn, userName string) func(*gorm.DB) *gorm.DB {
	sel := table + ".*, enterprises.name AS enterprise_name, users.name AS " + userName
	enterprises := "LEFT JOIN enterprises ON enterprises.id = " + table + ".enterprise_id"
	users := "LEFT JOIN users ON users.id = " + table + "." + userColumn
	return func(q *gorm.DB) *gorm.DB { return q.Select(sel).Joins(enterprises).Joins(users) }
}
