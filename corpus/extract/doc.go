// Package extract turns the bytes of a notice file into clean lines of
// text: the trade of reading formats, apart from the parsing rules that
// read tasks out of the lines (package corpus).
//
// Text is the one entry point. By format:
//
//   - text and markdown: the encoding is detected (Decode: UTF-8 with or
//     without a BOM, UTF-16 with a BOM, else GB18030 or Big5, whichever
//     reads as more common Chinese); bytes that are not text are refused.
//   - html: a page's declared charset is honoured; the article is found
//     among the site's chrome (html.go) and its data tables come out as
//     pipe rows.
//   - docx, xlsx and ofd: ZIP packages, every part opened through a cap on
//     its inflated size (zippart.go), so a ZIP bomb is refused.
//   - pdf: the text layer, decoded through the fonts' CMaps and laid out
//     again from the glyphs' positions (pdf.go, layout.go); tables drawn
//     with rules are read cell by cell (drawntable.go). Work is bounded by
//     page, operator and inflated-size budgets and by time, and stops when
//     the caller's context is done.
//
// Table rows of every format reach the parser in one shape, "| a | b |"
// (pipe.go). Text copied out of a PDF with the page's line breaks is
// joined back into paragraphs where its lines show the page's width
// (unwrap.go). The lines are then cleaned (clean.go): site footers and
// chrome, injected spam, pinyin annotations and HTML remnants go; mojibake
// (GBK read as another encoding, the GB18030 user area) is repaired where
// it can be (mojibake.go, gbk_pua.go). Each removal is reported in
// Doc.Warnings, in the words the load report shows.
//
// A file that cannot be read gives an error whose text is the skip reason
// the load report shows; the texts are part of the behaviour and are kept
// as they are.
package extract
