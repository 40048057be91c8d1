"""Plain-Python briefing model: a briefing is a tree of sections parsed from Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reader.content.hashing import fingerprint as digest


@dataclass(eq=False)
class Section:
    """One heading of a briefing and the Markdown body up to the next heading."""

    id: str
    title: str
    level: int  # 1 for the briefing root, 2 for `##`, ...
    markdown: str = ""
    line: int = 1  # 1-based line of the heading in the source file
    parent: Section | None = field(default=None, repr=False)
    children: list[Section] = field(default_factory=list, repr=False)
    briefing: Briefing | None = field(default=None, repr=False)
    row: int = 0  # index among the parent's children, cached for the Qt model

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
    def fingerprint(self) -> str:
        """Hash of this section's own heading and body (not its sub-sections); computed once."""
        data = f"{self.title}\n{self.markdown}".encode()
        return digest(data)

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

    def index_sections(self) -> None:
        self._by_id = {}
        for s in self.root.walk():
            s.briefing = self
            self._by_id[s.id] = s
            for row, child in enumerate(s.children):
                child.row = row
