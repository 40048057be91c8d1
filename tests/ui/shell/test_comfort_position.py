"""Reopening where the reader left off, reading progress, another content folder, title page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from reader.ui.kit.settings import Settings
from tests.conftest import write_briefing
from tests.ui.comfort_support import close
from tests.ui.top_level import visible_top_level

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
LONG = "\n\n".join(f"Paragraph {i} " + "word " * 80 for i in range(40))


def loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.folders.jobs.busy, timeout=10_000)


def two_briefings(folder: Path) -> Path:
    write_briefing(folder, "a.md", f"# Alpha\n{LONG}\n## A two\n{LONG}\n", id="alpha",
                   date="2026-02-01")
    write_briefing(folder, "b.md", f"# Beta\n{LONG}\n## B two\n{LONG}\n", id="beta",
                   date="2026-01-01")
    return folder


def test_reopen_restores_the_last_section_and_scroll(open_window, qtbot) -> None:
    window = open_window()
    window.show_section(window.library.find("iran-russia/looking-ahead"))
    bar = window.article.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    fraction = window.article.scroll_fraction()
    close(window)

    again = open_window()
    assert again.current.key == "iran-russia/looking-ahead"
    qtbot.waitUntil(lambda: abs(again.article.scroll_fraction() - fraction) < 0.01)
    assert again.article.verticalScrollBar().value() > 0


def test_section_option_wins_over_the_saved_place(open_window) -> None:
    window = open_window()
    window.show_section(window.library.find("iran-russia/looking-ahead"))
    close(window)
    again = open_window(section="iran-russia/wrap-up")
    assert again.current.key == "iran-russia/wrap-up"


def test_each_briefing_reopens_at_its_own_place(open_window, qtbot, data_dir, tmp_path, monkeypatch) -> None:
    first = two_briefings(tmp_path / "one")
    other = tmp_path / "two"
    write_briefing(other, "c.md", f"# Gamma\n{LONG}\n", id="gamma")
    window = open_window(content=first)
    window.show_section(window.library.find("alpha/a-two"))
    window.article.verticalScrollBar().setValue(200)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other))
    window.actions_by_name["open_folder"].trigger()  # File ▸ Open Content Folder…
    loaded(qtbot, window)  # the folder loads off the GUI thread
    assert [b.id for b in window.library.briefings] == ["gamma"]
    assert window.current.key == "gamma/gamma"
    assert window.settings.recent_folders == [str(other)]

    assert window.folders.open(str(first))  # File ▸ Open Recent ▸ first
    loaded(qtbot, window)
    assert window.current.key == "alpha/a-two"
    assert window.article.verticalScrollBar().value() == 200
    assert window.settings.recent_folders == [str(first), str(other)]
    assert window.ctx.library is window.library
    close(window)
    assert Settings(data_dir / "settings.ini").content_folder == str(first)


def test_recent_menu_lists_remembered_folders(open_window, qtbot, tmp_path) -> None:
    folder = two_briefings(tmp_path / "one")
    window = open_window()
    window.folders.open(str(folder))
    loaded(qtbot, window)
    close(window)
    again = open_window()  # starts on the remembered folder
    assert [b.id for b in again.library.briefings] == ["alpha", "beta"]
    again.folders.fill_recent()
    texts = [a.text() for a in again.registry.menu("recent").actions() if not a.isSeparator()]
    assert texts == ["&Bundled Briefings", f"&1 {folder}"]
    again.registry.menu("recent").actions()[0].trigger()
    loaded(qtbot, again)
    assert again.library.briefings[0].id == "iran-russia"


def test_a_folder_without_briefings_is_refused_with_a_message(open_window, qtbot, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    window = open_window()
    window.folders.open(str(empty))
    loaded(qtbot, window)
    assert window.library.briefings[0].id == "iran-russia"  # still reading
    boxes = visible_top_level(QMessageBox)
    assert boxes and "holds no briefing" in boxes[0].text()
    for box in boxes:
        box.close()
    assert window.settings.recent_folders == []


def test_progress_follows_scrolling(open_window, qtbot) -> None:
    window = open_window()
    assert window.position_label.text().startswith("Section 1 of 11 · about 14 min left")
    assert window.progress.value() == 0
    bar = window.article.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: window.position_label.text().startswith("Section 11 of 11"))
    assert "about 1 min left" in window.position_label.text()
    qtbot.waitUntil(lambda: window.progress.value() > 90)
    assert "% of Iran And Russia" in window.progress.accessibleDescription()


def test_title_page_shows_the_briefing_metadata(open_window, tmp_path) -> None:
    write_briefing(tmp_path, "m.md", "# Meta\nBody.\n", id="meta", date="2026-03-04",
                   author="A. Writer", version="2.1", summary="What it is about.")
    window = open_window(content=tmp_path)
    text = window.article.toPlainText()
    for expected in ("4 March 2026", "by A. Writer", "version 2.1", "What it is about."):
        assert expected in text


def test_a_stale_position_does_not_win_over_the_newer_last_section(open_window) -> None:
    """Leaving the title page saves its position; the app then ends before closing (a signal,
    a crash): `last_section` is newer than that position, and the newest place wins."""
    window = open_window()
    assert window.current.key == "iran-russia/iran-russia"
    window.show_section(window.library.find("iran-russia/countering-western-influence"))
    window.settings.sync()  # what reached the disk before the end; no closeEvent
    assert window.settings.position("iran-russia") == ("iran-russia/iran-russia", 0.0)

    again = open_window()
    assert again.current.key == "iran-russia/countering-western-influence"


def test_the_position_saved_after_last_section_wins(qtbot, data_dir) -> None:
    settings = Settings(data_dir / "settings.ini")
    settings.set_last_section("iran-russia/deepening-ties")
    settings.set_position("iran-russia", "iran-russia/looking-ahead", 0.25)
    assert settings.position_to_reopen("iran-russia") == ("iran-russia/looking-ahead", 0.25)
    settings.set_last_section("iran-russia/wrap-up")
    assert settings.position_to_reopen("iran-russia") is None
    assert settings.position("iran-russia") == ("iran-russia/looking-ahead", 0.25)  # kept


def test_the_position_is_written_to_disk_while_reading(open_window, qtbot, data_dir) -> None:
    """A moment after scrolling stops, the settings file on disk has the place (SIGKILL-proof);
    read here with configparser, as QSettings objects of one process share a cache."""
    import configparser

    from reader.ui.reading.history import SAVE_DELAY_MS

    window = open_window()
    window.show_section(window.library.find("iran-russia/looking-ahead"))
    bar = window.article.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    fraction = window.article.scroll_fraction()

    def on_disk() -> str:
        ini = configparser.ConfigParser()
        ini.read(data_dir / "settings.ini", encoding="utf-8")
        return ini.get("positions", "iran-russia", fallback="")

    assert not on_disk().startswith("iran-russia/looking-ahead")  # debounced, not at once
    qtbot.wait(SAVE_DELAY_MS // 2)
    assert not on_disk().startswith("iran-russia/looking-ahead")  # ... by SAVE_DELAY_MS
    qtbot.waitUntil(lambda: on_disk() == f"iran-russia/looking-ahead@{fraction:.6f}", timeout=3000)


def test_the_session_end_request_saves_the_state(open_window, monkeypatch) -> None:
    """commitDataRequest is connected and saves like closing (offscreen, no session manager
    sends one, and PySide cannot emit it without one: the slot is called as Qt would)."""
    from PySide6.QtCore import SIGNAL

    from reader.ui.app import shutdown

    window = open_window()
    saved: list[str] = []
    monkeypatch.setattr(window, "save_state", lambda: saved.append("saved"))
    app = QApplication.instance()
    before = app.receivers(SIGNAL("commitDataRequest(QSessionManager&)"))
    closer = shutdown.install(app, window)
    try:
        assert app.receivers(SIGNAL("commitDataRequest(QSessionManager&)")) == before + 1
        closer.commit_data(None)
    finally:
        closer.uninstall()
        app.commitDataRequest.disconnect(closer.commit_data)
    assert saved == ["saved"]
