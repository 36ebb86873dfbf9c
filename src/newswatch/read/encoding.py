"""Bytes -> text, with the encoding chosen from the evidence of the whole file.

Order of evidence, strongest first:

1. A byte-order mark names the encoding outright (UTF-8, UTF-16 LE/BE).
2. UTF-16 without a BOM shows as NUL bytes in every other position.
3. Valid UTF-8 is taken as UTF-8, unless it only decodes by accident: a cp1254 file's
   ``Ü’`` (0xDC 0x92) or ``İ”`` (0xDD 0x94) is also a valid two-byte UTF-8 sequence, for a
   Syriac or Thaana letter. Such letters in a Latin-script text, where a single-byte code
   page reads every byte as a letter or punctuation, mean the code page is right.
4. UTF-8 with a few invalid bytes (at most ``_MAX_INVALID_BYTES`` or ``_MAX_INVALID_SHARE``
   of the file) among valid multi-byte sequences is UTF-8 damaged in transit; the bad bytes
   become U+FFFD and are counted.
5. Anything else is a single-byte Western code page. They differ in only a few byte values.
   cp1254 (Turkish) puts ğ Ğ ı İ ş Ş where latin-1 has ð Ð ý Ý þ Þ, Icelandic letters that
   do not occur in English or Turkish news. Bytes 0x80-0x9F are control characters in latin-1
   but curly quotes, dashes and the euro sign in the Windows code pages. The choice is made on
   those bytes only, and the name reported is the one that explains them. A single-byte code
   page decodes any byte, so such a file is never rejected as undecodable.

``benchmarks/encodings.py`` scores this against charset-normalizer on the shared corpora.
"""

from __future__ import annotations

import codecs
import re
import string
import unicodedata
from dataclasses import dataclass

from newswatch.errors import BinaryFile, EmptyFile, UnsupportedEncoding

