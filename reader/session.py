"""The reader's session, Qt-free: the user's folders, which folders make the library (one
rule), the library itself and switching it.

`Context` is what a command or the window is given: the parsed options and the session. The
command line (`Context.session`) and the window (start-up, File ▸ Open
Content Folder, File ▸ Open Recent, imports) both go through `Session`, so every way of loading
sees the same briefings; nothing else decides which folders count or holds the library.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.paths import AppPaths, bundled_content

if TYPE_CHECKING:
    from reader.content import Library

IMPORTED = "library"  # DATA/library: imported briefings (reader.updates.install.LIBRARY)


def content_folders(content: str | Path | None, data_dir: Path) -> list[Path]:
    """The chosen content folder (None or "" = the bundled briefings), then every imported one:
    `DATA/library` itself and each pack installed under it."""
    dirs = [Path(content) if content else bundled_content()]
    imported = data_dir / IMPORTED
    if imported.is_dir():
        from reader.updates.install import pack_folders  # zip handling only when imports exist

        dirs.append(imported)
        dirs.extend(pack_folders(imported))  # each imported pack is a content folder
    return dirs


class Session:
    """Paths, the chosen content folder (None: the bundled briefings) and the library they make,
    loaded on first use. `load` builds a library for any folder without changing the session
    (the window runs it off the GUI thread); `use` then makes it the session's."""

    def __init__(self, paths: AppPaths, content: str | Path | None = None) -> None:
        self.paths = paths
        self._content = str(content) if content else None
        self._library: Library | None = None

    @property
    def content(self) -> str | None:
        """The chosen content folder, or None for the bundled briefings."""
        return self._content

    @property
    def content_dirs(self) -> list[Path]:
        """`--content DIR` replaces the bundled briefings; imported ones are always added."""
        return content_folders(self._content, self.paths.data)

    @property
    def loaded(self) -> bool:
        return self._library is not None

    @property
    def library(self) -> Library:
        if self._library is None:
            from reader.content.long_lived import keep_out_of_collections

            self._library = self.load(self._content)
            self._adopt(self._library)
            keep_out_of_collections(self._library)  # a large one: see long_lived.py
        return self._library

    def choose(self, content: str | Path | None) -> None:
        """Another content folder before the library is loaded (a remembered one at start-up)."""
        if self._library is not None:
            raise RuntimeError("the library is loaded: load() the new folder and use() it")
        self._content = str(content) if content else None

    def load(self, content: str | Path | None,
             progress: Callable[[int, int], None] | None = None) -> Library:
        """The library `content` (None: the bundled briefings) makes with the imported ones;
        the session is unchanged. A raising `progress` stops the load."""
        from reader.content import load_library
        from reader.content.library_cache import LibraryCache

        cache = LibraryCache(self.paths.cache / "library")
        return load_library(content_folders(content, self.paths.data), progress, cache)

    def use(self, library: Library, content: str | Path | None) -> None:
        """Make `library`, loaded from `content`, the session's."""
        self._library = library
        self._content = str(content) if content else None
        self._adopt(library)

    def _adopt(self, library: Library) -> None:
        """Before anything reads annotations for this library: move those kept under section
        ids older versions gave (non-Latin headings) to today's ids. Costs nothing otherwise."""
        if any(b.legacy_ids for b in library.briefings) or library.older:
            from reader.annotations.section_ids import migrate_in_folder

            migrate_in_folder(self.paths.data, library)

    def reload(self, progress: Callable[[int, int], None] | None = None) -> Library:
        """Load the same folders again (after an import) and use the result."""
        library = self.load(self._content, progress)
        self.use(library, self._content)
        return library


@dataclass
class Context:
    """What a command or the window needs: the parsed options and the session (user folders,
    the library)."""

    args: argparse.Namespace
    paths: AppPaths
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = Session(self.paths, getattr(self.args, "content", None))

    @property
    def content_dirs(self) -> list[Path]:
        return self.session.content_dirs

    @property
    def library(self) -> Library:
        return self.session.library
