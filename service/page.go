package service

import (
	"encoding/base64"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Page limits. MaxOffset bounds numbered pages: OFFSET reads and throws away every row before the
// page, so anything deeper than the first MaxOffset rows is reached with the cursor instead.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	MaxOffset       = 10_000
)

// Page is a 1-based page request, already validated by Normalize. After, when set, is the cursor
// of the previous page's last row (List.Next) and replaces Page.
type Page struct {
	Page  int
	Size  int
	After string
}

// Normalize fills defaults and refuses sizes out of range and numbered pages beyond MaxOffset rows.
func (p Page) Normalize() (Page, error) {
	var v Validator
	if p.Page == 0 {
		p.Page = 1
	}
	if p.Size == 0 {
		p.Size = DefaultPageSize
	}
	v.Check(p.After == "" || p.Page == 1, "page", "使用 after 游标时不能同时指定页码")
	if v.Check(p.Page >= 1, "page", "页码应为正整数") && v.Check(p.Size >= 1 && p.Size <= MaxPageSize, "page_size", "每页条数应在 1 到 100 之间") {
		v.Check(p.Page <= MaxOffset/p.Size, "page", "页码过深：按页码最多翻到前 "+strconv.Itoa(MaxOffset)+" 条，请用上一页返回的 next 作为 after 继续加载")
	}
	return p, v.Err()
}

// Apply adds LIMIT and OFFSET for the page.
func (p Page) Apply(db *gorm.DB) *gorm.DB {
	return db.Limit(p.Size).Offset((p.Page - 1) * p.Size)
}

// List is one page of results. Total is the count of the query; on a page reached by cursor it is
// not counted (Uncounted), and a count that stopped at MaxOffset rows is AtLeast. Next is the cursor
// of the page's last row when more rows follow, "" at the end.
type List[T any] struct {
	Items     []T
	Total     int64
	Page      int
	PageSize  int
	Next      string
	Uncounted bool
	AtLeast   bool
}

// Paginate counts q and loads one page of it into a List, sorted by order; page, when given,
// adjusts the page query alone (joins and columns the count does not need).
func Paginate[T any](q *gorm.DB, p Page, order string, page ...func(*gorm.DB) *gorm.DB) (*List[T], error) {
	return PaginateCounted[T](q, p, order, func(n *int64) error { return q.Session(&gorm.Session{}).Count(n).Error }, page...)
}

// PaginateCounted is Paginate with the total counted by count (a cheaper way than COUNT(*) over q).
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

// Order is a list's sort for seek pagination: Column (qualified, e.g. "hazards.created_at"; empty
// to sort by ID alone) then ID, both in the same direction, so that (key, id) is unique and a page
// continues exactly after the previous one's last row whatever was inserted meanwhile. Key returns a
// row's sort value: a time.Time, string or integer.
type Order[T any] struct {
	Name   string
	Column string
	ID     string
	Desc   bool
	Key    func(*T) (any, uint64)
}

func (o Order[T]) sql() string {
	dir := ""
	if o.Desc {
		dir = " DESC"
	}
	if o.Column == "" {
		return o.ID + dir
	}
	return o.Column + dir + ", " + o.ID + dir
}

// cursor is what an after token carries: the sort and filters it belongs to, and the last row's
// sort value (as text, with its kind) and id.
type cursor struct {
	Sort   string `json:"s"`
	Filter string `json:"f"`
	Kind   string `json:"t,omitempty"`
	Key    string `json:"k,omitempty"`
	ID     uint64 `json:"i"`
}

var errCursor = Invalid("after", "游标无效或与当前的筛选、排序不符，请从第一页重新加载")

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 512 || json.Unmarshal(b, &c) != nil || c.ID == 0 {
		return c, errCursor
	}
	return c, nil
}

func keyText(v any) (kind, text string) {
	switch k := v.(type) {
	case time.Time:
		return "t", k.UTC().Format(time.RFC3339Nano)
	case string:
		return "s", k
	case int:
		return "i", strconv.Itoa(k)
	case int64:
		return "i", strconv.FormatInt(k, 10)
	case uint64:
		return "i", strconv.FormatUint(k, 10)
	}
	return "", ""
}

func keyValue(kind, text string) (any, bool) {
	switch kind {
	case "t":
		t, err := time.Parse(time.RFC3339Nano, text)
		return t.UTC(), err == nil
	case "s":
		return text, true
	case "i":
		n, err := strconv.ParseInt(text, 10, 64)
		return n, err == nil
	}
	return nil, false
}

// Fingerprint condenses the filters a cursor was made under, so that a cursor is refused under
// others (it would continue a different list).
func Fingerprint(parts ...any) string {
	h := fnv.New64a()
	b, _ := json.Marshal(parts)
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}

// Counter counts a list's rows; a count with Capped stops at Capped + 1 rows.
type Counter struct {
	Exact  func(*int64) error
	Capped int
}

