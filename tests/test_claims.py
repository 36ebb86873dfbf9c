"""Reports that stay true on real text (issue 19): every number and quotation change a
report states is one that happened, however the text was typed.

The cases are the false claims and the missed changes found in real human edits of real
news articles, each rebuilt here as a small literal text.
"""

from __future__ import annotations

import pytest

from newswatch.changes import diff as diff_module
from newswatch.changes.diff import diff_versions
from newswatch.changes.numbers import NumberChange
from newswatch.changes.verify import Version, number_holds, quote_holds, verify_claims
from newswatch.notify import alerts, events
from newswatch.notify.alerts import On
from newswatch.report import markdown
from tests.runs import report_html
from tests.test_alerts import _fires
from tests.test_events import _report

STORY = "Officials said the investigation would continue."


def _claims(
    old: str, new: str, turkish: bool = False
) -> tuple[list[str], list[tuple[str | None, str | None]]]:
    encoding = "cp1254" if turkish else None
    result = diff_versions("H", [STORY, old], "H", [STORY, new], encoding, encoding)
    return [str(n) for n in result.numbers], [(q.old, q.new) for q in result.quotes]


# --- quotations as people type them ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # spaces inside the marks
        ('He called the plan " huge " and left.', 'He called the plan "huge" and left.'),
        # a closing mark after a space and punctuation
        (
            '"We will decide later this week or next , " he said.',
            '"We will decide later this week or next . " he said.',
        ),
        # an apostrophe with spaces elsewhere in the paragraph
        (
            'She won the "2008 Young Designers \' Competition" and the "2008 YODEX Interior '
            'Design Competition" last year.',
            'She won the "2008 Young Designers\' Competition" and the "2008 YODEX Interior '
            'Design Competition" last year.',
        ),
        # a stray mark earlier in the paragraph
        (
            'Talks resumed . A check of the "first" and "second" and "third" drafts followed.',
            'Talks resumed " . A check of the "first" and "second" and "third" drafts followed.',
        ),
        ("Mr Ali said: “ We stay ” and left.", "Mr Ali said: “We stay” and left."),
        (
            "Bakan ‘ hemen ’ dedi, Designers ’ Cup sürdü.",
            "Bakan ‘hemen’ dedi, Designers’ Cup sürdü.",
        ),
    ],
)
def test_a_quotation_typed_another_way_is_the_same_quotation(old: str, new: str) -> None:
    assert _claims(old, new) == ([], [])


def test_a_quotation_said_in_both_texts_is_never_added_or_removed() -> None:
    # The old text's pairing is shifted by a missing closing mark: its quotation runs on
    # into the narration, and the new text's quotation looks added.
    old = 'Mr Vazey said: " It simply cannot be built in time. The port needs a site first.'
    new = 'Mr Vazey said: " It simply cannot be built in time. " The port needs a site first.'
    assert _claims(old, new) == ([], [])


def test_a_quotation_whose_mark_moved_over_a_word_is_no_change() -> None:
    # Wikinews 62907: the mark moved past "He"; every word is said in both texts.
    old = 'Police said "He heard a click in the boot and someone call out" on Monday.'
    new = 'Police said he "heard a click in the boot and someone call out" on Monday.'
    assert _claims(old, new)[1] == []


def test_a_quotation_changed_only_in_case_or_final_punctuation_is_no_change() -> None:
    assert _claims(
        'Police said: "The black Mondeo was seen at the scene ," and left.',
        'Police said: "the black Mondeo was seen at the scene ." and left.',
    ) == ([], [])


def test_a_phrase_quoted_again_is_not_added() -> None:
    old = 'He called the plan "a recipe for disaster" in May.'
    new = 'He called the plan "a recipe for disaster" in May. Critics agreed it was "a recipe for disaster".'
    assert _claims(old, new)[1] == []


def test_narration_put_in_marks_is_no_new_quotation() -> None:
    old = "People want it gone, as it is an eyesore, they say."
    new = 'People want it gone, suggesting it is an "eyesore".'
    assert _claims(old, new)[1] == []


