"""A search within one briefing or one subtree: its count and its best hits are the scope's own
(ranked among themselves, not the library's best hits filtered), on the fast path and Whoosh's."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import Library, load_library
from reader.search import SearchIndex
from reader.search.scope import Scope
from tests.conftest import write_briefing

# Both briefings speak of pipelines; "beta" far more, so the library's best hits are all beta's
# and a filter of them would find none of alpha's.
ALPHA = """# Alpha

## Energy

A pipeline crosses the border.

### Gas

The gas pipeline is old.

### Oil

An oil pipeline, and tankers.

## Farming

Irrigation by pipeline and canal.
"""
BETA = "# Beta\n\n" + "".join(
    f"## Part {n}\n\nPipeline pipeline pipeline: pipelines everywhere, pipeline {n}.\n\n"
    for n in range(1, 7))


@pytest.fixture
def two_briefings(tmp_path: Path) -> tuple[SearchIndex, Library]:
    folder = tmp_path / "content"
    write_briefing(folder, "alpha.md", ALPHA, id="alpha", title="Alpha")
    write_briefing(folder, "beta.md", BETA, id="beta", title="Beta")
    library = load_library([folder])
    index = SearchIndex(tmp_path / "index", prebuilt=None)
    index.ensure(library)
    yield index, library
    index.close()


def energy(library: Library):
    return next(s for s in library.sections() if s.title == "Energy")


def alpha_keys(library: Library) -> set[str]:
    return {s.key for s in library.sections() if s.key.startswith("alpha/")}


@pytest.mark.parametrize("text", [
    "pipeline",  # the fast path
    "pipelin*",  # a prefix in full: Whoosh's own search
    "pipeline -zebra",  # NOT: Whoosh's too
])
def test_a_briefing_scope_counts_and_ranks_its_own_sections(two_briefings, text: str) -> None:
    index, library = two_briefings
    whole = index.search(text, limit=2)
    assert whole.total == 10 and {h.section.split("/")[0] for h in whole.hits} == {"beta"}
    scoped = index.search(text, limit=2, within=Scope.of_briefing("alpha"))
    assert scoped.total == 4 and scoped.total_exact
    assert len(scoped.hits) == 2 and all(h.section in alpha_keys(library) for h in scoped.hits)
    everything = index.search(text, limit=50, within=Scope.of_briefing("alpha"))
    assert {h.section for h in everything.hits} == {
        s.key for s in library.sections() if s.key.startswith("alpha/") and s.title != "Alpha"}


def test_a_subtree_scope_holds_the_section_and_those_below_it(two_briefings) -> None:
    index, library = two_briefings
    scope = Scope.of_subtree(energy(library))
    for text, settled in (("pipeline", False), ("pipel", False), ("pipel", True)):
        found = index.search(text, limit=10, as_you_type=True, settled=settled, within=scope)
        titles = sorted(h.title for h in found.hits)
        assert titles == ["Energy", "Gas", "Oil"] and found.total == 3, text


def test_a_scope_with_no_match_falls_back_to_any_word_within_it(two_briefings) -> None:
    index, library = two_briefings
    found = index.search("tankers canal", limit=10, within=Scope.of_subtree(energy(library)))
    assert found.any_words and [h.title for h in found.hits] == ["Oil"] and found.total == 1


def test_a_scope_of_a_briefing_not_in_the_index_finds_nothing(two_briefings) -> None:
    index, _library = two_briefings
    for text in ("pipeline", "pipeline OR canal"):
        found = index.search(text, within=Scope("gamma"))
        assert found.total == 0 and found.hits == []
    assert index.search("pipeline", within=Scope("alpha", frozenset())).total == 0


def test_no_scope_searches_the_whole_library(two_briefings) -> None:
    index, _library = two_briefings
    assert index.search("pipeline", limit=50).total == 10
    assert index.search("pipeline", limit=50, within=None).total == 10


def test_a_scope_spans_segments_and_skips_deleted_documents(two_briefings, tmp_path: Path) -> None:
    index, _library = two_briefings
    folder = tmp_path / "content"
    changed = ALPHA.replace("Irrigation by pipeline and canal.", "Irrigation by canal.")
    write_briefing(folder, "alpha.md", changed + "\n## Water\n\nA water pipeline.\n",
                   id="alpha", title="Alpha")
    # Changed sections of both briefings in a new segment, where numbers start again at 0.
    write_briefing(folder, "beta.md", BETA.replace("pipeline 1.", "pipeline one.")
                   .replace("pipeline 2.", "pipeline two."), id="beta", title="Beta")
    index.ensure(load_library([folder]))
    assert len(list(index._searcher.leaf_searchers())) > 1
    for text in ("pipeline", "pipelin*"):
        found = index.search(text, limit=50, within=Scope.of_briefing("alpha"))
        assert sorted(h.title for h in found.hits) == ["Energy", "Gas", "Oil", "Water"], text
        assert found.total == 4


def test_the_subtree_of_a_briefing_root_is_the_briefing(two_briefings) -> None:
    index, library = two_briefings
    root = library.briefings[0].root
    assert Scope.of_subtree(root) == Scope("alpha")
    assert Scope.of_subtree(energy(library)).sections == {
        "alpha/energy", "alpha/gas", "alpha/oil"}
