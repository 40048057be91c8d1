"""Search in the region's languages (issue 17) on a real index of Persian, Russian, Ukrainian,
mixed-script and German briefings (tests/search/fixtures/languages): every spelling of a word
finds the one section holding it, first, and its snippet marks the word as written there."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.content import load_library
from reader.search import SearchIndex, SearchResults, build_full
from reader.search.build import Manifest
from reader.search.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "languages"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp("languages")
    shutil.copytree(FIXTURES, root / "content")
    index = SearchIndex(root / "index", prebuilt=None)
    index.ensure(load_library([root / "content"]))
    yield index
    index.close()


def keys(results: SearchResults) -> list[str]:
    return [h.key for h in results.hits]


def marked(results: SearchResults) -> list[str]:
    """The highlighted substrings of the first hit's snippet and title."""
    hit = results.hits[0]
    return ([hit.snippet.text[s:e] for s, e in hit.snippet.spans]
            + [hit.title[s:e] for s, e in hit.title_spans])


def assert_only_and_marked(results: SearchResults, key: str, written: str) -> None:
    assert keys(results) == [key], results.text
    assert written in marked(results), (results.text, marked(results))


PERSIAN = [  # (typed, the only section holding the word, the word as written there)
    # ZWNJ: joined, with ZWNJ, with a space, typed on an Arabic keyboard (ي)
    ("میتوانیم", "plan", "می‌توانیم"), ("می‌توانیم", "plan", "می‌توانیم"),
    ("می توانیم", "plan", "می‌توانیم"), ("مي‌توانيم", "plan", "می‌توانیم"),
    ("کامنتها", "comments", "کامنت‌ها"), ("کامنت‌ها", "comments", "کامنت‌ها"),
    ("کامنت ها", "comments", "کامنت‌ها"), ("کامنت", "comments", "کامنت‌ها"),
    ("نمیخواهند", "comments", "نمی‌خواهند"), ("نمی خواهند", "comments", "نمی‌خواهند"),
    # the text writes the affixes apart: the mark spans both words
    ("کتابها", "library", "کتاب ها"), ("کتاب‌ها", "library", "کتاب ها"),
    ("میشوند", "library", "می شوند"), ("می‌شوند", "library", "می شوند"),
    ("کشور ها", "language", "کشورها"),
    ("بزرگترین", "market", "بزرگ‌ترین"), ("بزرگ ترین", "market", "بزرگ‌ترین"),
    ("بزرگ", "market", "بزرگ‌ترین"),
    # letter forms: alef madda and hamza, Arabic yeh and kaf, ة and ۀ, hamza seats, bare hamza
    ("ارشیو", "archive", "آرشیو"), ("أرشيو", "archive", "آرشیو"), ("إعلام", "archive", "اعلام"),
    ("كتابخانه", "library", "کتابخانه"), ("ميزبان", "host", "میزبان"),
    ("المکتبه", "library", "المكتبة"), ("خانه", "autumn", "خانۀ"),
    ("پاییز", "autumn", "پائیز"), ("روسای", "autumn", "رؤسای"), ("اعضا", "autumn", "اعضاء"),
    # harakat, tatweel, Persian and Arabic-Indic digits
    ("محمد", "dates", "مُحَمَّد"), ("مذاکرات", "only-way", "مذاکـــرات"),
    ("1403", "dates", "۱۴۰۳"), ("١٤٠٣", "dates", "۱۴۰۳"), ("25", "dates", "٢٥"), ("۲۵", "dates", "٢٥"),
]


@pytest.mark.parametrize(("typed", "section", "written"), PERSIAN)
def test_every_persian_spelling_finds_the_section_and_marks_the_original(
        index: SearchIndex, typed: str, section: str, written: str) -> None:
    assert_only_and_marked(index.search(typed), f"iran-fa/{section}", written)


