"""A large library is kept out of the cyclic garbage collector's passes (gc.freeze: its full
passes over 100,000 sections froze the window for 250-560 ms while typing), and a library the
window gives up is still freed (sections refer to each other: only a pass frees them)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from bench.synthetic import write_library
from reader.content import load_library, long_lived
from reader.search import build as build_module


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(long_lived, "FREEZE_MIN_SECTIONS", 150)
    yield
    gc.unfreeze()  # what the test froze goes back to the collector


def test_a_large_library_is_frozen_and_a_small_one_is_not(tmp_path: Path, small_threshold):
    gc.unfreeze()
    small = load_library([write_library(tmp_path / "small", sections=100, words=10)])
    assert not long_lived.keep_out_of_collections(small) and gc.get_freeze_count() == 0
    large = load_library([write_library(tmp_path / "large", sections=200, words=10)])
    assert long_lived.keep_out_of_collections(large)
    assert gc.get_freeze_count() > 0


def test_a_replaced_library_is_freed(tmp_path: Path, small_threshold):
    old = load_library([write_library(tmp_path / "old", sections=200, words=10)])
    long_lived.keep_out_of_collections(old)
    gone = weakref.ref(old.briefings[0].root)
    del old
    assert gone() is not None  # frozen, and held by its own children: refcounts do not free it
    new = load_library([write_library(tmp_path / "new", sections=200, words=10)])
    assert long_lived.library_replaced(new)
    assert gone() is None
    assert gc.get_freeze_count() > 0  # the new one is kept out of passes


def test_the_window_frees_its_old_library_after_a_switch(open_window, tmp_path: Path,
                                                         small_threshold):
    content = write_library(tmp_path / "content", sections=200, words=10)
    window = open_window(content)
    assert gc.get_freeze_count() > 0  # the session froze the large library it loaded
    gone = weakref.ref(window.library.briefings[0].root)
    window.set_library(load_library([write_library(tmp_path / "other", sections=200, words=10)]))
    for _ in range(5):
        QApplication.processEvents()
    assert gone() is None
    assert gc.get_freeze_count() > 0


def test_a_small_library_given_up_is_freed_too(open_window, tmp_path: Path) -> None:
    """Not frozen, but cached renderings keyed by its sections held the whole old library
    (parent links) until 4,096 other sections had been rendered."""
    window = open_window(write_library(tmp_path / "content", sections=200, words=10))
    section = window.library.briefings[0].root.children[3]
    window.show_section(section)  # rendered: in the render caches
    gone = weakref.ref(section)
    del section
    window.set_library(load_library([write_library(tmp_path / "other", sections=200, words=10)]))
    for _ in range(5):
        QApplication.processEvents()
    gc.collect()
    assert gone() is None


def test_no_collector_pass_while_the_build_makes_a_large_librarys_records(
        tmp_path: Path, small_threshold) -> None:
    """Each full pass walked every record made so far (50-180 ms at 100,000 sections, the GIL
    held from the window): none while they are made, and once made they are frozen."""
    from reader.search.build import build_full

    gc.unfreeze()
    library = load_library([write_library(tmp_path / "lib", sections=200, words=10)])
    seen: list[bool] = []
    real = build_module.library_records
    build_module.library_records = lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k)
    try:
        build_full(library, tmp_path / "index", procs=1)
    finally:
        build_module.library_records = real
    assert seen == [False]  # collector off while the records were made
    assert gc.isenabled() and gc.get_freeze_count() > 0  # on again; what was made kept out
    gc.unfreeze()
    small = load_library([write_library(tmp_path / "small", sections=100, words=10)])
    build_module.library_records = lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k)
    try:
        build_full(small, tmp_path / "index-small", procs=1)
    finally:
        build_module.library_records = real
    assert seen == [False, True] and gc.get_freeze_count() == 0  # a small one: left alone
