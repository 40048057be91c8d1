"""Whatever is typed or pasted into search — arbitrary text, query-syntax soup, half-typed
queries — comes back as a result list (possibly empty), never an exception. Time per query is
recorded by bench/reliability_bench.py, not asserted here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.content import load_library
from reader.search import SearchIndex, SearchResults
from tests.reliability.helpers import RELIABLE

SYNTAX = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "'", "*", "?", "-", "+",
          ":", "title:", "body:", "kind:", "nosuchfield:", "[", "]", "{", "}", "^2", "~", "~2",
          "\\", "/", "<", ">", "=", "&", "|", "!", "drone", "sanctions", "russia", "iran", "a*",
          "*a", "ru*", "[a TO z]", "{x TO}", "''", '""', "'''", "((", "))", " ", "\t", "\n",
          "é", "日本", "\u0301", "\x00", "\ufeff", "🙂", "9" * 30, "x" * 200]
SOUP = st.lists(st.sampled_from(SYNTAX), max_size=30).map(" ".join) | st.lists(
    st.sampled_from(SYNTAX), max_size=30).map("".join)
TEXT = st.text(max_size=300)
TYPED = st.one_of(TEXT, SOUP)


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    from tests.conftest import SEED

    ix = SearchIndex(tmp_path_factory.mktemp("ix") / "index", prebuilt=None)
    ix.ensure(load_library([SEED]))
    yield ix
    ix.close()


def assert_answer(results: SearchResults) -> None:
    assert isinstance(results, SearchResults)
    assert isinstance(results.hits, list)
    for hit in results.hits:
        assert hit.key and hit.section
        assert all(0 <= a <= b <= len(hit.snippet.text) for a, b in hit.snippet.spans)


@settings(RELIABLE, max_examples=300)
@given(TYPED)
def test_arbitrary_queries_always_answer(index: SearchIndex, text: str) -> None:
    assert_answer(index.search(text))


@settings(RELIABLE, max_examples=150)
@given(TYPED)
def test_as_you_type_every_prefix_answers(index: SearchIndex, text: str) -> None:
    for end in range(0, len(text) + 1, max(1, len(text) // 8)):  # a few keystrokes of it
        assert_answer(index.search(text[:end], limit=8, as_you_type=True))


@pytest.mark.parametrize("text", [
    "", " ", "*", "?", "-", "NOT", "OR OR OR", "(((", ")))", '"', '"unclosed phrase',
    "title:", ":", "title:(", "a* b* c* d* e* f*", "[a TO", "{ TO }", "\\", "~~~", "^^^",
    "-drone -russia -iran", "NOT drone", "*" * 1000, "a" * 10_000, "drone " * 5000,
    "\x00\x01\x02", "\ud800", "日本語 の 検索", "title:drone OR body:(sanctions AND NOT iran)",
])
def test_known_nasty_queries(index: SearchIndex, text: str) -> None:
    assert_answer(index.search(text))
    assert_answer(index.search(text, as_you_type=True))


def test_results_still_right_after_the_storm(index: SearchIndex) -> None:
    # the shared searcher is not left in a bad state by any of the above
    assert index.search("drone technology").hits[0].key == "iran-russia/military-cooperation"
