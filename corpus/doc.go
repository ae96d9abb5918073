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
// A task names its lead units (牵头单位), responsible units (责任单位,
// 配合单位) and sometimes guiding units (指导) in one of these conventions.
// The verbs of a marker live in one table, segmentVerbs (units.go). Labels
// and table column headers are not looked up whole: roles.go reads them
// from their cue morphemes (roleCues: 牵头/主办/主责 lead, 指导 guides,
// 配合/协同/协办/参与 cooperate, 责任/负责 answer — lead under the notice's
// first-listed rule) and their head word (单位/部门/主体 units, 领导/负责人 a
// person, 时限/时间 a date, 分工 a value with its own roles), so 牵头责任单位,
// 协同责任单位, 主责处室, 配合部门, 牵 头 单 位 or a bare 牵头： need no entry;
// labels with no cue (督办单位, 任务来源) are never units:
//
//  1. labels in a bracket: （牵头单位：X；责任单位：Y）, （责任单位：Y） alone
//     (no named lead), 〔牵头单位：X，责任单位：Y〕, 主办单位/协办单位;
//  2. verbs in a bracket, one segment each: （X负责）, （X、Y等负责）,
//     （X牵头负责）, （X牵头，Y配合）, （X牵头，Y参与）, （X指导，Y参与）,
//     （X会同Y负责）, （由X牵头，Y配合）, （X，Y按职责分工负责）; remarks after
//     the first full stop (以下均需…落实，不再列出) add no unit;
//  3. a notice-wide rule stated once or in the first marker: 逗号前为牵头单位
//     (the units before the first top-level comma lead), 列第一位者为牵头单位
//     / 排在第一位的部门为牵头部门 (the first unit of a 负责 list leads; a unit
//     written 牵头负责 leads anyway). Without such a rule X负责 makes X
//     responsible, never lead;
//  4. lines of their own after the task: 牵头单位：X, 责任单位：Y, 部门分工：X牵头，
//     Y配合。, and person lines (牵头市领导：, 分管省领导：, 责任领导：) kept as
//     the task's Leader, never as units;
//  5. prose: X为该议案办理工作的牵头责任单位 (X leads every unmarked task), and
//     in an unmarked item X会同Y负责 or 由X牵头，Y配合;
//  6. tables: HTML, DOCX and spreadsheet tables (rendered as | cell | rows),
//     tables flattened to one cell a line; columns found by header text
//     (序号, 重点工作, 牵头单位, 责任单位, 指导部门, 责任领导, 完成时限), each
//     numbered row a task, ref = group/annex/section + row number (一1,
//     附件1-3, 二5). A flattened table may print its header again on each
//     page or group, lose its empty cells, or number its rows inside the
//     text cell under spanning group cells (一、 / （一） / 2.…: ref 一(一)2);
//     see tablecells.go;
//  7. group headings over items or table rows that say who answers for
//     them: 李四副市长负责事项 (a leader, Task.Leader) or 一、X牵头工作(8项)
//     (X leads every item under it that names no lead); see heading.go.
//
// One item can carry several markers. In one paragraph (出台规划，（责任单位：
// …）完善…，（牵头单位：…）) it is one task with numbered clauses; in several
// paragraphs under one heading (a State Council plan) each marker is a task of
// its own, ref 二(二)-2 for the item's second paragraph and 二(二)-2.1 for the
// first marker of a paragraph with several.
//
// Units are kept exactly as the notice writes them (full-width brackets,
// Traditional script). Lists split on 、，,；and on 和/及/与 between complete
// names, never inside brackets (各县（区）人民政府) or inside a collective
// name (有关部门和单位, 各区、县级市人民政府); X等 and X等部门 give X. A run
// sharing a suffix (青山、江夏、黄陂区人民政府) keeps its written names and
// teaches the Directory their full names. The Directory resolves short and
// full names to one canonical key (市经信局 = 市经济和信息化局) for matching
// and listings only, from a curated table and from the short names a notice
// defines (（以下简称武圈办）).
//
// # Leading groups
//
// Rosters (领导小组, 委员会, 联席会议) are found by their role lines (组长,
// 副组长, 第一副组长, 主任, 召集人, 秘书长, 成员, 委员, also Traditional,
// labels padded or without a colon) under a 名单 heading, a 组成人员 section
// or none; roles carry down to the lines below, padding inside names
// (黄　卫, 许 俊) is removed, sub-lists (（一）部门委员) are kept, and
// 办公室设在X、Y兼任办公室主任 gives the office and its director. A line may
// hold several names (王晓剑 谭志新), a post after, before or in brackets, or
// names glued to their posts (林克庆省委常委、常务副省长, even a whole roster
// in one line): roster.go cuts a name where its post recognisably begins and
// reports the line in Notice.Unread when no single cut fits.
//
// # Never silent
//
// Markers that no rule reads, unit lines outside any task and notices in
// which nothing was found are Notice.Unread and FileReport.Alerts, shown by
// index, report and /reload.
//
// # Messy input
//
// Files are .txt, .md, .html/.htm, .docx, .pdf, .ofd and .xlsx, in UTF-8
// (with or without BOM), GBK/GB18030 or Big5. Reading them is the trade
// of package corpus/extract: it decodes, finds a page's article, lays PDF
// glyphs out again, and cleans the lines — footers, share bars, spam and
// pinyin annotations go; GBK text decoded one byte off is repaired where
// the repair reads clearly better and cut out where it cannot be. The
// parser here gets the clean lines. Matching folds full-width punctuation
// and Traditional characters (normalize.go, with the table of package
// corpus/t2s, generated from Unihan); text shown to people stays as
// printed.
package corpus
