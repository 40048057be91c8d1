"""Images in the article: fitted to the reading column, crisp on any screen, full size on a click.

`QTextDocument` draws an image at its natural size (a 3,000 px screenshot runs far past the
column) and scales with the painter's default, unsmoothed transform when told a smaller size.
So the view asks `FittedImages` for every image: one wider than the column is read already
scaled to the column's width in *device* pixels (smooth, and an SVG rendered at that size, not
scaled after), with the screen's pixel ratio set on it, so Qt lays it out at the column's width
and paints it pixel for pixel. When the column's width changes (window, zoom, reading width)
and an image's fit with it, the view renders the page again, reading them for the new width.
A click on a shrunk image opens it at full size (`ImageViewer`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

MIN_COLUMN = 120  # px: a column not laid out yet (a hidden view) is not a width to fit to


class Shown(NamedTuple):
    """How one image of the page is shown: its file, natural size, the width it was fitted to
    (0 = its natural size) and the pixel ratio it was read for."""

    path: Path
    natural: QSize
    fitted: int
    ratio: float


def image_reader(path: Path) -> QImageReader:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # a photo's EXIF rotation, as every viewer applies it
    return reader


def is_vector(reader: QImageReader) -> bool:
    return bytes(reader.format().data()).lower() in {b"svg", b"svgz"}


class FittedImages:
    """Reads the images of one document fitted to a column; remembers what it read."""

    def __init__(self) -> None:
        self.shown: dict[str, Shown] = {}  # by the name the document uses

    def clear(self) -> None:
        self.shown.clear()

    def load(self, name: str, path: Path, column: int, ratio: float) -> QImage | None:
        """The image at `path` as the document named `name` should paint it in a `column` px wide
        column on a screen of pixel ratio `ratio`; None when it cannot be read."""
        reader = image_reader(path)
        natural = reader.size()
        if not natural.isValid() or natural.isEmpty():  # a format that knows it only once read
            natural = reader.read().size()
            reader = image_reader(path)
        if natural.isEmpty():
            return None
        column = max(column, MIN_COLUMN)
        fitted = column if natural.width() > column else 0
        logical = natural.scaled(column, 1 << 24, Qt.AspectRatioMode.KeepAspectRatio) if fitted else natural
        # Read at the size it is painted at, in device pixels: smoothly scaled for a bitmap,
        # drawn at that size for a vector. A bitmap within the column is read as it is.
        at_size = bool(fitted) or is_vector(reader)
        if at_size:
            reader.setScaledSize(QSize(max(1, round(logical.width() * ratio)),
                                       max(1, round(logical.height() * ratio))))
        image = reader.read()
        if image.isNull():
            return None
        if at_size:
            image.setDevicePixelRatio(ratio)
        self.shown[name] = Shown(path, natural, fitted, ratio)
        return image

    def need_refit(self, column: int, ratio: float) -> bool:
        """Whether an image would be read otherwise for a column now `column` px wide on a
        screen of pixel ratio `ratio` (the page is then rendered again: Qt keeps no way to
        swap one image of a laid-out document that survives its next setHtml)."""
        column = max(column, MIN_COLUMN)
        for shown in self.shown.values():
            wanted = column if shown.natural.width() > column else 0
            if wanted != shown.fitted or (wanted and ratio != shown.ratio):
                return True
        return False

    def shrunk(self, name: str) -> Shown | None:
        """The image, when it is shown smaller than its natural size (a click shows it whole)."""
        shown = self.shown.get(name)
        return shown if shown is not None and shown.fitted else None


def show_full_size(parent: QWidget, shown: Shown, title: str) -> None:
    """A window with the image at its natural size, scrolled when larger than the screen."""
    from reader.ui.reading.image_viewer import ImageViewer

    ImageViewer(parent, natural_pixmap(shown.path, parent.devicePixelRatioF()),
                title or shown.path.name).show()


def natural_pixmap(path: Path, ratio: float) -> QPixmap:
    """The image at its natural size in logical pixels, a vector drawn crisp on a `ratio` screen."""
    reader = image_reader(path)
    size = reader.size()
    vector = is_vector(reader) and size.isValid()
    if vector:
        reader.setScaledSize(QSize(round(size.width() * ratio), round(size.height() * ratio)))
    image = reader.read()
    if vector:
        image.setDevicePixelRatio(ratio)
    return QPixmap.fromImage(image)
