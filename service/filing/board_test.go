package filing

import "testing"

func TestMedianHours(t *testing.T) {
	for _, c := range []struct {
		seconds []int64
		want    float64
	}{
		{[]int64{3600}, 1}, {[]int64{7200, 3600}, 1.5}, {[]int64{100, 36000, 3600}, 1}, {[]int64{0, 0, 5400, 90000}, 0.8},
	} {
		got := medianHours(c.seconds)
		if got == nil || *got != c.want {
			t.Errorf("median of %v: %v, want %v", c.seconds, got, c.want)
		}
	}
	if medianHours(nil) != nil {
		t.Error("median of nothing is not nil")
	}
	in := []int64{3, 1, 2}
	medianHours(in)
	if in[0] != 3 {
		t.Error("medianHours sorted its argument")
	}
}

func TestEveryKindHasALabelAndAGroup(t *testing.T) {
	for _, k := range Kinds {
		if KindLabels[k] == "" || GroupLabels[GroupOf(k)] == "" {
			t.Errorf("kind %s: label %q, group %q", k, KindLabels[k], GroupOf(k))
		}
		for g := range Grades(k) {
			if GradeLabel(k, g) == "" {
				t.Errorf("%s %s has no label", k, g)
			}
		}
	}
	for _, s := range Statuses {
		if StatusLabels[s] == "" {
			t.Errorf("status %s has no label", s)
		}
	}
}
