"""Search as you type (issue 18): a keystroke's quick answer completes the last word to its most
frequent terms; every hit still has what was typed, and the settled answer is the full query's."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from reader.content import load_library
from reader.search import SearchIndex, SearchResults
from reader.search import completion as completion_module
from reader.search.completion import TOP_TERMS
from reader.search.query import MIN_PREFIX, body_first, parse
from reader.search.scripts import words
from reader.search.stemming import DEFAULT, fold, form, prefix_form, terms
from reader.search.stored_text import decompress
from tests.conftest import write_briefing

PREFIXES = ["dr", "dro", "dron", "drone", "co", "coo", "coop", "cooper", "sa", "san", "sanc",
            "sancti", "mi", "mil", "mili", "milit", "te", "tec", "tech", "ec", "eco", "econ", "in",
            "inf", "infl", "st", "str", "stra", "strat", "re", "reg", "regi", "region"]
PHRASES = ["drone technology", "military cooperation", "economic sanctions", "western influence",
           "iran russia energy"]
# More words starting with "xy" (in no shipped briefing) than a keystroke completes to; the i-th
# is in len(XY_WORDS) - i sections (one word a section), plus one section with quokka.
XY_WORDS = ["xybalt", "xybra", "xyffee", "xygent", "xymet", "xypper", "xyral", "xytton", "xyote",
            "xyzzy", "xysmic", "xystume"][: TOP_TERMS + 3]
XY_SECTIONS = sum(len(XY_WORDS) - i for i in range(len(XY_WORDS))) + 1


def keystrokes(phrase: str) -> list[str]:
    return [phrase[:n] for n in range(2, len(phrase) + 1) if not phrase[:n].endswith(" ")]


def document_words(index: SearchIndex, key: str) -> list[str]:
    assert index._searcher is not None
    stored = index._searcher.document(key=key)
    assert stored is not None
    text = stored.get("title", "") + "\n" + (decompress(stored["text"]) if stored.get("text") else "")
    return [m.group() for m in words(text)]


def has_typed(index: SearchIndex, key: str, typed: str) -> bool:
    """True if the document has every typed word, the last one as a prefix, folded and stemmed as
    search does."""
    *whole, last = typed.split()
    if len(last) < MIN_PREFIX:  # one letter is no prefix yet (nor a word)
        whole, last = whole[:-1], whole[-1]
    doc = document_words(index, key)
    indexed = {t for w in doc for t in terms(w, (DEFAULT,))}
    if not all(form(w) is None or form(w) in indexed for w in whole):
        return False
    start, stem = fold(last), prefix_form(last)
    return (form(last) in indexed or any(fold(w).startswith(start) for w in doc)
            or any(t.startswith(stem) for t in indexed))


def full_query(index: SearchIndex, text: str, as_you_type: bool) -> tuple[int, list[str]]:
    """What Whoosh itself finds for the query, every prefix expanded in full and scored (an OR
    of all its terms, not Whoosh's default constant score): (count, keys in order)."""
    searcher = index._searcher
    assert searcher is not None

    def scored(q):
        if isinstance(q, wq.Prefix):
            return wq.Prefix(q.fieldname, q.text, boost=q.boost, constantscore=False)
        return q.apply(scored)

    query = scored(body_first(parse(searcher.schema, text, as_you_type).query))
    results = searcher.search(query, limit=20)
    return len(results), [hit["key"] for hit in results]


@pytest.fixture
def xy_index(tmp_path: Path, content_dir: Path) -> SearchIndex:
    """The shipped content plus a briefing of XY_WORDS (see there)."""
    sections = [f"## Part {i} {j}\n\nZebra notes: {word}.\n"
                for i, word in enumerate(XY_WORDS) for j in range(len(XY_WORDS) - i)]
    sections.append(f"## Rare\n\nQuokka meets a {XY_WORDS[-1]}.\n")
    write_briefing(content_dir, "xy.md", "\n".join(sections), date="2026-12-01")
    index = SearchIndex(tmp_path / "index", prebuilt=None)
    index.ensure(load_library([content_dir]))
    yield index
    index.close()


def test_every_as_you_type_hit_has_the_typed_prefix(shipped_index) -> None:
    index, _library = shipped_index
    checked = 0
    for prefix in PREFIXES:
        results = index.search(prefix, limit=20, as_you_type=True)
        for hit in results.hits:
            assert has_typed(index, hit.key, prefix), (prefix, hit.key)
            checked += 1
    assert checked > 100


def test_phrases_typed_keystroke_by_keystroke_show_only_matching_hits(shipped_index) -> None:
    index, _library = shipped_index
    for phrase in PHRASES:
        for typed in keystrokes(phrase):
            results = index.search(typed, limit=20, as_you_type=True)
            settled = index.search(typed, limit=20, as_you_type=True, settled=True)
            assert results.any_words == settled.any_words, typed
            if settled.any_words:  # e.g. "coopera": the index holds "cooper" (Porter)
                continue
            assert bool(results.hits) == bool(settled.hits), typed
            for hit in results.hits:
                assert has_typed(index, hit.key, typed), (typed, hit.key)
        assert index.search(phrase, limit=20, as_you_type=True).hits, phrase


def test_a_short_prefix_is_completed_to_its_most_frequent_terms(xy_index: SearchIndex) -> None:
    quick = xy_index.search("zebra xy", limit=50, as_you_type=True)
    settled = xy_index.search("zebra xy", limit=50, as_you_type=True, settled=True)
    assert settled.total_exact and settled.total == XY_SECTIONS - 1  # not the quokka's
    # The sections with one of the left-out (least frequent) words are not shown.
    assert not quick.total_exact
    assert quick.total == sum(len(XY_WORDS) - i for i in range(TOP_TERMS))
    assert {h.key for h in quick.hits} < {h.key for h in settled.hits}
    for hit in quick.hits:
        assert has_typed(xy_index, hit.key, "zebra xy")


def test_the_settled_answer_is_the_full_query(xy_index: SearchIndex) -> None:
    for text in ["zebra xy", "drone te", "co", "military coop", "sanc", "mi", "xy"]:
        settled = xy_index.search(text, limit=20, as_you_type=True, settled=True)
        assert (settled.total, [h.key for h in settled.hits]) == full_query(xy_index, text, True)
        assert settled.total_exact
    for text in ["zebra xybalt", "drone technology", "cooperation", '"strategic partnership"',
                 "iran OR russia", "sanctions -iran", "title:energy"]:
        results = xy_index.search(text, limit=20)
        assert (results.total, [h.key for h in results.hits]) == full_query(xy_index, text, False)


def test_a_rare_completion_is_searched_when_the_frequent_ones_find_nothing(
        xy_index: SearchIndex) -> None:
    """'quokka xy': only the least frequent xy-word is with quokka; a keystroke does not say
    'no results' (nor fall back to any word) when the full query has some."""
    results = xy_index.search("quokka xy", limit=20, as_you_type=True)
    assert [h.section for h in results.hits] == ["xy/rare"]
    assert not results.any_words


def test_the_prefix_terms_are_reused_and_renewed_after_an_update(
        xy_index: SearchIndex, content_dir: Path, monkeypatch) -> None:
    read: list[str] = []
    real = completion_module._read_prefix
    monkeypatch.setattr(completion_module, "_read_prefix",
                        lambda searcher, field, prefix: read.append(prefix) or real(searcher, field, prefix))
    xy_index.search("zebra xy", as_you_type=True)
    assert read == ["xy", "xy"]  # title and body
    xy_index.search("zebra xyb", as_you_type=True)
    xy_index.search("zebra xy", as_you_type=True)
    assert read == ["xy", "xy"]  # "xyb" filtered from the list of "xy"
    write_briefing(content_dir, "web.md", "## Webs\n\nXyweb xyweb xywebs everywhere.\n",
                   date="2026-12-02")
    assert xy_index.ensure(load_library([content_dir])).mode == "incremental"
    results = xy_index.search("xyw", as_you_type=True)
    assert read == ["xy", "xy", "xyw", "xyw"]
    assert [h.section for h in results.hits] == ["web/webs"]


def test_a_lower_bound_says_more_than(xy_index: SearchIndex) -> None:
    assert SearchResults(text="x", total=20, total_exact=False).count_text == "more than 20 results"
    assert SearchResults(text="x", total=1).count_text == "1 result"
    quick = xy_index.search("zebra xy", as_you_type=True)
    assert quick.count_text == f"more than {quick.total} results"
    settled = xy_index.search("zebra xy", as_you_type=True, settled=True)
    assert settled.count_text == f"{XY_SECTIONS - 1} results"