@pytest.mark.parametrize(("typed", "section"), [
    ("میزبان", "host"), ("زبان", "language"),  # میزبان "host" is not می + زبان "language"
    ("تنها", "only-way"), ("تن", "market"),  # تنها "only" is not تن "ton" + ها
])
def test_words_that_merely_start_with_mi_or_end_with_ha_stay_themselves(
        index: SearchIndex, typed: str, section: str) -> None:
    assert keys(index.search(typed)) == [f"iran-fa/{section}"]


RUSSIAN = [
    ("архив", "press-ru/archives", "Архив"), ("архива", "press-ru/archives", "Архив"),
    ("архивы", "press-ru/archives", "архива"), ("Архивы", "press-ru/archives", "Архивы"),
    ("архиве", "press-ru/archives", "архива"),
    ("переговорах", "press-ru/talks", "Переговоры"), ("переговоров", "press-ru/talks", "Переговоры"),
    ("еще", "press-ru/talks", "ещё"), ("ЕЩЁ", "press-ru/talks", "ещё"),
    ("составе", "press-ru/delegation", "состав"), ("состава", "press-ru/delegation", "состав"),
    # Russian quoted in an English briefing is stemmed as Russian too
    ("партнера", "voices/moscow", "партнёр"),
]


@pytest.mark.parametrize(("typed", "key", "written"), RUSSIAN)
def test_russian_forms_and_yo_meet(index: SearchIndex, typed: str, key: str, written: str) -> None:
    assert_only_and_marked(index.search(typed), key, written)


def test_ukrainian_is_folded_not_stemmed(index: SearchIndex) -> None:
    assert "press-uk/talks" in keys(index.search("переговори"))
    assert "press-uk/talks" in keys(index.search("ПЕРЕГОВОРИ"))
    # Russian stemming would make Переговори and Переговоры one word; uk: folding only
    assert keys(index.search("переговоры")) == ["press-ru/talks"]


@pytest.mark.parametrize(("typed", "script"), [
    ("ایران", "\u0600"), ("Иран", "\u0400"), ("Iran", "A")])
def test_a_query_in_one_script_does_not_match_another(index: SearchIndex, typed: str,
                                                      script: str) -> None:
    results = index.search(typed, limit=50)
    assert results.hits
    for hit in results.hits:
        assert typed in f"{hit.title} {hit.snippet.text}", hit.key
    assert {"voices/tehran", "voices/moscow"} - set(keys(results))  # never both


@pytest.mark.parametrize(("typed", "key"), [
    ("می‌توا", "iran-fa/plan"), ("میتوا", "iran-fa/plan"), ("کامنته", "iran-fa/comments"),
    ("پای", "iran-fa/autumn"), ("архи", "press-ru/archives"), ("переговора", "press-ru/talks"),
])
def test_as_you_type_prefixes(index: SearchIndex, typed: str, key: str) -> None:
    assert keys(index.search(typed, as_you_type=True))[0] == key


def test_arabic_keyboard_persian_is_a_hit_not_a_correction(index: SearchIndex) -> None:
    results = index.search("كتابخانه ملي")
    assert keys(results) == ["iran-fa/library"] and results.suggestion is None
    assert index.search("کتابخانا").suggestion == "کتابخانه"  # a real typo is still corrected


@pytest.fixture(scope="module")
def english_and_german(tmp_path_factory: pytest.TempPathFactory,
                       ) -> Iterator[tuple[SearchIndex, SearchIndex]]:
    """(the shipped briefing alone, the shipped briefing with a German one)."""
    root = tmp_path_factory.mktemp("english-german")
    shipped = Path(__file__).resolve().parents[2] / "content"
    shutil.copytree(shipped, root / "en")
    shutil.copytree(shipped, root / "en-de")
    shutil.copy(FIXTURES / "de.md", root / "en-de" / "de.md")
    indexes = []
    for name in ("en", "en-de"):
        ix = SearchIndex(root / f"index-{name}", prebuilt=None)
        ix.ensure(load_library([root / name]))
        indexes.append(ix)
    yield indexes[0], indexes[1]
    for ix in indexes:
        ix.close()


