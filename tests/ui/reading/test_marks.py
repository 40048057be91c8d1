"""The article's one marks API: every kind styled by every theme (and legible), a live switch
recolouring the marks of every layer as painted, outlines drawn as boxes, and the annotation
swatches following the theme."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QApplication

from reader.ui.kit.marks import ChangeTone, MarkKind, Shape, outline
from reader.ui.kit.themes import THEMES
from reader.ui.reading.marks import Mark, line_rects
from tests.ui.contrast import WCAG_AA, ratio
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
FILL_KINDS = [k for k in MarkKind if k is not MarkKind.NOTE]


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_kind_has_a_legible_style_on_every_theme(name: str) -> None:
    theme = THEMES[name]
    page, base = QColor(theme.page), QColor(theme.base)
    for kind in MarkKind:
        style = theme.style(kind)
        if style.shape is Shape.FILL:
            assert style.background is not None and style.foreground is not None, kind
            assert ratio(style.background, style.foreground) >= WCAG_AA, (name, kind)
            assert style.background != page, (name, kind)
        else:  # a line over the page: a graphic, WCAG's 3:1
            assert style.line is not None and ratio(style.line, page) >= 3.0, (name, kind)
    assert theme.style(MarkKind.NOTE).shape is Shape.UNDERLINE
    assert theme.style(MarkKind.NOTE).marker is not None
    for tone in (ChangeTone.NEW, ChangeTone.CHANGED, ChangeTone.REMOVED):  # list text on base
        foreground = theme.style(tone).foreground
        assert foreground is not None and ratio(foreground, base) >= WCAG_AA, (name, tone)
    for tone in (ChangeTone.INSERTED, ChangeTone.DELETED):
        style = theme.style(tone)
        assert style.background is not None and style.foreground is not None
        assert ratio(style.background, style.foreground) >= WCAG_AA, (name, tone)


def test_highlight_kinds_are_the_annotation_colours() -> None:
    from reader.annotations import COLORS

    kinds = [MarkKind.highlight(c) for c in COLORS]
    assert len(set(kinds)) == len(COLORS) and all(k.name.startswith("HIGHLIGHT_") for k in kinds)
    assert MarkKind.highlight("no such colour") is MarkKind.HIGHLIGHT_YELLOW


def span(window, text: str) -> tuple[int, int]:
    cursor = window.article.document().find(text)
    assert not cursor.isNull(), text
    return cursor.selectionStart(), cursor.selectionEnd()


def viewport_image(window) -> QImage:
    QApplication.processEvents()
    return window.article.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def range_box(window, start: int, end: int) -> QRect:
    """The first line of a range in viewport pixels."""
    article = window.article
    [first, *_] = line_rects(article.document(), start, end)
    dx, dy = article.horizontalScrollBar().value(), article.verticalScrollBar().value()
    return first.translated(-dx, -dy).toAlignedRect()


def colours_in(image: QImage, box: QRect) -> Counter[str]:
    return Counter(image.pixelColor(x, y).name() for y in range(box.top(), box.bottom() + 1)
                   for x in range(box.left(), box.right() + 1))


def test_a_theme_switch_recolours_the_marks_of_every_layer(open_window) -> None:
    window = open_window()
    window.set_theme("light")
    article = window.article
    hit, match, noted = span(window, "Hey everyone"), span(window, "Iran"), span(window, "Russia")
    article.set_marks("search", [Mark(*hit, MarkKind.CURRENT_HIT)])
    article.set_marks("find", [Mark(*match, MarkKind.FIND_MATCH)])
    article.set_marks("annotations", [Mark(*noted, MarkKind.HIGHLIGHT_PINK), Mark(*noted, MarkKind.NOTE)])
    expected = {hit: MarkKind.CURRENT_HIT, match: MarkKind.FIND_MATCH, noted: MarkKind.HIGHLIGHT_PINK}
    for name in ("dark", "sepia", "light", "dark"):
        window.set_theme(name)
        theme = THEMES[name]
        assert article.marks("annotations")[1] == Mark(*noted, MarkKind.NOTE)  # kept as data
        selections = article.extraSelections()  # formats copied: views into these die with them
        painted = {(s.cursor.selectionStart(), s.cursor.selectionEnd()): QTextCharFormat(s.format)
                   for s in selections}
        assert set(painted) == set(expected), name  # a note's fill and underline: one selection
        image = viewport_image(window)
        for where, kind in expected.items():
            style, fmt = theme.style(kind), painted[where]
            assert fmt.background().color() == style.background, (name, kind)
            assert fmt.foreground().color() == style.foreground, (name, kind)
            assert colours_in(image, range_box(window, *where))[style.background.name()] > 20, (name, kind)
        note = painted[noted]
        assert note.underlineStyle() == note.UnderlineStyle.DotLine
        assert note.underlineColor() == theme.style(MarkKind.NOTE).line, name
        assert not painted[hit].hasProperty(QTextFormat.Property.TextUnderlineStyle)


def test_outline_paints_a_box_in_its_line_colour_and_no_fill(open_window) -> None:
    window = open_window()
    window.set_theme("light")
    article = window.article
    magenta = "#ff00ff"
    boxed = dataclasses.replace(THEMES["light"],
                                styles={**THEMES["light"].styles, MarkKind.SEARCH_HIT: outline(magenta)})
    article.set_theme(boxed)
    where = span(window, "Hey everyone")
    assert colours_in(viewport_image(window), article.viewport().rect())[magenta] == 0
    article.set_marks("search", [Mark(*where, MarkKind.SEARCH_HIT)])
    assert article.extraSelections() == []  # an outline is no format: the text is left as it is
    image = viewport_image(window)
    box = range_box(window, *where)
    top = colours_in(image, QRect(box.left(), box.top(), box.width(), 1))
    left = colours_in(image, QRect(box.left(), box.top(), 1, box.height()))
    assert top[magenta] >= box.width() - 2 and left[magenta] >= box.height() - 2, (top, left)
    inside = colours_in(image, box.adjusted(2, 2, -2, -2))
    assert magenta not in inside
    assert inside.most_common(1)[0][0] == QColor(THEMES["light"].page).name()  # no fill
    article.set_marks("search", [])
    assert colours_in(viewport_image(window), article.viewport().rect())[magenta] == 0


def test_annotation_swatches_are_the_themes_colours(open_window) -> None:
    window = open_window()
    window.set_theme("light")  # before selecting: a switch re-renders the page
    window.show_section(window.library.find("deepening-ties"))
    cursor = window.article.document().find("strategic partnership between Iran and Russia")
    window.article.setTextCursor(QTextCursor(cursor))
    ctl = annotations_of(window)
    assert ctl.highlight("blue") is not None
    model = ctl.dock.all.model

    def swatch() -> QColor:
        [group] = [model.index(r, 0) for r in range(model.rowCount())]
        return model.index(0, 0, group).data(Qt.ItemDataRole.DecorationRole)

    def icon_colour(color: str) -> str:
        icon = window.actions_by_name[f"highlight_{color}"].icon()
        return icon.pixmap(14, 14).toImage().pixelColor(7, 7).name()

    for name in ("dark", "sepia", "light", "dark"):
        window.set_theme(name)
        blue = THEMES[name].style(MarkKind.HIGHLIGHT_BLUE).background
        assert swatch() == blue, name
        for color in ("yellow", "green", "blue", "pink", "purple"):
            want = THEMES[name].style(MarkKind.highlight(color)).background.name()
            assert icon_colour(color) == want, (name, color)
    assert THEMES["dark"].style(MarkKind.HIGHLIGHT_BLUE).background != THEMES["light"].style(
        MarkKind.HIGHLIGHT_BLUE).background
