//go:build race

package corpus

// raceEnabled: the race detector slows the heavy property tests tenfold,
// so they walk fewer folders under it (the full walk runs without it).
const raceEnabled = true
