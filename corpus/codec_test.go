package corpus

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// fillAll gives every exported field of v a value of its own — strings
// and numbers from *n, lists of two — so that a field the codec forgets
// shows in a round trip. Notice.Outline is not stored (see Storable).
func fillAll(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.String:
		*n++
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		*n++
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || (v.Type() == reflect.TypeFor[Notice]() && f.Name == "Outline") {
				continue
			}
			fillAll(v.Field(i), n)
		}
	default:
		panic("fillAll: add a case for " + v.Kind().String())
	}
}

// TestNoticeCodecCoversEveryField: a notice with every field set comes
// back equal, so a field added to the notice types without a line in the
// codec fails here.
func TestNoticeCodecCoversEveryField(t *testing.T) {
	var ns []*Notice
	k := 0
	for range 3 {
		n := new(Notice)
		fillAll(reflect.ValueOf(n).Elem(), &k)
		ns = append(ns, n)
	}
	ns[1].Tasks[0].Title = ns[0].Title // shared strings are written once
	got, err := DecodeNotices(EncodeNotices(nil, ns))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ns) {
		a, _ := json.Marshal(ns)
		b, _ := json.Marshal(got)
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}
}

// TestNoticeCodecSamples: the sample notices come back as they were parsed.
func TestNoticeCodecSamples(t *testing.T) {
	c, err := LoadFS(Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	ns := make([]*Notice, len(c.Notices))
	for i, n := range c.Notices {
		ns[i] = Storable(n)
	}
	got, err := DecodeNotices(EncodeNotices(nil, ns))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range got {
		emptyNotNil(n)
	}
	a, _ := json.Marshal(ns)
	b, _ := json.Marshal(got)
	if string(a) != string(b) {
		t.Errorf("samples differ after a round trip")
	}
}

// FuzzDecodeNotices: damaged bytes give an error or notices, never a panic.
func FuzzDecodeNotices(f *testing.F) {
	c, err := LoadFS(Samples, ".")
	if err != nil {
		f.Fatal(err)
	}
	good := EncodeNotices(nil, c.Notices[:min(2, len(c.Notices))])
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte{1, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeNotices(b)
	})
}

// TestDecodeNoticesDamaged: every truncation and a flipped byte at every
// place of an encoding is an error or a whole decode, never a panic.
func TestDecodeNoticesDamaged(t *testing.T) {
	c, err := LoadFS(Samples, ".")
	if err != nil {
		t.Fatal(err)
	}
	good := EncodeNotices(nil, c.Notices[:1])
	step := max(1, len(good)/500)
	for i := 0; i < len(good); i += step {
		if _, err := DecodeNotices(good[:i]); err == nil {
			t.Fatalf("truncated at %d of %d: no error", i, len(good))
		}
		bad := append([]byte(nil), good...)
		bad[i] ^= 0xff
		_, _ = DecodeNotices(bad)
	}
}
