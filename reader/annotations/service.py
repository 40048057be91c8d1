"""Annotations meet content: create them on a section's plain text, anchor them in the library.

The window and the command line both go through here, so "first occurrence of a quote", the
fingerprint of a new annotation and the status of an annotation mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from reader.annotations.anchoring import Anchor, Status, anchor_all
from reader.annotations.model import DEFAULT_COLOR, Annotation, Kind, Selector, now_iso
from reader.content import Library, Section, section_plain_text


def _ids(section: Section) -> tuple[str, str]:
    assert section.briefing is not None, "a section outside a briefing cannot be annotated"
    return section.briefing.id, section.id


def create(
    section: Section, start: int, end: int, kind: Kind = Kind.HIGHLIGHT,
    color: str = DEFAULT_COLOR, note: str = "", tags: Iterable[str] = (),
) -> Annotation:
    """A new annotation on `section_plain_text(section)[start:end]` (not yet stored)."""
    briefing_id, section_id = _ids(section)
    selector = Selector.from_range(section_plain_text(section), start, end)
    return Annotation(briefing_id, section_id, kind=kind, selector=selector, color=color,
                      note=note, tags=tuple(tags), fingerprint=section.fingerprint)


def create_for_quote(section: Section, quote: str, color: str = DEFAULT_COLOR, note: str = "",
                     tags: Iterable[str] = ()) -> Annotation | None:
    """A new annotation on the first occurrence of `quote`, or None if the section lacks it."""
    found = Selector.first_occurrence(section_plain_text(section), quote)
    if found is None:
        return None
    kind = Kind.NOTE if note else Kind.HIGHLIGHT
    return create(section, found.start, found.end, kind, color, note, tags)


def bookmark(section: Section) -> Annotation:
    """A bookmark marks the whole section: no selector."""
    briefing_id, section_id = _ids(section)
    return Annotation(briefing_id, section_id, kind=Kind.BOOKMARK, fingerprint=section.fingerprint)


def anchors_in_section(section: Section, annotations: Iterable[Annotation]) -> dict[str, Anchor]:
    """Anchor a section's annotations in its current text."""
    return anchor_all(section_plain_text(section), annotations)


def anchors_in_library(library: Library, annotations: Iterable[Annotation]) -> dict[str, Anchor]:
    """Status of every annotation against the content being read; a vanished section orphans."""
    by_key: dict[str, list[Annotation]] = {}
    for a in annotations:
        by_key.setdefault(a.section_key, []).append(a)
    out: dict[str, Anchor] = {}
    for key, items in by_key.items():
        section = library.find(key) if "/" in key else None
        if section is None or section.key != key:
            out.update({a.id: Anchor(Status.ORPHANED) for a in items})
        else:
            out.update(anchors_in_section(section, items))
    return out


def reattach(annotation: Annotation, section: Section, start: int, end: int) -> Annotation:
    """The annotation moved onto a new range of the section's current text (accept / re-attach)."""
    briefing_id, section_id = _ids(section)
    selector = Selector.from_range(section_plain_text(section), start, end)
    return replace(annotation, briefing_id=briefing_id, section_id=section_id, selector=selector,
                   fingerprint=section.fingerprint, modified=now_iso())


def citation(section: Section, quote: str) -> str:
    """Quote + briefing title + section + date, for the clipboard."""
    b = section.briefing
    where = " › ".join(section.path_titles[1:]) or section.title
    title = b.title if b else section.title
    date = b.meta.date if b else ""
    return f"“{quote.strip()}”\n— {title}, {where} ({date}) [{section.key}]"
