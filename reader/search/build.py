"""Building and updating the index: documents from sections, a parallel full build, incremental
updates of only the changed/added/removed documents, and the manifest that records what is in it.

The manifest (`manifest.json` beside the Whoosh files) holds the schema version, the content
fingerprint, one fingerprint per document and the languages indexed (queries match the word forms
of each), so deciding what to re-index never reads the index.
"""

from __future__ import annotations

import copy
import functools
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh.formats import Positions
from whoosh.index import FileIndex, create_in, open_dir
from whoosh.writing import SegmentWriter

from reader.content import Briefing, Library, Section, section_plain_text
from reader.content.hashing import fingerprint
from reader.content.library_cache import code_key
from reader.content.long_lived import many_objects_made
from reader.content.parser import parse_briefing
from reader.frozen import enable_multiprocessing
from reader.search import stored_text
from reader.search.manifest import Manifest
from reader.search.schema import SCHEMA_VERSION, FastPositions, StemmedText, make_schema
from reader.search.stemming import DEFAULT, DEFAULT_LANGUAGE, languages_of, stemming_for

if TYPE_CHECKING:
    from whoosh.fields import Schema

log = logging.getLogger(__name__)

SECTION_KIND = "section"
PARALLEL_MIN_DOCS = 1500  # below this, starting worker processes costs more than it saves
MAX_PROCS = 4
WRITE_LOCK_TIMEOUT_S = 30.0  # another process (a second window, `index`) may be writing
# (documents done, documents in total). Work done in the calling process is reported too, as
# steps: (0, total) before each preparation step (creating the index, sampling the stored text's
# dictionary, listing the files, starting the workers, making records there; and SearchIndex's
# opening of an existing index) and (total, total) before each closing one (committing the
# segments, saving the manifest; SearchIndex's swapping the new index in and opening it). A
# caller may wait there, as the window does while the reader types: each step holds the GIL in
# stretches of 20-80 ms at 100,000 sections, which the window would wait for. A callback may
# raise BuildCancelled at any report.
Progress = Callable[[int, int], None]
T = TypeVar("T")


class BuildCancelled(Exception):
    """Raised by a progress callback to stop a build or update: the writer is cancelled (the
    index stays as it was), a full build's temporary folder is removed and its worker processes
    are ended. The window does this when it closes mid-build."""


@dataclass(frozen=True)
class Record:
    """Everything needed to index one section, picklable for worker processes."""

    key: str
    briefing: str
    title: str
    path: str
    date: str
    markdown: str  # what renders: the body and the definitions it uses (Section.source)
    fingerprint: str
    language: str = DEFAULT_LANGUAGE  # the briefing's `language:`; chooses the stemming


@dataclass(frozen=True)
class ExtraDocument:
    """A document that is not a section (e.g. an annotation's note), found under `section`."""

    key: str  # unique in the index, e.g. "note:42"
    kind: str  # e.g. "note"
    section: str  # key of the section a hit opens
    title: str
    body: str
    path: str = ""
    briefing: str = ""
    date: str = ""

    @property
    def fingerprint(self) -> str:
        data = "\x1f".join((self.section, self.title, self.body, self.path, self.date))
        return fingerprint(data)


@dataclass
class UpdateReport:
    """What an index build or update did; `mode` is "full", "incremental" or "none"."""

    mode: str
    total: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""  # for the user, e.g. why the index was rebuilt
    location: Path | None = None

    @property
    def reindexed(self) -> list[str]:
        return self.added + self.changed

    def summary(self) -> str:
        if self.mode == "none":
            return f"Search index up to date ({self.total} documents)."
        if self.mode == "full":
            return f"Indexed {self.total} documents in {self.seconds:.1f} s."
        return (f"Updated the search index in {self.seconds:.2f} s: {len(self.added)} added, "
                f"{len(self.changed)} changed, {len(self.removed)} removed ({self.total} documents).")


