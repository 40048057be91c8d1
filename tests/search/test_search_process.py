"""Searches answered in a process of their own (reader/search/search_process.py): the same
answers as the index in this process, caught up after updates, notes and rebuilds, and a dead or
missing child reported, not hung on. Real indexes, real child processes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bench.synthetic import write_library
from reader.content import load_library
from reader.search import (
    ExtraDocument,
    IndexUnavailable,
    SearchIndex,
    SearchProcess,
    SearchProcessGone,
)
from reader.search.scope import Scope


def _edit(path: Path, words: str) -> None:
    """Add `words` to the body of the file's first section."""
    text = path.read_text(encoding="utf-8")
    at = text.index("}", text.index("{#")) + 1
    path.write_text(f"{text[:at]}\n\n{words}{text[at:]}", encoding="utf-8")


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return write_library(tmp_path / "content", sections=300, words=30)  # 3 briefings of 100


@pytest.fixture
def index(tmp_path: Path, library_dir: Path):
    index = SearchIndex(tmp_path / "cache" / "index")
    index.ensure(load_library([library_dir]))
    yield index
    index.close()


@pytest.fixture
def process():
    process = SearchProcess()
    yield process
    process.close()


def _ask(process: SearchProcess, index: SearchIndex, text: str, **kwargs):
    assert index.location is not None
    return process.search(index.location, index.generation, text, **kwargs)


def _same(a, b) -> None:
    assert [(h.key, h.title, h.snippet.text) for h in a.hits] == \
        [(h.key, h.title, h.snippet.text) for h in b.hits]
    assert (a.total, a.total_exact, a.suggestion, a.plain) == \
        (b.total, b.total_exact, b.suggestion, b.plain)


@pytest.mark.parametrize("text, kwargs", [
    ("synthetic", {}),
    ("pomuta fo", {"as_you_type": True}),
    ("pomuta fo", {"as_you_type": True, "settled": True}),
    ('"synthetic briefing"', {}),
    ("po* -pomuta", {"limit": 5}),
    ("title:synthetic OR nowordlikethis", {}),
    ("pomtua", {}),  # a typo: "Did you mean"
    ('((( "unclosed', {}),  # a malformed query is searched as plain words
])
def test_the_process_answers_as_the_index_in_this_process(index, process, text, kwargs):
    here = index.search(text, **kwargs)
    there = _ask(process, index, text, **kwargs)
    _same(there, here)
    assert process.answers == 1 and process.pid != os.getpid()


def test_a_scoped_search_is_answered_in_the_scope(index, process, library_dir):
    library = load_library([library_dir])
    briefing = library.briefings[1]
    scope = Scope.of_subtree(briefing.root.children[0])
    there = _ask(process, index, "fogenozo", within=scope)
    assert there.hits and all(h.section in scope.sections for h in there.hits)
    _same(there, index.search("fogenozo", within=scope))


def test_the_process_catches_up_with_an_update_notes_and_a_rebuild(index, process, library_dir):
    assert _ask(process, index, "zorblatt").total == 0  # the child has the index open now
    _edit(sorted(library_dir.glob("*.md"))[0], "zorblatt quintessence")
    before = index.generation
    index.ensure(load_library([library_dir]))
    assert index.generation != before
    found = _ask(process, index, "zorblatt")
    assert found.total == 1 and "zorblatt" in found.hits[0].snippet.text.lower()

    index.update_extra_documents("note", [ExtraDocument(
        key="note:1", kind="note", section=found.hits[0].section, title="A note",
        body="frobnicated widgets")])
    assert [h.key for h in _ask(process, index, "frobnicated").hits] == ["note:1"]

    index.before_swap = process.release  # as the window's indexer sets it
    index.ensure(load_library([library_dir]), rebuild=True)  # a new folder swapped in
    assert _ask(process, index, "zorblatt").total == 1
    assert _ask(process, index, "frobnicated").total == 0  # a rebuilt index starts without notes


def test_no_index_is_reported_as_unavailable(tmp_path: Path, process):
    with pytest.raises(IndexUnavailable):
        process.search(tmp_path / "nothing-here", 1, "synthetic")
    assert process.alive  # and it goes on answering


def test_a_dead_process_is_reported_at_once_not_waited_for(index, process):
    _ask(process, index, "synthetic")
    pid = process.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    start = time.monotonic()
    with pytest.raises(SearchProcessGone):
        _ask(process, index, "synthetic")
    assert time.monotonic() - start < 5
    process.close()  # closing a dead one is fine


def test_closing_ends_the_process(index):
    process = SearchProcess()
    _ask(process, index, "synthetic")
    start = time.monotonic()
    process.close()
    assert not process.alive
    assert time.monotonic() - start < 1.5
