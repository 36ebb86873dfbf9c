"""Real articles as they arrive: any layout, Turkish text, encoding traps and repairs.

Each fixture is a few lines in the shape of a real file from a Turkish aggregator's folder
(one-line articles, prose first lines, tag lines, indented and hard-wrapped paragraphs,
agency bylines, ``Kaynak:`` lines), written here in code.
"""

from __future__ import annotations

import pytest

from newswatch.errors import NoArticleText
from newswatch.match.fingerprint import fingerprint, normalised_text
from newswatch.match.similarity import headline_similarity
from newswatch.read.parse import parse
from newswatch.read.text import fold, sentences, words

LEAD = (
    "Hazine, 21 Mart 2007 vadeli olarak yeniden ihraç ettiği dolar cinsi tahvilin ihalesinde "
    "895.5 milyon dolarlık satış yaptı."
)
SECOND = (
    "İhale öncesinde piyasaya yapılan satış tutarı 800 milyon dolar ile 1 milyar dolar arasındaydı."
)
THIRD = "Söz konusu ihalede en düşük birim fiyat 9.995 dolar oldu."


def _parse(text: str, encoding: str = "cp1254") -> object:
    return parse(text.encode(encoding))


# --- layout: what the headline is ---------------------------------------------------------------


def test_an_article_on_one_line_is_an_article_with_no_headline() -> None:
    one_line = f"İSTANBUL - {LEAD} {SECOND} {THIRD}"
    parsed = parse(one_line.encode("cp1254"))
    assert parsed.headline == ""
    assert parsed.paragraphs == [one_line]
    assert parsed.title.startswith("İSTANBUL - Hazine, 21 Mart")


def test_a_long_first_line_is_prose_and_stays_in_the_body() -> None:
    first = (
        "Dünya petrol talebi 2002 yılından bu yana günlük 750 bin varil artış göstererek "
        "günlük toplam 82 milyon varil düzeyine çıktı ve artmaya devam ediyor"
    )
    parsed = parse(f"{first}\n\n{SECOND}\n".encode("cp1254"))
    assert parsed.headline == ""
    assert parsed.paragraphs == [first, SECOND]


def test_a_short_first_line_ending_in_a_full_stop_is_prose() -> None:
    parsed = parse(f"Ceza kesildi.\n\n{SECOND}\n".encode("cp1254"))
    assert parsed.headline == ""
    assert parsed.paragraphs[0] == "Ceza kesildi."


def test_a_first_line_that_the_next_line_finishes_is_the_start_of_the_body() -> None:
    text = (
        "Hazine, 21 Mart 2007 vadeli olarak yeniden ihraç ettiği dolar\n"
        "cinsi tahvilin ihalesinde 895.5 milyon dolarlık satış yaptı.\n\n"
        f"{SECOND}\n"
    )
    parsed = parse(text.encode("cp1254"))
    assert parsed.headline == ""
    assert parsed.paragraphs == [LEAD, SECOND]


@pytest.mark.parametrize(
    "tag", ["RADİKAL-", "İSTANBUL -", "İSTANBUL", "ANKARA (AA) -", "HABER MERKEZİ"]
)
def test_a_tag_line_is_not_the_headline(tag: str) -> None:
    parsed = parse(
        f"{tag}\n\nHazine ihalesinde rekor satış\n\n{LEAD}\n\n{SECOND}\n".encode("cp1254")
    )
    assert parsed.headline == "Hazine ihalesinde rekor satış"
    assert parsed.paragraphs == [LEAD, SECOND]
    assert tag in parsed.debris


def test_an_uppercase_headline_of_several_words_is_still_a_headline() -> None:
    parsed = parse(f"TRABZON KÖPÜRDÜ: 2-1\n\n{LEAD}\n".encode("cp1254"))
    assert parsed.headline == "TRABZON KÖPÜRDÜ: 2-1"


def test_a_headline_ending_in_an_ellipsis_or_a_quote_is_a_headline() -> None:
    assert _parse(f"Erdoğan gitti, geldi...\n\n{LEAD}\n").headline == "Erdoğan gitti, geldi..."  # type: ignore[attr-defined]
    assert _parse(f"'Kapanmıyoruz, büyüyoruz'\n\n{LEAD}\n").headline == "'Kapanmıyoruz, büyüyoruz'"  # type: ignore[attr-defined]


# --- layout: paragraphs ---------------------------------------------------------------------


