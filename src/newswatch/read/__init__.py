"""Reading the watched folder: which files there are, and each file's bytes as articles.

scan      the folder -> which files exist (links kept inside it), their bytes on demand
formats   a file -> the articles it holds, whatever its format: the one dispatch
parts     a part of a file that holds several articles (a WARC record, a JSON line)
encoding  bytes -> text: UTF-8, UTF-16, cp1254, cp1252, latin-1, from the whole file
repair    ftfy on the lines that need it (mojibake, C1 controls, HTML entities)
text      English- and Turkish-aware words, sentences and case folding; repetition once
quotations where a paragraph's quotations stand
parse     text -> ParsedArticle: headline, date, outlet, body; debris kept aside
urls      an article's URL in the one form URLs are compared in
page      a web page -> ParsedArticle: the article extracted (trafilatura), furniture out
page_meta a page's headline, outlet, publication time and URL (Open Graph, JSON-LD)
warc      a WARC archive -> its records, an HTML page each
scraped   news-please and trafilatura JSON -> ParsedArticle
"""
