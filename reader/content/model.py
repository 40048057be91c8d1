"""Plain-Python briefing model: a briefing is a tree of sections parsed from Markdown."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reader.content.blocks import Definitions, with_definitions
from reader.content.hashing import fingerprint as digest


@dataclass(eq=False)
class Section:
    """One heading of a briefing and the Markdown body up to the next heading.

    `title` is plain text: the heading rendered with its inline Markdown stripped (`` The `Box<T>`
    type `` -> "The Box<T> type"), for lists, trees, window titles and search. `title_html` is
    the same as inline HTML (code spans, emphasis; never links) for places that show markup, and
    `heading` the heading as written, which ids and fingerprints are made from.
    """

    id: str
    title: str
    level: int  # 1 for the briefing root, 2 for `##`, ...
    markdown: str = ""
    line: int = 1  # 1-based line of the heading in the source file
    parent: Section | None = field(default=None, repr=False)
    children: list[Section] = field(default_factory=list, repr=False)
    briefing: Briefing | None = field(default=None, repr=False)
    row: int = 0  # index among the parent's children, cached for the Qt model
    heading: str = ""  # the heading's Markdown ("" = the title as given)
    title_html: str = ""  # "" = the title, escaped
    own_footnotes: list[str] = field(default_factory=list, repr=False)  # definitions in the body

    def __post_init__(self) -> None:
        if not self.heading:
            self.heading = self.title
        if not self.title_html:  # most titles have nothing to escape: 10,000 sections load
            t = self.title       # ~15 ms sooner without html.escape's three replaces
            self.title_html = html.escape(t, quote=False) if "&" in t or "<" in t or ">" in t else t

    @property
    def key(self) -> str:
        """Library-wide unique key: `briefing-id/section-id`."""
        assert self.briefing is not None
        return f"{self.briefing.id}/{self.id}"

    @property
    def depth(self) -> int:
        """0 for the briefing root, 1 for its sections, ..."""
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    @property
    def ancestors(self) -> list[Section]:
        """From the briefing root down to the parent of this section."""
        chain: list[Section] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path_titles(self) -> list[str]:
        return [s.title for s in self.ancestors] + [self.title]

    @cached_property
    def _with_definitions(self) -> tuple[str, str]:
        return self.split_definitions()

    def split_definitions(self) -> tuple[str, str]:
        """(the body less footnote definitions, the definitions it uses), worked out afresh."""
        defs = self.briefing.definitions if self.briefing is not None else None
        if not defs:
            return self.markdown, ""
        return with_definitions(self.markdown, defs, self.own_footnotes)

    @property
    def definitions(self) -> str:
        """The briefing's reference-link and footnote definitions this section uses, as Markdown
        ("" for none): each section renders alone, so it is given the ones it needs."""
        return self._with_definitions[1]

    @property
    def source(self) -> str:
        """The Markdown the renderer converts: the body (less footnote definitions, which go to
        the sections that cite them) and the definitions it uses."""
        body, used = self._with_definitions
        return f"{body}\n\n{used}" if used else body

    @cached_property
    def fingerprint(self) -> str:
        """Hash of this section's own heading and body (not its sub-sections) and of the
        definitions it uses (none: the same hash as before definitions counted); computed once."""
        data = f"{self.heading}\n{self.markdown}"
        if self.definitions:
            data += f"\n\x1f{self.definitions}"
        return digest(data.encode())

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class Metadata:
    title: str
    date: str  # ISO 8601 date, YYYY-MM-DD
    id: str = ""
    author: str = ""
    source: str = ""
    summary: str = ""
    language: str = "en"
    version: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class Briefing:
    """A parsed briefing: metadata plus the root section of its tree."""

    id: str
    meta: Metadata
    root: Section
    path: Path
    fingerprint: str  # hash of the source bytes
    definitions: Definitions = field(default_factory=Definitions, repr=False)
    # Section ids an older Briefing Reader gave (placeholders for non-Latin headings) -> today's,
    # only where they differ; the annotations store moves what it keeps under the old ones.
    legacy_ids: dict[str, str] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Section] = field(default_factory=dict, repr=False)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def base_dir(self) -> Path:
        """Folder that relative links and images of this briefing resolve against."""
        return self.path.parent

    def sections(self) -> Iterator[Section]:
        return self.root.walk()

    def section(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    @property
    def section_count(self) -> int:
        """Its sections, the root included (as `sections()` yields them), without walking them:
        100,000 steps of a generator on the build's thread of the window's process."""
        return len(self._by_id) if self._by_id else sum(1 for _ in self.sections())

    def index_sections(self) -> None:
        self._by_id = {}
        for s in self.root.walk():
            s.briefing = self
            self._by_id[s.id] = s
            for row, child in enumerate(s.children):
                child.row = row
