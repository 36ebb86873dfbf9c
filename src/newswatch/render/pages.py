"""The frame of newswatch's HTML pages (the run report, a story): one self-contained file,
no scripts and no external resources, so it is safe to open or mail."""

from __future__ import annotations

from newswatch.render.escaping import html_text, safe_href

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:75em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
table.diff{table-layout:fixed} table.diff col{width:50%}
td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f3f3} del{background:#fdd;color:#900} ins{background:#dfd;color:#060;text-decoration:none}
.added{background:#efe}.deleted{background:#fee}.moved{background:#eef}.num{font-weight:bold;color:#a50}
.label{display:block;font-size:.8em;color:#666;font-style:italic}
.legend span{margin-right:1.5em;padding:.1em .4em}
nav ul{columns:2}
figure.timeline{margin:.5em 0 1em}table.versions :is(td,th):nth-child(-n+3){white-space:nowrap}figure.timeline svg{width:100%;height:auto;max-width:1000px}
"""


def page_head(title: str) -> list[str]:
    """The page's first lines, up to its body; ``title`` is text (escaped here)."""
    return [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{html_text(title)}</title><style>{CSS}</style></head><body>",
    ]


PAGE_END = "</body></html>"


def url_html(url: str) -> str:
    """An article's URL: a link to its page when it is an http(s) URL, else its text."""
    href = safe_href(url)
    if href is None:
        return html_text(url)
    return f'<a href="{html_text(href)}" rel="noopener noreferrer nofollow">{html_text(url)}</a>'
