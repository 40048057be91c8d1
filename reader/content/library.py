"""A library: every briefing found in one or more content folders, newest first."""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.content.hashing import new_fingerprint
from reader.content.model import Briefing, Section
from reader.content.parser import Problem, parse_briefing

if TYPE_CHECKING:
    from reader.content.library_cache import LibraryCache

BRIEFING_FILE = "briefing.md"  # the main file of a briefing kept in its own folder


@dataclass
class Library:
    briefings: list[Briefing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    # Older versions of shown briefings, newest first: removed sections stay readable and the
    # text last read can be diffed against the current one.
    older: dict[str, list[Briefing]] = field(default_factory=dict)
    _by_id: dict[str, Briefing] = field(default_factory=dict, repr=False)
    _order: list[Section] = field(default_factory=list, repr=False)
    _position: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {b.id: b for b in self.briefings}
        self._order = [s for b in self.briefings for s in b.sections()]
        self._position = {id(s): i for i, s in enumerate(self._order)}

    def __len__(self) -> int:
        """Number of sections in the whole library."""
        return len(self._order)

    def position(self, section: Section) -> int:
        """0-based reading-order position of a section in the library."""
        return self._position[id(section)]

    def after(self, section: Section, skip_children: bool = False) -> Section | None:
        """The next section in reading order (past the whole subtree when `skip_children`)."""
        i = self.position(section)
        if skip_children:
            i += sum(1 for _ in section.walk()) - 1
        return self._order[i + 1] if i + 1 < len(self._order) else None

    def before(self, section: Section) -> Section | None:
        i = self.position(section)
        return self._order[i - 1] if i > 0 else None

    @property
    def fingerprint(self) -> str:
        """Changes whenever any briefing's source changes; keys caches such as the search index."""
        h = new_fingerprint()
        for b in sorted(self.briefings, key=lambda b: b.id):
            h.update(f"{b.id}:{b.fingerprint}\n".encode())
        return h.hexdigest()

    def briefing(self, briefing_id: str) -> Briefing | None:
        return self._by_id.get(briefing_id)

    def sections(self) -> Iterator[Section]:
        return iter(self._order)

    def contains(self, section: Section) -> bool:
        """True for a section of a shown briefing (not of an older version)."""
        return id(section) in self._position

    def older_versions(self, briefing_id: str) -> list[Briefing]:
        """Older versions of a briefing that are still on disk, newest first."""
        return list(self.older.get(briefing_id, []))

    def find(self, ref: str) -> Section | None:
        """Resolve `briefing/section`, a bare section id (first briefing that has it) or a briefing id."""
        if "/" in ref:
            bid, _, sid = ref.partition("/")
            b = self._by_id.get(bid)
            return b.section(sid) if b else None
        for b in self.briefings:
            s = b.section(ref)
            if s is not None:
                return s
        b = self._by_id.get(ref)
        return b.root if b else None


def briefing_files(folder: Path) -> Iterator[Path | Problem]:
    """The briefing files in a content folder: `*.md` files and `*/briefing.md`."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        yield Problem(folder, 1, f"cannot read content folder: {exc.strerror or exc}")
        return
    root = folder.resolve()
    for entry in entries:
        if entry.name.startswith("."):
            continue
        candidate = entry / BRIEFING_FILE if entry.is_dir() else entry
        if candidate.suffix.lower() != ".md" or not candidate.is_file():
            continue
        if not candidate.resolve().is_relative_to(root):
            yield Problem(candidate, 1, "link points outside the content folder; skipped")
            continue
        yield candidate


def load_library(
    folders: Iterable[Path], progress: Callable[[int, int], None] | None = None,
    cache: LibraryCache | None = None,
) -> Library:
    """Load every briefing in the folders; unusable files become problems, never exceptions.

    Two files with the same briefing id are two versions of one briefing: the newest (by date,
    then version) is shown. `progress(files done, files)` is called before each file; an
    exception it raises (a cancelled background load) stops the load. With a `cache`, files
    unchanged since it was written are not parsed (reader.content.library_cache).
    """
    # The cyclic garbage collector stays off while the library is built: each of its passes
    # walks every object made so far, and 100,000 sections are ~1 million of them (a cached
    # load took 1.4 s with it, 0.33 s without). Nothing built here is garbage.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(list(folders), progress, cache)
    finally:
        if paused:
            gc.enable()


def _load(folders: list[Path], progress: Callable[[int, int], None] | None,
          cache: LibraryCache | None) -> Library:
    versions: dict[str, list[Briefing]] = {}
    problems: list[Problem] = []
    items = [item for folder in folders for item in briefing_files(folder)]
    for n, item in enumerate(items):
        if progress is not None:
            progress(n, len(items))
        if isinstance(item, Problem):
            problems.append(item)
            continue
        cached = cache.lookup(item) if cache is not None else None
        if cached is None:
            briefing, found = parse_briefing(item)
            if cache is not None:
                cache.remember(item, briefing, found)
        else:
            briefing, found = cached
        problems.extend(found)
        if briefing is None:
            continue
        versions.setdefault(briefing.id, []).append(briefing)
    if cache is not None:
        cache.save({str(item) for item in items if not isinstance(item, Problem)})
    newest: list[Briefing] = []
    older: dict[str, list[Briefing]] = {}
    for bid, copies in versions.items():
        # Stable sort: of two copies with the same date and version, the first folder's wins.
        copies.sort(key=version_key, reverse=True)
        current = copies[0]
        newest.append(current)
        seen = {current.fingerprint}
        for b in copies[1:]:
            if b.fingerprint not in seen:  # an identical copy is not another version
                seen.add(b.fingerprint)
                older.setdefault(bid, []).append(b)
    # Newest first; on the same date by title A to Z (two stable sorts: title, then date down).
    ordered = sorted(newest, key=lambda b: title_key(b.title))
    ordered.sort(key=lambda b: b.meta.date, reverse=True)
    return Library(briefings=ordered, problems=problems, folders=folders, older=older)


def title_key(title: str) -> tuple[str, str, str]:
    """Sorts titles as a dictionary does, without Qt's collator (the core has none): accents
    and case set aside first ("économie" with "Economie", before "Zinc"), numbers by their
    value ("Briefing 27" before "Briefing 251", as file managers list them), then case, then as
    written, so the order never depends on the process locale."""
    folded = title.casefold()
    base = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return _NUMBER.sub(_by_value, base), folded, title.swapcase()  # lower case first


_NUMBER = re.compile(r"\d+")


def _by_value(number: re.Match[str]) -> str:
    """A run of digits as its length then its digits, so that strings compare as numbers do
    ("27" -> "0227" < "03251" <- "251"); leading zeros set aside (the later keys tell "007"
    from "7")."""
    digits = number.group().lstrip("0") or "0"
    return f"{len(digits):03d}{digits}"


def version_key(b: Briefing) -> tuple[str, tuple[int, ...], str]:
    """Orders versions of one briefing: by date, then by version number."""
    parts = tuple(int(p) for p in b.meta.version.split(".") if p.isdigit())
    return (b.meta.date, parts, b.meta.version)
