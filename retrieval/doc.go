// Package retrieval indexes parsed notices and answers questions about them
// with units as written and citations by task number.
//
// The path of a question, file by file:
//
//  1. Words (words.go, intent.go): Understand reads the question into a
//     Query — its intent (who leads, who is responsible, a unit's tasks, a
//     deadline, a fact, a leading group), the unit named (any known name,
//     through the corpus.Directory), the topic, the language. English goes
//     through the glossary (glossary.go) first.
//  2. Scope (scope.go, absence.go): a notice named by docno, short name,
//     subject, region or issuer limits the question to those notices; a
//     notice, unit, group or place that is not loaded is said to be
//     missing, never answered from another notice.
//  3. Answer by intent (answer.go's answerQuery): unit listings come from
//     the unit tables built at index time (units.go); rosters from the
//     leading groups (roster.go); an item asked for by number from the tasks
//     numbered so (itemno.go); a notice's date or guide from its fields
//     (slots.go); tasks, deadlines and facts by search.
//  4. Search (search.go): the keyword half first — BM25 over character
//     unigrams, bigrams and words in one compact index (keyword.go); then
//     the vector half asks only the chromem-go collections of the notices
//     the keyword half routed to (one collection a notice), and the two
//     ranks are fused. A remote embedder adds a bounded global pass.
//  5. Evidence (evidence.go, snippet.go): a task is cited only when its own
//     text, sections and units say what was asked; otherwise the passage or
//     date that says it is quoted. Unit names are printed as the notice
//     writes them.
//  6. Conversation (conversation.go, ordinal.go): a follow-up is read
//     against the last answer — another role, another unit or notice, the
//     next item, "还有吗" — and a complete new question replaces it.
//
// With a chat model (answerer.go, openai.go) the answer is written from the
// same retrieved tasks and every citation it emits is checked; any failure
// falls back to the offline answer.
//
// The index (index.go, entry.go) is built from a corpus.Corpus: one Entry a
// task, clause, group or passage; its keyword postings, unit tables,
// summaries and vectors (embed.go, cache.go) are saved in one snapshot
// (snapshot.go) and updated, not rebuilt, when notices change. Engine
// (engine.go) serves the current index and swaps in a reloaded one
// atomically; Service (service.go) is what the bot and channels use.
package retrieval
