"""The manifest is two files: a small one read whenever the index is opened, and the documents
file (every section's and briefing's fingerprint) read only by an update of the sections
(issue 18: at 100,000 sections parsing those 7 MB held the GIL for 110 ms on the build's thread
of the window's process, at every start and after every build)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import write_library
from reader.content import load_library
from reader.search import ExtraDocument, SearchIndex
from reader.search.manifest import DOCUMENTS_PREFIX, MANIFEST, DamagedManifest, Manifest


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return write_library(tmp_path / "content", sections=300, words=30)  # 3 briefings of 100


def _documents(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{DOCUMENTS_PREFIX}*.json"))


def _built(library_dir: Path, folder: Path) -> SearchIndex:
    index = SearchIndex(folder)
    assert index.ensure(load_library([library_dir])).mode == "full"
    return index


def test_opening_an_index_reads_the_small_manifest_only(library_dir: Path, tmp_path: Path) -> None:
    index = _built(library_dir, tmp_path / "ix")
    index.close()
    folder = tmp_path / "ix"
    header = (folder / MANIFEST).read_text(encoding="utf-8")
    assert "/" not in json.dumps(json.loads(header)["extra"])  # no section key in it
    assert len(header) < 1000 and len(_documents(folder)) == 1
    # Made unreadable: an index whose content is unchanged never looks at it.
    _documents(folder)[0].write_text("{garbage", encoding="utf-8")
    again = SearchIndex(folder)
    report = again.ensure(load_library([library_dir]))
    assert report.mode == "none" and report.total == 300
    word = load_library([library_dir]).briefings[0].root.children[0].title.split()[0]
    assert again.search(word).total > 0
    manifest = Manifest.load(folder)
    assert manifest is not None and manifest.doc_count == 300
    with pytest.raises(DamagedManifest):
        manifest.sections  # noqa: B018 - reading it is the point
    again.close()


def test_a_damaged_documents_file_has_the_next_update_rebuild(library_dir: Path, tmp_path: Path) -> None:
    index = _built(library_dir, tmp_path / "ix")
    _documents(index.folder)[0].write_text('{"sections": {}, "briefings": {}}', encoding="utf-8")
    path = sorted(library_dir.glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA new line: quokkazanzibar.\n",
                    encoding="utf-8")
    report = index.ensure(load_library([library_dir]))
    assert report.mode == "full" and "damaged" in report.message
    assert index.search("quokkazanzibar").total == 1
    assert len(_documents(index.folder)) == 1
    index.close()


def test_a_missing_documents_file_has_the_index_rebuilt(library_dir: Path, tmp_path: Path) -> None:
    index = _built(library_dir, tmp_path / "ix")
    index.close()
    _documents(tmp_path / "ix")[0].unlink()
    assert Manifest.load(tmp_path / "ix") is None
    again = SearchIndex(tmp_path / "ix")
    report = again.ensure(load_library([library_dir]))
    assert report.mode == "full" and "damaged" in report.message and report.total == 300
    again.close()


def test_an_update_replaces_the_documents_file_and_removes_the_old_one(library_dir: Path,
                                                                        tmp_path: Path) -> None:
    index = _built(library_dir, tmp_path / "ix")
    before = _documents(index.folder)
    path = sorted(library_dir.glob("*.md"))[1]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nEdited: wombatquill.\n",
                    encoding="utf-8")
    assert index.ensure(load_library([library_dir])).mode == "incremental"
    after = _documents(index.folder)
    assert len(after) == 1 and after != before
    manifest = Manifest.load(index.folder)
    assert manifest is not None and len(manifest.sections) == 300 == manifest.doc_count
    assert len(manifest.briefings) == 3
    index.close()


def test_a_notes_update_leaves_the_documents_file_unread_and_unchanged(library_dir: Path,
                                                                        tmp_path: Path) -> None:
    index = _built(library_dir, tmp_path / "ix")
    index.close()
    index = SearchIndex(tmp_path / "ix")
    index.ensure(load_library([library_dir]))
    before = {p.name: p.stat().st_mtime_ns for p in _documents(index.folder)}
    note = ExtraDocument(key="note:1", kind="note", section="briefing-0000/s-0001",
                         title="My note", body="remember the pangolinvault")
    assert index.update_extra_documents("note", [note]).mode == "incremental"
    assert {p.name: p.stat().st_mtime_ns for p in _documents(index.folder)} == before
    manifest = Manifest.load(index.folder)
    assert manifest is not None and manifest.doc_count == 301
    assert manifest.extra == {"note": {"note:1": note.fingerprint}}
    assert index.search("pangolinvault").total == 1
    index.close()


def test_a_save_after_a_crash_between_its_two_writes_keeps_the_old_pair(
        library_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = _built(library_dir, tmp_path / "ix")
    index.close()
    folder = tmp_path / "ix"
    manifest = Manifest.load(folder)
    assert manifest is not None
    manifest.sections = {**manifest.sections, "extra/key": "fp"}
    import reader.search.manifest as module

    real, calls = module._write, []

    def crash_on_the_manifest(path: Path, data: dict[str, Any]) -> None:
        calls.append(path.name)
        if path.name == MANIFEST:
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr(module, "_write", crash_on_the_manifest)
    with pytest.raises(OSError):
        manifest.save(folder)
    monkeypatch.undo()
    kept = Manifest.load(folder)
    assert kept is not None and len(kept.sections) == 300  # the old pair, whole


def test_the_documents_file_is_read_and_written_a_few_hundred_sections_at_a_time(
        library_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One `json.dumps` or `json.loads` of 100,000 fingerprints held the GIL for 65-70 ms on the
    build's thread of the window's process: the file is JSON lines of at most
    DOCUMENTS_PER_LINE sections each, parsed and made a line at a time."""
    import reader.search.manifest as module

    monkeypatch.setattr(module, "DOCUMENTS_PER_LINE", 50)
    index = _built(library_dir, tmp_path / "ix")
    index.close()
    lines = _documents(tmp_path / "ix")[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 6  # the briefings, then 300 sections 50 a line
    assert list(json.loads(lines[0])) == ["briefings"]
    assert all(len(json.loads(line)) == 50 for line in lines[1:])
    loaded = Manifest.load(tmp_path / "ix")
    assert loaded is not None and len(loaded.sections) == 300 and len(loaded.briefings) == 3
    keys = [key for line in lines[1:] for key in json.loads(line)]
    assert list(loaded.sections) == keys  # in document order, as written
