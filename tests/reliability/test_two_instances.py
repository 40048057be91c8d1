"""Two copies of the app annotating the same data folder at the same moment lose nothing: adds,
edits, deletes, read marks and an imported batch from both end up exactly as each intended."""

from __future__ import annotations

import json
from pathlib import Path

from reader.annotations.recovery import open_store
from tests.reliability.helpers import python_child

INSTANCE = """
import json, sys
from dataclasses import replace
from pathlib import Path
from reader.annotations import service
from reader.annotations.recovery import open_store
from reader.content import load_library
from reader.paths import bundled_content
data, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sections = [s for s in load_library([bundled_content()]).sections() if len(s.markdown) > 80]
print("ready", flush=True)
sys.stdin.readline()  # start together
opened = open_store(data)  # as the window does: both may create and migrate the file at once
assert opened.notice == "", opened.notice
store = opened.store
kept = []
for i in range(n):
    a = service.create(sections[i % len(sections)], i % 40, i % 40 + 10, note=f"{name} {i}",
                       tags=(name,))
    store.add(a)
    if i % 4 == 0:
        store.save(a.edited(note=f"{name} {i} edited"))
    if i % 7 == 3:
        store.delete(a.id)
    else:
        kept.append(a.id)
    store.mark_read(a.briefing_id, f"{name}-{i}", "fp")
batch = [replace(service.create(sections[0], 0, 5, note=f"{name} import {j}"), tags=(name,))
         for j in range(20)]
assert store.merge(batch).added == 20
kept += [a.id for a in batch]
print(json.dumps(kept), flush=True)
"""


def test_two_instances_annotating_at_once_lose_nothing(data_dir: Path) -> None:
    children = [python_child(INSTANCE, str(data_dir), name, "80", stdin=-1) for name in ("alice", "bob")]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    expected: dict[str, set[str]] = {}
    for name, child in zip(("alice", "bob"), children, strict=True):
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        expected[name] = set(json.loads(out.strip().splitlines()[-1]))
    store = open_store(data_dir).store
    assert store is not None
    stored = store.all()
    for name in ("alice", "bob"):
        mine = {a.id for a in stored if a.tags == (name,)}
        assert mine == expected[name]
    assert len(stored) == sum(map(len, expected.values())) == 2 * (80 - 11 + 20)
    edited = [a for a in stored if a.note.endswith("edited")]
    assert len(edited) == 2 * len([i for i in range(80) if i % 4 == 0 and i % 7 != 3])
    assert len(store.read_marks()) == 160
