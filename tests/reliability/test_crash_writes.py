"""SIGKILL in the middle of writing annotations, 50 times: the file stays sound and every annotation
the writer saw committed is there, tags and all."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

from reader.annotations import FILE_NAME, AnnotationStore
from reader.annotations.recovery import open_store
from tests.reliability.helpers import python_child

KILLS = 50
WRITER = """
import sys
from pathlib import Path
from reader.annotations import Annotation, AnnotationStore, Selector
store = AnnotationStore.in_folder(Path(sys.argv[1]))
run = sys.argv[2]
print("ready", flush=True)
i = 0
while True:
    ann = Annotation("b", f"s{i % 7}", selector=Selector(f"quote {i}", "", "", i, i + 1),
                     note=("note %d " % i) * 50, tags=(run, f"t{i}"))
    store.add(ann)
    if i % 5 == 0:  # edits (delete + insert in one transaction) and read marks too
        store.save(ann.edited(note="edited", tags=(run, f"t{i}", "edited")))
        store.mark_read("b", f"{run}-{i}", "fp")
    print(ann.id, flush=True)  # only after commit returned
    i += 1
"""


def test_sigkill_during_writes_loses_nothing_committed(data_dir: Path) -> None:
    rng = random.Random(20261125)  # fixed: the same kill moments on every run
    committed: list[str] = []
    for run in range(KILLS):
        child = python_child(WRITER, str(data_dir), f"run{run}")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.12))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        # A line cut off by the kill has no newline: it was not reported, so it does not count.
        lines = out.split("\n")[:-1]
        committed += [line for line in lines if line]
    assert len(committed) > KILLS  # the kills did land in the middle of work

    raw = sqlite3.connect(data_dir / FILE_NAME)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    opened = open_store(data_dir)
    assert opened.notice == ""  # not taken for damaged, nothing moved aside
    assert opened.store is not None
    stored = {a.id: a for a in opened.store.all()}
    missing = [aid for aid in committed if aid not in stored]
    assert missing == []
    # Every annotation is whole: its tags came with it (one transaction, not two).
    assert all(len(a.tags) >= 2 for a in stored.values())
    assert not list(data_dir.glob(f"{FILE_NAME}.corrupt-*"))
    AnnotationStore.in_folder(data_dir).close()