@pytest.mark.parametrize(("typed", "written"), [
    ("Haus", "Häuser"), ("Hauses", "Häuser"), ("Häusern", "Häuser"),
    ('"Häusern der Altstadt"', "Häuser"), ("Strasse", "Straße")])
def test_german_inflections_in_an_english_library(english_and_german, typed: str,
                                                  written: str) -> None:
    _, mixed = english_and_german
    results = mixed.search(typed)
    assert keys(results)[0].startswith("berlin/") and written in marked(results)


@pytest.mark.parametrize("typed", ["sanctions", "sanction", "cooperation", "drone technology",
                                   '"strategic partnership"', "milit*", "military -drone"])
def test_english_forms_still_match_beside_german(english_and_german, typed: str) -> None:
    english, mixed = english_and_german
    alone = keys(english.search(typed, limit=50))
    beside = [k for k in keys(mixed.search(typed, limit=50)) if not k.startswith("berlin/")]
    assert alone and sorted(beside) == sorted(alone)
    assert keys(mixed.search("drone technology"))[0] == "iran-russia/military-cooperation"


def test_one_box_finds_both_languages(english_and_german) -> None:
    _, mixed = english_and_german
    assert keys(mixed.search("Drohne")) == ["berlin/sanktionen"]
    found = keys(mixed.search("Haus OR drone", limit=50))
    assert "berlin/housing" in found and "iran-russia/military-cooperation" in found
    assert keys(mixed.search("Wohnungsmarkt")) == ["berlin/housing"]
    assert keys(mixed.search("Wohnungsmarkt -Haus")) == []  # every form of Haus is excluded


def test_the_manifest_records_the_languages_indexed(index: SearchIndex,
                                                    english_and_german) -> None:
    english, mixed = english_and_german
    assert english.extra_fingerprints("note") == {}
    for ix, languages in ((index, ["de", "en", "fa", "ru", "uk"]), (english, ["en"]),
                          (mixed, ["de", "en"])):
        assert ix.location is not None
        manifest = Manifest.load(ix.location)
        assert manifest is not None and manifest.languages == languages


def test_an_index_of_an_older_schema_is_rebuilt(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "content")
    folder = tmp_path / "index"
    first = SearchIndex(folder)
    first.ensure(load_library([tmp_path / "content"]))
    first.close()
    manifest = Manifest.load(folder)
    assert manifest is not None and SCHEMA_VERSION >= 6  # 6: words by script and language
    manifest.schema = SCHEMA_VERSION - 1
    manifest.save(folder)
    again = SearchIndex(folder)
    assert again.ensure(load_library([tmp_path / "content"])).mode == "full"
    assert keys(again.search("کامنتها")) == ["iran-fa/comments"]
    again.close()


def test_changing_a_briefings_language_reindexes_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    path = content / "de.md"
    path.write_text((FIXTURES / "de.md").read_text(encoding="utf-8").replace(
        "language: de", "language: en"), encoding="utf-8")
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([content]))
    assert index.search("Hauses").hits == []  # Porter does not know German plurals
    path.write_text((FIXTURES / "de.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = index.ensure(load_library([content]))
    assert report.mode == "incremental" and "berlin/housing" in report.changed
    assert keys(index.search("Hauses")) == ["berlin/housing"]
    index.close()


def test_parallel_build_stems_each_briefing_in_its_language(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "content")
    library = load_library([tmp_path / "content"])
    build_full(library, tmp_path / "index", procs=2)
    index = SearchIndex(tmp_path / "index")
    index.ensure(library)
    [hit] = index.search("Hauses").hits
    assert hit.key == "berlin/housing" and type(hit.title) is str  # stored as plain text
    assert keys(index.search("архивы")) == ["press-ru/archives"]
    assert keys(index.search("کامنت ها")) == ["iran-fa/comments"]
    index.close()
