"""Real documentation in the window (issue 16): images fitted to the column, crisp at high
pixel ratios and shown full size on a click; wide tables reachable; footnote links that land on
their note (and Back that returns); on the fixture corpus tests/content/fixtures/constructs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QImage, QTextBlock, QTextDocument, QTextFragment
from PySide6.QtWidgets import QApplication

from reader.ui.reading.article_view import ArticleView
from reader.ui.reading.image_viewer import ImageViewer
from reader.ui.reading.images import FittedImages
from tests.ui.top_level import visible_top_level

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
CORPUS = Path(__file__).resolve().parents[2] / "content" / "fixtures" / "constructs"
WIDE = (3000, 600)  # img/wide.png


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "constructs"
    shutil.copytree(CORPUS, folder)
    return folder.parent


def fragments(doc: QTextDocument) -> Iterator[tuple[QTextBlock, QTextFragment]]:
    """(block, fragment) of every text fragment of the document, in order."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield block, it.fragment()
            it += 1
        block = block.next()


def images_on_page(view: ArticleView) -> list[tuple[str, float, float, QPointF]]:
    """(name, width, height, top left in document coordinates) of each image as laid out."""
    doc = view.document()
    layout = doc.documentLayout()
    found = []
    for block, frag in fragments(doc):
        fmt = frag.charFormat()
        if fmt.isImageFormat():
            line = block.layout().lineForTextPosition(frag.position() - block.position())
            rect = layout.blockBoundingRect(block)
            x = line.cursorToX(frag.position() - block.position())[0]
            image = doc.resource(QTextDocument.ResourceType.ImageResource,
                                 QUrl(fmt.toImageFormat().name()))
            assert isinstance(image, QImage)
            size = image.deviceIndependentSize()
            found.append((fmt.toImageFormat().name(), size.width(), size.height(),
                          QPointF(rect.left() + x, rect.top() + line.y())))
    return found


def test_a_wide_image_fits_the_column_keeping_its_ratio(open_window, corpus: Path) -> None:
    window = open_window(corpus, "images", size=(1000, 700))
    view = window.article
    images = images_on_page(view)
    assert [name for name, *_ in images] == ["img/wide.png", "img/diagram.svg"]
    column = view.column_width()
    for name, width, _height, _ in images:
        assert width <= column, name
    _, width, height, _ = images[0]
    assert width == pytest.approx(column, abs=1)
    assert width / height == pytest.approx(WIDE[0] / WIDE[1], rel=0.01)
    assert view.document().size().width() <= view.viewport().width() + 1  # nothing runs past
    assert view.horizontalScrollBar().maximum() == 0


def test_images_follow_the_column_when_the_window_and_zoom_change(open_window, corpus: Path, qtbot) -> None:
    window = open_window(corpus, "images", size=(700, 700))
    view = window.article
    narrow = images_on_page(view)[0][1]
    window.resize(1300, 700)
    qtbot.waitUntil(lambda: images_on_page(view)[0][1] > narrow + 50)
    qtbot.wait(300)  # nothing more happens once resizing pauses
    assert images_on_page(view)[0][1] == pytest.approx(view.column_width(), abs=1)
    wide = images_on_page(view)[0][1]
    window.typography.zoom_in()
    qtbot.waitUntil(lambda: images_on_page(view)[0][1] != wide)
    assert images_on_page(view)[0][1] == pytest.approx(view.column_width(), abs=1)


def test_a_fitted_image_is_read_at_the_screens_pixel_ratio(tmp_path: Path) -> None:
    """Crisp at high DPI: the bitmap handed to Qt has the device pixels the column shows (no
    scaling when painted), and an SVG is drawn at that size, not scaled up after."""
    fitted = FittedImages()
    for ratio in (1.0, 2.0):
        image = fitted.load("w", CORPUS / "img" / "wide.png", 600, ratio)
        assert image is not None
        assert image.width() == 600 * ratio and image.devicePixelRatio() == ratio
        assert image.deviceIndependentSize().width() == 600
        svg = fitted.load("s", CORPUS / "img" / "diagram.svg", 600, ratio)
        assert svg is not None and svg.width() == 600 * ratio
    small = fitted.load("w", CORPUS / "img" / "wide.png", 5000, 2.0)
    assert small is not None and small.width() == WIDE[0] and small.devicePixelRatio() == 1.0
    assert fitted.shrunk("w") is None  # shown at its natural size: nothing more to see
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG not really")
    assert fitted.load("b", broken, 600, 1.0) is None


