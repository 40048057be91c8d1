"""Two processes adding annotations to the same file at the same time lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.annotations import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from reader.annotations import Annotation, AnnotationStore, Selector
data, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
print("ready", flush=True)
sys.stdin.readline()  # start together
store = AnnotationStore.in_folder(data)  # both may create and migrate the file at once
for i in range(count):
    store.add(Annotation("b", name, selector=Selector(f"{{name}} {{i}}", "", "", i, i + 1),
                         tags=(name, f"n{{i}}"), note=f"note {{i}}"))
    store.mark_read("b", f"{{name}}-{{i}}", "fp")
print("done", flush=True)
"""


def test_two_processes_adding_at_once_lose_nothing(data_dir: Path) -> None:
    code = WRITER.format(root=str(ROOT))
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(data_dir), name, "60"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name in ("alice", "bob")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0, out
    store = AnnotationStore.in_folder(data_dir)
    rows = store.all()
    assert len(rows) == 120
    assert {a.section_id for a in rows} == {"alice", "bob"}
    assert all(len(a.tags) == 2 for a in rows)
    assert len(store.read_marks()) == 120
