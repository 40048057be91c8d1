"""Your notes and highlighted quotes are found by the same search panel, labelled as yours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations import service
from reader.ui.features.search.results import HtmlRole
from tests.conftest import ROOT
from tests.ui.features.search.conftest import window  # noqa: F401 - the real-window fixture
from tests.ui.features.search.test_search_panel import search
from tests.ui.features_of import annotations_of, search_indexer_of, search_panel_of

NOTE = "Ask the treasury desk about ruble-rial swap volumes"


def test_a_new_note_is_searchable_in_the_panel(qtbot, window) -> None:  # noqa: F811
    section = window.library.find("economic-synergies")
    annotations_of(window).store.add(service.create_for_quote(section, "local currencies", note=NOTE))
    index = search_indexer_of(window).index
    qtbot.waitUntil(lambda: len(index.extra_fingerprints("note")) == 1, timeout=10_000)
    results = search(qtbot, window, "treasury swap")
    assert [(h.kind, h.section) for h in results.hits] == [("note", "iran-russia/economic-synergies")]
    model = search_panel_of(window).model
    assert "(your note)" in model.data(model.index(0, 0), HtmlRole)


def test_deleting_a_note_removes_it_from_search(qtbot, window) -> None:  # noqa: F811
    section = window.library.find("economic-synergies")
    note = service.create_for_quote(section, "local currencies", note=NOTE)
    store, index = annotations_of(window).store, search_indexer_of(window).index
    store.add(note)
    qtbot.waitUntil(lambda: len(index.extra_fingerprints("note")) == 1, timeout=10_000)
    store.delete(note.id)
    qtbot.waitUntil(lambda: index.search("treasury").hits == [], timeout=10_000)
    assert not index.extra_fingerprints("note")


@pytest.mark.parametrize("query", ["treasury swap", "ruble"])
def test_annotations_add_then_search_finds_the_note(data_dir: Path, query: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                              capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)

    added = cli("annotations", "add", "--section", "economic-synergies", "--quote",
                "local currencies", "--note", NOTE)
    assert added.returncode == 0, added.stderr
    found = cli("search", query, "--json")
    assert found.returncode == 0, found.stderr
    assert '"kind": "note"' in found.stdout and "economic-synergies" in found.stdout
