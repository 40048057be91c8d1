"""The main window: tree, article pane, links, restoring state. Its windows keep the geometry
`restore` gives them (`size=None`): the saved one, else the first-run size."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from PySide6.QtCore import QItemSelectionModel, QUrl

from reader.ui.shell.main_window import MainWindow
from tests.conftest import write_briefing


def select(window: MainWindow, key: str) -> None:
    section = window.library.find(key)
    assert section is not None
    window.tree.selectionModel().setCurrentIndex(
        window.model.index_of(section), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_opens_on_the_briefing(open_window) -> None:
    window = open_window(size=None)
    assert window.current is not None and window.current.key == "iran-russia/iran-russia"
    text = window.article.toPlainText()
    assert text.startswith("Iran And Russia: Today's Top News Stories")
    assert "by Jhon Lennon" in text
    assert "Hey everyone, let's dive into" in text


def test_selecting_a_section_shows_its_heading_and_text(open_window) -> None:
    window = open_window(size=None)
    select(window, "iran-russia/military-cooperation")
    text = window.article.toPlainText()
    assert "Military Cooperation: More Than Just Drills" in text
    assert "drone technology" in text
    assert "Hey everyone" not in text  # only this section's page
    assert "Deepening Ties: A Strategic Partnership ›" not in text
    assert "Next: Economic Synergies" in text


def test_parent_shows_all_its_sub_sections(open_window) -> None:
    window = open_window(size=None)
    select(window, "iran-russia/deepening-ties")
    text = window.article.toPlainText()
    assert text.index("Alright guys") < text.index("Digging deeper") < text.index("Now, let's talk about")


def test_tree_follows_scrolling(open_window, qtbot) -> None:
    window = open_window(size=None)
    window.article.scroll_to_section("economic-synergies")
    qtbot.waitUntil(lambda: window.model.section(window.tree.currentIndex()).id == "economic-synergies")
    assert window.current.id == "iran-russia"  # same page, no re-render


def test_internal_links_navigate(open_window, tmp_path: Path) -> None:
    write_briefing(tmp_path, "t.md", "## A\nSee [the other one](#b) or [by key](section:t/c).\n"
                                     "## B\nbeta text\n## C\ngamma text\n")
    window = open_window(content=tmp_path, section="t/a", size=None)
    window.article.anchorClicked.emit(QUrl("#b"))
    assert window.current.id == "b" and "beta text" in window.article.toPlainText()
    window.article.anchorClicked.emit(QUrl("section:t/c"))
    assert window.current.id == "c"
    assert window.model.section(window.tree.currentIndex()).id == "c"


def test_external_links_open_only_in_the_system_browser(open_window, tmp_path: Path) -> None:
    write_briefing(tmp_path, "t.md", "## A\n[site](https://example.org/x)\n")
    window = open_window(content=tmp_path, size=None)
    with mock.patch("reader.ui.reading.article_view.QDesktopServices.openUrl") as open_url:
        window.article.anchorClicked.emit(QUrl("https://example.org/x"))
    open_url.assert_called_once_with(QUrl("https://example.org/x"))
    assert window.current.id == "t"  # the page did not change
    assert "https://example.org/x" in window.statusBar().currentMessage()  # the user is told


def test_remote_resources_are_never_loaded(open_window) -> None:
    window = open_window(size=None)
    from PySide6.QtGui import QTextDocument

    kind = int(QTextDocument.ResourceType.ImageResource.value)
    assert window.article.loadResource(kind, QUrl("http://example.org/a.png")) is None
    assert window.article.loadResource(kind, QUrl("../../etc/passwd")) is None


def test_restores_last_section_and_geometry(open_window, qtbot) -> None:
    first = open_window(size=None)
    select(first, "iran-russia/global-impact")
    first.resize(640, 480)  # the offscreen screen is 800x600
    first.close()
    second = open_window(size=None)
    assert second.current.key == "iran-russia/global-impact"
    assert second.size().width() == 640


def test_section_option_opens_there(open_window) -> None:
    window = open_window(section="regional-stability", size=None)
    assert window.current.key == "iran-russia/regional-stability"


def test_next_and_previous_section(open_window) -> None:
    window = open_window(section="iran-russia/wrap-up", size=None)
    window.previous_section()
    assert window.current.id == "global-impact"
    window.next_section()
    assert window.current.id == "wrap-up"


def test_content_problems_are_shown_not_raised(open_window, tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe")
    window = open_window(content=tmp_path, size=None)
    assert "No briefing could be opened" in window.article.toPlainText()
    assert "not valid UTF-8" in window.article.toPlainText()


def test_a_big_library_opens_its_briefings_only_when_that_shows_few_rows(open_window, tmp_path) -> None:
    """A library of many large briefings starts with them closed (opening 1,000 briefings of 100
    sections laid out 100,000 rows: 1.2 s of the start); the shown section's branch is open."""
    from tests.ui.library.test_large_filter import big_library

    many = open_window(big_library(tmp_path / "many", briefings=80, per=40), size=(1000, 700))
    tops = [many.proxy.index(r, 0) for r in range(many.proxy.rowCount())]
    assert len(many.library) > 2000 and sum(many.proxy.rowCount(i) for i in tops) > 3000
    shown = many.visible_section()
    assert shown is not None
    opened = [many.proxy.section(i) for i in tops if many.tree.isExpanded(i)]
    assert opened == [shown.briefing.root] if shown.depth else opened in ([], [shown])
    few = open_window(big_library(tmp_path / "few", briefings=40, per=30), data=tmp_path / "d2",
                      size=(1000, 700))
    tops = [few.proxy.index(r, 0) for r in range(few.proxy.rowCount())]
    assert len(few.library) > 2000 and sum(few.proxy.rowCount(i) for i in tops) <= 3000
    assert all(few.tree.isExpanded(i) for i in tops)
