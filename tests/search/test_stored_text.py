"""The text kept for snippets is compressed with a dictionary sampled from the library (issue
18: the index on disk at most 1.5× FTS5's): built, opened, updated and damaged, on real Whoosh
indexes."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from bench.synthetic import write_library
from reader.content import Library, load_library, section_plain_text
from reader.search import SearchIndex, build_full, stored_text
from reader.search.build import Manifest


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load_library([write_library(tmp_path_factory.mktemp("lib") / "c", sections=300, words=120)])


def stored_values(folder: Path) -> list[bytes]:
    from whoosh.index import open_dir

    with open_dir(str(folder)).searcher() as searcher:
        return [fields["text"] for fields in searcher.all_stored_fields()]


@pytest.mark.parametrize("procs", [1, 2])
def test_the_stored_text_is_compressed_with_the_librarys_dictionary(
        library: Library, tmp_path: Path, procs: int) -> None:
    build_full(library, tmp_path / "ix", procs=procs)
    manifest = Manifest.load(tmp_path / "ix")
    assert manifest is not None and manifest.text_dictionary
    dictionary = (tmp_path / "ix" / stored_text.FILE).read_bytes()
    assert zlib.adler32(dictionary) == manifest.text_dictionary
    assert 0 < len(dictionary) <= stored_text.SIZE
    values = stored_values(tmp_path / "ix")
    assert len(values) == 300
    # every value names the dictionary in its zlib header (the workers had it too)
    assert {int.from_bytes(v[2:6], "big") for v in values} == {manifest.text_dictionary}
    texts = [section_plain_text(s) for s in library.sections()]
    alone = sum(len(zlib.compress(t.encode(), 1)) for t in texts)
    assert sum(map(len, values)) < 0.85 * alone
    assert sorted(map(stored_text.decompress, values)) == sorted(texts)


def test_a_new_process_reads_the_text_through_the_index_folder(
        library: Library, tmp_path: Path, monkeypatch) -> None:
    build_full(library, tmp_path / "ix", procs=1)
    monkeypatch.setattr(stored_text, "_known", {})  # as a fresh process: nothing registered
    index = SearchIndex(tmp_path / "ix")
    assert index.ensure(library).mode == "none"
    word = section_plain_text(library.briefings[0].root.children[3]).split()[5].strip(".,;")
    hits = index.search(word).hits
    assert hits and all(word.lower() in h.snippet.text.lower() for h in hits[:3])
    index.close()


def test_an_update_compresses_with_the_indexs_own_dictionary(
        tmp_path: Path) -> None:
    folder = write_library(tmp_path / "lib", sections=200, words=60)
    index = SearchIndex(tmp_path / "ix")
    index.ensure(load_library([folder]))
    ident = Manifest.load(tmp_path / "ix").text_dictionary
    stored_text.use(b"another process-wide dictionary, as after building another index")
    path = folder / "briefing-0001.md"
    path.write_text(path.read_text() + "\nAn appended zzyzx sentence.\n")
    assert index.ensure(load_library([folder])).mode == "incremental"
    assert {int.from_bytes(v[2:6], "big") for v in stored_values(tmp_path / "ix")} == {ident}
    assert "zzyzx" in index.search("zzyzx").hits[0].snippet.text
    index.close()


@pytest.mark.parametrize("damage", ["deleted", "another"])
def test_a_missing_or_wrong_dictionary_means_a_rebuild_with_a_message(
        library: Library, tmp_path: Path, damage: str) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.ensure(library)
    index.close()
    path = tmp_path / "ix" / stored_text.FILE
    if damage == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"not the dictionary the index was built with")
    index = SearchIndex(tmp_path / "ix")
    report = index.ensure(library)
    assert report.mode == "full" and "rebuilt" in report.message.lower()
    title = library.briefings[0].root.children[0].title
    assert library.briefings[0].root.children[0].key in [
        h.key for h in index.search(f'title:"{title}"', limit=300).hits]
    index.close()


def test_values_without_a_dictionary_still_read_and_unknown_ones_say_so() -> None:
    assert stored_text.decompress(zlib.compress(b"plain old value", 1)) == "plain old value"
    compressor = zlib.compressobj(6, zdict=b"a dictionary nobody registered")
    value = compressor.compress(b"text") + compressor.flush()
    with pytest.raises(stored_text.MissingDictionary):
        stored_text.decompress(value)


def test_making_the_dictionary_renders_nothing(tmp_path: Path) -> None:
    """The dictionary is made on the window's build thread: rendering would import
    Python-Markdown there (hundreds of ms of imports holding the GIL beside the reader typing)."""
    import subprocess
    import sys

    folder = write_library(tmp_path / "lib", sections=200, words=40)
    code = ("import sys; from pathlib import Path\n"
            "from reader.content import load_library\n"
            "from reader.search.build import text_dictionary\n"
            f"d = text_dictionary(load_library([Path({str(folder)!r})]))\n"
            "print(len(d) > 1000, 'markdown' in sys.modules)\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.split() == ["True", "False"], out.stderr[-2000:]
