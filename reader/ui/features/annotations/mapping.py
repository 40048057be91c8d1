"""Map between positions in the article's QTextDocument and offsets in a section's plain text.

Annotations count characters of `section_plain_text(section)`; the page shows the section and its
sub-sections as rich text whose whitespace differs (one newline per block instead of a blank line,
list bullets, title metadata...). For each section on the page we take the document text between
its heading and the next heading, drop whitespace on both sides and find the section's text in it;
the non-space characters then correspond one to one.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

from PySide6.QtGui import QTextDocument

from reader.content import Section, section_plain_text

log = logging.getLogger(__name__)
_SKIP = "\ufffc"  # object replacement character: images are not in the plain text


def _compact(text: str, base: int = 0) -> tuple[str, list[int]]:
    """The text without whitespace, and for each kept character its index (+ base)."""
    idx = [i + base for i, ch in enumerate(text) if not ch.isspace() and ch != _SKIP]
    return "".join(text[i - base] for i in idx), idx


@dataclass
class _Region:
    section: Section
    doc_start: int  # first document position of the body (after the heading)
    doc_end: int
    doc_idx: list[int]  # document positions of the body's non-space characters, in order
    plain_idx: list[int]  # plain-text offsets of the same characters


class PageMap:
    """Positions of every section body on the page shown for `page` (a section and its subtree)."""

    def __init__(self, document: QTextDocument, page: Section) -> None:
        self.regions: list[_Region] = []
        text = document.toPlainText()  # one character per document position
        heads = _heading_positions(document, {s.id for s in page.walk()})
        order = [s for s in page.walk() if s.id in heads]
        for i, section in enumerate(order):
            start = document.findBlock(heads[section.id]).next().position()
            end = heads[order[i + 1].id] if i + 1 < len(order) else len(text)
            region = _match(section, text, start, end)
            if region is not None:
                self.regions.append(region)

    def region(self, section: Section) -> _Region | None:
        return next((r for r in self.regions if r.section is section), None)

    def locate(self, doc_start: int, doc_end: int) -> tuple[Section, int, int] | None:
        """A document selection as (section, start, end) in that section's plain text.

        A selection running into the next section is cut at the end of the first one.
        """
        for r in self.regions:
            if not r.doc_idx or not r.doc_start <= doc_start < r.doc_end:
                continue
            j = bisect.bisect_left(r.doc_idx, doc_start)
            k = bisect.bisect_left(r.doc_idx, min(doc_end, r.doc_end)) - 1
            if j >= len(r.doc_idx) or k < j:
                return None
            return r.section, r.plain_idx[j], r.plain_idx[k] + 1
        return None

    def doc_range(self, section: Section, start: int, end: int) -> tuple[int, int] | None:
        """Document positions of `section_plain_text(section)[start:end]`, if it is on the page."""
        r = self.region(section)
        if r is None or end <= start:
            return None
        j = bisect.bisect_left(r.plain_idx, start)
        k = bisect.bisect_left(r.plain_idx, end) - 1
        if j >= len(r.plain_idx) or k < j:
            return None
        return r.doc_idx[j], r.doc_idx[k] + 1


def _heading_positions(document: QTextDocument, ids: set[str]) -> dict[str, int]:
    """Document position of the heading block that carries each section's anchor."""
    found: dict[str, int] = {}
    block = document.begin()
    while block.isValid() and len(found) < len(ids):
        it = block.begin()
        while not it.atEnd():
            for name in it.fragment().charFormat().anchorNames():
                if name in ids and name not in found:
                    found[name] = block.position()
            it += 1
        block = block.next()
    return found


def _match(section: Section, text: str, start: int, end: int) -> _Region | None:
    plain = section_plain_text(section)
    body, doc_idx = _compact(text[start:end], start)
    want, plain_idx = _compact(plain)
    at = body.find(want)
    if at < 0:
        log.debug("section %s: page text does not match its plain text", section.key)
        return None
    return _Region(section, start, end, doc_idx[at:at + len(want)], plain_idx)
