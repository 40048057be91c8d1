"""Themes: the article's colours follow the theme, the choice persists (marks: test_marks.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.paths import resource
from reader.ui.kit import themes
from reader.ui.kit.settings import Settings
from reader.ui.kit.themes import THEMES
from reader.ui.shell.main_window import MainWindow
from tests.ui.comfort_support import close

# The offscreen platform warns about window hints it cannot honour; harmless.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def page_pixel(window: MainWindow) -> QColor:
    """The colour actually painted in the article's left margin (no text there)."""
    image = window.article.grab().toImage()
    return image.pixelColor(8, image.height() // 2)


def heading_colour(window: MainWindow, title: str) -> QColor:
    cursor = window.article.document().find(title)
    assert not cursor.isNull(), title
    return cursor.charFormat().foreground().color()


def test_switching_theme_changes_the_article_colours(open_window) -> None:
    window = open_window()
    window.set_theme("light")
    light_page = page_pixel(window)
    light_h2 = heading_colour(window, "Deepening Ties")
    assert light_page.name() == THEMES["light"].page

    window.actions_by_name["theme_dark"].trigger()  # View ▸ Theme ▸ Dark
    assert page_pixel(window).name() == THEMES["dark"].page
    assert heading_colour(window, "Deepening Ties") != light_h2
    assert heading_colour(window, "Deepening Ties").lightnessF() > 0.6  # light on dark
    assert window.article.palette().color(QPalette.ColorRole.Text).name() == THEMES["dark"].text
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == THEMES["dark"].window
    assert window.actions_by_name["theme_dark"].isChecked()

    window.actions_by_name["theme_sepia"].trigger()
    assert page_pixel(window).name() == THEMES["sepia"].page
    assert "Iran And Russia" in window.article.toPlainText()  # same page, re-rendered


def test_theme_choice_persists(open_window, data_dir) -> None:
    window = open_window()
    window.set_theme("dark")
    close(window)
    assert Settings(data_dir / "settings.ini").theme == "dark"
    again = open_window()
    assert again.themes.current.name == "dark"
    assert page_pixel(again).name() == THEMES["dark"].page
    assert again.actions_by_name["theme_dark"].isChecked()


def test_follow_the_system_uses_the_colour_scheme(open_window, monkeypatch) -> None:
    monkeypatch.setattr(QGuiApplication.styleHints(), "colorScheme", lambda: Qt.ColorScheme.Dark,
                        raising=False)
    assert themes.system_theme_name() == "dark"
    monkeypatch.setattr(themes, "system_theme_name", lambda: "dark")
    window = open_window()
    assert window.settings.theme == "system"  # the default
    assert window.actions_by_name["theme_system"].isChecked()
    assert window.themes.current.name == "dark"
    monkeypatch.setattr(themes, "system_theme_name", lambda: "light")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the desktop switched
    assert page_pixel(window).name() == THEMES["light"].page


@pytest.mark.parametrize("name", sorted(THEMES))
def test_each_theme_has_its_article_css(name: str) -> None:
    css = resource(THEMES[name].css_file).read_text(encoding="utf-8")
    assert THEMES[name].text in css  # body text colour matches the page's
    base = resource("article-base.css").read_text(encoding="utf-8")
    assert "@serif@" in base and "@sans@" in base and "@mono@" in base


@pytest.mark.parametrize("name", sorted(THEMES))
def test_headings_keep_their_colour_not_the_link_colour(qapp, name: str) -> None:
    """Every heading's text sits in a named anchor (for scrolling): each theme must colour it as
    a heading, not as a link."""
    from PySide6.QtGui import QTextDocument

    from reader.content import load_library, render_section_html
    from reader.ui.reading.typography import article_css
    from tests.conftest import SEED

    theme = THEMES[name]
    css = resource(theme.css_file).read_text(encoding="utf-8")
    heading = re.search(r"^h2 \{ color: (#\w+); \}", css, re.M).group(1)
    link = re.search(r"^a \{ color: (#\w+); \}", css, re.M).group(1)
    doc = QTextDocument()
    doc.setDefaultStyleSheet(article_css(theme, "serif", 13.0))
    section = load_library([SEED]).find("deepening-ties")
    doc.setHtml(render_section_html(section))
    cursor = doc.find("Military Cooperation: More Than Just Drills")  # an <h2> on that page
    colour = cursor.charFormat().foreground().color().name()
    assert colour == heading and colour != link


def test_the_window_is_styled_by_palettes_not_style_sheets(open_window, qtbot) -> None:
    """Style sheets route a widget through Qt's slower CSS styling; only the toolbars keep one,
    on themselves alone (Fusion's toolbar frame cannot be turned off otherwise), and the diff
    view of the updates dock, which installs after the first paint."""
    window = open_window()
    assert QApplication.instance().styleSheet() == ""
    styled = {w.objectName() or type(w).__name__ for w in window.findChildren(QWidget) if w.styleSheet()}
    assert styled <= {"NavigationToolBar", "AnnotationsToolbar", "DiffView"}, styled
    # What the tree's style sheet did: a 10.5 pt font and 3 px above and below each title.
    assert window.tree.font().pointSizeF() == 10.5
    plain = QStyledItemDelegate().sizeHint(_view_option(window.tree), window.tree.model().index(0, 0))
    assert window.tree.sizeHintForRow(0) == plain.height() + 6
    # The status bar's labels are quiet (the theme's `quiet` colour), whatever the theme.
    window.set_theme("dark")
    label = window.position_label
    assert label.foregroundRole() == QPalette.ColorRole.PlaceholderText
    # (widgets take a new application palette from the event loop)
    qtbot.waitUntil(lambda: label.palette().color(label.foregroundRole()).name() == THEMES["dark"].quiet)
    close(window)


def _view_option(view) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    return option


def test_a_new_application_uses_fusion(qapp) -> None:
    """make_app asks for Fusion on the command line of a new QApplication and sets it on an
    existing one; Fusion is the style that honours the theme palettes everywhere."""
    from reader.ui.app.application import make_app

    qapp.setStyle("Windows")
    assert make_app() is qapp
    assert qapp.style().name().lower() == "fusion"


def test_toolbar_icons_are_tinted_per_mode_and_rendered_when_asked(qapp, monkeypatch) -> None:
    renders: list[tuple[int, int, str]] = []  # (width, height, tint) of every SVG render

    class CountingRenderer(QSvgRenderer):
        def __init__(self, svg: QByteArray) -> None:
            super().__init__(svg)
            self.tint = next(t for t in ("#112233", "#aabbcc") if t.encode() in svg.data())

        def render(self, painter, bounds) -> None:
            renders.append((round(bounds.width()), round(bounds.height()), self.tint))
            super().render(painter, bounds)

    monkeypatch.setattr(themes, "QSvgRenderer", CountingRenderer)
    icon = themes.tinted_icon("zoom-in", "#112233", "#aabbcc")

    def opaque_colours(image):
        return {image.pixelColor(x, y).name() for x in range(image.width())
                for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255}

    assert renders == []  # nothing rendered until asked
    assert opaque_colours(icon.pixmap(22, 22).toImage()) == {"#112233"}
    assert opaque_colours(icon.pixmap(22, 22, QIcon.Mode.Disabled).toImage()) == {"#aabbcc"}
    sharp = icon.pixmap(QSize(22, 22), 2.0)  # a 200 % screen: drawn at 44 px, not scaled up
    assert sharp.size() == QSize(44, 44) and sharp.devicePixelRatio() == 2.0
    icon.pixmap(22, 22)  # asked again: the render is kept
    assert renders == [(22, 22, "#112233"), (22, 22, "#aabbcc"), (44, 44, "#112233")]


def test_changing_a_copy_of_a_tinted_icon_is_safe() -> None:
    """Changing a shared icon makes Qt clone its engine; the clone must outlive the Python
    call that made it (this crashed before). In a subprocess, so a crash is a failure here."""
    code = (
        "import gc\n"
        "from PySide6.QtGui import QIcon, QPixmap\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication(['x'])\n"
        "from reader.ui.kit import themes\n"
        "icon = themes.tinted_icon('zoom-in', '#112233', '#aabbcc')\n"
        "copy = QIcon(icon)\n"
        "copy.addPixmap(QPixmap(8, 8))\n"
        "del icon\n"
        "themes.tinted_icon.cache_clear()\n"
        "gc.collect()\n"
        "print(copy.pixmap(22, 22).width())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0 and done.stdout.strip() == "22", done.stderr[-1000:]