def content_fingerprint(library: Library) -> str:
    """Schema version + hash of the content: a different value means the index must be updated."""
    return fingerprint(f"{SCHEMA_VERSION}:{library.fingerprint}")


@functools.cache
def parser_code_key() -> str:
    return code_key()  # hashes the parser's code objects: once per process, not per briefing


def briefing_fingerprint(briefing: Briefing) -> str:
    """What every record of a briefing's sections is made from: its file's bytes, and the code
    that parses them (an upgraded parser may cut the same file into other sections)."""
    return fingerprint(f"{briefing.fingerprint}\x1f{parser_code_key()}")


def section_record(section: Section) -> Record:
    path = " › ".join(s.title for s in section.ancestors)
    briefing = section.briefing
    date = briefing.meta.date if briefing else ""
    language = briefing.meta.language if briefing else DEFAULT_LANGUAGE
    # The language too: changing a briefing's `language:` changes how its words are stemmed.
    fp = fingerprint(f"{section.fingerprint}\x1f{path}\x1f{date}\x1f{language}")
    # The source, not the body alone: the definitions a section uses render with it, and a
    # changed definition changes the section's fingerprint (so the update re-indexes it).
    return Record(key=section.key, briefing=briefing.id if briefing else "", title=section.title,
                  path=path, date=date, markdown=section.source, fingerprint=fp, language=language)


def record_fields(record: Record, body: str | None = None) -> dict[str, Any]:
    """The Whoosh fields of a section; the body is the rendered plain text, not the Markdown."""
    if body is None:
        body = section_plain_text(Section(id=record.key, title=record.title, level=2,
                                          markdown=record.markdown))
    # The title's words are indexed in the body too (see query.body_first); the stored text,
    # used for snippets, is the body alone.
    fields: dict[str, Any] = {"key": record.key, "kind": SECTION_KIND, "briefing": record.briefing,
                              "section": record.key, "title": record.title, "path": record.path,
                              "body": f"{record.title}\n{body}",
                              "text": stored_text.compress(body), "date": record.date}
    stemming = stemming_for(record.language)
    if stemming != DEFAULT:
        fields["_stored_title"], fields["_stored_path"] = record.title, record.path  # plain str
        for name in ("title", "path", "body"):
            fields[name] = StemmedText(fields[name], stemming)
    return fields


def extra_fields(doc: ExtraDocument) -> dict[str, Any]:
    return {"key": doc.key, "kind": doc.kind, "briefing": doc.briefing, "section": doc.section,
            "title": doc.title, "path": doc.path, "body": f"{doc.title}\n{doc.body}",
            "text": stored_text.compress(doc.body),
            "date": doc.date}


# Sections between cancel checks while the records are made: ~10 ms apart at ~100 µs a section.
# Making them (fingerprints, paths) takes 0.4-2.7 s at 100,000 sections, all before the first
# document is indexed: closing the window then waited for all of it.
CANCEL_CHECK_SECTIONS = 1000


def library_records(library: Library, progress: Progress | None = None,
                    skip: frozenset[str] = frozenset()) -> list[Record]:
    """The records of every section (but those of the briefings whose ids are in `skip`);
    `progress` is called with (0, sections) every CANCEL_CHECK_SECTIONS sections: nothing is
    indexed yet, but a callback may cancel here."""
    sections = library.sections()
    if skip:
        sections = (s for s in sections if s.briefing is None or s.briefing.id not in skip)
    if progress is None:
        return [section_record(s) for s in sections]
    total, records = len(library), []
    for n, section in enumerate(sections, 1):
        records.append(section_record(section))
        if n % CANCEL_CHECK_SECTIONS == 0:
            progress(0, total)
    return records


