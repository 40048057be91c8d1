"""The crash trace of the last run: found, logged, moved aside once, old ones pruned."""

from __future__ import annotations

import logging
import os

from reader import crash_log

TRACE = 'Fatal Python error: Segmentation fault\n\nCurrent thread 0x01 (most recent call first):\n'


def test_a_clean_run_leaves_nothing_to_report(tmp_path) -> None:
    assert crash_log.previous_crash(tmp_path) is None  # no file at all
    (tmp_path / crash_log.TRACE_NAME).write_text("")
    assert crash_log.previous_crash(tmp_path) is None
    assert list(tmp_path.iterdir()) == [tmp_path / crash_log.TRACE_NAME]


def test_a_trace_is_logged_and_moved_aside(tmp_path, caplog) -> None:
    (tmp_path / crash_log.TRACE_NAME).write_text(TRACE)
    with caplog.at_level(logging.ERROR, logger="reader.crash_log"):
        aside = crash_log.previous_crash(tmp_path)
    assert aside is not None and aside.name.startswith("crash-2") and aside.read_text() == TRACE
    assert not (tmp_path / crash_log.TRACE_NAME).exists()
    assert "ended unexpectedly" in caplog.text and "Segmentation fault" in caplog.text
    assert crash_log.previous_crash(tmp_path) is None  # reported once


def test_only_the_newest_traces_are_kept(tmp_path) -> None:
    for n in range(crash_log.KEEP + 2):
        trace = tmp_path / crash_log.TRACE_NAME
        trace.write_text(TRACE)
        os.utime(trace, (1_700_000_000 + n, 1_700_000_000 + n))
        crash_log.previous_crash(tmp_path)
    kept = sorted(tmp_path.glob("crash-2*.txt"), key=lambda p: p.stat().st_mtime)
    assert len(kept) == crash_log.KEEP
    assert kept[0].stat().st_mtime == 1_700_000_002  # the two oldest went