# Bytes whose meaning differs between cp1254 and latin-1/cp1252 (Turkish letters in cp1254).
_TURKISH_ONLY = re.compile(rb"[\xd0\xdd\xde\xf0\xfd\xfe]")
_WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")
_MAGIC = {
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"SQLite format 3\x00": "an SQLite database",
}
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_MAX_INVALID_BYTES = 3
_MAX_INVALID_SHARE = 0.001
_MULTIBYTE_UTF8 = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Non-ASCII characters of Latin-script news: Latin-1 and Latin Extended-A letters (Turkish
# ğ ı ş İ among them), Romanian ș ț, general punctuation (curly quotes, dashes), currency.
_LATIN_TEXT_CHAR = re.compile(r"[\u00a0-\u017f\u0218-\u021b\u2000-\u206f\u20a0-\u20bf\u2122]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")


GUESSES = ("cp1254", "cp1252", "latin-1")
"""The single-byte code pages :func:`decode` guesses for a text that is not UTF-8."""
GUESSED_ACCENTED_SHARE = 0.5
"""A text read in a guessed Western code page whose letters are this share non-ASCII or
more is in another script's encoding. Turkish, the most accented language newswatch
reads, has at most 18% in the 1,150 cp1254 texts of the shared Turkish corpus; Russian
pages of the shared web pages saved as cp1251 come out 85% to 99%, Japanese, Chinese and
Korean texts in their legacy encodings 70% to 85%."""
OTHER_SCRIPTS = (
    "another script's encoding, which it does not name (a Cyrillic, Greek, Arabic or "
    "Hebrew code page; Shift_JIS, EUC-JP, GB2312, Big5 or EUC-KR)"
)
"""What a file is in when it is neither UTF-8 nor a Western code page, and names no
encoding: newswatch does not guess between these (their bytes overlap), so it says so."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0
    """Invalid bytes replaced by U+FFFD; a handful is tolerated so one bad byte from a
    scraper does not lose a whole article, more means the guess was wrong."""


def decode(raw: bytes) -> Decoded:
    """Decode an article file or raise a :class:`RejectedFile` subclass saying why not."""
    if not raw:
        raise EmptyFile("the file is empty (0 bytes)")
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise BinaryFile(f"the file is {what}, not an article")

    decoded = _decode(raw)
    text = decoded.text
    controls = len(_CONTROL.findall(text))
    if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise BinaryFile(f"the file holds {controls} control characters: binary data, not text")
    if controls:
        text = _CONTROL.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return Decoded(text, decoded.encoding, decoded.replaced)


def _decode(raw: bytes) -> Decoded:
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", "utf-8-sig")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", "utf-16")
    if b"\x00" in raw:
        guess = _utf16_without_bom(raw)
        if guess is None:
            raise BinaryFile("the file contains NUL bytes: binary data, not text")
        return _strict(raw, guess, guess)
    if raw.isascii():
        return Decoded(raw.decode("ascii"), "utf-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _decodes_by_accident(text):
            try:
                return _single_byte(raw)
            except UnsupportedEncoding:
                pass
        return Decoded(text, "utf-8")
    valid = len(_MULTIBYTE_UTF8.findall(raw))
    invalid = _invalid_utf8_bytes(raw)
    if valid > invalid and invalid <= max(_MAX_INVALID_BYTES, _MAX_INVALID_SHARE * len(raw)):
        return Decoded(raw.decode("utf-8", errors="replace"), "utf-8", invalid)
    return _single_byte(raw)


def decode_as(raw: bytes, codec: str) -> Decoded:
    """Decode in the encoding a file declares (a page's ``<meta charset>``), tolerating as
    few invalid bytes as :func:`decode` does; :class:`UnsupportedEncoding` beyond that."""
    return _strict(raw, codec, codec)


def is_utf8_text(raw: bytes) -> bool:
    """Valid UTF-8 holding characters beyond ASCII that do not read so by accident: a file
    that a single-byte or other declared encoding would turn into mojibake."""
    if raw.isascii():
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _decodes_by_accident(text)


def _decodes_by_accident(text: str) -> bool:
    """Valid UTF-8 in which not one multi-byte sequence reads as a letter or punctuation of
    Latin-script text, and which is Latin-script text apart from those few characters: a
    code-page file whose uppercase letter + curly quote pairs happen to be valid UTF-8."""
    if _LATIN_TEXT_CHAR.search(text):
        return False
    return len(_NON_ASCII.findall(text)) * 50 < len(text)


def _invalid_utf8_bytes(raw: bytes) -> int:
    """Bytes strict UTF-8 refuses: one U+FFFD each (Python replaces per maximal subpart)."""
    replaced = raw.decode("utf-8", errors="replace").count("\ufffd")
    already = raw.count(b"\xef\xbf\xbd")  # U+FFFD that the file itself holds
    return replaced - already


def _single_byte(raw: bytes) -> Decoded:
    codec = "cp1254" if _TURKISH_ONLY.search(raw) else "cp1252"
    if codec == "cp1252" and not _WINDOWS_ONLY.search(raw):
        return Decoded(raw.decode("latin-1"), "latin-1")
    try:
        return _strict(raw, codec, codec)
    except UnsupportedEncoding:
        invalid = raw.decode(codec, errors="replace").count("\ufffd")
        raise UnsupportedEncoding(
            f"it is not UTF-8 and names no encoding, and {invalid:,} of its bytes are no "
            f"character of {codec}, the Western code page guessed for such a file: it is "
            f"in {OTHER_SCRIPTS}"
        ) from None


def misread_share(texts: list[str]) -> float:
    """The share of the letters of ``texts`` that are not ASCII: in a text read in a
    guessed Western code page, half or more (``GUESSED_ACCENTED_SHARE``) means the guess
    turned another script into accented letters. Exact from that share up; below it, the
    share the text's non-ASCII characters would give if all were letters (a bound that
    costs no look at them, as every text not UTF-8 pays it)."""
    plain = others = 0
    for text in texts:
        ascii_only = text.encode("ascii", "ignore")
        plain += len(ascii_only) - len(ascii_only.translate(None, _ASCII_LETTERS))
        others += len(text) - len(ascii_only)
    bound = others / (plain + others) if plain + others else 0.0
    if bound < GUESSED_ACCENTED_SHARE:
        return bound
    accented = sum(c.isalpha() for text in texts for c in _NON_ASCII.findall(text))
    return accented / (plain + accented) if plain + accented else 0.0


def misread_reason(share: float, guess: str) -> str:
    return (
        f"it is not UTF-8 and names no encoding, and read in {guess}, the Western code page "
        f"guessed for such a file, {share:.0%} of its letters come out accented: it is in "
        f"{OTHER_SCRIPTS}"
    )


def _utf16_without_bom(raw: bytes) -> str | None:
    """Plain-ASCII-heavy UTF-16 has NULs at every odd (LE) or even (BE) byte."""
    if len(raw) % 2:
        return None
    odd, even = raw[1::2], raw[0::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _strict(raw: bytes, codec: str, name: str) -> Decoded:
    """Decode, tolerating a few invalid bytes (replaced, and counted) but not many.

    The Windows code pages leave five bytes undefined (0x81 0x8D 0x8F 0x90 0x9D in cp1252;
    cp1254 adds 0x8E 0x9E): those are replaced like invalid UTF-8.
    """
    try:
        return Decoded(raw.decode(codec), name)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = raw.decode(codec, errors="replace")
    replaced = text.count("\ufffd") - raw.decode(codec, errors="ignore").count("\ufffd")
    if replaced > max(_MAX_INVALID_BYTES, _MAX_INVALID_SHARE * len(raw)):
        raise UnsupportedEncoding(
            f"the file looks like {name} but {replaced} bytes are invalid in it "
            f"(the first at offset {first_bad})"
        )
    return Decoded(text, name, replaced)
