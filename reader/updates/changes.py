"""What changed since the reader last read: per-section status new / changed / removed.

Two memories feed it:
- read marks (annotations store): section key -> fingerprint of the text the reader last read.
  They win: a section read in its current text has no marker, one read in another text is changed.
- the seen version of each briefing (`seen.py`): for sections without a read mark, the section as it
  was in that version is the baseline, so sections added since are *new*, sections gone since are
  *removed*, and edited ones are *changed* even if nobody marked them read. With no recorded version
  the newest older version still on disk is the baseline (the reader had it before the update).
The older text comes from older versions the library keeps; when it is gone a changed section is
still reported, only without a diff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from reader.content.library import Library
from reader.content.model import Briefing, Section
from reader.content.render import section_plain_text
from reader.updates.diff import WordDiff, word_diff


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True, eq=False)
class SectionChange:
    kind: ChangeKind
    section: Section  # the current section; for REMOVED the section in the older version
    old: Section | None = None  # the text last read or seen, if an older version keeps it

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def where(self) -> str:
        """Briefing › ... › section, for lists."""
        return " › ".join(self.section.path_titles)

    def diff(self) -> WordDiff | None:
        """Word diff from the text last read to the current one (None without the older text)."""
        if self.kind is not ChangeKind.CHANGED or self.old is None:
            return None
        return word_diff(section_text(self.old), section_text(self.section))

    def as_dict(self) -> dict[str, object]:
        d = self.diff()
        return {
            "kind": self.kind.value, "key": self.key, "title": self.title, "where": self.where,
            "old_version": version_label(self.old.briefing) if self.old and self.old.briefing else None,
            "inserted_words": len(d.inserted) if d else None,
            "deleted_words": len(d.deleted) if d else None,
        }


def section_text(section: Section) -> str:
    """What a diff compares: the heading, then the section's own plain text."""
    return f"{section.title}\n\n{section_plain_text(section)}"


def version_label(b: Briefing) -> str:
    return f"version {b.meta.version} of {b.meta.date}" if b.meta.version else b.meta.date


def baseline(library: Library, briefing: Briefing, seen: str | None) -> Briefing | None:
    """The version of `briefing` the reader is taken to have seen, if it is known and on disk."""
    older = library.older_versions(briefing.id)
    if seen is None:
        return older[0] if older else None
    if seen == briefing.fingerprint:
        return briefing
    return next((v for v in older if v.fingerprint == seen), None)


def find_text(library: Library, briefing: Briefing, section_id: str, fingerprint: str) -> Section | None:
    """The section `section_id` in whichever version has it with this fingerprint."""
    for version in [briefing, *library.older_versions(briefing.id)]:
        s = version.section(section_id)
        if s is not None and s.fingerprint == fingerprint:
            return s
    return None


def briefing_changes(
    library: Library, briefing: Briefing, read_marks: Mapping[str, str], seen: str | None
) -> list[SectionChange]:
    """Changes of one briefing: its sections in reading order, then the removed ones."""
    base = baseline(library, briefing, seen)
    if base is briefing:  # the version seen is the one shown: only read marks can differ (and
        base = None       # its sections' fingerprints, which read every body, are not needed)
    base_sections = {s.id: s for s in base.sections()} if base is not None else None
    out: list[SectionChange] = []
    for s in briefing.sections():
        mark = read_marks.get(s.key)
        if mark is not None:
            if mark != s.fingerprint:
                out.append(SectionChange(ChangeKind.CHANGED, s, find_text(library, briefing, s.id, mark)))
        elif base_sections is not None:
            old = base_sections.get(s.id)
            if old is None:
                out.append(SectionChange(ChangeKind.NEW, s))
            elif old.fingerprint != s.fingerprint:
                out.append(SectionChange(ChangeKind.CHANGED, s, old))
    if base is not None:
        out += [SectionChange(ChangeKind.REMOVED, old, old) for old in base.sections()
                if briefing.section(old.id) is None]
    return out


def compute_changes(
    library: Library, read_marks: Mapping[str, str], seen: Mapping[str, str]
) -> list[SectionChange]:
    """Every change in the library since the reader last read, in reading order."""
    out: list[SectionChange] = []
    for b in library.briefings:
        out += briefing_changes(library, b, read_marks, seen.get(b.id))
    return out


def seen_now(library: Library) -> dict[str, str]:
    """The seen-versions record that makes every briefing's current version the baseline."""
    return {b.id: b.fingerprint for b in library.briefings}