def test_a_stray_mark_that_can_pair_with_nothing_shifts_nothing() -> None:
    # 'resumed " .': a mark after a space, before a full stop, with nothing open. The
    # spaced quotations after it stay paired, and certain: their change is reported.
    old = 'Talks resumed " . He called it " a step " and " a start " later.'
    new = 'Talks resumed " . He called it " a step " and " a new start " later.'
    assert _claims(old, new)[1] == [("a start", "a new start")]


def test_an_apostrophe_inside_a_single_marked_title_is_not_its_end() -> None:
    old = "She won the ‘Young Designers’ Competition’ and the ‘YODEX’ prize."
    new = "She won the ‘Young Designers’ Competition’ and the ‘YODEX Interior’ prize."
    assert _claims(old, new)[1] == [("YODEX", "YODEX Interior")]


def test_a_reworded_quotation_typed_with_spaces_is_still_reported() -> None:
    numbers, quotes = _claims(
        '"We will decide later this week or next , " he said.',
        '"We will decide in a month , " he said.',
    )
    assert numbers == []
    assert quotes == [("We will decide later this week or next ,", "We will decide in a month ,")]


def test_where_the_pairing_of_marks_is_uncertain_nothing_is_claimed() -> None:
    # Three spaced marks: which words are quoted cannot be told, so none is claimed.
    old = 'The fund " fell again " and " the board met on Friday.'
    new = "The fund fell again and the board met on Friday."
    assert _claims(old, new)[1] == []


# --- numbers ----------------------------------------------------------------------------


def test_a_time_that_became_the_start_of_a_range_is_not_a_change() -> None:
    assert _claims(
        "Since 4pm the road has been closed.", "From 4 to 7pm the road has been closed."
    ) == ([], [])


@pytest.mark.parametrize(
    ("old", "new", "turkish"),
    [
        ("The prize is $ 30.000 USD this year.", "The prize is $ 30,000 USD this year.", False),
        ("The 1.500 workers struck.", "The 1,500 workers struck.", False),
        ("Törene 1.500 kişi katıldı.", "Törene 1,500 kişi katıldı.", True),
    ],
)
def test_a_separator_swapped_is_no_change_of_value(old: str, new: str, turkish: bool) -> None:
    assert _claims(old, new, turkish) == ([], [])


def test_a_date_is_read_through_glued_words() -> None:
    assert _claims(
        "The match was on ThursdayJanuary 18 2007 in Leeds.",
        "The match was on Thursday, 18 January 2007 in Leeds.",
    ) == ([], [])


def test_a_toll_in_words_is_reported_like_one_in_digits() -> None:
    assert _claims("Three people died in the blast.", "Four people died in the blast.")[0] == [
        "Three → Four people died"
    ]
    assert _claims("Saldırıda üç kişi öldü.", "Saldırıda dört kişi öldü.", True)[0] == [
        "üç → dört kişi öldü"
    ]


def test_a_decimal_with_two_places_is_read_as_a_decimal() -> None:
    assert _claims("Prices rose 3.45 per cent.", "Prices rose 3.5 per cent.")[0] == [
        "3.45 per cent → 3.5 per cent Prices"
    ]


def test_a_range_whose_end_changed_reports_the_end() -> None:
    assert _claims("Between 25 and 27 people were hurt.", "Between 25 and 30 people were hurt.")[
        0
    ] == ["27 → 30 people"]


def test_a_pronoun_one_is_no_toll() -> None:
    assert _claims("One of them said no.", "Two of them said no.")[0] == []


# --- the verifier ----------------------------------------------------------------------------


def _version(*paragraphs: str) -> Version:
    return Version("H", list(paragraphs))