def test_hard_wrapped_lines_are_joined_into_their_paragraph() -> None:
    text = (
        "Klonlama izni çıktı\n\n"
        "İngiliz bilim adamları ilk kez insan embriyonu klonlama izni aldı. Kurum, bir grup\n"
        "İngiliz bilim adamına izin verdiğini belirtti ve kararın gerekçesini açıkladı.\n"
        "Bazı bilim adamları klonlamanın insanlık için\n"
        "tehlikeli olduğunu savunuyor.\n"
    )
    parsed = parse(text.encode("cp1254"))
    assert parsed.headline == "Klonlama izni çıktı"
    assert parsed.paragraphs == [
        "İngiliz bilim adamları ilk kez insan embriyonu klonlama izni aldı. Kurum, bir grup "
        "İngiliz bilim adamına izin verdiğini belirtti ve kararın gerekçesini açıkladı.",
        "Bazı bilim adamları klonlamanın insanlık için tehlikeli olduğunu savunuyor.",
    ]


def test_indented_lines_open_paragraphs_and_indented_fragments_join_theirs() -> None:
    text = (
        "Taşlar yerine oturuyor\n\n"
        "     AK Parti hükümetinin kamuda yeniden yapılanma programı açıklandı.\n"
        "     Spor teşkilatı için bir de müsteşarlık kurulacağı\n"
        "     haberleri yüreklerimize su serpti.\n"
        "     Tüm okurlarımın bayramını kutlarım.\n"
    )
    parsed = parse(text.encode("cp1254"))
    assert parsed.paragraphs == [
        "AK Parti hükümetinin kamuda yeniden yapılanma programı açıklandı.",
        "Spor teşkilatı için bir de müsteşarlık kurulacağı haberleri yüreklerimize su serpti.",
        "Tüm okurlarımın bayramını kutlarım.",
    ]


def test_a_heading_inside_the_body_stays_its_own_paragraph() -> None:
    text = f"Petrol talebi arttı\n\n{LEAD}\nPETROL TALEBİ\n{SECOND}\n"
    assert parse(text.encode("cp1254")).paragraphs == [LEAD, "PETROL TALEBİ", SECOND]


# --- layout: trailer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closing",
    [
        "\n\n(CİHAN)",
        " (CİHAN)",
        "\n\nİHA",
        "\n\nDHA",
        "\n\nAA",
        "\n\n(AA)",
        "\n\nKaynak: www.acibadem.com.tr",
        "\n\nKaynak:istabip.org",
        "\n\nKaynak : Anadolu Ajansı",
        "\n\nSource: Reuters",
        "\n\nKaynak/Source: http://www.bbc.co.uk/news/x",
        "\n\nHABER MERKEZİ",
    ],
)
def test_closing_bylines_and_source_lines_are_trailer_not_body(closing: str) -> None:
    parsed = parse(f"Hazine ihalesi\n\n{LEAD}\n\n{SECOND}{closing}\n".encode("cp1254"))
    assert parsed.paragraphs == [LEAD, SECOND]
    assert parsed.debris or parsed.has_source_trailer


def test_a_source_line_inside_the_body_does_not_swallow_what_follows() -> None:
    parsed = parse(f"Hazine ihalesi\n\n{LEAD}\n\nKaynak: Hazine\n\n{SECOND}\n".encode("cp1254"))
    assert parsed.paragraphs == [LEAD, SECOND]


def test_kaynak_source_takes_its_url_and_what_follows_it_is_furniture() -> None:
    text = f"Hazine ihalesi\n\n{LEAD}\n\nKaynak/Source: https://example.com/a\n\nTüm hakları saklıdır.\n"
    parsed = parse(text.encode("utf-8"))
    assert parsed.paragraphs == [LEAD]
    assert parsed.source_url == "https://example.com/a"
    assert "Tüm hakları saklıdır." in parsed.debris


def test_no_body_is_only_for_a_file_without_prose() -> None:
    with pytest.raises(NoArticleText):
        parse(b"http://example.com/one\nhttp://example.com/two\n")
    with pytest.raises(NoArticleText):
        parse("İSTANBUL -\n\n-----------\n\n(AA)\n".encode("cp1254"))
    assert parse(b"Turkey wins the final\n").paragraphs == ["Turkey wins the final"]


# --- decoding traps -----------------------------------------------------------------------------

TURKISH = (
    "GALATASARAY’IN “KÖYÜ” MAÇI\n\n"
    "Galatasaray, dün akşam oynanan maçta rakibini 3-1 yendi. Teknik direktör, "
    "“Bu galibiyet taraftarlarımızındır” dedi. Şampiyonluk yarışı kızıştı.\n\n"
    "Maçın ardından konuşan kaptan, ÜLKÜ’NÜN desteğine teşekkür etti.\n"
)


