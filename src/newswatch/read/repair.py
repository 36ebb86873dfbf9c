"""Text as decoded -> text as written: scraping damage undone with ftfy.

Three kinds of damage reach newswatch in real folders, and ftfy (Speer, "ftfy", 2019), the
maintained library for exactly this, repairs each:

- C1 control characters where cp1252 punctuation was decoded as latin-1 or stored through
  it (``Türkiye\\u0092nin`` -> ``Türkiye’nin``): ``fix_c1_controls``;
- HTML entities left by a scraper (``&uuml;``, ``&#8217;``): ``unescape_html``;
- mojibake, UTF-8 read in a single-byte code page and saved again (``TÃ¼rkiye``):
  ``fix_encoding``, which only acts when its badness heuristic says the text is wrong.

ftfy's full pass costs 0.4-1.7 ms an article, more than parsing does, so it runs only on the
lines that hold something it could fix; an ASCII line with no ``&`` never does. The file's
raw-bytes hash still identifies the file as it was.
"""

from __future__ import annotations

import re

import ftfy

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=True,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# What a UTF-8 lead byte followed by a continuation byte looks like in latin-1, cp1252 and
# cp1254: the trace every mojibake leaves.
_MOJIBAKE_LEAD = "ÂÃÄÅÆÇÈÉÊËÌÍÎÏĞÐÑÒÓÔÕÖ×ØÙÚÛÜİÝŞÞßàáâãäåæçèéêëìíîïðñòóôõö"
_MOJIBAKE_TRAIL = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u00a0-\u00bf"
_SUSPECT = re.compile(
    r"[\x80-\x9f]"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    rf"|[{_MOJIBAKE_LEAD}][{_MOJIBAKE_TRAIL}]"
)
_C1 = re.compile(r"[\x80-\x9f]")


def repair(text: str) -> str:
    """The text with C1 controls, HTML entities and mojibake repaired, line by line."""
    if text.isascii() and "&" not in text:
        return text
    if not _SUSPECT.search(text):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _SUSPECT.search(line):
            # C1 controls that no code page explains (0x81, 0x8D...) carry no text.
            lines[index] = _C1.sub("", ftfy.fix_text(line, _CONFIG))
    return "\n".join(lines)
