"""The kinds of marks the window paints over text, and the style a theme gives each.

A mark is painted by *kind* (a search hit, a highlight colour, a note ...); the theme says how each
kind looks (`Theme.style(kind)`), so a feature never names a colour and a live theme switch only
has to paint the same marks again. The kinds are a closed set: adding one means adding its style
to every theme (tests/ui/reading/test_marks.py checks that each has one).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from PySide6.QtGui import QColor


class Shape(Enum):
    """How a mark is drawn over its range."""

    FILL = "fill"  # a background behind the text, with a text colour legible on it
    OUTLINE = "outline"  # a box around the range, the text left as it is
    BOXED = "boxed"  # a fill inside a box: search and find hits, told from highlights by shape
    UNDERLINE = "underline"  # a dotted line under the text


class MarkKind(Enum):
    """What a range painted over the article is; the values name the kinds in the theme tables."""

    SEARCH_HIT = "search"
    CURRENT_HIT = "search_current"
    FIND_MATCH = "find"
    FIND_CURRENT = "find_current"
    HIGHLIGHT_YELLOW = "yellow"
    HIGHLIGHT_GREEN = "green"
    HIGHLIGHT_BLUE = "blue"
    HIGHLIGHT_PINK = "pink"
    HIGHLIGHT_PURPLE = "purple"
    NOTE = "note"

    @classmethod
    def highlight(cls, color: str) -> MarkKind:
        """The kind of a highlight in an annotation colour (`reader.annotations.COLORS`);
        an unknown colour (a newer database) paints yellow."""
        return HIGHLIGHTS.get(color, cls.HIGHLIGHT_YELLOW)


HIGHLIGHTS = {k.value: k for k in MarkKind if k.name.startswith("HIGHLIGHT_")}


class ChangeTone(Enum):
    """Colours of the updates feature: list entries by change, diff words inserted / deleted."""

    NEW = "new"  # the values of reader.updates.ChangeKind
    CHANGED = "changed"
    REMOVED = "removed"
    INSERTED = "ins"  # the CSS classes of reader.updates.diff's HTML
    DELETED = "del"


# A theme table's entry: (shape, background, foreground, line, marker) as hex colours or None.
Entry = tuple[Shape, str | None, str | None, str | None, str | None]


# A NamedTuple, not a dataclass: about 0.2 ms to define instead of 1.4, on the first screen's path.
class MarkStyle(NamedTuple):
    """How a kind looks on a theme. `background` and `foreground` are the fill and the text on
    it (None: left as it is); `line` is the outline's or underline's colour; `marker` fills the
    small sign drawn after a note."""

    shape: Shape
    background: QColor | None = None
    foreground: QColor | None = None
    line: QColor | None = None
    marker: QColor | None = None


def fill(background: str, foreground: str) -> Entry:
    """A table entry (see `Theme.styles`): a background with legible text on it."""
    return (Shape.FILL, background, foreground, None, None)


def underline(line: str, marker: str | None = None) -> Entry:
    """A table entry: a dotted underline, and the fill of a marker drawn after the range."""
    return (Shape.UNDERLINE, None, None, line, marker)


def text_colour(foreground: str) -> Entry:
    """A table entry for a text colour alone (list entries)."""
    return (Shape.FILL, None, foreground, None, None)


def boxed(background: str, foreground: str, line: str) -> Entry:
    """A table entry: a fill with legible text, inside a box in `line` (a hit: its shape, not
    only its tint, tells it from a highlight of a similar colour)."""
    return (Shape.BOXED, background, foreground, line, None)


def outline(line: str) -> Entry:
    """A table entry: a box around the range in `line`, no fill."""
    return (Shape.OUTLINE, None, None, line, None)


@lru_cache(maxsize=128)  # a few dozen entries, asked for at every repaint
def style_of(entry: Entry) -> MarkStyle:
    """The style of a table entry, its hex colours as QColors (shared: do not change them)."""
    shape, background, foreground, line, marker = entry
    return MarkStyle(shape, *(QColor(c) if c else None for c in (background, foreground, line, marker)))
