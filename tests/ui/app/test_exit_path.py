"""The way out after the window closed (issue 18: quitting at most 1 s at 100,000 sections):
the files are closed, then the interpreter ends without the cyclic collector's last passes
over the library (reader/ui/app/shutdown.py `before_exit`). The real app in a subprocess, as
tests/ui/app/test_ending.py runs it: nothing the session wrote may be lost on that path."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from reader.annotations import AnnotationStore
from tests.ui.app.test_ending import DEEP, Session, saved_position

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def session(data_dir: Path):
    started: list[Session] = []

    def start(*actions: str) -> Session:
        started.append(Session(data_dir, *actions))
        return started[-1]

    yield start
    for s in started:
        s.kill()
        s.stderr.close()


def test_the_quick_exit_closes_the_files_and_loses_nothing(session, data_dir: Path) -> None:
    first = session("note:A thought kept on the way out", "save-note", f"go:{DEEP}")
    first.line("report")
    left = first.line("done")
    assert left["visible"] == DEEP
    assert first.end(signal.SIGTERM) == 143  # closes the window as Quit does, then exits

    log = (data_dir / "logs" / "briefing-reader.log").read_text(encoding="utf-8")
    assert log.rstrip().endswith("exiting without a last garbage collection")  # flushed, last
    assert (data_dir / "logs" / "crash-trace.txt").read_text() == ""  # a clean end
    assert saved_position(data_dir) == f"{left['page']}@{left['fraction']:.6f}"  # the position
    # Closed databases: SQLite folds its write-ahead log back in and removes it on close.
    assert not list(data_dir.rglob("*-wal")), list(data_dir.rglob("*-wal"))
    assert [a.note for a in AnnotationStore.in_folder(data_dir).all()] == [
        "A thought kept on the way out"]

    again = session()
    assert again.line("report")["visible"] == DEEP
    assert again.end(signal.SIGTERM) == 143
