"""A keystroke's answer does not hold the window while its results are measured: each row's
rich-text layout is made once for its HTML and width (the list asks every row's size several
times), the rows are laid out a batch at a time between events, and threads hand the GIL over
every 0.3 ms (a search or the index build in a worker made each Python call of the GUI
thread wait up to CPython's default 5 ms). At 100,000 sections the three took the longest stall
after an answer from 0.9 s to under 0.2 s (bench/tree_bench.py --search)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from reader.search import SearchResults
from reader.search.query import Hit
from reader.search.snippets import Snippet
from reader.ui.app.application import SWITCH_INTERVAL_S
from reader.ui.features.search import panel as panel_module
from reader.ui.features.search.results import HtmlDelegate
from tests.ui.features_of import search_panel_of

ROOT = Path(__file__).resolve().parents[4]


def results(n: int, word: str = "pipeline") -> SearchResults:
    hits = [Hit(key=f"b/s{i}", kind="section", section=f"b/s{i}", title=f"Section {i}",
                path="Briefing › Part", score=1.0 / (i + 1),
                snippet=Snippet(f"… the {word} number {i} runs under the sea and on …" * (1 + i % 3),
                                ((5, 5 + len(word)),)))
             for i in range(n)]
    return SearchResults(text=word, hits=hits, total=n)


def test_rows_are_measured_once_and_laid_out_in_batches(open_window, monkeypatch) -> None:
    window = open_window()
    panel = search_panel_of(window)
    delegate = panel.view.itemDelegate()
    assert isinstance(delegate, HtmlDelegate)
    made: list[int] = []
    real = HtmlDelegate._document
    monkeypatch.setattr(HtmlDelegate, "_document",
                        lambda self, option, index: made.append(index.row()) or real(self, option, index))
    panel.show_results(results(50))
    # Before the event loop runs again: at most a batch of rows measured (and painted).
    assert len(set(made)) <= 2 * panel_module.RESULT_ROWS_PER_BATCH, sorted(set(made))
    for _ in range(40):
        QApplication.processEvents()
    measured = len(made)
    assert set(range(50)) >= set(made) and len(set(made)) > panel_module.RESULT_ROWS_PER_BATCH
    # Asked again (a relayout, the scroll bar appearing), rows already measured are not laid out.
    panel.view.doItemsLayout()
    for _ in range(40):
        QApplication.processEvents()
    painted_again = len(made) - measured
    assert painted_again <= 20  # only the rows in view, for painting


def test_the_app_hands_the_gil_over_every_millisecond() -> None:
    """Set where the app makes its QApplication (the tests' own application is pytest-qt's)."""
    code = ("import sys; from reader.ui.app.application import make_app; make_app(); "
            "print(sys.getswitchinterval())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == str(SWITCH_INTERVAL_S) == "0.0003", out.stderr
