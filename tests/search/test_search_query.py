"""Queries on a real index of the shipped briefing: ranking, syntax, fallbacks, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import load_library
from reader.search import SearchIndex
from tests.conftest import write_briefing


def keys(results) -> list[str]:
    return [h.key.split("/")[1] for h in results.hits]


def test_drone_technology_ranks_military_cooperation_first(shipped_index):
    index, _ = shipped_index
    assert keys(index.search("drone technology"))[0] == "military-cooperation"


def test_exact_phrase_finds_deepening_ties(shipped_index):
    index, _ = shipped_index
    results = index.search('"strategic partnership"')
    assert "deepening-ties" in keys(results)
    # A phrase is stricter than its words: every phrase hit is also an all-words hit.
    assert set(keys(results)) <= set(keys(index.search("strategic partnership", limit=50)))


def test_typo_suggests_correction_from_vocabulary(shipped_index):
    index, _ = shipped_index
    results = index.search("sanctons")
    assert results.hits == []
    assert results.suggestion == "sanctions"


def test_all_words_required_then_any_word_fallback(shipped_index):
    index, _ = shipped_index
    both = index.search("drone sanctions")
    # only Military Cooperation mentions both words; every other section has just one of them
    assert not both.any_words and keys(both) == ["military-cooperation"]
    none_has_all = index.search("drone zzqxv")
    assert none_has_all.any_words and none_has_all.hits
    assert "any of them" in none_has_all.notice


def test_exclusion_and_or_and_title_field(shipped_index):
    index, _ = shipped_index
    with_drone = set(keys(index.search("military", limit=50)))
    without = set(keys(index.search("military -drone", limit=50)))
    assert "military-cooperation" in with_drone and "military-cooperation" not in without
    assert without == set(keys(index.search("military NOT drone", limit=50)))
    either = set(keys(index.search("drone OR wrap", limit=50)))
    assert {"military-cooperation", "wrap-up"} <= either
    assert keys(index.search("title:wrap")) == ["wrap-up"]


def test_prefix_and_as_you_type(shipped_index):
    index, _ = shipped_index
    assert "military-cooperation" in keys(index.search("dron*"))
    assert index.search("dron").hits == []  # not a word of the text ...
    assert "military-cooperation" in keys(index.search("dron", as_you_type=True))  # ... but a prefix


def test_stemming_matches_other_forms(shipped_index):
    index, _ = shipped_index
    assert set(keys(index.search("sanction", limit=50))) == set(keys(index.search("sanctions",
                                                                                  limit=50)))


@pytest.mark.parametrize("query", ['"', "(", "AND", "title:", "*", "?", "a*", "NOT", "-", "OR drone (",
                                   '"strategic partnership', "x" * 10_000,
                                   "drone " * 2000, "[a TO", "drone^", "))((", ":::", "\x00"])
def test_malformed_queries_never_raise(shipped_index, query):
    index, _ = shipped_index
    results = index.search(query)
    assert isinstance(results.hits, list)
    assert results.total >= len(results.hits)


def test_long_paste_is_searched_as_its_first_words(shipped_index):
    index, _ = shipped_index
    text = Path(__file__).resolve().parents[2].joinpath("content", "iran-russia.md").read_text()
    results = index.search(text[:10_000])
    assert results.shortened and results.hits


def test_accents_are_folded(tmp_path: Path):
    folder = tmp_path / "content"
    write_briefing(folder, "eco.md", "# Éco\n\n## Économie\n\nLa politique économique du café.\n")
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([folder]))
    assert keys(index.search("economique")) == ["economie"]
    assert keys(index.search("CAFÉ")) == ["economie"]
    hit = index.search("cafe").hits[0]
    start, end = hit.snippet.spans[0]
    assert hit.snippet.text[start:end] == "café"
    index.close()


def test_snippets_mark_every_hit_word(shipped_index):
    index, _ = shipped_index
    for hit in index.search("sanctions cooperation", limit=5).hits:
        marked = [hit.snippet.text[s:e].lower() for s, e in hit.snippet.spans]
        assert marked, hit.key
        assert all(m.startswith(("sanction", "cooperat")) for m in marked), marked
