"""File ▸ Export Annotations… and File ▸ Import Annotations… in the real window, chosen from the
File menu by its mnemonics: the files written are read back, imports land in the real SQLite
file and are counted in the status bar, a bad file is refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from reader.annotations import AnnotationStore, Kind, service
from reader.annotations.exchange import export_json, read_json, to_w3c
from reader.ui.features.annotations.exchange_actions import (
    JSON_FILTER,
    MARKDOWN_FILTER,
    AnnotationExchange,
)
from reader.ui.shell.keyboard import mnemonic
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of

FRESH = {"size": (1100, 800), "restore": False}
QUOTE = "strategic partnership between Iran and Russia"
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")


def stored(data_dir: Path) -> list:
    store = AnnotationStore.in_folder(data_dir)  # a connection of its own: what is on disk
    try:
        return store.all()
    finally:
        store.close()


@pytest.fixture
def window(open_window, qtbot) -> MainWindow:
    """A window with a highlight with a note and a bookmark, made with its keys."""
    w = open_window(**FRESH)
    w.show_section(w.library.find("deepening-ties"))
    w.article.setTextCursor(w.article.document().find(QUOTE))
    qtbot.keyClick(w.article, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(w.article, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    return w


def exchange_of(window: MainWindow) -> AnnotationExchange:
    return annotations_of(window).exchange


def from_file_menu(window: MainWindow, qtbot, text: str) -> None:
    """Open File with Alt+F and press the entry's mnemonic, as a keyboard user does."""
    file_menu = window.registry.menu("file")
    [action] = [a for a in file_menu.actions() if a.text().replace("&", "") == text]
    letter = mnemonic(action.text())
    assert letter
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    assert QApplication.activePopupWidget() is file_menu
    qtbot.keyClick(file_menu, getattr(Qt.Key, f"Key_{letter.upper()}"))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def answer_save(window: MainWindow, name: Path, chosen_filter: str) -> list[str]:
    asked: list[str] = []

    def ask(_parent, caption, _default, filters):
        asked.append(filters)
        return str(name), chosen_filter

    exchange_of(window).ask_save_path = ask
    return asked


def test_export_writes_w3c_json_read_back(window: MainWindow, qtbot, tmp_path: Path,
                                          data_dir: Path) -> None:
    asked = answer_save(window, tmp_path / "mine", JSON_FILTER)  # no extension: the filter's
    from_file_menu(window, qtbot, "Export Annotations…")
    assert asked and JSON_FILTER in asked[0] and MARKDOWN_FILTER in asked[0]
    out = tmp_path / "mine.json"
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 2
    assert "http://www.w3.org/ns/anno.jsonld" in doc["@context"]
    items = doc["first"]["items"]
    assert {i["motivation"] for i in items} == {"highlighting", "bookmarking"}
    assert {i["id"] for i in items} == {f"urn:uuid:{a.id}" for a in stored(data_dir)}
    assert sorted(read_json(out), key=lambda a: a.id) == sorted(stored(data_dir), key=lambda a: a.id)
    assert window.statusBar().currentMessage() == f"Exported 2 annotations to {out} (W3C JSON)."


def test_export_writes_markdown_by_filter_or_extension(window: MainWindow, qtbot,
                                                       tmp_path: Path) -> None:
    answer_save(window, tmp_path / "notes", MARKDOWN_FILTER)
    from_file_menu(window, qtbot, "Export Annotations…")
    answer_save(window, tmp_path / "by-name.md", JSON_FILTER)  # the name's extension wins
    from_file_menu(window, qtbot, "Export Annotations…")
    for out in (tmp_path / "notes.md", tmp_path / "by-name.md"):
        md = out.read_text(encoding="utf-8")
        assert md.startswith("# Annotations\n")
        assert "## Iran And Russia: Today's Top News Stories › Deepening Ties" in md
        assert f"> {QUOTE}" in md and "- Bookmark at “" in md
        assert "(section:iran-russia/deepening-ties)" in md
    assert not (tmp_path / "notes.json").exists() and not (tmp_path / "by-name.md.json").exists()


def test_cancelled_export_writes_nothing(window: MainWindow, qtbot, tmp_path: Path) -> None:
    exchange_of(window).ask_save_path = lambda *_a: ("", "")
    from_file_menu(window, qtbot, "Export Annotations…")
    assert list(tmp_path.glob("*.json")) == [] and list(tmp_path.glob("*.md")) == []


def test_import_merges_into_the_store_and_counts(window: MainWindow, qtbot, tmp_path: Path,
                                                 data_dir: Path) -> None:
    mine = stored(data_dir)
    section = window.library.find("military-cooperation")
    new = [service.create_for_quote(section, "advanced weaponry", note="from a colleague"),
           service.bookmark(window.library.find("wrap-up"))]
    shared = tmp_path / "shared.json"
    export_json([*new, *mine], shared)  # two new ones and my two, unchanged
    exchange_of(window).ask_open_path = lambda *_a: (str(shared), JSON_FILTER)
    from_file_menu(window, qtbot, "Import Annotations…")

    assert {a.id for a in stored(data_dir)} == {a.id for a in [*mine, *new]}
    assert window.statusBar().currentMessage() == (
        "Imported 2 annotations from shared.json (2 new, 0 updated); 2 skipped "
        "(already there, not newer).")
    ctl = annotations_of(window)
    qtbot.waitUntil(lambda: len(ctl.dock.bookmarks.model.rows) == 2)  # the lists follow
    assert ctl.dock.all.select(new[0].id)


@pytest.mark.parametrize("content", [
    "{ not json",
    json.dumps({"type": "Something else"}),
    "list",  # a good annotation and a broken one: the whole file is refused
])
def test_a_bad_file_is_refused_whole_and_loses_nothing(window: MainWindow, qtbot, tmp_path: Path,
                                                       data_dir: Path, content: str) -> None:
    before = stored(data_dir)
    bad = tmp_path / "bad.json"
    if content == "list":
        good = to_w3c(service.bookmark(window.library.find("wrap-up")))
        content = json.dumps([good, {"type": "Annotation", "target": "http://example.com/"}])
    bad.write_text(content, encoding="utf-8")
    exchange_of(window).ask_open_path = lambda *_a: (str(bad), JSON_FILTER)
    from_file_menu(window, qtbot, "Import Annotations…")
    message = window.statusBar().currentMessage()
    assert message.startswith("Nothing imported: ") and str(bad) in message
    assert message.endswith("Your annotations are unchanged.")
    assert stored(data_dir) == before
    assert [r.id for r in annotations_of(window).dock.bookmarks.model.rows] == [
        a.id for a in before if a.kind is Kind.BOOKMARK]
