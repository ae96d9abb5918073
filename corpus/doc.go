// Package corpus owns assignbot's domain: notices, tasks, units, deadlines
// and leading groups, and the loading, clean-up and parsing that turn a
// folder of real notices into them. It does no networking and knows nothing
// of vector stores; every other package speaks its types.
//
// # The notices
//
// City and district governments split a year's work into numbered tasks in
// notices called 责任分解方案, 议案办理工作方案, 行动方案 or 工作要点. A notice is
// often a cover letter (通知, with its own 一、二、…) followed by the plan.
// The plan numbers its items on up to four levels:
//
//	一、        section            ref 二
//	（一）      subsection         ref 二(二)
//	1.          item               ref 二(二)3
//	（1） ①     sub-item           ref 二(二)3(1)
//
// A task's ref is the path of labels in the notice's own numbering, so that
// people can cite it (武政办〔2021〕22号 二(二)3). Some notices number their
// tasks at the second level across sections ((三)…(二十四)); some group
// items under dash headings (——坚决完成脱贫攻坚任务), which become section
// titles but not part of the ref. When numbering starts again at 一、 the
// earlier part (the cover letter) gets the ref prefix 通知.
//
// # Unit markers
//
// A task names its lead units (牵头单位) and responsible units (责任单位,
// 配合单位) in one of these conventions (units.go):
//
//  1. （牵头单位：X；责任单位：Y） or （责任单位：Y） alone — no named lead;
//  2. 〔牵头单位：X，责任单位：Y〕 — square brackets, a comma between roles;
//  3. a notice-wide rule: 逗号前为牵头单位（下同） — in a plain list the units
//     before the first top-level comma lead, and a list without a comma is
//     all co-leads; or 列第一位的责任单位为牵头单位 — the first unit leads;
//  4. （X牵头，Y按职责分工负责） or （X牵头，Y配合）;
//  5. 牵头单位：X and 责任单位：Y on lines of their own after the task;
//  6. prose: X为该议案办理工作的牵头责任单位 — X leads every unmarked task.
//
// One item can carry several markers (出台规划，（责任单位：市发改委）完善…，
// （牵头单位：…）): it is one task with numbered clauses, each with its units.
//
// Unit lists split on 、，,；and on 和/及/与 between complete names, never inside
// brackets (各县（区）人民政府, 〈含开发区管委会，下同〉); a shared suffix is
// expanded (青山、江夏、黄陂区人民政府 → three 人民政府). The Directory resolves
// short and full names to one canonical Simplified name (市经信局 =
// 市经济和信息化局), from a curated table and from the short names a notice
// defines (（以下简称武圈办）).
//
// # Messy input
//
// Files are .txt, .md, .html/.htm and .docx, in UTF-8 (with or without BOM),
// GBK/GB18030 or Big5 (encoding.go). Pages carry footers, share bars, spam
// and pinyin annotations (clean.go); some carry GBK text decoded one byte
// off, which is repaired where the repair reads clearly better and cut out
// where it cannot be (mojibake.go). Matching folds full-width punctuation
// and Traditional characters (normalize.go, with a table generated from
// Unihan); text shown to people stays as printed.
package corpus
