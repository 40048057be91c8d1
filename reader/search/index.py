"""The search index as a rebuildable cache: where it lives, when it is rebuilt, one writer at a time
and one reused searcher.

Lookup order: the user's cache folder (updated incrementally when the content changed), then a
prebuilt read-only index shipped next to the content (used as is when its fingerprint matches,
otherwise copied into the cache and updated there), else a full build into the cache. Nothing is
ever written into the prebuilt folder.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.index import FileIndex, LockError, open_dir
from whoosh.searching import Searcher

from reader.content import Library
from reader.paths import AppPaths, bundle_root
from reader.search import mapped_files, stored_text
from reader.search.build import (
    PARALLEL_MIN_DOCS,
    ExtraDocument,
    Progress,
    UpdateReport,
    build_full,
    content_fingerprint,
    update_extra,
    update_sections,
)
from reader.search.manifest import DamagedManifest, Manifest
from reader.search.query import SearchResults, run_query
from reader.search.scope import Scope

log = logging.getLogger(__name__)
# Segment files read in place, not copied into memory (870 MB of a 100,000-section window).
mapped_files.install()
PREBUILT_FOLDER = "prebuilt-index"


class IndexUnavailable(Exception):
    """No usable index yet (not built, or being rebuilt)."""


def default_prebuilt() -> Path:
    return bundle_root() / PREBUILT_FOLDER


def _mostly_new(library: Library, manifest: Manifest) -> bool:
    """True when most sections are not in the index yet: a full (parallel) build is then much
    faster than adding them one by one to an existing index (e.g. a new library of thousands)."""
    have = manifest.sections
    new = sum(1 for s in library.sections() if s.key not in have)
    return new >= PARALLEL_MIN_DOCS and new > len(have)


class SearchIndex:
    """One per process. `ensure()` makes the index match a library; `search()` queries it.

    Thread-safe: writes are serialised by `_write_lock` (plus Whoosh's file lock across
    processes); the shared searcher is guarded by `_read_lock` because Whoosh readers seek in
    shared file handles.
    """

    def __init__(self, folder: Path, prebuilt: Path | None = None) -> None:
        self.folder = folder
        self.prebuilt = prebuilt
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._ix: FileIndex | None = None
        self._searcher: Searcher | None = None
        self._manifest: Manifest | None = None
        self.location: Path | None = None  # folder of the index in use
        self.last_report: UpdateReport | None = None
        # Bumped at every change of the searcher: a search process reading the same index
        # catches up when it sees another number (search_process.py)
        self.generation = 0
        # Called before a rebuilt folder is swapped in, for other readers to close their files
        self.before_swap: Callable[[], None] | None = None

    @classmethod
    def for_paths(cls, paths: AppPaths, prebuilt: Path | None = None) -> SearchIndex:
        return cls(paths.cache / "index", prebuilt if prebuilt is not None else default_prebuilt())

    # -- keeping the index up to date ---------------------------------------------------------
    def ensure(self, library: Library, rebuild: bool = False,
               progress: Progress | None = None) -> UpdateReport:
        """Bring the index up to date with `library`, as cheaply as possible; never raises for a
        missing or damaged index (it is rebuilt, and the report says so)."""
        with self._write_lock:
            start = time.perf_counter()
            report = self._ensure(library, rebuild, progress)
            report.seconds = time.perf_counter() - start
            self.last_report = report
            log.info("search index: %s %s", report.summary(), report.message)
            return report

    def _ensure(self, library: Library, rebuild: bool, progress: Progress | None) -> UpdateReport:
        if rebuild:
            return self._rebuild(library, progress, "Rebuilt the search index as asked.")
        try:
            return self._catch_up(library, progress)
        except DamagedManifest as exc:  # found when an update first reads the fingerprints
            return self._rebuild(library, progress,
                                 f"The search index was damaged ({exc}); rebuilt it.")

    def _catch_up(self, library: Library, progress: Progress | None) -> UpdateReport:
        wanted = content_fingerprint(library)
        if progress:
            progress(0, len(library))  # a step (see build.Progress): opening takes 0.25 s at 100,000
        manifest, problem = self._open_checked(self.folder)
        if manifest is not None:
            if manifest.content == wanted:
                return UpdateReport(mode="none", total=manifest.doc_count, location=self.folder)
            if _mostly_new(library, manifest):
                return self._rebuild(library, progress, "Rebuilt the search index for the new "
                                     "content (faster than updating it).")
            return self._update(library, progress)
        if self.prebuilt is not None and not problem:
            pre = Manifest.load(self.prebuilt)
            if pre is not None and pre.content == wanted and self._use(self.prebuilt, pre):
                return UpdateReport(mode="none", total=pre.doc_count, location=self.prebuilt,
                                    message="Using the search index shipped with the app.")
            if pre is not None and not _mostly_new(library, pre) and self._copy_prebuilt():
                manifest, _ = self._open_checked(self.folder)
                if manifest is not None:
                    return self._update(library, progress)
        if problem:
            return self._rebuild(library, progress,
                                 f"The search index was damaged ({problem}); rebuilt it.")
        return self._rebuild(library, progress, "There was no search index yet; built it.")

    def _update(self, library: Library, progress: Progress | None) -> UpdateReport:
        assert self._ix is not None and self._manifest is not None
        try:
            report = update_sections(self._ix, self.folder, self._manifest, library, progress)
        except LockError:
            # Another instance holds the index for longer than we wait: search what is there
            # (its manifest is unchanged, so the next start updates it).
            log.warning("search index in %s is locked by another process", self.folder)
            return UpdateReport(mode="none", total=self._manifest.doc_count, location=self.folder,
                                message="Another Briefing Reader is updating the search index; "
                                        "results may be out of date until it is done.")
        self._refresh()
        return report

    def _rebuild(self, library: Library, progress: Progress | None, message: str) -> UpdateReport:
        """Full build into a fresh folder, then swap it in: searches keep working until then."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.folder.with_name(f"{self.folder.name}.new-{uuid.uuid4().hex[:8]}")
        try:
            report = build_full(library, tmp, progress)
            if progress:
                progress(len(library), len(library))  # a closing step: the swap (build.Progress)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._swap_in(tmp)
        if progress:
            progress(len(library), len(library))  # another: the opening
        manifest, problem = self._open_checked(self.folder)
        if manifest is None:
            raise RuntimeError(f"freshly built index does not open: {problem}")
        report.message, report.location = message, self.folder
        return report

    def _swap_in(self, new: Path) -> None:
        if self.before_swap is not None:
            self.before_swap()
        with self._read_lock:
            self._close()
            old = self.folder.with_name(f"{self.folder.name}.old-{uuid.uuid4().hex[:8]}")
            if self.folder.exists():
                self.folder.rename(old)
            new.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)

    def _copy_prebuilt(self) -> bool:
        assert self.prebuilt is not None
        tmp = self.folder.with_name(f"{self.folder.name}.new-{uuid.uuid4().hex[:8]}")
        try:
            shutil.copytree(self.prebuilt, tmp)
        except OSError as exc:
            log.warning("cannot copy the prebuilt index: %s", exc)
            shutil.rmtree(tmp, ignore_errors=True)
            return False
        self._swap_in(tmp)
        return True

    def _open_checked(self, folder: Path) -> tuple[Manifest | None, str]:
        """Open and sanity-check the index in `folder`; (manifest, "") or (None, problem).

        A missing folder is not a problem (""); a folder with files that do not open is.
        """
        manifest = Manifest.load(folder)
        if manifest is None:
            damaged = folder.is_dir() and any(folder.iterdir())
            return None, ("its manifest is missing or outdated" if damaged else "")
        if not self._use(folder, manifest):
            return None, "its files do not open"
        return manifest, ""

    def _use(self, folder: Path, manifest: Manifest) -> bool:
        """Switch to the index in `folder` if it opens and holds what its manifest says."""
        try:
            # Registered before the check below reads a stored document (and its text).
            stored_text.use(stored_text.load(folder, manifest.text_dictionary))
            ix = open_dir(str(folder), readonly=folder == self.prebuilt)
            searcher = ix.searcher()
            count = searcher.doc_count()
            if count != manifest.doc_count:
                raise ValueError(f"{count} documents, manifest says {manifest.doc_count}")
            if count:  # reading one stored document and one posting list catches most damage
                # (not a search for Every(): it walked all 100,000 documents, 0.3 s a check)
                reader = searcher.reader()
                fieldname, text = next(iter(reader.all_terms()))
                reader.postings(fieldname, text).all_ids()
                searcher.stored_fields(0)
        except Exception as exc:  # any damage shows up as some exception from Whoosh
            log.warning("search index in %s is unusable: %r", folder, exc)
            return False
        with self._read_lock:
            self._close()
            self._ix, self._searcher, self._manifest = ix, searcher, manifest
            self.location = folder
            self.generation += 1
        return True

    def _refresh(self) -> None:
        """A new searcher after a commit. Not `Searcher.refresh()`: it reuses the readers of
        unchanged segments, and a segment that only gained deletions keeps showing them."""
        with self._read_lock:
            if self._searcher is not None and self._ix is not None:
                old, self._searcher = self._searcher, self._ix.searcher()
                old.close()
                self.generation += 1

    def _close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._ix = self._searcher = self._manifest = None
        self.location = None
        self.generation += 1

    def close(self) -> None:
        with self._read_lock:
            self._close()

    def follow(self) -> None:
        """Catch up with the index in `folder` as another process left it, without writing
        (the search process reads what the window's index wrote): a new searcher when segments
        or deletions came, the index opened anew when none is open or it was rebuilt with
        another dictionary. Raises IndexUnavailable when there is none, or it does not open."""
        manifest = Manifest.load(self.folder)
        if manifest is None:
            self.close()
            raise IndexUnavailable("the search index is not ready yet")
        with self._read_lock:
            current = self._manifest
            if (current is not None and self.location == self.folder
                    and current.text_dictionary == manifest.text_dictionary):
                self._manifest = manifest
                self._refresh()
                return
        if not self._use(self.folder, manifest):
            raise IndexUnavailable("the search index does not open")

    # -- extra documents (e.g. annotation notes) ---------------------------------------------------
    def extra_fingerprints(self, kind: str) -> dict[str, str]:
        """Key -> fingerprint of the indexed documents of `kind` (empty before `ensure()`)."""
        return dict(self._manifest.extra.get(kind, {})) if self._manifest is not None else {}

    def update_extra_documents(self, kind: str, docs: Iterable[ExtraDocument]) -> UpdateReport:
        """Make the indexed documents of `kind` exactly `docs` (only changed ones are rewritten).

        Call it with all documents of that kind after `ensure()`; a rebuilt index starts empty.
        """
        with self._write_lock:
            if self.location is not None and self.location == self.prebuilt:
                self._copy_prebuilt()  # never write into the shipped index
                self._open_checked(self.folder)
            if self._ix is None or self._manifest is None:
                raise IndexUnavailable("the search index is not ready")
            report = update_extra(self._ix, self.folder, self._manifest, kind, docs)
            self._refresh()
            return report

    # -- searching ------------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._searcher is not None

    def search(self, text: str, limit: int = 20, as_you_type: bool = False,
               settled: bool = False, within: Scope | None = None) -> SearchResults:
        """Search; raises IndexUnavailable when there is no index yet, never for a bad query.

        `as_you_type`: a keystroke's quick answer, the last word also a prefix completed to its
        most frequent terms (the count may be a lower bound); `settled` (typing paused, Enter):
        the full answer, the last word's prefix expanded in full; `within`: only that briefing
        or subtree (its count and its best hits)."""
        with self._read_lock:
            if self._searcher is None:
                raise IndexUnavailable("the search index is not ready yet")
            languages = tuple(self._manifest.languages) if self._manifest is not None else ()
            return run_query(self._searcher, text, limit=limit, as_you_type=as_you_type,
                             languages=languages, settled=settled, within=within)
