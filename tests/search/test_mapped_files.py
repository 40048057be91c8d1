"""Compound segment files read in place (reader.search.mapped_files): the same bytes and the same
answers as Whoosh's copying `BufferFile`, without holding the index in memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from bench.synthetic import write_library
from reader.content import Library, load_library
from reader.search import SearchIndex
from reader.search.mapped_files import COPYING_OPEN_FILE, MappedPart


def built(tmp_path: Path, sections: int = 600) -> tuple[Path, SearchIndex, Library]:
    library = load_library([write_library(tmp_path / "lib", sections=sections, words=200)])
    index = SearchIndex(tmp_path / "index", prebuilt=None)
    index.ensure(library)
    return tmp_path / "index", index, library


def compound_files(folder: Path) -> list[CompoundStorage]:
    store = FileStorage(str(folder))
    return [CompoundStorage(store.open_file(name)) for name in store.list() if name.endswith(".seg")]


def test_opening_an_index_reads_its_segments_in_place(tmp_path: Path) -> None:
    folder, index, library = built(tmp_path)
    index.close()
    segments = compound_files(folder)
    assert segments  # the build writes compound segments
    size = sum(p.stat().st_size for p in folder.glob("*.seg"))
    tracemalloc.start()
    fresh = SearchIndex(folder, prebuilt=None)
    assert fresh.ensure(library).mode == "none" and fresh.ready
    word = max(next(iter(library.sections())).markdown.split(), key=len).strip(".,")
    hits = fresh.search(word).hits
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert hits
    assert peak < size / 4, (peak, size)  # Whoosh's BufferFile copied every part: >= size
    reader = fresh._searcher.reader()  # type: ignore[union-attr]
    assert any(isinstance(f, MappedPart) for f in _open_files(reader))
    fresh.close()


def _open_files(reader: object) -> list[object]:
    """The file objects a Whoosh segment reader holds (terms, postings, per-document)."""
    out: list[object] = []
    readers = getattr(reader, "readers", None)
    for sub in (readers() if callable(readers) else [reader]):
        for attr in vars(sub).values():
            for inner in (vars(attr).values() if hasattr(attr, "__dict__") else []):
                if hasattr(inner, "read") and hasattr(inner, "seek"):
                    out.append(inner)
    return out


def test_every_part_reads_as_whoosh_reads_it(tmp_path: Path) -> None:
    folder, index, _library = built(tmp_path, sections=300)
    index.close()
    for storage in compound_files(folder):
        for name in storage.list():
            mine, theirs = storage.open_file(name), COPYING_OPEN_FILE(storage, name)
            assert isinstance(mine, MappedPart) and not isinstance(theirs, MappedPart)
            assert mine.read() == theirs.read()
            for pos in (0, 1, 7, 100):
                mine.seek(pos)
                theirs.seek(pos)
                assert (mine.read(13), mine.tell()) == (theirs.read(13), theirs.tell())
                assert mine.get(pos, 9) == theirs.get(pos, 9)
            mine.seek(-3, 2)
            theirs.seek(-3, 2)
            assert mine.read() == theirs.read()
        storage.close()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=400),
       steps=st.lists(st.tuples(st.sampled_from(["read", "seek", "seek1", "seek2", "line", "byte"]),
                                st.integers(min_value=-5, max_value=450)), max_size=25))
def test_a_part_behaves_as_the_copying_file(data: bytes, steps: list[tuple[str, int]]) -> None:
    from whoosh.filedb.structfile import BufferFile

    mine, theirs = MappedPart(memoryview(data)), BufferFile(memoryview(data))
    for op, n in steps:
        if op == "read":
            assert mine.read(n) == theirs.read(n)
        elif op == "seek":
            mine.seek(abs(n))
            theirs.seek(abs(n))
        elif op == "seek1":
            target = mine.tell() + n
            if target >= 0:
                mine.seek(n, 1)
                theirs.seek(n, 1)
        elif op == "seek2" and len(data) + n >= 0:
            mine.seek(n, 2)
            theirs.seek(n, 2)
        elif op == "line":
            assert mine.readline() == theirs.readline()
        elif op == "byte" and mine.tell() < len(data):
            assert mine.read_byte() == theirs.read_byte()
        assert mine.tell() == theirs.tell()
