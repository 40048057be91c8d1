"""Hits and highlights told apart by shape: search and find hits are boxed (a fill inside an
outline), highlights are plain fills; and the colour-blind-safe highlight palette (View ▸
Colour-Blind-Safe Highlight Colours): legible on every theme, apart under simulated colour
blindness, applied live, remembered."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from reader.annotations import COLORS, AnnotationStore
from reader.ui.kit.marks import MarkKind, Shape
from reader.ui.kit.themes import SAFE_HIGHLIGHTS, THEMES, with_safe_highlights
from reader.ui.reading.marks import Mark, line_rects
from reader.ui.shell.main_window import MainWindow
from tests.ui.contrast import WCAG_AA, ratio
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
HITS = (MarkKind.SEARCH_HIT, MarkKind.CURRENT_HIT, MarkKind.FIND_MATCH, MarkKind.FIND_CURRENT)
HIGHLIGHTS = [MarkKind.highlight(c) for c in COLORS]
QUOTE = "strategic partnership between Iran and Russia"

# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
APART = 8.0  # CIELAB distance: two swatches side by side are told apart at a glance


def _linear(v: int) -> float:
    s = v / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def seen_as(colour: QColor, matrix) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """CIELAB of a colour as seen with that colour blindness."""
    rgb = [_linear(colour.red()), _linear(colour.green()), _linear(colour.blue())]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def closest_pair(theme) -> float:  # type: ignore[no-untyped-def]
    """The smallest CIELAB distance between two highlight fills, over the colour blindnesses."""
    fills = [theme.style(k).background for k in HIGHLIGHTS]
    return min(
        math.dist(seen_as(a, m), seen_as(b, m))
        for m in CVD.values()
        for a, b in itertools.combinations(fills, 2)
    )


@pytest.mark.parametrize("name", sorted(THEMES))
def test_hits_are_boxed_and_highlights_are_not(name: str) -> None:
    theme = THEMES[name]
    page = QColor(theme.page)
    for kind in HITS:
        style = theme.style(kind)
        assert style.shape is Shape.BOXED, (name, kind)
        assert ratio(style.background, style.foreground) >= WCAG_AA, (name, kind)
        assert ratio(style.line, page) >= 3.0, (name, kind)  # a graphic: WCAG's 3:1
    for kind in HIGHLIGHTS:
        assert theme.style(kind).shape is Shape.FILL, (name, kind)


@pytest.mark.parametrize("name", sorted(THEMES))
def test_the_safe_palette_is_legible_and_apart_for_colour_blind_readers(name: str) -> None:
    safe = with_safe_highlights(THEMES[name])
    assert set(SAFE_HIGHLIGHTS[name]) == set(HIGHLIGHTS)
    page = QColor(safe.page)
    for kind in HIGHLIGHTS:
        style = safe.style(kind)
        assert ratio(style.background, style.foreground) >= WCAG_AA, (name, kind)
        assert style.background != page
    assert closest_pair(safe) >= APART, name
    assert with_safe_highlights(THEMES[name]) is safe  # one variant: identity checks hold
    assert safe.style(MarkKind.SEARCH_HIT) == THEMES[name].style(MarkKind.SEARCH_HIT)


def test_the_regular_palette_is_what_the_safe_one_fixes() -> None:
    """Why there is a safe palette: two regular dark highlights look alike to a deuteranope."""
    assert closest_pair(THEMES["dark"]) < 3.0


def viewport_image(window: MainWindow) -> QImage:
    QApplication.processEvents()
    return window.article.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def first_line(window: MainWindow, start: int, end: int) -> QRect:
    article = window.article
    [first, *_] = line_rects(article.document(), start, end)
    dx, dy = article.horizontalScrollBar().value(), article.verticalScrollBar().value()
    return first.translated(-dx, -dy).toAlignedRect()


def top_edge(image: QImage, box: QRect) -> Counter[str]:
    return Counter(image.pixelColor(x, box.top()).name() for x in range(box.left(), box.right()))


def test_a_hit_is_painted_boxed_beside_a_highlight_of_the_same_tint(open_window) -> None:
    window = open_window(size=(1100, 800), restore=False)
    window.set_theme("light")
    window.show_section(window.library.find("deepening-ties"))
    article = window.article
    hit = article.document().find("biggest stories")
    article.setTextCursor(article.document().find(QUOTE))
    annotations_of(window).highlight("yellow")
    [painted] = annotations_of(window).painted
    article.set_marks("search", [Mark(hit.selectionStart(), hit.selectionEnd(), MarkKind.SEARCH_HIT)])
    image = viewport_image(window)
    theme = THEMES["light"]
    line = theme.style(MarkKind.SEARCH_HIT).line.name()
    hit_box = first_line(window, hit.selectionStart(), hit.selectionEnd())
    assert top_edge(image, hit_box)[line] >= hit_box.width() - 2  # the box
    inside = Counter(
        image.pixelColor(x, hit_box.center().y()).name()
        for x in range(hit_box.left() + 2, hit_box.right() - 2)
    )
    assert inside[theme.style(MarkKind.SEARCH_HIT).background.name()] > 0  # and its fill
    highlight_box = first_line(window, painted.start, painted.end)
    assert top_edge(image, highlight_box)[line] == 0  # a highlight has no box


def test_the_safe_palette_applies_live_and_is_remembered(open_window, data_dir: Path) -> None:
    window = open_window(size=(1100, 800), restore=False)
    window.set_theme("dark")
    window.show_section(window.library.find("deepening-ties"))
    article = window.article
    article.setTextCursor(QTextCursor(article.document().find(QUOTE)))
    ctl = annotations_of(window)
    ctl.highlight("green")
    action = window.actions_by_name["safe_highlights"]
    assert not action.isChecked() and action.text().replace("&", "") == (
        "Colour-Blind-Safe Highlight Colours"
    )

    def painted_fill() -> str:
        [sel] = article.extraSelections()
        return sel.format.background().color().name()

    regular = THEMES["dark"].style(MarkKind.HIGHLIGHT_GREEN).background.name()
    safe = with_safe_highlights(THEMES["dark"]).style(MarkKind.HIGHLIGHT_GREEN).background.name()
    assert painted_fill() == regular
    action.trigger()
    assert action.isChecked() and window.settings.safe_highlights
    assert painted_fill() == safe
    icon = window.actions_by_name["highlight_green"].icon().pixmap(14, 14).toImage()
    assert icon.pixelColor(7, 7).name() == safe  # the menu's swatches follow
    window.set_theme("sepia")  # a theme switch keeps the safe palette
    assert (
        painted_fill()
        == with_safe_highlights(THEMES["sepia"]).style(MarkKind.HIGHLIGHT_GREEN).background.name()
    )
    window.settings.sync()
    again = open_window(size=(1100, 800), restore=False)
    assert again.actions_by_name["safe_highlights"].isChecked()
    assert again.themes.current is with_safe_highlights(THEMES["sepia"])
    again.close()
    action.trigger()
    assert painted_fill() == THEMES["sepia"].style(MarkKind.HIGHLIGHT_GREEN).background.name()
    assert not window.settings.safe_highlights
    assert len(AnnotationStore.in_folder(data_dir).all()) == 1
