"""Ending without a clean quit (issue 14): the real app in a subprocess, ended by SIGTERM, SIGINT
or SIGKILL or by a crash, then started again on the same data folder: it reopens where the
reader was, offers the note being written, and says when the last session crashed."""

from __future__ import annotations

import configparser
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reader.annotations import AnnotationStore
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ROOT = Path(__file__).resolve().parents[3]
CHILD = ROOT / "tests" / "ui" / "session_child.py"
DEEP = "iran-russia/countering-western-influence"
START_TIMEOUT = 60.0  # s; a start on a busy 2-core machine, with the first search index build


class Session:
    """One run of tests/ui/session_child.py, always ended (killed at worst) by the test."""

    def __init__(self, data_dir: Path, *actions: str, options: tuple[str, ...] = ()) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self.stderr = (data_dir.parent / "child-stderr.txt").open("a")
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "--data-dir", str(data_dir), *options, "--", *actions],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env, cwd=ROOT)

    def line(self, prefix: str, timeout: float = START_TIMEOUT) -> dict[str, Any]:
        """The JSON of the next stdout line starting with `prefix` ("report", "done")."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while (left := deadline - time.monotonic()) > 0:
                if not sel.select(left):
                    break
                text = self.proc.stdout.readline()
                if not text:
                    break  # the child ended
                if text.startswith(prefix + " "):
                    return json.loads(text.split(" ", 1)[1])
        self.kill()
        raise AssertionError(f"no {prefix!r} line from the child; stderr:\n{self.stderr_text()}")

    def end(self, signum: int, timeout: float = 30.0) -> int:
        self.proc.send_signal(signum)
        return self.wait(timeout)

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the child did not end; stderr:\n{self.stderr_text()}") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stderr_text(self) -> str:
        self.stderr.flush()
        return Path(self.stderr.name).read_text()


@pytest.fixture
def session(data_dir: Path):
    """Start sessions on the test's data folder; every one is ended when the test is."""
    started: list[Session] = []

    def start(*actions: str, options: tuple[str, ...] = ()) -> Session:
        started.append(Session(data_dir, *actions, options=options))
        return started[-1]

    yield start
    for s in started:
        s.kill()
        s.stderr.close()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_closes_cleanly_and_the_next_start_is_where_the_reader_was(
        session, data_dir, signum, code) -> None:
    first = session(f"go:{DEEP}")
    first.line("report")
    left = first.line("done")
    assert left["visible"] == DEEP
    time.sleep(0.2)  # not past the debounce: closing saves the place
    assert first.end(signum) == code
    assert f"received {signal.Signals(signum).name}: closing the window" in (
        data_dir / "logs" / "briefing-reader.log").read_text()

    again = session()
    assert again.line("report")["visible"] == DEEP
    assert again.end(signal.SIGTERM) == 143


def saved_position(data_dir: Path) -> str:
    """The briefing's position in the settings file on disk (what survives a SIGKILL)."""
    ini = configparser.ConfigParser()
    ini.read(data_dir / "settings.ini", encoding="utf-8")
    return ini.get("positions", "iran-russia", fallback="")


def test_sigkill_after_the_debounce_still_reopens_there(session, data_dir) -> None:
    first = session(f"go:{DEEP}", "scroll:0.6")
    first.line("report")
    left = first.line("done")
    assert left["visible"] not in (None, "iran-russia/iran-russia")
    expected = f"{left['page']}@{left['fraction']:.6f}"
    deadline = time.monotonic() + START_TIMEOUT  # the debounce, on however busy a machine
    while saved_position(data_dir) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    first.end(signal.SIGKILL)  # nothing runs: only what was already on disk counts
    assert saved_position(data_dir) == expected

    again = session()
    back = again.line("report")
    assert (back["page"], back["visible"]) == (left["page"], left["visible"])
    assert back["fraction"] == pytest.approx(left["fraction"], abs=0.02)


def test_a_note_being_written_survives_sigterm(session, data_dir) -> None:
    first = session("note:Half a thought about the drills")
    first.line("report")
    assert first.line("done")["editor"]["note"] == "Half a thought about the drills"
    assert first.end(signal.SIGTERM) == 143  # before the draft's own debounce: closing saves it

    again = session("save-note")
    editor = again.line("report")["editor"]
    assert editor == {"note": "Half a thought about the drills", "quote": "complex relationship"}
    assert again.line("done")["editor"] is None
    assert again.end(signal.SIGTERM) == 143
    notes = [a.note for a in AnnotationStore.in_folder(data_dir).all()]
    assert notes == ["Half a thought about the drills"]

    third = session()  # saved: the draft is gone
    assert third.line("report")["editor"] is None


@pytest.mark.parametrize("crash", ["segv", "abort"])
def test_a_crash_leaves_a_trace_and_the_next_start_says_so(session, data_dir, crash) -> None:
    first = session(crash)
    first.line("report")
    assert first.wait() < 0  # died of SIGSEGV / SIGABRT
    logs = data_dir / "logs"
    assert "Fatal Python error" in (logs / "crash-trace.txt").read_text()

    again = session()
    notice = again.line("report")["notice"]
    kept = list(logs.glob("crash-2*.txt"))
    assert len(kept) == 1 and "Fatal Python error" in kept[0].read_text()
    assert notice == f"The last session ended unexpectedly; details in {kept[0]}."
    assert (logs / "crash-trace.txt").read_text() == ""  # this session's, empty so far
    assert "the last session ended unexpectedly" in (logs / "briefing-reader.log").read_text()
    assert again.end(signal.SIGTERM) == 143

    third = session()  # reported once
    assert third.line("report")["notice"] is None


def test_the_draft_is_kept_while_typing_and_dropped_on_cancel(open_window, qtbot) -> None:
    from reader.ui.features.annotations.feature import DRAFT_DELAY_MS

    window = open_window()
    window.article.setTextCursor(window.article.document().find("complex relationship"))
    editor = annotations_of(window).add_note()
    assert window.settings.note_draft() is None  # nothing written yet
    editor.note.setPlainText("First words")
    assert window.settings.note_draft() is None  # debounced: saved once typing stops
    assert annotations_of(window).draft_keeper.timer.interval() == DRAFT_DELAY_MS
    qtbot.waitUntil(lambda: (window.settings.note_draft() or {}).get("note") == "First words")
    editor.tags.setText("drills, later")
    qtbot.waitUntil(lambda: window.settings.note_draft()["tags"] == "drills, later")
    editor.reject()  # Cancel: the reader threw it away
    assert window.settings.note_draft() is None
