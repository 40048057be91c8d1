"""The Qt adapter over the section tree."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from reader.content import load_library
from reader.ui.library.tree_model import KeyRole, SectionTreeModel
from tests.conftest import SEED, write_briefing


def test_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = SectionTreeModel(load_library([SEED]))
    qtmodeltester.check(model, force_py=True)


def test_model_with_many_briefings_passes_qtmodeltester(qtmodeltester, tmp_path: Path) -> None:
    for i in range(3):
        write_briefing(tmp_path, f"b{i}.md", "## A\n### A1\n### A2\n## B\n", date=f"2026-01-0{i + 1}")
    model = SectionTreeModel(load_library([tmp_path]))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3


def test_model_mirrors_the_tree() -> None:
    model = SectionTreeModel(load_library([SEED]))
    assert model.rowCount() == 1
    root = model.index(0, 0)
    assert root.data() == "Iran And Russia: Today's Top News Stories"
    assert model.rowCount(root) == 4
    ties = model.index(0, 0, root)
    assert ties.data(KeyRole) == "iran-russia/deepening-ties"
    military = model.index(0, 0, ties)
    assert military.data() == "Military Cooperation: More Than Just Drills"
    assert model.parent(military) == ties
    assert model.parent(root) == QModelIndex()
    assert "Deepening Ties" in military.data(Qt.ItemDataRole.ToolTipRole)


def test_index_of_round_trips_every_section() -> None:
    lib = load_library([SEED])
    model = SectionTreeModel(lib)
    for section in lib.sections():
        assert model.section(model.index_of(section)) is section