# -- full build ------------------------------------------------------------------------------------
def build_full(library: Library, folder: Path, progress: Progress | None = None,
               procs: int | None = None, extra: Sequence[ExtraDocument] = ()) -> UpdateReport:
    """Build a fresh index of the library (plus `extra` documents) in an empty or new `folder`."""
    start = time.perf_counter()
    step = (lambda: progress(0, len(library))) if progress else (lambda: None)  # see Progress
    step()
    folder.mkdir(parents=True, exist_ok=True)
    ix = create_in(str(folder), make_schema())
    step()
    dictionary = text_dictionary(library)
    stored_text.save(folder, dictionary)
    dictionary_id = stored_text.use(dictionary)
    workers = _worker_count(len(library), procs)
    step()
    files = _file_slices(library, workers) if workers > 1 else None
    step()
    if files is not None:
        # The workers read and parse the briefings' files themselves: no records made here.
        indexed = _build_parallel(ix, folder, [(_index_files, part) for part in files], workers,
                                  len(library), progress, extra, library, dictionary)
    else:
        with many_objects_made(len(library)):  # no collector passes over them: content/long_lived
            records = library_records(library, progress)
        if workers > 1:
            indexed = _build_parallel(
                ix, folder, [(_index_slice, part) for part in _record_slices(records, workers)],
                workers, len(records), progress, extra, library, dictionary)
        else:
            _build_serial(ix, records, progress, extra)
            indexed = Indexed({r.key: r.fingerprint for r in records},
                              {r.language for r in records})
        del records
    if progress:
        progress(len(library), len(library))  # a closing step (see Progress)
    manifest = Manifest(content=content_fingerprint(library), sections=indexed.sections,
                        briefings={b.id: briefing_fingerprint(b) for b in library.briefings},
                        languages=languages_of(indexed.languages), text_dictionary=dictionary_id)
    for doc in extra:
        manifest.extra.setdefault(doc.kind, {})[doc.key] = doc.fingerprint
    manifest.save(folder)
    return UpdateReport(mode="full", total=manifest.doc_count, added=list(indexed.sections),
                        seconds=time.perf_counter() - start, location=folder)


@dataclass
class Indexed:
    """What a build put in the index: section key -> record fingerprint (in document order), the
    languages of those sections, and (from workers) the briefings a worker did not index
    because their file is no longer the one the library read (`BriefingFile`)."""

    sections: dict[str, str] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    stale: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BriefingFile:
    """A briefing a build worker reads, parses and makes the records of itself.

    The build runs on a thread of the window's process, and making 100,000 records there took
    0.4-2.7 s of Python holding the GIL: the window's tree, calling into Python for every row it
    lays out, stalled 230-300 ms per filter keystroke meanwhile. The records are also not all
    held in the window's memory. A worker checks the file is still the one the library read
    (`fingerprint`, of its bytes); one that changed since is indexed from the library's own
    sections by the build thread instead (`Indexed.stale`), so the index always matches the
    library the window shows."""

    id: str
    path: str
    fingerprint: str


DICTIONARY_SECTIONS = 48  # sections sampled for the stored text's dictionary


