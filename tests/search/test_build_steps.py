"""A full build reports (0, total) before each preparation step it takes in the calling process,
so that the window can take them in pauses of the reader's typing (issue 18: together they held
the GIL for 95-190 ms of stalls typed just as a build started, at 100,000 sections)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthetic import write_library
from reader.content import load_library
from reader.search import SearchIndex, build_full
from reader.search.stored_text import FILE as DICTIONARY_FILE


def test_a_full_build_reports_each_preparation_step_before_taking_it(tmp_path: Path) -> None:
    library = load_library([write_library(tmp_path / "content", sections=300, words=30)])
    folder = tmp_path / "ix"
    at_zero: list[list[str] | None] = []  # the folder's files at each (0, total)
    counts: list[int] = []

    def progress(done: int, total: int) -> None:
        assert total == len(library)
        counts.append(done)
        if done == 0:
            at_zero.append(sorted(p.name for p in folder.iterdir()) if folder.exists() else None)

    report = build_full(library, folder, progress, procs=2)
    assert report.total == 300
    assert at_zero[0] is None  # before the folder and the index are made
    assert at_zero[1] is not None and DICTIONARY_FILE not in at_zero[1]  # index made, no dictionary
    assert at_zero[2] is not None and DICTIONARY_FILE in at_zero[2]  # then before listing files
    assert len(at_zero) >= 5  # ... and before the first submits, which start the workers
    assert counts[-1] == 300


def test_a_full_build_reports_its_closing_steps_before_taking_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(total, total) before the commit and the manifest's saving (build_full), and before the
    new index is swapped in and opened (SearchIndex): the window waits there while the reader
    types, as those held the GIL for 63-97 ms at the end of a 100,000-section build."""
    library = load_library([write_library(tmp_path / "content", sections=300, words=30)])
    index = SearchIndex(tmp_path / "ix", prebuilt=tmp_path / "none")
    at_total: list[tuple[bool, bool]] = []  # (the index folder swapped in, opened) at each

    def progress(done: int, total: int) -> None:
        if done == total:
            at_total.append((index.folder.exists(), index.ready))

    monkeypatch.setattr("reader.search.index.build_full",  # two workers, as at scale
                        lambda lib, folder, prog: build_full(lib, folder, prog, procs=2))
    report = index.ensure(library, progress=progress)
    assert report.mode == "full" and index.ready
    assert (False, False) in at_total  # before the commit, the manifest and the swap
    assert at_total[-1] == (True, False)  # the last: swapped in, not opened yet
    index.close()


def test_opening_an_existing_index_is_a_step_reported_before_it_is_taken(tmp_path: Path) -> None:
    """A returning reader's start: no build, but opening the index (0.25 s at 100,000 sections,
    on the build's thread of the window's process) waits for a pause in typing too."""
    library = load_library([write_library(tmp_path / "content", sections=300, words=30)])
    SearchIndex(tmp_path / "ix", prebuilt=tmp_path / "none").ensure(library)
    again = SearchIndex(tmp_path / "ix", prebuilt=tmp_path / "none")
    at_zero: list[bool] = []  # opened yet, at each (0, total)

    def progress(done: int, total: int) -> None:
        if done == 0:
            at_zero.append(again.ready)

    assert again.ensure(library, progress=progress).mode == "none"
    assert at_zero and at_zero[0] is False and again.ready
    again.close()
