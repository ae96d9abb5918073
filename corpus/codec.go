package corpus

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// A compact binary form of a batch of notices, for the index snapshot: at
// a million tasks, decoding the notices with encoding/gob was most of
// start-up (one allocation for every string, type checks for every field).
// Here a batch's distinct strings are written once, side by side, and the
// decoded notices' strings point into the one buffer they were read into;
// tasks, clauses, deadlines and unit lists are cut from a few large
// arrays. What a notice holds is written field by field in a fixed order,
// so a field added to Notice or the types it holds must be added below:
// TestNoticeCodecCoversEveryField fails until it is.
//
// The form is only read by the build that wrote it (the snapshot that holds
// it is keyed on its layout version and ParserVersion), so it has no
// version of its own.

// EncodeNotices appends the encoded notices to dst. The outline is not
// kept (as Storable drops it): tasks, passages and deadlines carry
// everything answers use.
func EncodeNotices(dst []byte, ns []*Notice) []byte {
	e := &noticeEncoder{ids: map[string]uint32{}}
	e.uvarint(uint64(len(ns)))
	for _, n := range ns {
		e.notice(n)
	}
	// The strings, then the body that refers to them by number.
	dst = binary.AppendUvarint(dst, uint64(len(e.strs)))
	size := 0
	for _, s := range e.strs {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		size += len(s)
	}
	dst = binary.AppendUvarint(dst, uint64(size))
	for _, s := range e.strs {
		dst = append(dst, s...)
	}
	return append(dst, e.body...)
}

type noticeEncoder struct {
	ids  map[string]uint32
	strs []string
	body []byte
}

func (e *noticeEncoder) uvarint(x uint64) { e.body = binary.AppendUvarint(e.body, x) }
func (e *noticeEncoder) int(x int)        { e.body = binary.AppendVarint(e.body, int64(x)) }

func (e *noticeEncoder) str(s string) {
	id, ok := e.ids[s]
	if !ok {
		id = uint32(len(e.strs))
		e.ids[s] = id
		e.strs = append(e.strs, s)
	}
	e.uvarint(uint64(id))
}

func (e *noticeEncoder) list(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *noticeEncoder) notice(n *Notice) {
	for _, s := range []string{n.Doc, n.Title, n.PlanTitle, n.DocNumber, n.Issuer, n.Region, n.Date, n.LeadRule} {
		e.str(s)
	}
	e.list(n.LeadUnits)
	e.list(n.AlwaysUnits)
	e.uvarint(uint64(len(n.Tasks)))
	for _, t := range n.Tasks {
		e.task(t)
	}
	e.uvarint(uint64(len(n.Passages)))
	for _, p := range n.Passages {
		e.str(p.Kind)
		e.str(p.Ref)
		e.str(p.Title)
		e.str(p.Text)
		e.int(p.Line)
	}
	e.deadlines(n.Deadlines)
	e.uvarint(uint64(len(n.Groups)))
	for _, g := range n.Groups {
		e.str(g.Name)
		e.str(g.Office)
		e.str(g.OfficeDirector)
		e.int(g.Line)
		e.uvarint(uint64(len(g.Members)))
		for _, m := range g.Members {
			e.str(m.Name)
			e.str(m.Role)
			e.str(m.Title)
			e.str(m.Group)
		}
	}
	e.uvarint(uint64(len(n.Aliases)))
	for _, a := range n.Aliases {
		e.str(a.Short)
		e.str(a.Full)
	}
	e.uvarint(uint64(len(n.Unread)))
	for _, u := range n.Unread {
		e.int(u.Line)
		e.str(u.Text)
		e.str(u.Reason)
		e.str(u.Paragraph)
	}
}

func (e *noticeEncoder) task(t *Task) {
	for _, s := range []string{t.Doc, t.Title, t.Ref, t.Text, t.Leader, t.Extracted} {
		e.str(s)
	}
	e.list(t.Sections)
	e.int(t.Line)
	e.list(t.LeadUnits)
	e.list(t.ResponsibleUnits)
	e.list(t.GuideUnits)
	e.list(t.Persons)
	e.uvarint(uint64(len(t.Clauses)))
	for _, c := range t.Clauses {
		e.int(c.N)
		e.str(c.Text)
		e.list(c.LeadUnits)
		e.list(c.ResponsibleUnits)
	}
	e.deadlines(t.Deadlines)
}

func (e *noticeEncoder) deadlines(ds []Deadline) {
	e.uvarint(uint64(len(ds)))
	for _, d := range ds {
		for _, s := range []string{d.Kind, d.Date, d.Start, d.Phrase, d.Text, d.Ref, d.Title, d.Every} {
			e.str(s)
		}
		e.list(d.Units)
		e.int(d.Line)
	}
}

// errNoticeCodec says the bytes are not notices this build encoded.
var errNoticeCodec = errors.New("notices: damaged encoding")

// DecodeNotices decodes what EncodeNotices wrote. The notices' strings
// share b, which must not be changed afterwards. Damaged bytes give an
// error, never a panic.
func DecodeNotices(b []byte) ([]*Notice, error) {
	d := &noticeDecoder{b: b}
	nstr := d.count(1)
	lens := make([]int, nstr)
	for i := range lens {
		lens[i] = d.count(1)
	}
	size := d.count(1)
	if d.err != nil || size > len(d.b)-d.off {
		return nil, errNoticeCodec
	}
	d.table = make([]string, nstr)
	off := d.off
	for i, l := range lens {
		if l > d.off+size-off {
			return nil, errNoticeCodec
		}
		if l > 0 {
			d.table[i] = unsafe.String(&b[off], l)
		}
		off += l
	}
	d.off += size
	ns := make([]*Notice, d.count(1))
	notices := make([]Notice, len(ns))
	for i := range ns {
		if d.err != nil {
			break
		}
		ns[i] = &notices[i]
		d.notice(ns[i])
	}
	if d.err == nil && d.off != len(d.b) {
		d.err = errNoticeCodec
	}
	if d.err != nil {
		return nil, d.err
	}
	return ns, nil
}

