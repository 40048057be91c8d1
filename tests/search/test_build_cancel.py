"""Cancelling a build early (issue 18: quitting at most 1 s after the window closes at 100,000
sections): the progress callback can cancel while the records are being made, before the first
document is indexed, and a parallel build hands its slices out as workers free up, so a cancel
leaves most of them never submitted. How fast is measured by bench/quit_bench.py."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bench.synthetic import write_library
from reader.content import Library, load_library
from reader.search import build
from reader.search.build import BuildCancelled, build_full, library_records
from reader.search.index import SearchIndex


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load_library([write_library(tmp_path_factory.mktemp("lib") / "c", sections=3000, words=20)])


def cancel_after(calls: int) -> tuple[list[tuple[int, int]], build.Progress]:
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) >= calls:
            raise BuildCancelled

    return seen, progress


def test_making_the_records_can_be_cancelled_before_the_end(library: Library, monkeypatch) -> None:
    made: list[str] = []
    real = build.section_record
    monkeypatch.setattr(build, "section_record", lambda s: made.append(s.key) or real(s))
    seen, progress = cancel_after(1)
    with pytest.raises(BuildCancelled):
        library_records(library, progress)
    assert seen == [(0, len(library))]  # nothing indexed yet, the whole library to do
    assert len(made) == build.CANCEL_CHECK_SECTIONS < len(library)
    made.clear()
    assert len(library_records(library)) == len(made) == len(library)  # no callback: all of them


def test_a_full_build_cancelled_while_making_records_indexes_nothing(
        library: Library, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build, "_build_parallel", lambda *a: pytest.fail("the build went on"))
    monkeypatch.setattr(build, "_build_serial", lambda *a: pytest.fail("the build went on"))
    with pytest.raises(BuildCancelled):
        build_full(library, tmp_path / "ix", cancel_after(2)[1], procs=1)


def test_a_parallel_build_cancelled_early_leaves_most_slices_unsubmitted(
        library: Library, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build, "SEGMENT_DOCS", 100)  # 30 slices
    submitted: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def submit(pool, fn, *args):  # noqa: ANN001, ANN202
        submitted.append(len(args[1]))
        return real_submit(pool, fn, *args)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    # The workers make the records (build.BriefingFile): cancelled at the first report once a
    # slice was handed out (the reports before are the preparation steps, build.Progress)
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if submitted:
            raise BuildCancelled

    index = SearchIndex(tmp_path / "index", prebuilt=tmp_path / "none")
    monkeypatch.setattr("reader.search.index.build_full",
                        lambda lib, folder, prog: build_full(lib, folder, prog, procs=2))
    with pytest.raises(BuildCancelled):
        index.ensure(library, progress=progress)
    assert seen and set(seen) == {0}
    assert 0 < len(submitted) <= 3  # of 30: a slice per worker, one queued (IN_FLIGHT)
    assert not multiprocessing.active_children()  # the workers were ended
    assert not list(tmp_path.glob("index*"))  # the half-built folder removed, nothing swapped in

    monkeypatch.undo()
    report = SearchIndex(tmp_path / "index", prebuilt=tmp_path / "none").ensure(library)
    assert report.mode == "full" and report.total == len(library)  # the next start builds it


@pytest.mark.skipif(not hasattr(os, "nice"), reason="process priorities are POSIX's os.nice")
def test_build_workers_run_below_normal_priority() -> None:
    """With both cores indexing, the window's turns took 2-3 times as long; the workers give way."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=build._init_worker,
                             initargs=(ctx.Value("i", 0),)) as pool:
        worker = pool.submit(os.nice, 0).result()
    assert worker == min(19, os.nice(0) + build.WORKER_NICENESS) > os.nice(0)
