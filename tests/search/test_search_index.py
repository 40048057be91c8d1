"""The index as a cache: incremental updates, rebuilding when deleted or damaged, the prebuilt
read-only index, extra documents, and the parallel build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.content import load_library
from reader.search import ExtraDocument, SearchIndex, build_full
from reader.search.build import Manifest


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_editing_a_file_reindexes_only_the_changed_section(tmp_path: Path, content_dir: Path):
    folder = tmp_path / "index"
    first = SearchIndex(folder)
    assert first.ensure(load_library([content_dir])).mode == "full"
    first.close()
    path = content_dir / "iran-russia.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("That's a wrap for today's look",
                                 "That's a quokka wrap for today's look"), encoding="utf-8")

    again = SearchIndex(folder)  # "starting again"
    report = again.ensure(load_library([content_dir]))
    assert report.mode == "incremental"
    assert report.reindexed == ["iran-russia/wrap-up"] and report.changed == ["iran-russia/wrap-up"]
    assert not report.removed
    assert [h.key for h in again.search("quokka").hits] == ["iran-russia/wrap-up"]
    assert again.ensure(load_library([content_dir])).mode == "none"
    again.close()


def test_added_and_removed_sections(tmp_path: Path, content_dir: Path):
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([content_dir]))
    path = content_dir / "iran-russia.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("### The Global Impact")
    end = text.index("## That's a Wrap")
    text = text[:start] + text[end:] + "\n## Brand New {#brand-new}\n\nA wombat appears.\n"
    path.write_text(text, encoding="utf-8")
    report = index.ensure(load_library([content_dir]))
    assert report.added == ["iran-russia/brand-new"]
    assert report.removed == ["iran-russia/global-impact"]
    assert [h.key for h in index.search("wombat").hits] == ["iran-russia/brand-new"]
    assert "iran-russia/global-impact" not in [h.key for h in index.search("impact", limit=50).hits]
    index.close()


def test_deleted_index_folder_is_rebuilt_with_a_message(tmp_path: Path, content_dir: Path):
    folder = tmp_path / "index"
    library = load_library([content_dir])
    SearchIndex(folder).ensure(library)
    shutil.rmtree(folder)
    index = SearchIndex(folder)
    report = index.ensure(library)
    assert report.mode == "full" and "built" in report.message
    assert index.search("drone").hits
    index.close()


def test_corrupted_index_is_rebuilt_with_a_message(tmp_path: Path, content_dir: Path):
    folder = tmp_path / "index"
    library = load_library([content_dir])
    SearchIndex(folder).ensure(library)
    for f in folder.iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"garbage" * 10)
    index = SearchIndex(folder)
    report = index.ensure(library)
    assert report.mode == "full" and "damaged" in report.message
    assert index.search("drone").hits
    index.close()


def test_damaged_manifest_is_rebuilt(tmp_path: Path, content_dir: Path):
    folder = tmp_path / "index"
    library = load_library([content_dir])
    SearchIndex(folder).ensure(library)
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    report = SearchIndex(folder).ensure(library)
    assert report.mode == "full" and "damaged" in report.message


def test_matching_prebuilt_index_is_used_read_only(tmp_path: Path, content_dir: Path):
    library = load_library([content_dir])
    prebuilt = tmp_path / "prebuilt-index"
    build_full(library, prebuilt)
    before = _files(prebuilt)
    cache = tmp_path / "cache" / "index"
    index = SearchIndex(cache, prebuilt=prebuilt)
    report = index.ensure(library)
    assert report.mode == "none" and index.location == prebuilt
    assert not cache.exists()
    assert index.search("drone").hits
    index.close()
    assert _files(prebuilt) == before


def test_outdated_prebuilt_index_is_copied_and_updated_in_the_cache(tmp_path: Path,
                                                                   content_dir: Path):
    prebuilt = tmp_path / "prebuilt-index"
    build_full(load_library([content_dir]), prebuilt)
    before = _files(prebuilt)
    path = content_dir / "iran-russia.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Stay tuned", "Stay platypus"),
                    encoding="utf-8")
    cache = tmp_path / "cache" / "index"
    index = SearchIndex(cache, prebuilt=prebuilt)
    report = index.ensure(load_library([content_dir]))
    assert report.mode == "incremental" and report.reindexed == ["iran-russia/wrap-up"]
    assert index.location == cache and Manifest.load(cache) is not None
    assert index.search("platypus").hits
    index.close()
    assert _files(prebuilt) == before


def test_extra_documents_can_be_added_changed_and_removed(tmp_path: Path, content_dir: Path):
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([content_dir]))
    note = ExtraDocument(key="note:1", kind="note", section="iran-russia/wrap-up",
                         title="My note", body="Remember the narwhal.")
    assert index.update_extra_documents("note", [note]).added == ["note:1"]
    hits = index.search("narwhal").hits
    assert [(h.key, h.kind, h.section) for h in hits] == [("note:1", "note", "iran-russia/wrap-up")]
    changed = ExtraDocument(**{**note.__dict__, "body": "Remember the axolotl."})
    assert index.update_extra_documents("note", [changed]).changed == ["note:1"]
    assert not index.search("narwhal").hits and index.search("axolotl").hits
    assert index.update_extra_documents("note", []).removed == ["note:1"]
    assert not index.search("axolotl").hits
    index.close()


def test_parallel_build_matches_serial_build(tmp_path: Path, content_dir: Path):
    library = load_library([content_dir])
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build_full(library, serial, procs=1)
    report = build_full(library, parallel, procs=2)
    assert report.total == len(library)
    a, b = SearchIndex(serial), SearchIndex(parallel)
    a.ensure(library), b.ensure(library)
    for q in ("drone technology", '"strategic partnership"', "sanc*", "energy OR trade"):
        assert sorted(h.key for h in a.search(q, limit=50).hits) == \
            sorted(h.key for h in b.search(q, limit=50).hits)
    a.close(), b.close()


def test_a_parallel_build_makes_no_records_in_the_calling_thread(tmp_path: Path,
                                                                  monkeypatch) -> None:
    """The window builds on a thread sharing its GIL: the workers (other processes, which this
    patch does not reach) read and parse the briefings' files and make the records."""
    from bench.synthetic import write_library
    from reader.search import build

    library = load_library([write_library(tmp_path / "lib", sections=400, words=20)])
    monkeypatch.setattr(build, "section_record", lambda s: pytest.fail("a record made here"))
    monkeypatch.setattr(build, "record_fields", lambda *a: pytest.fail("a document made here"))
    report = build_full(library, tmp_path / "ix", procs=2)
    assert report.total == len(library) == 400
    manifest = Manifest.load(tmp_path / "ix")
    assert manifest is not None and set(manifest.sections) == {s.key for s in library.sections()}
    monkeypatch.undo()
    serial = tmp_path / "serial"
    build_full(library, serial, procs=1)
    assert Manifest.load(serial).sections == manifest.sections  # the same fingerprints
    a, b = SearchIndex(serial), SearchIndex(tmp_path / "ix")
    a.ensure(library), b.ensure(library)
    first = library.briefings[0].root.children[0]
    for q in (first.title.split()[0], "the", f'title:"{first.title}"'):
        assert [h.key for h in a.search(q, limit=400).hits] == [h.key for h in b.search(q, limit=400).hits]
    a.close(), b.close()


