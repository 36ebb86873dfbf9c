"""One table of quote marks (``read/quotations.py``), and every module reads marks from it.

Each module is asked, by its behaviour, which characters it takes for quote marks; the
answer must be the table's. And no module keeps a table of its own: a mark added to one
list and not another was how ‹ › went missing from one of six.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from newswatch.changes import context, quotes
from newswatch.changes.verify import Version
from newswatch.match import evidence, fingerprint
from newswatch.read import quotations
from newswatch.read.quotations import (
    CLOSERS,
    CLOSING_MARKS,
    NOT_APOSTROPHES,
    OPENING_MARKS,
    QUOTE_MARKS,
    quotation_spans,
)
from newswatch.read.text import sentences

SRC = Path(__file__).resolve().parents[1] / "src" / "newswatch"
# Quote marks and characters that look like them but are not: backtick, acute, prime,
# double prime, corner brackets.
CANDIDATES = QUOTE_MARKS + "`´′″「」"


def test_the_table_pairs_every_mark_it_knows() -> None:
    assert set(OPENING_MARKS) | set(CLOSING_MARKS) == set(QUOTE_MARKS)
    assert set("‹›„“”«»‘’\"'") <= set(QUOTE_MARKS)
    for opener, closers in CLOSERS.items():
        for closer in closers:
            headline = opener == "'" or closer == "'"
            text = f"He said {opener}we stay{closer} and left."
            spans = quotation_spans(text, headline)
            assert [text[a:b] for a, b, _ in spans] == ["we stay"], (opener, closer)


def test_sentences_end_and_start_at_the_tables_marks() -> None:
    closing = {c for c in CANDIDATES if len(sentences(f"We left.{c} Then we went.")) == 2}
    opening = {c for c in CANDIDATES if len(sentences(f"We left. {c}Then we went.")) == 2}
    assert closing == set(CLOSING_MARKS)
    assert opening == set(OPENING_MARKS)


def test_the_verifier_reads_the_tables_marks() -> None:
    marked = {c for c in CANDIDATES if Version("H", [f"He said {c}go"]).marked}
    assert marked == set(QUOTE_MARKS)


def test_narration_and_a_numbers_clause_stop_at_the_tables_marks_not_at_apostrophes() -> None:
    def narration_stops(mark: str) -> bool:
        paragraph = f'Ali {mark} Veli said "we go" now'
        start = paragraph.index("we go")
        return quotes._narration(paragraph, start, start + 5)[0] == "Veli said"

    def clause_stops(mark: str) -> bool:
        sentence = f"The toll {mark} was 25"
        return context.words_before(sentence, sentence.index("25"), 3) == "was"

    assert {c for c in CANDIDATES if narration_stops(c)} == set(NOT_APOSTROPHES)
    assert {c for c in CANDIDATES if clause_stops(c)} == set(NOT_APOSTROPHES)


def test_matching_reads_sentence_starts_and_folds_marks_by_the_table() -> None:
    after_closing = {
        c for c in CANDIDATES if evidence._starts_sentence(f"We left.{c} Then", len("We left.") + 2)
    }
    after_opening = {
        c
        for c in CANDIDATES
        if evidence._starts_sentence(f"We left. {c}Then", len("We left. ") + 1)
    }
    assert after_closing == set(CLOSING_MARKS)
    assert after_opening == set(OPENING_MARKS)
    folded = {
        c for c in CANDIDATES if fingerprint.normalise("H", [f"a{c}b"]) in ('H\na"b', "H\na'b")
    }
    assert folded - {"′"} == set(QUOTE_MARKS)  # a prime folds to ' as well


def _mark_tables(path: Path) -> list[str]:
    """String constants (docstrings aside) holding three or more different quote marks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and len(set(node.value) & set(QUOTE_MARKS)) >= 3
    ]


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_keeps_a_table_of_quote_marks_of_its_own(path: Path) -> None:
    if path == Path(quotations.__file__):
        return
    if path.relative_to(SRC) == Path("read/repair.py"):
        return  # cp1252's bytes 0x80-0x9F read as Latin-1: mojibake to repair, not marks
    assert _mark_tables(path) == []