def test_a_click_on_a_shrunk_image_shows_it_at_full_size(open_window, corpus: Path, qtbot) -> None:
    window = open_window(corpus, "images", size=(1000, 700))
    view = window.article
    name, width, height, top_left = images_on_page(view)[0]
    view.verticalScrollBar().setValue(int(top_left.y()) - 20)
    QApplication.processEvents()
    point = QPoint(int(top_left.x() + width / 2) - view.horizontalScrollBar().value(),
                   int(top_left.y() + height / 2) - view.verticalScrollBar().value())
    assert view.image_at(point) is not None
    qtbot.mouseMove(view.viewport(), point)
    assert view.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    viewers = visible_top_level(ImageViewer)
    assert len(viewers) == 1
    viewer = viewers[0]
    assert viewer.windowTitle() == "A wide diagram"
    assert viewer.pixmap.deviceIndependentSize().toSize().width() == WIDE[0]
    viewer.close()
    # a click beside the image (on text) opens nothing
    assert view.image_at(QPoint(2, 2)) is None


def test_a_footnote_link_lands_on_its_note_and_back_returns(open_window, corpus: Path, qtbot) -> None:
    window = open_window(corpus, "constructs", size=(1000, 700))
    view = window.article
    refs = [h for h in hrefs(view) if h.startswith("#fn:")]
    assert refs, "the corpus's first section cites a footnote"
    before = view.verticalScrollBar().value()
    view.anchorClicked.emit(QUrl(refs[0]))
    QApplication.processEvents()
    assert "No section named" not in window.statusBar().currentMessage()
    assert view.verticalScrollBar().value() > before
    window.navigator.back()
    QApplication.processEvents()
    assert view.verticalScrollBar().value() == pytest.approx(before, abs=2)


def hrefs(view: ArticleView) -> list[str]:
    return [h for _, frag in fragments(view.document()) if (h := frag.charFormat().anchorHref())]


def test_each_section_on_a_page_keeps_its_own_footnotes(open_window, corpus: Path) -> None:
    """Two sections of one page both cite [^origin]: each link goes to its own section's note."""
    window = open_window(corpus, "constructs", size=(1000, 700))
    view = window.article
    names = [n for _, frag in fragments(view.document())
             for n in frag.charFormat().anchorNames() if n.startswith("fn")]
    assert len(names) == len(set(names)), names
    for href in (h for h in hrefs(view) if h.startswith("#fn")):
        assert href[1:] in names


WIDE_TABLES = """---
title: Wide Tables
date: 2026-12-01
---
# Wide Tables

## A Table Of Paths {#paths}

| Setting | Path |
|---|---|
| cache | `/var/lib/briefing-reader/cache/render/format-2/{long}.sqlite3` |
| index | `/var/lib/x` |

| a | b | c | d | e | f | g | h | i | j | k | l | m | n | o | p |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
| {cells} |

Text after the tables.
""".replace("{long}", "a" * 120).replace("{cells}", " | ".join(f"{w}-value" for w in (
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa")))


@pytest.mark.parametrize("size", [(1000, 700), (700, 600)])
def test_a_table_wider_than_the_column_is_never_cut(open_window, tmp_path: Path, size) -> None:
    """Every cell of a table too wide for the column is on the page: fitted (Qt wraps cells)
    or, where it cannot shrink more, reachable with the horizontal scroll bar."""
    folder = tmp_path / "content" / "wide"
    folder.mkdir(parents=True)
    (folder / "briefing.md").write_text(WIDE_TABLES, encoding="utf-8")
    window = open_window(tmp_path / "content", "paths", size=size)
    view = window.article
    doc = view.document()
    tables = [f for f in doc.rootFrame().childFrames() if f.__class__.__name__ == "QTextTable"]
    assert len(tables) == 2
    reach = view.viewport().width() + view.horizontalScrollBar().maximum()
    for table in tables:  # (Qt lets a fitted table's last cell padding pass the edge by 4 px)
        assert doc.documentLayout().frameBoundingRect(table).right() <= reach + 8
        for row in range(table.rows()):
            for column in range(table.columns()):
                cell = table.cellAt(row, column)
                first = doc.findBlock(cell.firstPosition())
                line = first.layout().lineAt(0)
                right = doc.documentLayout().blockBoundingRect(first).left() + line.naturalTextWidth()
                assert right <= reach, (row, column, right, reach)
