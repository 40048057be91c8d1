"""What to print, without Qt: the sections of a print job, its options, and the annotation records
printing accepts.

The Qt layout lives in `reader.qtgui.printing`; this half is plain Python so the command line can
parse its options and other features can hand over annotations without importing Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from urllib.parse import unquote

from reader.content.model import Briefing, Section

PAGE_SIZES = ("A4", "Letter", "A5", "Legal")
DEFAULT_HIGHLIGHT = "#ffe58a"


class PrintError(Exception):
    """Printing could not start or finish; the message is meant for the user."""


class Cancelled(PrintError):
    def __init__(self) -> None:
        super().__init__("printing cancelled")


class Stage(IntEnum):
    """The steps of a print, in order, as progress reports name them."""

    SECTIONS = 0  # each section's HTML (Markdown rendered unless cached): done/total sections
    LAYOUT = 1  # paginating, keeping headings with their text: done/total text blocks
    PAGES = 2  # painting: done/total pages


# (stage, done, total) -> False to cancel; called often, from whatever thread does the printing
Progress = Callable[[Stage, int, int], bool]


def report(progress: Progress | None, stage: Stage, done: int, total: int) -> None:
    """Pass a progress report on; raises Cancelled when the receiver answers False."""
    if progress is not None and not progress(stage, done, total):
        raise Cancelled()


class Scope(StrEnum):
    """Which sections a print job covers, relative to one section of a briefing."""

    SECTION = "section"  # the section's own body only
    SUBTREE = "subtree"  # the section and everything below it
    CHOSEN = "chosen"  # an explicit set, printed in tree order
    BRIEFING = "briefing"  # the whole briefing the section belongs to


@dataclass(frozen=True)
class PrintAnnotation:
    """One highlight (and optional note) to print, anchored in `section_plain_text(section)`.

    `start`/`end` are character offsets into the section's plain text (end exclusive), the same
    unit the annotation store anchors to. `color` is any CSS/Qt colour name or `#rrggbb`.
    `note` is plain text; `note_html`, when given, is the same note as sanitised inline HTML
    (no <p> of its own: it goes inside the printed note's paragraph) and is printed instead.
    """

    section_key: str
    start: int
    end: int
    color: str = DEFAULT_HIGHLIGHT
    note: str = ""
    note_html: str = ""


@dataclass
class PrintOptions:
    """How to print; page settings are plain values so they can be stored and passed on the CLI."""

    include_highlights: bool = False
    include_notes: bool = False
    page_size: str = "A4"  # one of PAGE_SIZES
    landscape: bool = False
    # left, top, right, bottom in millimetres: the text block; header/footer sit inside it
    margins_mm: tuple[float, float, float, float] = (25.0, 16.0, 25.0, 16.0)
    font_size: float = 11.0  # body text in points; headings scale from it


@dataclass
class PrintJob:
    """The sections of one briefing to print, in tree order, with their annotations."""

    briefing: Briefing
    sections: list[Section]
    options: PrintOptions = field(default_factory=PrintOptions)
    annotations: Sequence[PrintAnnotation] = ()

    @property
    def title(self) -> str:
        return self.briefing.title

    @property
    def covers_whole_briefing(self) -> bool:
        return len(self.sections) == sum(1 for _ in self.briefing.sections())

    def annotations_for(self, section: Section) -> list[PrintAnnotation]:
        """This section's annotations in text order (those outside its text are dropped)."""
        key = section.key
        found = [a for a in self.annotations if a.section_key == key and 0 <= a.start < a.end]
        return sorted(found, key=lambda a: (a.start, a.end))


def in_tree_order(sections: Iterable[Section]) -> list[Section]:
    """Distinct sections sorted in their briefing's reading order."""
    chosen = {id(s): s for s in sections}
    if not chosen:
        return []
    briefings = {id(s.briefing): s.briefing for s in chosen.values() if s.briefing is not None}
    ordered = [s for b in briefings.values() for s in b.sections() if id(s) in chosen]
    return ordered


def select_sections(anchor: Section, scope: Scope, chosen: Iterable[Section] = ()) -> list[Section]:
    """The sections a scope covers around `anchor`; CHOSEN uses `chosen` (anchor's briefing only)."""
    if scope is Scope.SECTION:
        return [anchor]
    if scope is Scope.SUBTREE:
        return list(anchor.walk())
    if scope is Scope.BRIEFING:
        root = anchor.briefing.root if anchor.briefing else anchor
        return list(root.walk())
    own = [s for s in chosen if s.briefing is anchor.briefing]
    return in_tree_order(own)


def make_job(
    sections: Sequence[Section],
    options: PrintOptions | None = None,
    annotations: Iterable[PrintAnnotation] = (),
) -> PrintJob:
    """A job over sections of one briefing; raises ValueError for none or mixed briefings."""
    ordered = in_tree_order(sections)
    briefings = {id(s.briefing) for s in ordered}
    if not ordered or ordered[0].briefing is None:
        raise ValueError("nothing to print: no sections chosen")
    if len(briefings) > 1:
        raise ValueError("choose sections of one briefing per print")
    return PrintJob(ordered[0].briefing, ordered, options or PrintOptions(), list(annotations))


def link_target(href: str) -> str | None:
    """What to print after a link that leaves the briefing; None for links inside it."""
    if href.startswith(("http://", "https://")):
        return unquote(href)
    if href.startswith("mailto:"):
        return unquote(href[len("mailto:"):])
    return None
