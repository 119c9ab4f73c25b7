package hazard

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"parksafe/model"
	"parksafe/service"
)

// Search uses a bigram index (hazard_terms): every distinct pair of neighbouring characters of a
// hazard's code, title, description and location, lowercased, each field closed by a newline so
// that a field's last character also begins a pair. Chinese has no spaces to split words at, so
// pairs are what a two-character term such as 罐区 or 动火 is found by; the same table works on
// MySQL, MariaDB (no ngram parser) and SQLite (whose FTS5 trigrams cannot match two characters).
// The pairs narrow the candidates through the (term, hazard_id) key; the LIKE over the columns
// still decides, so a match is exactly what a substring search would find.

// fieldEnd closes each field in the text pairs are taken from.
const fieldEnd = '\n'

// maxQueryTerms bounds the pairs a search looks up: a few spread over the text narrow as well as
// all of them, and the LIKE checks the rest.
const maxQueryTerms = 6

// hazardTerms returns the distinct pairs of a hazard's searchable text.
func hazardTerms(fields ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		rs := []rune(strings.ToLower(f))
		rs = append(rs, fieldEnd)
		for i := 0; i+1 < len(rs); i++ {
			t := string(rs[i : i+2])
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// queryTerms returns the pairs a search for text needs (at most maxQueryTerms, first and last
// included); a single character returns nothing and is looked up as a prefix instead.
func queryTerms(text string) []string {
	rs := []rune(strings.ToLower(text))
	if len(rs) < 2 {
		return nil
	}
	var all []string
	seen := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		t := string(rs[i : i+2])
		if !seen[t] {
			seen[t] = true
			all = append(all, t)
		}
	}
	if len(all) <= maxQueryTerms {
		return all
	}
	out := make([]string, 0, maxQueryTerms)
	for i := range maxQueryTerms {
		out = append(out, all[i*(len(all)-1)/(maxQueryTerms-1)])
	}
	return out
}

// searchCandidates narrows q to hazards holding every pair of text (or, for one character, a
// pair beginning with it).
func searchCandidates(q *gorm.DB, text string) *gorm.DB {
	for _, t := range termQueries(q, text) {
		q = q.Where("hazards.id IN (?)", t.Select("hazard_id"))
	}
	return q
}

// termQueries returns a query of the index for each pair of text, or for one character one of
// the pairs beginning with it.
func termQueries(db *gorm.DB, text string) []*gorm.DB {
	idx := db.Session(&gorm.Session{NewDB: true}).Model(&model.HazardTerm{})
	terms := queryTerms(text)
	if len(terms) == 0 {
		first, _ := utf8.DecodeRuneInString(strings.ToLower(text))
		if db.Dialector.Name() == "sqlite" {
			// SQLite turns no LIKE with ESCAPE into a range; its binary order is the code points'.
			return []*gorm.DB{idx.Where("term >= ? AND term < ?", string(first), string(first+1))}
		}
		return []*gorm.DB{idx.Where("term LIKE ? ESCAPE '!'", service.LikePrefix(string(first)))}
	}
	out := make([]*gorm.DB, len(terms))
	for i, t := range terms {
		out[i] = idx.Session(&gorm.Session{}).Where("term = ?", t)
	}
	return out
}

// searchCountCap bounds the count of a search's results: a person refines a search rather than
// page through a thousand results, and counting every match of a common term costs what the page does not.
const searchCountCap = 1000

// isCodePrefix reports whether a search is for hazard codes: text beginning with the codes' "YH-"
// matches codes from their start, a range of the code index, and no other field.
func isCodePrefix(text string) bool {
	return len(text) >= 3 && strings.EqualFold(text[:3], "YH-")
}

// codePrefix narrows q to hazards whose code begins with prefix, as a range of the code index.
func codePrefix(q *gorm.DB, prefix string) *gorm.DB {
	if q.Dialector.Name() == "sqlite" {
		// SQLite makes no range of a LIKE with ESCAPE, nor of a case-insensitive LIKE on a column
		// of binary collation; codes are upper-case ASCII, so the range is exact.
		return q.Where("hazards.code >= ? AND hazards.code < ?", prefix, prefix+"\U0010FFFF")
	}
	return q.Where("hazards.code LIKE ? ESCAPE '!'", service.LikePrefix(prefix))
}

// commonRows is how many hazards a search term must be in to be common. A page of a rarer term is
// read from the index: its few hazards, sorted. A page of a common one is read in the list's order,
// each row matched, until the page is full: with one row in 500 or more matching that is a bounded
// read, where the index would hand over every one of the term's hazards to be sorted.
const commonRows = 2000

// commonText reports whether every pair of the search text (or, for one character, the pairs
// beginning with it) is in at least commonRows hazards.
func commonText(db *gorm.DB, text string) (bool, error) {
	for _, t := range termQueries(db, text) {
		var n int64
		if err := db.Table("(?) AS t", t.Select("1").Limit(commonRows)).Count(&n).Error; err != nil {
			return false, err
		}
		if n < commonRows {
			return false, nil
		}
	}
	return true, nil
}

// reindexText changes the pairs of a hazard whose text was before and is now after, inside the
// transaction that wrote the text. The pairs to remove are named by the old text, so the index
// needs no second key by hazard.
func reindexText(tx *gorm.DB, before, after model.Hazard) error {
	old := hazardTerms(before.Code, before.Title, before.Description, before.Location)
	now := hazardTerms(after.Code, after.Title, after.Description, after.Location)
	gone := slices.DeleteFunc(slices.Clone(old), func(t string) bool { return slices.Contains(now, t) })
	if len(gone) > 0 {
		if err := tx.Where("term IN ? AND hazard_id = ?", gone, before.ID).Delete(&model.HazardTerm{}).Error; err != nil {
			return err
		}
	}
	return insertTerms(tx, []model.Hazard{after})
}

// insertTerms adds the pairs of hs. Pairs that the column's collation holds equal (letters in
// another case or width) are one row.
func insertTerms(tx *gorm.DB, hs []model.Hazard) error {
	var rows []model.HazardTerm
	for _, h := range hs {
		for _, t := range hazardTerms(h.Code, h.Title, h.Description, h.Location) {
			rows = append(rows, model.HazardTerm{Term: t, HazardID: h.ID})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 2000).Error
}

// EnsureSearch builds the search index when it is empty but there are hazards: a database from
// before it, or one filled by a bulk import that bypassed the service.
func (s *Service) EnsureSearch(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	var ids []uint64
	if err := db.Model(&model.HazardTerm{}).Limit(1).Pluck("hazard_id", &ids).Error; err != nil || len(ids) > 0 {
		return err
	}
	if err := db.Model(&model.Hazard{}).Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return err
	}
	return s.RebuildSearch(ctx)
}

// RebuildSearch indexes every hazard's text again: the index is emptied, then filled a batch of
// hazards per transaction in id order (a hazard written meanwhile indexes itself in its own
// transaction; pairs already there are kept).
func (s *Service) RebuildSearch(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("1 = 1").Delete(&model.HazardTerm{}).Error; err != nil {
		return err
	}
	var last uint64
	for {
		var hs []model.Hazard
		err := db.Select("id", "code", "title", "description", "location").Where("id > ?", last).Order("id").Limit(1000).Find(&hs).Error
		if err != nil || len(hs) == 0 {
			return err
		}
		last = hs[len(hs)-1].ID
		if err := service.Transact(ctx, s.db, func(tx *gorm.DB) error { return insertTerms(tx, hs) }); err != nil {
			return err
		}
	}
}