// noticeDecoder reads the body, keeping the first error; lists are cut
// from arrays allocated a block at a time.
type noticeDecoder struct {
	b     []byte
	off   int
	err   error
	table []string

	strs  arena[string]
	tasks arena[Task]
	ptrs  arena[*Task]
	cls   arena[Clause]
	dls   arena[Deadline]
}

// arena hands out slices of blocks of T, so that many short lists cost a
// few allocations. A slice's capacity is its length: appending to one
// copies it rather than write over its neighbour.
type arena[T any] struct{ block []T }

func (a *arena[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(a.block) {
		a.block = make([]T, max(n, 1024))
	}
	s := a.block[:n:n]
	a.block = a.block[n:]
	return s
}

func (d *noticeDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	x, k := binary.Uvarint(d.b[d.off:])
	if k <= 0 {
		d.err = errNoticeCodec
		return 0
	}
	d.off += k
	return x
}

func (d *noticeDecoder) int() int {
	if d.err != nil {
		return 0
	}
	x, k := binary.Varint(d.b[d.off:])
	if k <= 0 {
		d.err = errNoticeCodec
		return 0
	}
	d.off += k
	return int(x)
}

// count reads a length of a list whose items take at least min bytes
// each: a length the bytes left cannot hold is damage.
func (d *noticeDecoder) count(min int) int {
	n := d.uvarint()
	if n > uint64((len(d.b)-d.off)/min) {
		d.err = errNoticeCodec
		return 0
	}
	return int(n)
}

func (d *noticeDecoder) str() string {
	id := d.uvarint()
	if id >= uint64(len(d.table)) {
		if d.err == nil {
			d.err = errNoticeCodec
		}
		return ""
	}
	return d.table[id]
}

func (d *noticeDecoder) strList() []string {
	ss := d.strs.take(d.count(1))
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *noticeDecoder) notice(n *Notice) {
	for _, s := range []*string{&n.Doc, &n.Title, &n.PlanTitle, &n.DocNumber, &n.Issuer, &n.Region, &n.Date, &n.LeadRule} {
		*s = d.str()
	}
	n.LeadUnits = d.strList()
	n.AlwaysUnits = d.strList()
	nt := d.count(1)
	n.Tasks = d.ptrs.take(nt)
	tasks := d.tasks.take(nt)
	for i := range n.Tasks {
		n.Tasks[i] = &tasks[i]
		d.task(&tasks[i])
	}
	if k := d.count(5); k > 0 {
		n.Passages = make([]Passage, k)
		for i := range n.Passages {
			p := &n.Passages[i]
			p.Kind, p.Ref, p.Title, p.Text = d.str(), d.str(), d.str(), d.str()
			p.Line = d.int()
		}
	}
	n.Deadlines = d.deadlines()
	if k := d.count(5); k > 0 {
		n.Groups = make([]Group, k)
		for i := range n.Groups {
			g := &n.Groups[i]
			g.Name, g.Office, g.OfficeDirector = d.str(), d.str(), d.str()
			g.Line = d.int()
			if m := d.count(4); m > 0 {
				g.Members = make([]Member, m)
				for j := range g.Members {
					g.Members[j] = Member{Name: d.str(), Role: d.str(), Title: d.str(), Group: d.str()}
				}
			}
		}
	}
	if k := d.count(2); k > 0 {
		n.Aliases = make([]Alias, k)
		for i := range n.Aliases {
			n.Aliases[i] = Alias{Short: d.str(), Full: d.str()}
		}
	}
	if k := d.count(4); k > 0 {
		n.Unread = make([]Unread, k)
		for i := range n.Unread {
			u := &n.Unread[i]
			u.Line = d.int()
			u.Text, u.Reason, u.Paragraph = d.str(), d.str(), d.str()
		}
	}
}

func (d *noticeDecoder) task(t *Task) {
	for _, s := range []*string{&t.Doc, &t.Title, &t.Ref, &t.Text, &t.Leader, &t.Extracted} {
		*s = d.str()
	}
	t.Sections = d.strList()
	t.Line = d.int()
	t.LeadUnits = d.strList()
	t.ResponsibleUnits = d.strList()
	t.GuideUnits = d.strList()
	t.Persons = d.strList()
	t.Clauses = d.cls.take(d.count(4))
	for i := range t.Clauses {
		c := &t.Clauses[i]
		c.N = d.int()
		c.Text = d.str()
		c.LeadUnits = d.strList()
		c.ResponsibleUnits = d.strList()
	}
	t.Deadlines = d.deadlines()
}

func (d *noticeDecoder) deadlines() []Deadline {
	ds := d.dls.take(d.count(10))
	for i := range ds {
		x := &ds[i]
		for _, s := range []*string{&x.Kind, &x.Date, &x.Start, &x.Phrase, &x.Text, &x.Ref, &x.Title, &x.Every} {
			*s = d.str()
		}
		x.Units = d.strList()
		x.Line = d.int()
	}
	return ds
}
