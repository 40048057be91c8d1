"""A broken or foreign annotations file never stops reading and is never destroyed.

Random bytes, a truncated file, a file from a newer schema, a read-only file and a full disk: the
real window starts, shows a section, says what happened in one sentence, moves a damaged file aside
(byte for byte) and leaves a file it cannot judge exactly as it was.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations import FILE_NAME, AnnotationStore, StoreError, service
from reader.annotations.schema import SCHEMA_VERSION
from reader.content import load_library
from reader.paths import bundled_content
from tests.reliability.helpers import ROOT, digest
from tests.ui.features_of import annotations_notice_of, annotations_of, has_annotations_of


def some_section():
    return next(s for s in load_library([bundled_content()]).sections() if s.markdown.strip())


def filled_store(data_dir: Path, n: int = 30) -> list[str]:
    """A real annotations file with `n` notes, checkpointed into the main file; returns ids."""
    store = AnnotationStore.in_folder(data_dir)
    section = some_section()
    ids = [store.add(service.create(section, i, i + 5, note=f"note {i} " * 20)).id for i in range(n)]
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return ids


def assert_still_reading(window) -> None:
    """The article shows a section and moving to another works."""
    assert window.current is not None
    assert window.current.title in window.article.toPlainText()
    nxt = window.library.after(window.current)
    assert nxt is not None and window.open_reference(nxt.key)
    assert nxt.title in window.article.toPlainText()


def one_sentence(text: str) -> None:
    assert text and text[0].isupper() and text.endswith(".") and "Traceback" not in text
    assert text.count(". ") == 0, text  # one sentence, readable in a status bar


def assert_moved_aside(data_dir: Path, original: bytes, window) -> None:
    aside = list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [original]
    one_sentence(annotations_notice_of(window))
    assert "moved aside" in annotations_notice_of(window)
    # ... and annotations work again, on a fresh file
    ctl = annotations_of(window)
    ann = service.create(window.library.find("economic-synergies"), 0, 8, note="after")
    assert ctl.apply(ann, None)
    assert AnnotationStore.in_folder(data_dir).get(ann.id) == ann


def test_random_bytes_are_moved_aside(open_window, data_dir: Path) -> None:
    junk = random.Random(8).randbytes(64 * 1024)
    (data_dir / FILE_NAME).write_bytes(junk)
    window = open_window(data_dir)
    assert_still_reading(window)
    assert_moved_aside(data_dir, junk, window)


def test_sqlite_header_with_garbage_pages_is_moved_aside(open_window, data_dir: Path) -> None:
    filled_store(data_dir)
    path = data_dir / FILE_NAME
    data = bytearray(path.read_bytes())
    rng = random.Random(3)
    for page in range(1, len(data) // 4096):  # keep the header, scribble on every other page
        data[page * 4096 + 8: page * 4096 + 200] = rng.randbytes(192)
    path.write_bytes(bytes(data))
    window = open_window(data_dir)
    assert_still_reading(window)
    assert_moved_aside(data_dir, bytes(data), window)


def test_truncated_file_is_moved_aside(open_window, data_dir: Path) -> None:
    filled_store(data_dir, 60)
    path = data_dir / FILE_NAME
    half = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(half)
    window = open_window(data_dir)
    assert_still_reading(window)
    assert_moved_aside(data_dir, half, window)


def newer_file(data_dir: Path, compatible: bool = True) -> list[Path]:
    ids = filled_store(data_dir, 3)
    conn = sqlite3.connect(data_dir / FILE_NAME)
    conn.execute("PRAGMA journal_mode = DELETE")  # the newer app may not use WAL: keep it so
    if not compatible:
        conn.execute("ALTER TABLE annotation RENAME TO annotation_v9")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    conn.commit()
    conn.close()
    assert len(ids) == 3
    return [data_dir / FILE_NAME]


def test_newer_schema_is_read_only_and_untouched(open_window, data_dir: Path) -> None:
    files = newer_file(data_dir)
    before = digest(*files)
    window = open_window(data_dir)
    assert_still_reading(window)
    one_sentence(annotations_notice_of(window))
    assert "newer version" in annotations_notice_of(window)
    ctl = annotations_of(window)
    assert ctl.store.read_only and len(ctl.entries) == 3  # the notes are still shown
    assert not window.actions_by_name["add_note"].isEnabled()
    with pytest.raises(StoreError, match="read-only"):
        ctl.store.add(service.create(window.current, 0, 3))
    assert not ctl.apply(service.create(window.current, 0, 3), None)  # a message, not a crash
    window.close()
    ctl.store.close()
    assert not list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))
    assert digest(*files) == before


def test_newer_incompatible_schema_turns_annotations_off_untouched(open_window, data_dir: Path) -> None:
    files = newer_file(data_dir, compatible=False)
    before = digest(*files)
    window = open_window(data_dir)
    assert_still_reading(window)
    one_sentence(annotations_notice_of(window))
    assert "newer version" in annotations_notice_of(window) and "turned off" in annotations_notice_of(window)
    assert not has_annotations_of(window)
    window.close()
    assert not list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))
    assert digest(*files) == before


# Root ignores file permissions; the probe then runs without CAP_DAC_OVERRIDE so that a read-only
# file really is read-only (capsh drops it from the bounding set before exec).
PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from reader.annotations import service
from tests.reliability.helpers import context
from reader.ui.app.application import create_window, make_app
from reader.app import setup_logging
from tests.ui.features_of import annotations_notice_of, annotations_of, has_annotations_of
ctx = context(Path(sys.argv[1]))
setup_logging(ctx.paths)  # as the app does: detail to the log file, not the terminal
app = make_app()
w = create_window(ctx)
w.restore(None)
w.show()
app.processEvents()
ctl = annotations_of(w) if has_annotations_of(w) else None
saved = ctl.apply(service.create(w.current, 0, 4, note="x"), None) if ctl else None
print(json.dumps({"notice": annotations_notice_of(w) or "", "shown": w.current.title,
                  "text": w.article.toPlainText()[:2000], "saved": saved,
                  "entries": len(ctl.entries) if ctl else None,
                  "status": w.statusBar().currentMessage()}))
w.close()
"""


