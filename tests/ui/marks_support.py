"""The article's marks as tests read them: the text under each mark of a layer, and what the
view painted (its extra selections) as (text, background) pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from reader.ui.reading.article_view import ArticleView
    from reader.ui.reading.marks import Mark


def mark_text(article: ArticleView, mark: Mark) -> str:
    cursor = QTextCursor(article.document())
    cursor.setPosition(mark.start)
    cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def mark_texts(article: ArticleView, layer: str) -> list[str]:
    """The text under each of the layer's marks, in order."""
    return [mark_text(article, m) for m in article.marks(layer)]


def painted(article: ArticleView) -> list[tuple[str, str]]:
    """(text, background colour name) of every extra selection the view paints now."""
    return [(sel.cursor.selectedText(), sel.format.background().color().name())
            for sel in article.extraSelections()]
