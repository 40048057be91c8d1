"""Quitting while the first index of a large library is being built: the build is cancelled at
its next progress report (its worker processes ended, its temporary folder removed), so closing
does not wait for it; the next start builds the index. How long closing takes is measured by
bench/quit_bench.py, not asserted here."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import write_library
from reader.content.library import load_library
from reader.paths import AppPaths
from reader.search import SearchIndex
from tests.ui.window_child import run_child


def test_closing_mid_build_cancels_it_and_the_next_start_rebuilds(tmp_path: Path, data_dir: Path) -> None:
    library_dir = write_library(tmp_path / "library", sections=3000, words=300)
    done = run_child("quit_while_indexing", data_dir, str(library_dir), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok"
    assert "children 0" in lines  # no worker process outlived the window
    log = (data_dir / "logs" / "briefing-reader.log").read_text(encoding="utf-8")
    assert "search index build cancelled" in log
    cache = AppPaths.create(data_dir).cache
    assert not [p.name for p in cache.iterdir() if ".new-" in p.name]  # no half-built folder left
    assert not (cache / "index").exists()  # nothing half-written where the index goes

    index = SearchIndex.for_paths(AppPaths.create(data_dir), prebuilt=tmp_path / "none")
    library = load_library([library_dir])
    report = index.ensure(library)
    assert report.mode == "full" and report.total == 3000
    title = library.briefings[0].root.title
    word = max(title.split(), key=len).strip(".,:;!?'\"")
    assert index.search(word, limit=5).hits  # the rebuilt index answers


def test_the_index_starts_once_and_a_build_queued_behind_a_cancelled_one_never_starts(
        open_window, monkeypatch, qtbot) -> None:
    from tests.ui.features_of import search_indexer_of

    window = open_window()
    indexer = search_indexer_of(window)
    qtbot.waitUntil(lambda: indexer.ready and not indexer.indexing, timeout=60_000)  # the first
    started: list[bool] = []
    indexer.started.connect(lambda: started.append(True))
    indexer.start_after_paint()  # the timer, or a caller, again: not a second build
    assert started == [] and not indexer.start_timer.isActive()

    builds: list[bool] = []

    def ensure(_library, _rebuild, progress):  # noqa: ANN001, ANN202 - blocks until cancelled
        builds.append(True)
        indexer._cancel.wait(30)
        progress(0, 1)  # the cancel lands at the next report
        raise AssertionError("not cancelled")

    monkeypatch.setattr(indexer.index, "ensure", ensure)
    indexer.start_indexing()
    indexer.indexing = False  # as if it had finished: the next one queues behind it
    indexer.start_indexing()
    assert len(started) == 2
    qtbot.waitUntil(lambda: builds == [True])  # the first is running, the second waits for it
    indexer.wait_for_workers()  # the window closing
    assert builds == [True]  # the queued build saw the cancel and did not start
