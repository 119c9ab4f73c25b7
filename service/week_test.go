package service_test

import (
	"testing"
	"time"

	"parksafe/service"
)

func park(t *testing.T) service.ParkTime {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return service.ParkTime{Loc: loc, Clock: service.SystemClock{}}
}

func TestParseWeek(t *testing.T) {
	for s, want := range map[string]service.Week{
		"2026-W01": {2026, 1}, "2026-W53": {2026, 53}, "2020-W53": {2020, 53}, "2025-W52": {2025, 52}, "2027-W52": {2027, 52},
	} {
		got, err := service.ParseWeek(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("ParseWeek(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{
		"2025-W53", "2027-W53", "2026-W54", "2026-W00", "2026-W99", "2026-53", "2026W53", "2026-w05", "26-W05",
		"2026-W5", "2026-W005", "2026-W+5", "2026-W 5", "+026-W05", "1999-W10", "", "abcd-Wef",
	} {
		if w, err := service.ParseWeek(s); err == nil {
			t.Errorf("ParseWeek(%q) accepted as %v", s, w)
		} else if service.ErrorCode(err) != service.CodeValidation {
			t.Errorf("ParseWeek(%q): %v", s, err)
		}
	}
}

func TestMondayAndWeekOfAcrossYears(t *testing.T) {
	p := park(t)
	for _, tc := range []struct {
		week   service.Week
		monday string
	}{
		{service.Week{2026, 1}, "2025-12-29"},
		{service.Week{2026, 53}, "2026-12-28"},
		{service.Week{2027, 1}, "2027-01-04"},
		{service.Week{2025, 1}, "2024-12-30"},
		{service.Week{2021, 1}, "2021-01-04"},
		{service.Week{2020, 53}, "2020-12-28"},
		{service.Week{2026, 48}, "2026-11-23"},
	} {
		m := p.Monday(tc.week)
		if got := m.Format(time.DateOnly); got != tc.monday || m.Weekday() != time.Monday || m.Location() != p.Loc || m.Hour() != 0 {
			t.Errorf("Monday(%v) = %v, want %s 00:00 in the park", tc.week, m, tc.monday)
		}
		// Every day of that week, at any hour, belongs to it; the days just outside do not.
		for d := 0; d < 7; d++ {
			for _, h := range []int{0, 12, 23} {
				if got := p.WeekOf(m.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour)); got != tc.week {
					t.Errorf("WeekOf(%v +%dd %dh) = %v, want %v", m, d, h, got, tc.week)
				}
			}
		}
		if p.WeekOf(m.Add(-time.Second)) == tc.week || p.WeekOf(m.AddDate(0, 0, 7)) == tc.week {
			t.Errorf("week %v leaks past its Monday-to-Sunday", tc.week)
		}
		start, end := p.WeekRange(tc.week)
		if end.Sub(start) != 7*24*time.Hour || !start.Equal(m) || start.Location() != time.UTC {
			t.Errorf("WeekRange(%v) = %v..%v", tc.week, start, end)
		}
	}
}

func TestWeekOfUsesTheParkZone(t *testing.T) {
	p := park(t)
	// Sunday 2026-12-27 16:30 UTC is Monday 2026-12-28 00:30 in the park: week 53, not 52.
	instant := time.Date(2026, 12, 27, 16, 30, 0, 0, time.UTC)
	if got := p.WeekOf(instant); got != (service.Week{2026, 53}) {
		t.Fatalf("WeekOf(%v) = %v, want 2026-W53", instant, got)
	}
	// Sunday 2027-01-03 23:59 in the park is still 2026-W53.
	if got := p.WeekOf(time.Date(2027, 1, 3, 23, 59, 0, 0, p.Loc)); got != (service.Week{2026, 53}) {
		t.Fatalf("got %v, want 2026-W53", got)
	}
	if got := p.WeekOf(time.Date(2027, 1, 3, 16, 0, 0, 0, time.UTC)); got != (service.Week{2027, 1}) {
		t.Fatalf("got %v, want 2027-W01", got)
	}
}

func TestDatesInTheParkZone(t *testing.T) {
	p := park(t)
	d := p.DateOf(time.Date(2026, 3, 1, 17, 0, 0, 0, time.UTC)) // 01:00 on 2 March in the park
	if d.Format(time.DateOnly) != "2026-03-02" {
		t.Fatalf("DateOf: %v", d)
	}
	if end := p.EndOfDay(d); !end.Equal(time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("EndOfDay: %v", end)
	}
	if _, ok := p.ParseDate("2026-02-30"); ok {
		t.Fatal("ParseDate accepted 30 February")
	}
}

// TestWeekArithmetic: adding and subtracting weeks crosses years with 52 and 53 weeks, and a week
// has ended only once the next has begun in the park.
func TestWeekArithmetic(t *testing.T) {
	for _, tc := range []struct {
		from service.Week
		n    int
		want service.Week
	}{
		{service.Week{2026, 52}, 1, service.Week{2026, 53}},
		{service.Week{2026, 53}, 1, service.Week{2027, 1}},
		{service.Week{2025, 52}, 1, service.Week{2026, 1}},
		{service.Week{2026, 1}, -1, service.Week{2025, 52}},
		{service.Week{2027, 1}, -52, service.Week{2026, 2}},
		{service.Week{2026, 48}, 0, service.Week{2026, 48}},
	} {
		got := tc.from.Add(tc.n)
		if got != tc.want {
			t.Errorf("%v.Add(%d) = %v, want %v", tc.from, tc.n, got, tc.want)
		}
		if d := got.Sub(tc.from); d != tc.n {
			t.Errorf("%v.Sub(%v) = %d, want %d", got, tc.from, d, tc.n)
		}
		if tc.n > 0 && (!tc.from.Before(got) || got.Before(tc.from)) {
			t.Errorf("%v is not before %v", tc.from, got)
		}
	}
	p := park(t)
	loc := p.Loc
	// Sunday 23:00 of 2026-W48 in the park: that week is still running, so the last ended is W47.
	p.Clock = weekClock{time.Date(2026, 11, 29, 23, 0, 0, 0, loc)}
	if got := p.LastEnded(service.Week{2026, 48}); got != (service.Week{2026, 47}) {
		t.Fatalf("LastEnded(2026-W48) during it = %v, want 2026-W47", got)
	}
	if got := p.LastEnded(service.Week{2026, 40}); got != (service.Week{2026, 40}) {
		t.Fatalf("LastEnded(2026-W40) = %v, want itself", got)
	}
	p.Clock = weekClock{time.Date(2026, 11, 30, 0, 0, 0, 0, loc)}
	if got := p.LastEnded(service.Week{2026, 48}); got != (service.Week{2026, 48}) {
		t.Fatalf("LastEnded(2026-W48) once over = %v, want itself", got)
	}
}

type weekClock struct{ t time.Time }

func (c weekClock) Now() time.Time { return c.t.UTC() }
