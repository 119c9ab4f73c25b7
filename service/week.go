package service

import (
	"fmt"
	"strconv"
	"time"
)

// Week is an ISO 8601 week, written YYYY-Www.
type Week struct {
	Year int
	Num  int
}

// String formats the week as YYYY-Www.
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// ParseWeek parses YYYY-Www and rejects weeks the year does not have (e.g. 2026-W99 or 2025-W53).
func ParseWeek(s string) (Week, error) {
	var w Week
	// Digits are checked one by one: Sscanf's %d also takes signs and spaces ("2026-W+5").
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' || !digits(s[:4]) || !digits(s[6:]) {
		return w, Invalid("week", "周次格式应为 YYYY-Www，例如 2026-W48")
	}
	w.Year, _ = strconv.Atoi(s[:4])
	w.Num, _ = strconv.Atoi(s[6:])
	if w.Year < 2000 || w.Year > 2100 || w.Num < 1 || w.Num > weeksIn(w.Year) {
		return w, Invalid("week", fmt.Sprintf("%d 年没有第 %d 周", w.Year, w.Num))
	}
	return w, nil
}

// WeekOf returns the ISO week containing the park-local date of t.
func (p ParkTime) WeekOf(t time.Time) Week {
	y, n := t.In(p.Loc).ISOWeek()
	return Week{y, n}
}

// Monday returns the park-local midnight starting week w.
func (p ParkTime) Monday(w Week) time.Time {
	y, m, d := w.monday().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, p.Loc)
}

// monday is the date of the Monday starting w, at midnight UTC: weeks are calendar arithmetic, the
// same in every zone.
func (w Week) monday() time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7
	return jan4.AddDate(0, 0, -offset+(w.Num-1)*7)
}

// Add returns the week n weeks after w (before, for negative n).
func (w Week) Add(n int) Week {
	y, num := w.monday().AddDate(0, 0, 7*n).ISOWeek()
	return Week{y, num}
}

// Sub returns how many weeks w is after u (negative when before).
func (w Week) Sub(u Week) int {
	return int(w.monday().Sub(u.monday()).Hours()) / (24 * 7)
}

// Before reports whether w is earlier than u.
func (w Week) Before(u Week) bool { return w.Year < u.Year || (w.Year == u.Year && w.Num < u.Num) }

// LastEnded returns w when it has ended, and otherwise the last week that has: a running week is
// not yet missed.
func (p ParkTime) LastEnded(w Week) Week {
	if current := p.WeekOf(p.Now()); !w.Before(current) {
		return current.Add(-1)
	}
	return w
}

// WeekRange returns the instants [start, end) of week w in UTC.
func (p ParkTime) WeekRange(w Week) (start, end time.Time) {
	m := p.Monday(w)
	return m.UTC(), m.AddDate(0, 0, 7).UTC()
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func weeksIn(year int) int {
	_, n := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return n
}
