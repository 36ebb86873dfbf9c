"""Reading the watched folder: which files there are, and each file's bytes as an article.

scan      the folder -> which files exist (links kept inside it), their bytes on demand
encoding  bytes -> text: UTF-8, UTF-16, cp1254, cp1252, latin-1, from the whole file
repair    ftfy on the lines that need it (mojibake, C1 controls, HTML entities)
text      English- and Turkish-aware words, sentences and case folding; repetition once
quotations where a paragraph's quotations stand
parse     text -> ParsedArticle: headline, date, outlet, body; debris kept aside
"""
