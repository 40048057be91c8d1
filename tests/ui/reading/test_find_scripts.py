"""Find in page and the section filter fold as search does (issue 17): 'еще' finds 'ещё',
'economie' finds 'Économie', 'کامنتها' finds 'کامنت‌ها' (with a ZWNJ) and 'ارشیو' 'آرشیو';
the marks land on the text as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from reader.ui.reading.find_bar import find_all
from tests.conftest import write_briefing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
BODY = ("## Обзор\nОн ещё не ответил. Économie и санкции.\n\n"
        "## بررسی\nکامنت‌ها را بخوانید. از آرشیو استفاده کنیم. كتاب عربي.\n")


@pytest.fixture
def window(open_window, tmp_path: Path):
    write_briefing(tmp_path / "c", "mixed.md", BODY, title="Mixed", id="mixed")
    w = open_window(tmp_path / "c")
    w.show_section(w.library.briefings[0].root)
    return w


@pytest.mark.parametrize("typed,written", [
    ("еще", "ещё"), ("ЕЩЁ", "ещё"), ("economie", "Économie"), ("کامنتها", "کامنت‌ها"),
    ("ارشیو", "آرشیو"), ("کتاب", "كتاب"), ("عربی", "عربي"),
])
def test_find_in_page_folds_as_search_does(window, typed: str, written: str) -> None:
    doc = window.article.document()
    spans = find_all(doc, typed)
    assert len(spans) == 1, spans
    cursor = QTextCursor(doc)
    cursor.setPosition(spans[0][0])
    cursor.setPosition(spans[0][1], QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == written


@pytest.mark.parametrize("typed,title", [("обзор", "Обзор"), ("برر", "بررسی")])
def test_the_section_filter_folds_as_search_does(window, qtbot, typed: str, title: str) -> None:
    window.filter_box.setText(typed)
    qtbot.waitUntil(lambda: not window.tree_pane.pending)
    result = window.tree_pane.result
    assert result is not None and [s.title for s in result.matches] == [title]