def test_cp1254_bytes_that_look_like_utf8_pairs_are_read_as_cp1254() -> None:
    raw = TURKISH.encode("cp1254")
    assert b"\xdc\x92" in raw  # "Ü’": a valid UTF-8 pair, for a Syriac letter
    parsed = parse(raw)
    assert parsed.encoding == "cp1254"
    assert parsed.headline == "GALATASARAY’IN “KÖYÜ” MAÇI"
    assert "ÜLKÜ’NÜN" in parsed.body


def test_a_cp1254_file_that_is_entirely_valid_utf8_by_accident_is_still_cp1254() -> None:
    text = (
        'Kaptan konustu\n\nTakimin kaptani "BU ZAFER TARAFTARIMIZINDİ” dedi ve sahadan '
        'ayrildi. Tribunler "SAMPIYON ONCÜ’" diye bagirdi.\n'
    )
    raw = text.encode("cp1254")
    raw.decode("utf-8")  # the trap: strict UTF-8 accepts every byte of it
    parsed = parse(raw)
    assert parsed.encoding == "cp1254"
    assert "TARAFTARIMIZINDİ”" in parsed.body and "ONCÜ’" in parsed.body


def test_real_utf8_turkish_stays_utf8() -> None:
    parsed = parse(TURKISH.encode("utf-8"))
    assert parsed.encoding == "utf-8"
    assert "ÜLKÜ’NÜN" in parsed.body


def test_a_few_stray_bytes_in_utf8_are_repaired() -> None:
    raw = TURKISH.encode("utf-8").replace("Maçın".encode(), b"Ma\xe7\xfdn")
    parsed = parse(raw)
    assert parsed.encoding == "utf-8" and parsed.replaced_bytes == 2
    assert parsed.headline == "GALATASARAY’IN “KÖYÜ” MAÇI"


# --- repairs --------------------------------------------------------------------------------


def test_c1_controls_from_a_misdecoded_apostrophe_are_repaired() -> None:
    parsed = parse("Başlık burada\n\nTürkiye\u0092nin ekonomisi büyüdü.\n".encode())
    assert parsed.paragraphs == ["Türkiye’nin ekonomisi büyüdü."]
    assert not any("\x80" <= c <= "\x9f" for c in parsed.body)


def test_html_entities_are_repaired() -> None:
    parsed = parse(
        b"Ba&#351;l&#305;k\n\nT&uuml;rkiye &amp; AB g&ouml;r&uuml;&#351;meleri ba&#351;lad&#305;.\n"
    )
    assert parsed.headline == "Başlık"
    assert parsed.paragraphs == ["Türkiye & AB görüşmeleri başladı."]


def test_mojibake_is_repaired() -> None:
    parsed = parse(
        "TÃ¼rkiye ekonomisi\n\nÄ°stanbul'da piyasalar gÃ¼ne yÃ¼kseliÅŸle baÅŸladÄ±.\n".encode()
    )
    assert parsed.headline == "Türkiye ekonomisi"
    assert parsed.paragraphs == ["İstanbul'da piyasalar güne yükselişle başladı."]


# --- Turkish-aware text ---------------------------------------------------------------------


def test_case_folding_keeps_turkish_words_whole_and_maps_every_i_alike() -> None:
    assert words("İSTANBUL ŞİŞLİ") == ["istanbul", "şişli"]
    assert fold("İstanbul") == fold("ISTANBUL") == fold("ıstanbul") == fold("istanbul")
    assert headline_similarity("İSTANBUL'DA KAR", "İstanbul'da kar") == 1.0


def test_sentences_start_at_any_uppercase_letter_and_after_any_quote() -> None:
    paragraph = (
        "Maç bitti. İstanbul’da kutlama var. Şampiyon belli oldu. Çok sevindik! "
        "Öyle mi? Ümit var. Ğ harfiyle başlayan yok. «Bu bir deneme» dedi. "
        "Mr. Hollande said so."
    )
    assert sentences(paragraph) == [
        "Maç bitti.",
        "İstanbul’da kutlama var.",
        "Şampiyon belli oldu.",
        "Çok sevindik!",
        "Öyle mi?",
        "Ümit var.",
        "Ğ harfiyle başlayan yok.",
        "«Bu bir deneme» dedi.",
        "Mr. Hollande said so.",
    ]


def test_apostrophes_and_quotation_marks_of_every_kind_are_one_in_the_fingerprint() -> None:
    a = parse('Başlık\n\nTürkiye\'nin "büyük" günü.\n'.encode())
    b = parse("Başlık\n\nTürkiye’nin «büyük» günü.\n".encode())
    assert normalised_text(a) == normalised_text(b)
    assert fingerprint(a).content_hash == fingerprint(b).content_hash
