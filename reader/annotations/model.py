"""The annotation record and its selector (W3C Web Annotation TextQuote + TextPosition idea).

Offsets always count characters of `reader.content.section_plain_text(section)`, the section's
own body as plain text; the quote, prefix and suffix let the anchor survive when that text changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from reader.annotations.colors import COLOR_HEX, COLORS, DEFAULT_COLOR  # noqa: F401 - re-exported

CONTEXT_CHARS = 32  # prefix/suffix length, as Hypothesis and the W3C examples use


class Kind(StrEnum):
    HIGHLIGHT = "highlight"
    NOTE = "note"
    BOOKMARK = "bookmark"  # marks a whole section: empty selector


def new_id() -> str:
    """A random UUID; `uuid` (and the `platform` module it pulls in) loads with the first one,
    not with the command line every start builds."""
    import uuid

    return str(uuid.uuid4())


def now_iso() -> str:
    """UTC timestamp with milliseconds; ISO strings of one format compare like the times."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def parse_time(value: str) -> datetime:
    """Parse an ISO timestamp from any source; naive times are taken as UTC."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Selector:
    """Where an annotation sits in a section's plain text."""

    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.exact

    @classmethod
    def from_range(cls, text: str, start: int, end: int) -> Selector:
        """Selector for `text[start:end]` with up to CONTEXT_CHARS of context either side."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"range {start}..{end} is outside a text of {len(text)} characters")
        return cls(
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS):start],
            suffix=text[end:end + CONTEXT_CHARS],
            start=start,
            end=end,
        )

    @classmethod
    def first_occurrence(cls, text: str, quote: str) -> Selector | None:
        """Selector for the first occurrence of `quote` in `text`, or None if it is not there."""
        i = text.find(quote) if quote else -1
        return None if i < 0 else cls.from_range(text, i, i + len(quote))


@dataclass(frozen=True)
class Annotation:
    """One highlight, note or bookmark on a section; `fingerprint` is the section's at creation."""

    briefing_id: str
    section_id: str
    kind: Kind = Kind.HIGHLIGHT
    selector: Selector = field(default_factory=Selector)
    color: str = DEFAULT_COLOR
    note: str = ""  # Markdown
    tags: tuple[str, ...] = ()
    fingerprint: str = ""
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)
    modified: str = ""

    def __post_init__(self) -> None:
        if not self.modified:
            object.__setattr__(self, "modified", self.created)
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "tags", tuple(sorted({t.strip() for t in self.tags if t.strip()})))

    @property
    def section_key(self) -> str:
        return f"{self.briefing_id}/{self.section_id}"

    @property
    def quote(self) -> str:
        return self.selector.exact

    def edited(self, **changes: Any) -> Annotation:
        """A copy with changes applied (fields by name, as `dataclasses.replace` takes them) and
        `modified` set to now."""
        return replace(self, **changes, modified=now_iso())