def test_a_file_changed_during_a_parallel_build_is_indexed_as_the_library_read_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The index must match the library the window shows (its next update compares the two)."""
    from bench.synthetic import write_library

    folder = write_library(tmp_path / "lib", sections=300, words=20)
    library = load_library([folder])
    changed = library.briefings[1]
    old_title = changed.root.children[0].title
    changed.path.write_text(changed.path.read_text().replace(old_title, "Zyxwvut Heading"))
    with caplog.at_level("INFO", logger="reader.search.build"):
        build_full(library, tmp_path / "ix", procs=2)
    assert "1 briefing files changed during the build" in caplog.text
    index = SearchIndex(tmp_path / "ix")
    assert index.ensure(library).mode == "none"  # up to date with the library as read
    assert [h.key for h in index.search("zyxwvut").hits] == []
    assert changed.root.children[0].key in [h.key for h in index.search(
        f'title:"{old_title}"', limit=300).hits]
    assert len(Manifest.load(tmp_path / "ix").sections) == len(library)
    index.close()


def test_a_build_whose_files_all_changed_meanwhile_still_indexes_the_library(
        tmp_path: Path) -> None:
    """Every slice stale: no worker writes a segment, the build thread indexes it all (a worker
    dropping its unused writer had emptied the temporary folder the build thread writes in)."""
    from bench.synthetic import write_library

    folder = write_library(tmp_path / "lib", sections=300, words=20)
    library = load_library([folder])
    for briefing in library.briefings:
        briefing.path.write_text(briefing.path.read_text() + "\nEdited since: quokka.\n")
    report = build_full(library, tmp_path / "ix", procs=2)
    assert report.total == len(library) == 300
    index = SearchIndex(tmp_path / "ix")
    assert index.ensure(library).mode == "none"
    assert index.search("quokka").hits == []  # as the library read the files
    title = library.briefings[2].root.children[5].title
    assert library.briefings[2].root.children[5].key in [
        h.key for h in index.search(f'title:"{title}"', limit=300).hits]
    index.close()


def test_a_mostly_new_library_is_rebuilt_not_updated(tmp_path: Path, content_dir: Path,
                                                      monkeypatch) -> None:
    """Adding thousands of sections one by one to an index is far slower than a fresh (parallel)
    build; a small edit still updates incrementally."""
    from reader.search import index as index_module
    from tests.conftest import write_briefing

    monkeypatch.setattr(index_module, "PARALLEL_MIN_DOCS", 5)
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([content_dir]))
    write_briefing(content_dir, "big.md", "".join(f"## Part {i}\nword{i} text\n" for i in range(30)),
                   date="2026-12-01")
    report = index.ensure(load_library([content_dir]))
    assert report.mode == "full" and "new content" in report.message
    (content_dir / "big.md").write_text((content_dir / "big.md").read_text() + "\nmore\n")
    assert index.ensure(load_library([content_dir])).mode == "incremental"
    assert [h.section for h in index.search("word7").hits] == ["big/part-7"]
