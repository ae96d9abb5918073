package retrieval

import "testing"

func TestItemNumber(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"第3条谁牵头", 3}, {"第12项", 12}, {"第三项", 3}, {"第十条", 10}, {"第十二条", 12}, {"第二十条", 20},
		{"第二十三项", 23}, {"第三次普查", 0}, {"谁牵头", 0},
	} {
		if got := itemNumberAsked(tt.q); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.q, got, tt.want)
		}
	}
	for ref, want := range map[string]int{"二(二)3": 3, "三(十)": 10, "附件1-一1": 1, "四(五)20": 20, "二(一)-2": 1, "三(十三)": 13} {
		m := refNumberRe.FindStringSubmatch(ref)
		got := 0
		if m != nil {
			got = itemNumber(m[1])
		}
		if got != want {
			t.Errorf("ref %s: item %d, want %d", ref, got, want)
		}
	}
}