// CappedCount counts q's rows up to MaxOffset + 1: a numbered page never reaches further, so a
// pager needs no more, and a count over a million index entries is what it avoids.
func CappedCount(q *gorm.DB) Counter { return CappedCountAt(q, MaxOffset) }

// CappedCountAt counts q's rows up to limit + 1; a total above limit is answered as limit, "at least".
func CappedCountAt(q *gorm.DB, limit int) Counter {
	return Counter{Capped: limit, Exact: func(n *int64) error {
		sub := q.Session(&gorm.Session{}).Select("1").Limit(limit + 1)
		return q.Session(&gorm.Session{NewDB: true}).Table("(?) AS capped", sub).Count(n).Error
	}}
}

// Seek loads one page of q sorted by o: after the cursor p.After (made under the same sort and
// filter fingerprint), or the numbered page p.Page. Pages reached by cursor are not counted. page,
// when given, adjusts the page query alone (joins and columns the count does not need).
func Seek[T any](q *gorm.DB, p Page, o Order[T], filter string, count Counter, page ...func(*gorm.DB) *gorm.DB) (*List[T], error) {
	p, err := p.Normalize()
	if err != nil {
		return nil, err
	}
	out := &List[T]{Page: p.Page, PageSize: p.Size, Items: []T{}}
	pq := q.Session(&gorm.Session{}).Order(o.sql()).Limit(p.Size + 1)
	if p.After != "" {
		c, err := decodeCursor(p.After)
		if err != nil || c.Sort != o.Name || c.Filter != filter {
			return nil, errCursor
		}
		out.Uncounted = true
		cmp := "<"
		if !o.Desc {
			cmp = ">"
		}
		if o.Column == "" {
			pq = pq.Where(o.ID+" "+cmp+" ?", c.ID)
		} else {
			k, ok := keyValue(c.Kind, c.Key)
			if !ok {
				return nil, errCursor
			}
			// The first comparison alone is a range on the sort index; the second breaks ties.
			pq = pq.Where(o.Column+" "+cmp+"= ? AND ("+o.Column+" "+cmp+" ? OR "+o.ID+" "+cmp+" ?)", k, k, c.ID)
		}
	} else if p.Page > 1 {
		// A deep numbered page reads and skips up to MaxOffset rows: only their ids, from the sort
		// index, and then the page's own rows, rather than every skipped row in full with its joins.
		var ids []uint64
		if err := pq.Session(&gorm.Session{}).Offset((p.Page-1)*p.Size).Pluck(o.ID, &ids).Error; err != nil {
			return nil, err
		}
		pq = q.Session(&gorm.Session{}).Where(o.ID+" IN ?", append(ids, 0)).Order(o.sql()).Limit(p.Size + 1)
	}
	for _, f := range page {
		pq = f(pq)
	}
	if err := pq.Find(&out.Items).Error; err != nil {
		return nil, err
	}
	if len(out.Items) > p.Size {
		out.Items = out.Items[:p.Size]
		k, id := o.Key(&out.Items[p.Size-1])
		kind, text := keyText(k)
		if o.Column == "" {
			kind, text = "", ""
		}
		out.Next = encodeCursor(cursor{Sort: o.Name, Filter: filter, Kind: kind, Key: text, ID: id})
	}
	switch {
	case out.Uncounted:
	case p.Page == 1 && out.Next == "":
		out.Total = int64(len(out.Items))
	default:
		if err := count.Exact(&out.Total); err != nil {
			return nil, err
		}
		if count.Capped > 0 && out.Total > int64(count.Capped) {
			out.Total, out.AtLeast = int64(count.Capped), true
		}
	}
	return out, nil
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

// likePrefix escapes s for LIKE ... ESCAPE '!' as a prefix.
func LikePrefix(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '%' || r == '_' || r == '!' {
			b.WriteRune('!')
		}
		b.WriteRune(r)
	}
	return b.String() + "%"
}

// WithItems returns l's paging (total, page, cursor) around items, the same rows in another form.
func WithItems[T, U any](l *List[T], items []U) *List[U] {
	return &List[U]{Items: items, Total: l.Total, Page: l.Page, PageSize: l.PageSize, Next: l.Next, Uncounted: l.Uncounted, AtLeast: l.AtLeast}
}

// WithNames joins into a page query on table the name of each row's enterprise (enterprise_name)
// and of the user in userColumn (as userName), so that a list shows them without a query per row.
func WithNames(table, userColumn, userName string) func(*gorm.DB) *gorm.DB {
	sel := table + ".*, enterprises.name AS enterprise_name, users.name AS " + userName
	enterprises := "LEFT JOIN enterprises ON enterprises.id = " + table + ".enterprise_id"
	users := "LEFT JOIN users ON users.id = " + table + "." + userColumn
	return func(q *gorm.DB) *gorm.DB { return q.Select(sel).Joins(enterprises).Joins(users) }
}
