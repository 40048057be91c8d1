"""Search hits on the page: `HitHighlighter` paints every hit of a query on the article's
"search" layer (the current one in its own kind), scrolls to the current hit and steps through
them (F3 / Shift+F3). The hits belong to the page they were found on: a new page forgets them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor

from reader.ui.reading.marks import Mark, MarkKind

if TYPE_CHECKING:
    from reader.search import HitMatcher
    from reader.ui.reading.article_view import ArticleView

LAYER = "search"


class HitHighlighter(QObject):
    """The hits of one query on the article's current page, and which of them is current."""

    def __init__(self, article: ArticleView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.article = article
        self._hits: list[tuple[int, int]] = []  # painted hit ranges in the page
        self._current = -1
        article.page_changed.connect(self.forget)  # the article dropped its marks already

    def show(self, matcher: HitMatcher, heading: str = "") -> None:
        """Paint every hit of `matcher` on the page and scroll to the first one at or after
        `heading`'s text (not one in the breadcrumb above it)."""
        text = self.article.document().toRawText()
        self._hits = matcher.spans(text)
        start = text.find(heading) if heading else 0
        self._current = next((i for i, (s, _e) in enumerate(self._hits) if s >= start), 0)
        self._paint()

    def follow_query(self, matcher: HitMatcher) -> None:
        """Hits painted on the page belong to the query they were opened from: once the query
        changes, the page shows the new query's hits (without scrolling), or none."""
        if not self._hits:
            return
        self._hits = matcher.spans(self.article.document().toRawText())
        self._current = -1  # F3 starts from the first; the view stays where it is
        self._paint()

    def step(self, delta: int) -> bool:
        """Make the hit `delta` away current and scroll to it; False when there are none."""
        if not self._hits:
            return False
        self._current = (self._current + delta) % len(self._hits)
        self._paint()
        return True

    def clear(self) -> None:
        """The query is gone: remove its hits from the page."""
        self.forget()
        self.article.set_marks(LAYER, [])

    def forget(self) -> None:
        """The page changed; its hits went with it."""
        self._hits, self._current = [], -1

    def hit_ranges(self) -> list[tuple[int, int]]:
        """(start, end) of every hit on the page, in document positions."""
        return list(self._hits)

    def current_hit(self) -> int:
        """Index of the current hit in `hit_ranges()`, or -1 for none."""
        return self._current

    def _paint(self) -> None:
        article = self.article
        article.set_marks(LAYER, [
            Mark(start, end, MarkKind.CURRENT_HIT if i == self._current else MarkKind.SEARCH_HIT)
            for i, (start, end) in enumerate(self._hits)])
        if 0 <= self._current < len(self._hits):
            cursor = QTextCursor(article.document())
            cursor.setPosition(self._hits[self._current][0])
            article.setTextCursor(cursor)
            article.ensureCursorVisible()
