"""How newswatch shows what it found to people: the pieces every rendering shares.

escaping  untrusted text made safe: HTML and SVG, Markdown, table cells, log lines
phrasing  styles, small words, and a word diff as one line
diffs     one diff as Markdown (or plain) lines and as an HTML table
pages     the frame of an HTML page: its head, its CSS, its end
formats   what a command can print or write (``--format``)
"""