def run_unprivileged(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", code, *args]
    if os.geteuid() == 0:
        capsh = shutil.which("capsh")
        if capsh is None:
            pytest.skip("running as root without capsh: cannot make a file read-only")
        cmd = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c",
               " ".join(map(_quote, cmd))]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def test_read_only_file_is_shown_read_only_and_untouched(data_dir: Path) -> None:
    filled_store(data_dir, 4)
    path = data_dir / FILE_NAME
    before = digest(path)
    path.chmod(0o444)
    done = run_unprivileged(PROBE, str(data_dir))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["shown"] in out["text"]  # still reading
    one_sentence(out["notice"])
    assert "read-only" in out["notice"]
    assert out["entries"] == 4 and out["saved"] is False
    assert "read-only" in out["status"]
    assert digest(path) == before and not list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))


def test_full_disk_while_writing_is_a_message_and_loses_nothing(open_window, data_dir: Path) -> None:
    ids = filled_store(data_dir, 5)
    window = open_window(data_dir)
    ctl = annotations_of(window)
    conn = ctl.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, not a mock
    depth = ctl.undo_stack.count()
    big = service.create(window.current, 0, 5, note="x" * 200_000)
    ctl.push(None, big, "Add note")  # through the undo stack, as the GUI does
    assert "disk is full" in window.statusBar().currentMessage()
    one_sentence(window.statusBar().currentMessage())
    assert ctl.undo_stack.count() == depth  # the refused change is not left to undo
    assert ctl.store.get(big.id) is None
    assert {a.id for a in ctl.store.all()} == set(ids)
    assert_still_reading(window)
    conn.execute("PRAGMA max_page_count = 1073741823")  # space again: saving works
    ctl.push(None, big, "Add note")
    assert ctl.store.get(big.id) == big
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_when_creating_the_file_is_a_message(open_window, data_dir: Path, monkeypatch) -> None:
    from reader.annotations import schema

    def full(_conn) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setitem(schema.MIGRATIONS, 1, full)
    window = open_window(data_dir)
    assert_still_reading(window)
    one_sentence(annotations_notice_of(window))
    assert "disk is full" in annotations_notice_of(window)
    assert not list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))  # not damaged: nothing moved
