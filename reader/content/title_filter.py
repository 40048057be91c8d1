"""Which sections the section filter shows: those whose title contains the typed text (folded
as the caller says: the window gives search's folding), with their ancestors, worked out in
slices so the window can do it between events and drop it when the next key comes.

With 100,000 sections, letting Qt's recursive proxy filter do this on every keystroke froze
the window for seconds (and narrowing an expanded tree removed its rows one by one: 22 s for
"fo" -> "fog" at 10,000 sections). Here a keystroke costs a pass over a flat list of folded
titles, a slice of it per event-loop turn, and the tree is given the answer once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from reader.content.model import Section

SLICE = 20_000  # titles looked at per slice at most
SLICE_MS = 8.0  # and for at most this long: a slice is one turn of the event loop, and another
# thread holding the GIL (the index build) can double its wall time
CHUNK = 500  # titles between looks at the clock
T = TypeVar("T")


@dataclass
class FilterResult:
    """The matching sections in tree order and every section the tree shows for them."""

    text: str
    found: list[tuple[str, Section]] = field(default_factory=list)  # (folded title, match)
    visible: set[int] = field(default_factory=set)  # id() of matches and their ancestors
    parents: set[int] = field(default_factory=set)  # id() of those with a visible child

    @property
    def matches(self) -> list[Section]:
        return [section for _, section in self.found]


class TitleIndex:
    """The titles of the tree's sections (`sections()`: in tree order), folded once, when the
    first filter asks. `count()`, if given, says how many there are without listing them."""

    def __init__(self, sections: Callable[[], Iterable[Section]],
                 fold: Callable[[str], str], count: Callable[[], int] | None = None) -> None:
        self._sections = sections
        self.fold = fold  # search's folding (reader.search.scripts), which content may not import
        self._count = count
        self._entries: list[tuple[str, Section]] | None = None
        self._listed: list[Section] | None = None

    def __len__(self) -> int:
        if self._entries is not None:
            return len(self._entries)
        if self._listed is None and self._count is not None:
            return self._count()  # listing 100,000 sections is a stall of its own
        return len(self.sections)

    @property
    def sections(self) -> list[Section]:
        """The sections in tree order (listed once; folding their titles is the costly part)."""
        if self._listed is None:
            self._listed = list(self._sections())
        return self._listed

    @property
    def entries(self) -> list[tuple[str, Section]]:
        if self._entries is None:
            fold_title = self.fold
            self._entries = [(fold_title(s.title), s) for s in self.sections]
        return self._entries

    def search(self, text: str, within: FilterResult | None = None) -> Iterator[FilterResult | None]:
        """Yields None after each slice and the result last. `within`, the result for a text
        this one extends (typing on), narrows the search to its matches."""
        if self._entries is None:  # the first filter lists and folds the titles, sliced too
            fold_title, entries, listed = self.fold, [], []
            for chunk in _slices(self._listed if self._listed is not None else self._sections()):
                if chunk is None:
                    yield None
                    continue
                listed += chunk
                entries += [(fold_title(s.title), s) for s in chunk]
            self._listed, self._entries = listed, entries
        needle = self.fold(text.strip())
        result = FilterResult(text)
        narrower = within is not None and needle.startswith(self.fold(within.text.strip()))
        pool = within.found if within is not None and narrower else self.entries
        visible, found, parents = result.visible, result.found, result.parents
        for part in _slices(pool):
            if part is None:
                yield None
                continue
            for entry in part:
                if needle in entry[0]:
                    found.append(entry)
                    section = entry[1]
                    node: Section | None = section
                    while node is not None and id(node) not in visible:
                        visible.add(id(node))
                        node = node.parent
                        if node is not None:
                            parents.add(id(node))
        yield result

    def run(self, text: str, within: FilterResult | None = None) -> FilterResult:
        """The whole search at once."""
        last: FilterResult | None = None
        for step in self.search(text, within):
            last = step or last
        assert last is not None
        return last


def _slices(items: Iterable[T]) -> Iterator[list[T] | None]:
    """`items` in chunks of CHUNK, with None after each slice's worth (SLICE items or SLICE_MS
    spent, whichever comes first) and after the last chunk, for the caller to pass on."""
    it = iter(items)
    while True:
        deadline = time.perf_counter() + SLICE_MS / 1000
        count = 0
        while count < SLICE:
            chunk = list(islice(it, min(CHUNK, SLICE - count)))
            if not chunk:
                if count:
                    yield None
                return
            count += len(chunk)
            yield chunk
            if time.perf_counter() >= deadline:
                break
        yield None
