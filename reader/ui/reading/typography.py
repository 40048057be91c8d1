"""Typography of the article: text size (zoom), serif or sans body text, the width of the
reading column, line spacing and page margins; all remembered in the settings.

Zoom scales every `pt` size in the theme's CSS (headings included) and the reading column, so a
zoomed page keeps its proportions. Ctrl+wheel is caught on the article's viewport before
QTextEdit's own zoom (which would change only the widget font and not be remembered).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QWheelEvent

from reader.paths import resource
from reader.qtgui.fonts import SANS, SERIF, fill_css, first_installed
from reader.ui.kit.settings import Settings
from reader.ui.kit.themes import Theme

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

BASE_SIZE: float = Settings.font_size.default  # the size the CSS files are written for
SIZES = [8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 18.0, 20.0, 22.0, 24.0, 28.0, 32.0]
WIDTHS = {"narrow": 600, "medium": 760, "wide": 960, "full": 0}  # px at 100 %; 0 = no limit
WIDTH_LABELS = {"narrow": "&Narrow", "medium": "&Medium", "wide": "&Wide", "full": "&Full Width"}
FAMILY_LABELS = {"serif": "&Serif", "sans": "S&ans-Serif"}
# Space around the text (px at 100 %), beside the reading width; "small" is Qt's own margin.
MARGINS = {"small": 4, "medium": 24, "large": 48}
MARGIN_LABELS = {"small": "&Small", "medium": "&Medium", "large": "&Large"}
LINE_SPACING = (1.2, 2.0)  # the range Preferences offers, in times the font's line height
CSS_LINE_SPACING = 1.5  # what article-base.css is written for (p: 150 %; lists a little less)
_PT = re.compile(r"(\d+(?:\.\d+)?)pt\b")
_LINE_HEIGHT = re.compile(r"line-height:\s*(\d+(?:\.\d+)?)%")


def step_size(size: float, steps: int) -> float:
    """The text size `steps` zoom levels away from `size` (clamped to the known levels)."""
    nearest = min(range(len(SIZES)), key=lambda i: abs(SIZES[i] - size))
    return SIZES[max(0, min(len(SIZES) - 1, nearest + steps))]


def scale_css(css: str, factor: float) -> str:
    """Multiply every point size in a style sheet by `factor` (rounded to a tenth)."""
    return _PT.sub(lambda m: f"{round(float(m.group(1)) * factor, 1):g}pt", css)


def space_lines(css: str, spacing: float) -> str:
    """Set the line spacing of a style sheet written for CSS_LINE_SPACING: every `line-height`
    in proportion, so lists stay a little tighter than paragraphs."""
    spacing = clamp_spacing(spacing)
    if spacing == CSS_LINE_SPACING:
        return css
    factor = spacing / CSS_LINE_SPACING
    return _LINE_HEIGHT.sub(lambda m: f"line-height: {round(float(m.group(1)) * factor)}%", css)


def clamp_spacing(spacing: float) -> float:
    """A line spacing within LINE_SPACING, to a tenth (a hand-edited settings file, say)."""
    return round(min(LINE_SPACING[1], max(LINE_SPACING[0], spacing)), 1)


def article_css(theme: Theme, family: str, size: float, spacing: float = CSS_LINE_SPACING) -> str:
    """The article style sheet for a theme, body family ("serif"/"sans"), body size and line
    spacing."""
    # Shared layout first, then the theme's colours (later rules win in Qt's cascade too).
    css = "\n".join(resource(name).read_text(encoding="utf-8")
                    for name in ("article-base.css", theme.css_file))
    return space_lines(scale_css(fill_css(css, family), size / BASE_SIZE), spacing)


def body_font(family: str, size: float) -> QFont:
    # QFont(family, pointSize) takes whole points and PySide6 truncated the float passed
    # before: int() keeps that (article_css scales the style sheet by the exact size).
    return QFont(first_installed(SANS if family == "sans" else SERIF), int(size))


def width_name(px: int) -> str:
    """The named width closest to a pixel value (for menus and the preferences)."""
    return min(WIDTHS, key=lambda n: abs((WIDTHS[n] or 10_000) - (px or 10_000)))


def margin_name(px: int) -> str:
    """The named page margin closest to a pixel value."""
    return min(MARGINS, key=lambda n: abs(MARGINS[n] - px))


class Typography(QObject):
    """Zoom, font family and width commands of one window; Ctrl+wheel on the article zooms."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._wheel = 0  # accumulated wheel delta: touchpads send many small steps
        window.article.viewport().installEventFilter(self)

    @property
    def size(self) -> float:
        return self.window.settings.font_size

    def zoom(self, steps: int) -> None:
        self.set_size(step_size(self.size, steps))

    def zoom_in(self) -> None:
        self.zoom(1)

    def zoom_out(self) -> None:
        self.zoom(-1)

    def reset(self) -> None:
        self.set_size(BASE_SIZE)

    def set_size(self, size: float) -> None:
        self.window.settings.font_size = float(size)
        self.window.apply_article_style()
        percent = round(100 * size / BASE_SIZE)
        self.window.statusBar().showMessage(f"Text size {percent} %", 2000)

    def set_family(self, family: str) -> None:
        self.window.settings.font_family = family if family in FAMILY_LABELS else "serif"
        self.window.apply_article_style()

    def set_width(self, name: str) -> None:
        self.window.settings.text_width = WIDTHS.get(name, WIDTHS["medium"])
        self.window.apply_article_style()

    def set_line_spacing(self, spacing: float) -> None:
        """Body line height in times the font's (clamped to LINE_SPACING)."""
        self.window.settings.line_spacing = clamp_spacing(spacing)
        self.window.apply_article_style()

    def set_margins(self, name: str) -> None:
        self.window.settings.page_margin = MARGINS.get(name, MARGINS["small"])
        self.window.apply_article_style()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(event, QWheelEvent):
            return False
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        self._wheel += event.angleDelta().y()
        steps = int(self._wheel / 120)  # truncates toward zero in both directions
        self._wheel -= steps * 120
        if steps:
            self.zoom(steps)
        return True  # never let QTextEdit zoom on its own
