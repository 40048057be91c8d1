"""Next / Previous Annotation (] and [): the caret moves to the next highlight or note of the
page shown, then on to the next section (in library order) that has one, wrapping around the
library; the status bar says which it is, for the eye and for a screen reader's live region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor

from reader.annotations import Kind
from reader.ui.reading.announce import announce

if TYPE_CHECKING:
    from reader.content import Section
    from reader.ui.features.annotations.feature import AnnotationsController
    from reader.ui.features.annotations.paint import Painted

QUOTE_CHARS = 60


def step_on_page(starts: list[int], at: int, delta: int) -> int | None:
    """Index in `starts` (sorted) of the first start after `at` (delta 1) or the last before it
    (delta -1); None when there is none on that side."""
    if delta > 0:
        return next((i for i, s in enumerate(starts) if s > at), None)
    return next((i for i in range(len(starts) - 1, -1, -1) if starts[i] < at), None)


class AnnotationWalker:
    """Moves the article's caret from annotation to annotation (see the module docstring)."""

    def __init__(self, ctl: AnnotationsController) -> None:
        self.ctl = ctl

    def step(self, delta: int) -> Painted | None:
        """Go to the next (1) or previous (-1) annotation; None (and a message) when there is
        none in the whole library."""
        ctl = self.ctl
        ctl.repaint()
        order = sorted(ctl.painted, key=lambda p: (p.start, p.end))
        cursor = ctl.article.textCursor()
        i = step_on_page([p.start for p in order], cursor.selectionStart(), delta)
        if i is not None:
            return self._land(order[i], order)
        section = self._next_section(delta)
        if section is None:
            announce(ctl.window.statusBar(), ctl.article, "No highlights or notes in the library.")
            return None
        ctl.window.open_reference(section.key)
        ctl.repaint()
        here = sorted(
            (p for p in ctl.painted if p.annotation.section_key == section.key),
            key=lambda p: (p.start, p.end),
        )
        if not here:
            return None
        return self._land(
            here[0] if delta > 0 else here[-1], sorted(ctl.painted, key=lambda p: (p.start, p.end))
        )

    def _next_section(self, delta: int) -> Section | None:
        """The first section after (or before) the page shown that has an annotation painted
        in the text, going round the library; the page's own sections come last."""
        ctl = self.ctl
        with_marks = {
            e.annotation.section_key
            for e in ctl.entries
            if e.anchor.attached and e.annotation.kind is not Kind.BOOKMARK
        }
        order = list(ctl.window.library.sections())
        page = ctl.window.current
        on_page = [s.key for s in page.walk()] if page is not None else []
        keys = [s.key for s in order]
        if on_page and on_page[-1 if delta > 0 else 0] in keys:
            edge = keys.index(on_page[-1 if delta > 0 else 0])
        else:
            edge = -1 if delta > 0 else len(order)
        if delta > 0:
            candidates = order[edge + 1 :] + order[: edge + 1]
        else:
            candidates = order[: max(edge, 0)][::-1] + order[max(edge, 0) :][::-1]
        return next(
            (s for s in candidates if s.key in with_marks and s.key not in on_page),
            next((s for s in candidates if s.key in with_marks), None),
        )

    def _land(self, p: Painted, page: list[Painted]) -> Painted:
        ctl = self.ctl
        cursor = QTextCursor(ctl.article.document())
        cursor.setPosition(p.start)
        ctl.article.setTextCursor(cursor)
        ctl.article.ensureCursorVisible()
        a = p.annotation
        noun = "Note" if a.kind is Kind.NOTE else "Highlight"
        quote = " ".join(a.quote.split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        announce(
            ctl.window.statusBar(),
            ctl.article,
            f"{noun} {page.index(p) + 1} of {len(page)} on this page ({a.color}): “{quote}”",
            6000,
        )
        return p
