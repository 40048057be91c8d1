"""Words of any script without an index (issue 17): the tokenizer, folding and stemming by script
and language, `FastPositions` against Whoosh's own format, hit matching on plain strings, and the
find-in-page helper `match_spans`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.formats import Positions

from reader.search.query import parse
from reader.search.schema import FastPositions, FoldingStemAnalyzer, StemmedText, make_schema
from reader.search.scripts import fold_for_matching, match_spans, strip_suffixes, words
from reader.search.snippets import HitMatcher, matcher_for
from reader.search.stemming import (
    DEFAULT,
    Stemming,
    form,
    stemming_for,
    stemmings_for,
    word_forms,
)

BEFORE_ISSUE_17 = re.compile(r"\w+(?:\.?\w+)*")  # the tokenizer English was indexed with


@given(st.text(alphabet="ab Z9_.-'\n", max_size=60))
def test_ascii_text_is_cut_into_the_same_words_as_before(text: str) -> None:
    assert [m.span() for m in words(text)] == [m.span() for m in BEFORE_ISSUE_17.finditer(text)]


@given(st.text(alphabet="aé Ü.’—«»жЁ9\n", max_size=60))
def test_latin_and_cyrillic_text_is_cut_as_before(text: str) -> None:
    assert [m.span() for m in words(text)] == [m.span() for m in BEFORE_ISSUE_17.finditer(text)]


def test_persian_words_keep_zwnj_harakat_and_detached_affixes() -> None:
    text = "کامنت ها را می توانیم ببینیم، کامنت‌ها و مُحَمَّد.\nمی\nشوند"
    assert [m.group() for m in words(text)] == [
        "کامنت ها", "را", "می توانیم", "ببینیم", "کامنت‌ها", "و", "مُحَمَّد", "می\nشوند"]
    assert [m.group() for m in words("کامنت\n\nها")] == ["کامنت", "ها"]  # a new paragraph


@pytest.mark.parametrize(("word", "stem"), [
    ("کامنتها", "کامنت"), ("کتاب‌های", "کتاب"), ("بزرگ‌ترین", "بزرگ"), ("بزرگترینها", "بزرگ"),
    ("انتخابات", "انتخاب"), ("تنها", "تنها"), ("دفتر", "دفتر"), ("آنها", "آنها"), ("میزبان", "میزبان"),
])
def test_persian_suffixes_leave_at_least_three_letters(word: str, stem: str) -> None:
    assert strip_suffixes(word.replace("\u200c", "")) == stem


@pytest.mark.parametrize("forms", [
    ["архив", "архива", "архивы", "архивом", "Архиве"], ["состав", "состава", "составе"],
    ["взрыв", "взрыва"], ["слава", "славы", "слав"], ["переговоры", "переговорах", "Переговоров"],
    ["ещё", "еще", "ЕЩЁ"]])
def test_russian_paradigms_meet(forms: list[str]) -> None:
    assert len({form(w) for w in forms}) == 1, {w: form(w) for w in forms}


def test_stemming_follows_the_briefing_language() -> None:
    assert stemming_for("de-DE") == stemming_for("German") == stemming_for("de") == Stemming("de")
    assert stemming_for("uk") == stemming_for("Ukrainian") == Stemming("en", cyrillic=False)
    assert stemming_for("ru") == stemming_for("fa") == stemming_for("xx") == stemming_for("") == DEFAULT
    assert stemmings_for(("uk", "de", "en")) == (DEFAULT, Stemming("de"), Stemming("en", False))
    assert form("Häuser", stemming_for("de")) == form("Hauses", stemming_for("de")) == "haus"
    assert form("переговори", stemming_for("uk")) == "переговори"
    assert word_forms("Häuser", stemmings_for(("en", "de"))) == ("hauser", "haus")
    assert word_forms("the", stemmings_for(("en", "de"))) == ()  # English stop words for all Latin


TEXTS = [
    "The U.S. and Iran's 3.5 drones, e.g. sanctions — sanctions again.",
    "Économie: l’énergie et les sanctions.",
    "Архив министерства открыли; копии из архива, ещё и ещё.",
    "کامنت ها و کامنت‌ها را می توانیم ببینیم؛ بزرگ‌ترین کتابهای مُحَمَّد ۱۴۰۳.",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("language", ["en", "de", "uk"])
def test_fast_positions_give_whooshs_postings(text: str, language: str) -> None:
    analyzer = FoldingStemAnalyzer()
    value = text if language == "en" else StemmedText(text, stemming_for(language))
    expected = list(Positions().word_values(value, analyzer, mode="index"))
    assert list(FastPositions().word_values(value, analyzer, mode="index")) == expected


def test_a_persian_word_with_a_suffix_is_indexed_whole_too() -> None:
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in FoldingStemAnalyzer()(
        "کامنت ها خوب", positions=True, chars=True, mode="index")]
    assert tokens == [("کامنت", 0, 0, 8), ("کامنتها", 0, 0, 8), ("خوب", 1, 9, 12)]
    queried = [t.text for t in FoldingStemAnalyzer()("کامنت ها خوب", mode="query")]
    assert queried == ["کامنت", "خوب"]


PAGE = ("کاربران کامنت‌ها را می‌خوانند؛ کامنت ها و کامنتها و كامنت‌هاي دیگر. "
        "Архив открыли, копии из архива. Die Straße.")


@pytest.mark.parametrize(("typed", "languages", "marked"), [
    ("کامنتها", (), ["کامنت‌ها", "کامنت ها", "کامنتها", "كامنت‌هاي"]),
    ("کامنت", (), ["کامنت‌ها", "کامنت ها", "کامنتها", "كامنت‌هاي"]),
    ("архивы", (), ["Архив", "архива"]),
    ("strasse", ("en", "de"), ["Straße"]),
])
def test_hit_matcher_marks_the_words_as_written(typed: str, languages: tuple[str, ...],
                                               marked: list[str]) -> None:
    stemmings = stemmings_for(languages)
    matcher = matcher_for(parse(make_schema(), typed, stemmings=stemmings).query, stemmings)
    assert [PAGE[s:e] for s, e in matcher.spans(PAGE)] == marked


def test_hit_matcher_finds_a_russian_word_with_a_stress_mark() -> None:
    text = "Дорога́ в архи́в закрыта."
    matcher = HitMatcher(frozenset({form("архив") or ""}))
    assert [text[s:e] for s, e in matcher.spans(text)] == ["архи́в"]


@pytest.mark.parametrize(("text", "needle", "found"), [
    ("Drone and DRONE", "drone", ["Drone", "DRONE"]),
    ("La politique Économique", "economique", ["Économique"]),
    ("Die Straße", "STRASSE", ["Straße"]),
    ("Делегации ещё не договорились", "ЕЩЕ", ["ещё"]),
    ("کامنت‌ها، کامنت ها و کامنتها", "کامنتها", ["کامنت‌ها", "کامنت ها", "کامنتها"]),
    ("کامنت‌ها، کامنت ها و کامنتها", "کامنت ها", ["کامنت‌ها", "کامنت ها", "کامنتها"]),
    ("ما می‌توانیم", "مي توانيم", ["می‌توانیم"]),
    ("اسناد در آرشیو", "ارشیو", ["آرشیو"]),
    ("مُحَمَّد ظریف", "محمد", ["مُحَمَّد"]),
    ("مذاکـــرات", "مذاکرات", ["مذاکـــرات"]),
    ("سال ۱۴۰۳ و ١٤٠٣", "1403", ["۱۴۰۳", "١٤٠٣"]),
    ("خانۀ فرهنگ", "خانه", ["خانۀ"]),
    ("اعضاء شورا", "اعضا", ["اعضاء"]),
    ("كتاب", "کتاب", ["كتاب"]),
    ("Иран, Iran, ایران", "иран", ["Иран"]),
    ("Iran", "", []),
])
def test_match_spans_folds_like_search_and_points_into_the_original(
        text: str, needle: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in match_spans(text, needle)] == found


def test_fold_for_matching_keeps_offsets_only_when_needed() -> None:
    assert fold_for_matching("Plain ASCII") == ("plain ascii", None)
    assert fold_for_matching("Économie ёж") == ("economie еж", None)
    folded = fold_for_matching("Straße می‌توانیم")
    assert folded.text == "strasse میتوانیم"
    assert folded.span(0, 7) == (0, 6)  # "ss" is the one ß
    assert folded.span(8, 16) == (7, 16)  # the ZWNJ lies inside
