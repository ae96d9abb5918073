package extract

import (
	"math"
	"testing"
)

func TestOFDWidth(t *testing.T) {
	for _, c := range []struct {
		name, text, deltaX string
		want               float64
	}{
		{"NoDeltaX", "市商务局A", "", 4*3.5 + 1.75},
		{"Steps", "市商务局", "4 4 4", 12 + 3.5},
		{"Repeated", "市商务局", "g 3 4", 12 + 3.5},
		{"FewerSteps", "市商务局", "4", 4 + 3*3.5},
		{"Garbage", "市商务局", "g x 4", 4 * 3.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ofdWidth(c.text, c.deltaX, 3.5); math.Abs(got-c.want) > 1e-9 {
				t.Errorf("ofdWidth = %g, want %g", got, c.want)
			}
		})
	}
}