def text_dictionary(library: Library) -> bytes:
    """The stored text's dictionary (reader.search.stored_text), from sections spread evenly
    over the library. Their Markdown, not their text: rendering would import Python-Markdown
    into the window's process, on the build's thread, beside the reader typing; Markdown and
    text share their words, which is what the dictionary is for."""
    step = max(1, len(library) // DICTIONARY_SECTIONS)
    sample = islice(islice(library.sections(), 0, None, step), DICTIONARY_SECTIONS)
    return stored_text.make_dictionary([s.markdown for s in sample])


def _limits(docs: int, size: int, workers: int) -> tuple[int, int]:
    """(sections, bytes of Markdown) a slice may hold: SEGMENT_DOCS and SEGMENT_BYTES, or less
    so that every worker gets a share."""
    return (max(1, min(SEGMENT_DOCS, -(-docs // workers))),
            max(1, min(SEGMENT_BYTES, -(-size // workers))))


def _file_slices(library: Library, workers: int) -> list[list[BriefingFile]] | None:
    """Whole briefings in library order, a slice's worth each (see _limits: the files' sizes
    stand for their text); None when a briefing alone is much bigger than a slice (its
    sections are then sliced as records, so that the workers share it)."""
    items = []
    for briefing in library.briefings:
        try:
            size = briefing.path.stat().st_size
        except OSError:
            size = 0  # gone: its worker finds it stale (BriefingFile)
        items.append((BriefingFile(briefing.id, str(briefing.path), briefing.fingerprint),
                      briefing.section_count, size))
    most_docs, most_bytes = _limits(len(library), sum(size for *_, size in items), workers)
    if any(docs > 2 * most_docs or size > 2 * most_bytes for _, docs, size in items):
        return None
    return _cut(items, most_docs, most_bytes)


def _record_slices(records: list[Record], workers: int) -> list[list[Record]]:
    """The records in order, a slice's worth each (see _limits)."""
    items = [(r, 1, len(r.markdown)) for r in records]
    return _cut(items, *_limits(len(records), sum(size for *_, size in items), workers))


def _cut(items: list[tuple[T, int, int]], most_docs: int, most_bytes: int) -> list[list[T]]:
    """`items` (each with its sections and bytes) in order, in slices closed as soon as they
    reach `most_docs` sections or `most_bytes` bytes."""
    slices: list[list[T]] = []
    current: list[T] = []
    docs = size = 0
    for item, n, length in items:
        current.append(item)
        docs, size = docs + n, size + length
        if docs >= most_docs or size >= most_bytes:
            slices.append(current)
            current, docs, size = [], 0, 0
    if current:
        slices.append(current)
    return slices


def _worker_count(docs: int, procs: int | None) -> int:
    if procs is not None:
        return max(1, procs)
    if docs < PARALLEL_MIN_DOCS:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


class _BuildWriter(SegmentWriter):
    """A segment writer for full builds: faster analysis (`FastPositions`) and length look-ups."""

    schema: Schema  # set by SegmentWriter; declared because add_document swaps it

    def __init__(self, ix: FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # A private copy: the schema saved with the index keeps Whoosh's own format classes.
        self._fast_schema = copy.deepcopy(self.schema)
        fast_formats(self._fast_schema)

    def add_document(self, **fields: Any) -> None:
        saved, self.schema = self.schema, self._fast_schema
        try:
            super().add_document(**fields)
        finally:
            self.schema = saved

    def per_document_reader(self) -> Any:
        # Writing the postings asks for the document's field length once per posting (for the
        # block statistics), through three method calls each time: read each field's once.
        return _LengthTable(super().per_document_reader())


class _LengthTable:
    """The per-document reader as `FieldWriter.add_postings` uses it, with lengths in lists."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._tables: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        table = self._tables.get(fieldname)
        if table is None:
            get = self._reader.doc_field_length
            table = self._tables[fieldname] = [
                get(d, fieldname, default) for d in range(self._reader.doc_count_all())]
        return table[docnum]

    def close(self) -> None:
        self._reader.close()


def fast_formats(schema: Any) -> None:
    """Give the positional fields of this in-memory schema the faster `FastPositions` format."""
    for name in schema.names():
        field = schema[name]
        if type(field.format) is Positions:
            field.format = FastPositions(field_boost=field.format.field_boost,
                                         **field.format.options)


def _build_serial(ix: FileIndex, records: list[Record], progress: Progress | None,
                  extra: Sequence[ExtraDocument]) -> None:
    writer = _BuildWriter(ix)
    try:
        for n, record in enumerate(records, 1):
            writer.add_document(**record_fields(record))
            if progress and (n % 50 == 0 or n == len(records)):
                progress(n, len(records))
        for doc in extra:
            writer.add_document(**extra_fields(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


# What a segment of a parallel build holds at most. Whoosh sorts a segment's postings in memory up
# to the writer's `limitmb` and beyond that spills sorted runs to temporary files and merges them,
# which doubled the time of a 5,000-section segment of ~500 words. Counted in text, not in
# sections: each segment has its own term dictionary, and 40 segments of 2,500 short sections at
# 100,000 had made the terms a sixth of the index. At 100,000 x 150 words (bench/search_bench.py):
# 8 MB of Markdown a segment gave an index 1.35x FTS5's but 806 MB for all processes (a worker
# holds its segment's postings); 5 MB gives 1.46x and 688 MB (targets: 1.5x, 700 MB).
SEGMENT_BYTES = 5 * 2**20
SEGMENT_DOCS = 10_000
BUILD_MB = 512


Task = tuple[Callable[[str, list[Any]], tuple[Any, Indexed]], list[Any]]


def _build_parallel(ix: FileIndex, folder: Path, tasks: list[Task], workers: int, total: int,
                    progress: Progress | None, extra: Sequence[ExtraDocument],
                    library: Library, dictionary: bytes) -> Indexed:
    """Workers index slices (`tasks`: records, or briefing files they parse themselves) of at
    most a slice's worth (see _limits), each into its own segment (as Whoosh's MpWriter does with
    `multisegment=True`); the parent then commits all segments at once under its lock, with
    the sections of briefings a worker found changed on disk indexed from `library`.

    "spawn" rather than fork: the GUI calls this from a thread, and forking a threaded Qt process
    can deadlock. Slices are handed out as workers free up (at most IN_FLIGHT ahead), not all at
    once: a cancel then has little queued to drop, and a slice that fails stops the build.
    """
    enable_multiprocessing()  # the frozen app's multiprocessing support loads on first use
    ctx = multiprocessing.get_context("spawn")
    counter = ctx.Value("i", 0)
    queued = iter(tasks)
    writer = ix.writer()  # holds the index lock while the workers write their segments
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(counter, dictionary))
    try:
        # A list: segments are committed in reading order, so document numbers follow it.
        futures: list[Future[Any]] = []
        pending: set[Future[Any]] = set()
        while True:
            while len(pending) < workers + IN_FLIGHT and (task := next(queued, None)) is not None:
                if progress and counter.value == 0:
                    progress(0, total)  # a step (see Progress): the first submits start workers
                futures.append(pool.submit(task[0], str(folder), task[1]))
                pending.add(futures[-1])
            if not pending:
                break
            done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # a failed slice raises here, before more are handed out
            if progress:
                progress(min(counter.value, total), total)  # may cancel
        results = [f.result() for f in futures]
        pool.shutdown()
        if progress:
            progress(total, total)  # a closing step (see Progress): the commit
        indexed = Indexed()
        for _segment, part in results:
            indexed.sections.update(part.sections)
            indexed.languages |= part.languages
            indexed.stale += part.stale
        if indexed.stale:
            log.info("%d briefing files changed during the build: indexed as the library read them",
                     len(indexed.stale))
            for briefing_id in indexed.stale:
                briefing = library.briefing(briefing_id)
                if briefing is not None:
                    _add_sections(writer, briefing, indexed)
        for doc in extra:
            writer.add_document(**extra_fields(doc))
        _commit_with_segments(writer, [segment for segment, _ in results if segment is not None])
    except BaseException:
        _end_workers(pool)  # a cancelled (or failed) build must not wait for slices to finish
        writer.cancel()
        raise
    return indexed


IN_FLIGHT = 1  # slices queued beyond one per worker, so no worker waits for its next slice
POLL_S = 0.1  # how often a parallel build reports progress (and so may be cancelled)
END_WORKERS_S = 1.0  # terminated workers get this long in all to go, then are killed


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a process pool now: queued slices are dropped and running workers terminated (the
    executor would otherwise let each finish its slice, tens of seconds on a large library).
    Python 3.14 has `terminate_workers()`; before it, the pool's processes are reached directly.
    One deadline for them all, not a timeout each: they die together, and closing waits."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # None once shut down
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + END_WORKERS_S
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(timeout=0.1)


def _commit_with_segments(writer: SegmentWriter, segments: list[Any]) -> None:
    # Mirrors whoosh.multiproc.MpWriter._commit for multisegment=True (Whoosh-Reloaded 2.7.5).
    final = writer._merge_segments(None, False, False) + segments
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()


_progress_counter: Any = None


# Build workers run below normal priority: with both cores indexing, the window (the section
# filter, the search box) had a third of a core's share and its 50 ms turns took 90-150 ms. On an
# otherwise idle machine the build takes as long; whatever else the reader runs comes first.
WORKER_NICENESS = 10


def _init_worker(counter: Any, dictionary: bytes = b"") -> None:
    global _progress_counter
    _progress_counter = counter
    stored_text.use(dictionary)
    if hasattr(os, "nice"):  # POSIX; Windows keeps the workers at normal priority
        try:
            os.nice(WORKER_NICENESS)
        except OSError:  # pragma: no cover (lowering one's own priority is always allowed)
            log.info("could not lower the build worker's priority")


def _index_slice(folder: str, records: list[Record]) -> tuple[Any, Indexed]:
    """Worker process: render and index `records` into a new segment; returns the segment."""
    writer = _BuildWriter(open_dir(folder), _lk=False, limitmb=BUILD_MB)  # the parent holds the lock
    for n, record in enumerate(records, 1):
        writer.add_document(**record_fields(record))
        _count(n)
    return writer._finalize_segment(), Indexed({r.key: r.fingerprint for r in records},
                                               {r.language for r in records})


def _index_files(folder: str, files: list[BriefingFile]) -> tuple[Any, Indexed]:
    """Worker process: parse the briefings' files and index their sections into a new segment
    (None if every file had changed: see BriefingFile).

    The writer is made for the first file still as the library read it: an unused one cannot be
    dropped, as its cancel() empties the temporary folder all the build's writers share."""
    writer: _BuildWriter | None = None
    indexed = Indexed()
    for file in files:
        briefing, _problems = parse_briefing(Path(file.path))
        if briefing is None or briefing.id != file.id or briefing.fingerprint != file.fingerprint:
            indexed.stale.append(file.id)
            continue
        if writer is None:
            writer = _BuildWriter(open_dir(folder), _lk=False, limitmb=BUILD_MB)
        _add_sections(writer, briefing, indexed, counted=True)
    return (writer._finalize_segment() if writer is not None else None), indexed


def _add_sections(writer: SegmentWriter, briefing: Briefing, indexed: Indexed,
                  counted: bool = False) -> None:
    """Index the briefing's sections with `writer`, noting them in `indexed` (and, in a
    worker, in the parent's progress)."""
    for section in briefing.sections():
        record = section_record(section)
        writer.add_document(**record_fields(record))
        indexed.sections[record.key] = record.fingerprint
        indexed.languages.add(record.language)
        if counted:
            _count(len(indexed.sections))


def _count(n: int) -> None:
    """Tell the parent's progress every 100 documents."""
    if n % 100 == 0 and _progress_counter is not None:
        with _progress_counter.get_lock():
            _progress_counter.value += 100


# -- incremental update ------------------------------------------------------------------------------
def plan_update(manifest: Manifest, records: Iterable[Record],
                kept: frozenset[str] = frozenset()) -> tuple[list[Record], list[str], list[str],
                                                             list[str]]:
    """(records to index, added keys, changed keys, removed keys) to bring the index up to date.
    `records` are those of every section but the ones of the briefings in `kept`, unchanged."""
    todo: list[Record] = []
    added: list[str] = []
    changed: list[str] = []
    current: set[str] = set()
    for record in records:
        current.add(record.key)
        old = manifest.sections.get(record.key)
        if old == record.fingerprint:
            continue
        todo.append(record)
        (added if old is None else changed).append(record.key)
    removed = [key for key in manifest.sections
               if key not in current and _briefing_of(key) not in kept]
    return todo, added, changed, removed


def _briefing_of(key: str) -> str:
    return key.partition("/")[0]  # section keys are `briefing-id/section-id` (Section.key)


def unchanged_briefings(manifest: Manifest, library: Library) -> frozenset[str]:
    """Ids of the briefings whose file (and parser) is the one the index was made from."""
    return frozenset(b.id for b in library.briefings
                     if manifest.briefings.get(b.id) == briefing_fingerprint(b))


def update_sections(ix: FileIndex, folder: Path, manifest: Manifest, library: Library,
                    progress: Progress | None = None) -> UpdateReport:
    """Re-index only the sections whose fingerprint changed, add new ones, delete removed ones.
    Records are made only for the briefings whose file changed: with 100,000 sections, making
    them all took longer (1.7 s) than re-indexing an edited section."""
    start = time.perf_counter()
    kept = unchanged_briefings(manifest, library)
    records = library_records(library, progress, skip=kept)
    todo, added, changed, removed = plan_update(manifest, records, kept)
    if todo or removed:
        stored_text.use(stored_text.of_index(folder, manifest.text_dictionary))  # the index's own
        writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT_S)
        try:
            for key in changed + removed:
                writer.delete_by_term("key", key)
            for n, record in enumerate(todo, 1):
                writer.add_document(**record_fields(record))
                if progress and (n % 20 == 0 or n == len(todo)):
                    progress(n, len(todo))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_tiny_segments)
    manifest.content = content_fingerprint(library)
    sections = {k: fp for k, fp in manifest.sections.items() if _briefing_of(k) in kept}
    sections.update((r.key, r.fingerprint) for r in records)
    manifest.sections = sections
    manifest.briefings = {b.id: briefing_fingerprint(b) for b in library.briefings}
    manifest.languages = languages_of(b.meta.language for b in library.briefings)
    manifest.save(folder)
    return UpdateReport(mode="incremental" if (todo or removed) else "none",
                        total=manifest.doc_count, added=added, changed=changed, removed=removed,
                        seconds=time.perf_counter() - start, location=folder)


# A segment an update writes holds the documents it changed: a few. Whoosh's default merge policy
# (MERGE_SMALL, by Fibonacci sizes) merged ~21 of a 100,000-section library's 40 equal build
# segments into one on every commit: 111-186 s to re-index one section. Only segments of fewer
# documents than this are merged, with each other; the build's segments are never rewritten.
TINY_SEGMENT_DOCS = 1000


def merge_tiny_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: fold the small segments earlier updates left into this commit's
    segment when there are several; keep every larger segment as it is."""
    from whoosh.reading import SegmentReader

    tiny = [seg for seg in segments if seg.doc_count_all() < TINY_SEGMENT_DOCS]
    if len(tiny) < 2:
        return segments
    for seg in tiny:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in tiny]


def update_extra(ix: FileIndex, folder: Path, manifest: Manifest, kind: str,
                 docs: Iterable[ExtraDocument]) -> UpdateReport:
    """Make the documents of `kind` exactly `docs`, touching only those that changed."""
    start = time.perf_counter()
    old = manifest.extra.get(kind, {})
    new = {d.key: d for d in docs if d.kind == kind}
    added = [k for k in new if k not in old]
    changed = [k for k in new if k in old and old[k] != new[k].fingerprint]
    removed = [k for k in old if k not in new]
    if added or changed or removed:
        stored_text.use(stored_text.of_index(folder, manifest.text_dictionary))
        writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT_S)
        try:
            for key in changed + removed:
                writer.delete_by_term("key", key)
            for key in added + changed:
                writer.add_document(**extra_fields(new[key]))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_tiny_segments)
    manifest.extra[kind] = {k: d.fingerprint for k, d in new.items()}
    manifest.save(folder)
    return UpdateReport(mode="incremental" if (added or changed or removed) else "none",
                        total=manifest.doc_count, added=added, changed=changed, removed=removed,
                        seconds=time.perf_counter() - start, location=folder)