def test_a_number_claim_holds_only_when_the_old_became_rarer_and_the_new_commoner() -> None:
    old = _version("A total of 25 people died.", "Police said 30 were hurt.")
    new = _version("A total of 27 people died.", "Police said 30 were hurt.")
    assert number_holds(NumberChange(old="25", new="27", context="people died"), old, new)
    # A number that only moved to another sentence did not change.
    moved = _version("A total of 27 people died.", "Police said 25 people died.")
    assert not number_holds(NumberChange(old="25", new="27", context="people"), old, moved)
    # Neither a claim naming text that is not in the versions.
    assert not number_holds(NumberChange(old="26", new="27", context="people"), old, new)
    # Nor one quantity written two ways.
    swapped = _version("A total of 25 people died.", "Police said 30.0 were hurt.")
    assert not number_holds(NumberChange(old="30", new="30.0", context=""), old, swapped)


def test_a_quotation_claim_holds_only_against_both_texts() -> None:
    old = _version('He said "we will stay" and left.')
    new = _version('He said " we will stay " and left. "We go," she said.')

    class Claim:
        def __init__(self, before: str | None, after: str | None) -> None:
            self.old, self.new = before, after

    assert quote_holds(Claim(None, "We go,"), old, new)
    assert not quote_holds(Claim(None, "we will stay"), old, new)  # it stood in the old
    assert not quote_holds(Claim("we will stay", None), old, new)  # it stands in the new
    assert not quote_holds(Claim("we will stay", "We will stay!"), old, new)  # same words
    result = verify_claims([], [Claim(None, "We go,"), Claim("we will stay", None)], old, new)
    assert [q.new for q in result.quotes] == ["We go,"] and result.withheld == 1


# --- what a withheld claim reaches: a count, never an event or an alert --------------------


def _false_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that misreads: it claims a toll changed where the two texts say it did not."""

    def misread(old: str, new: str, *args: object) -> list[NumberChange]:
        return [NumberChange(old="25", new="27", context="people dead")]

    monkeypatch.setattr(diff_module, "number_changes", misread)


def test_a_claim_the_texts_do_not_bear_out_is_counted_and_never_reaches_an_alert(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newswatch.report.model import ArticleChange

    _false_claim(monkeypatch)
    old = ["A total of 25 people died, police said.", "The inquiry goes on."]
    new = ["A total of 25 people died, police told reporters.", "The inquiry goes on."]
    diff = diff_versions("Blast", old, "Blast", new)
    assert diff.numbers == [] and diff.claims_withheld == 1
    change = ArticleChange(
        article_id=1,
        outlet="BBC",
        path="a.txt",
        from_version=1,
        to_version=2,
        reverted=False,
        similarity=0.9,
        diff=diff,
    )
    report = _report([change]).model_copy(update={"claims_withheld": diff.claims_withheld})
    (edited, _) = events.for_report(report, limit=10)
    assert isinstance(edited.payload, events.EditedPayload)
    assert edited.payload.numbers == [] and edited.payload.numbers_total == 0
    assert not _fires(alerts.spec("toll", On.NUMBERS), edited)
    summary = markdown.run_markdown(report)
    page = report_html(report)
    for text in (summary, page, markdown.article_markdown(change, 7)):
        assert "1 number or quotation change found but not borne out" in text
        assert "25 → 27" not in text and "27 people" not in text


def test_a_toll_in_words_fires_the_numbers_alert() -> None:
    from newswatch.report.model import ArticleChange

    old = ["Three people died in the blast.", STORY]
    new = ["Four people died in the blast.", STORY]
    change = ArticleChange(
        article_id=1,
        outlet="BBC",
        path="a.txt",
        from_version=1,
        to_version=2,
        reverted=False,
        similarity=0.9,
        diff=diff_versions("Blast", old, "Blast", new),
    )
    (edited, _) = events.for_report(_report([change]), limit=10)
    assert _fires(alerts.spec("toll", On.NUMBERS), edited)
    assert isinstance(edited.payload, events.EditedPayload)
    assert edited.payload.numbers == ["Three → Four people died"]
