package service

import "time"

// Clock tells the time; tests substitute a fixed one to cross day and week boundaries at will.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ParkTime converts between instants and the park's calendar (dates, ISO weeks) in its time zone.
type ParkTime struct {
	Loc   *time.Location
	Clock Clock
}

// Now returns the current instant in UTC.
func (p ParkTime) Now() time.Time { return p.Clock.Now().UTC() }

// Today returns the park-local date of now, at midnight in the park's zone.
func (p ParkTime) Today() time.Time { return p.DateOf(p.Now()) }

// DateOf returns the park-local date of instant t, at midnight in the park's zone.
func (p ParkTime) DateOf(t time.Time) time.Time {
	l := t.In(p.Loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, p.Loc)
}

// MinYear and MaxYear bound the dates and instants ParkSafe accepts: far wider than any real record,
// and narrow enough that every such time stays within years 1–9999 in UTC, which the MySQL driver
// and DATETIME columns require (0000-01-01 in Shanghai is year −1 in UTC and failed with a 500).
const (
	MinYear = 1900
	MaxYear = 2999
)

// InRange reports whether t lies within MinYear..MaxYear.
func InRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= MinYear && y <= MaxYear
}

// ParseDate parses YYYY-MM-DD as a park-local date within MinYear..MaxYear.
func (p ParkTime) ParseDate(s string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, s, p.Loc)
	return d, err == nil && InRange(d)
}

// ParseInstant parses an RFC 3339 timestamp within MinYear..MaxYear, returned in UTC.
func ParseInstant(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err == nil && InRange(t)
}

// EndOfDay returns the first instant after the park-local date d, the moment a deadline on d passes.
func (p ParkTime) EndOfDay(d time.Time) time.Time {
	l := d.In(p.Loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, p.Loc).UTC()
}

// DateRange turns park-local from and to dates (YYYY-MM-DD, both inclusive, either may be absent)
// into the instants [start, end) in UTC, an absent end zero; a bad date is recorded on v under
// "from" or "to".
func (p ParkTime) DateRange(v *Validator, from, to string) (start, end time.Time) {
	if from != "" {
		d, ok := p.ParseDate(from)
		if v.Check(ok, "from", "开始日期格式应为 YYYY-MM-DD") {
			start = d.UTC()
		}
	}
	if to != "" {
		d, ok := p.ParseDate(to)
		if v.Check(ok, "to", "结束日期格式应为 YYYY-MM-DD") {
			end = p.EndOfDay(d)
		}
	}
	if !start.IsZero() && !end.IsZero() {
		v.Check(start.Before(end), "to", "结束日期不能早于开始日期")
	}
	return start, end
}
