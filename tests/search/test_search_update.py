"""Incremental updates of a large index stay small: records are made only for the briefings whose
file changed, and a commit never rewrites the build's segments (issue 18: re-indexing one
section of a 100,000-section library took 111-186 s, Whoosh merging half the index)."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.index import open_dir

from bench.synthetic import write_library
from reader.content import load_library
from reader.search import SearchIndex, build
from reader.search.build import Manifest


def _segments(folder: Path) -> dict[str, int]:
    ix = open_dir(str(folder))
    try:
        return {seg.segment_id(): seg.doc_count_all() for seg in ix._segments()}
    finally:
        ix.close()


def _edit(path: Path, nth: int, words: str) -> None:
    """Add `words` to the body of the file's `nth` section (after its heading's `{#id}`)."""
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth + 1):
        at = text.index("{#", at + 1)
    at = text.index("}", at) + 1
    path.write_text(f"{text[:at]}\n\n{words}{text[at:]}", encoding="utf-8")


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return write_library(tmp_path / "content", sections=300, words=30)  # 3 briefings of 100


def test_an_update_makes_records_only_for_the_changed_briefing(library_dir: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([library_dir]))
    files = sorted(library_dir.glob("*.md"))
    _edit(files[1], 7, "Edited: zanzibar quokka.")
    made: list[str] = []
    real = build.section_record

    def counting(section):  # type: ignore[no-untyped-def]
        made.append(section.key)
        return real(section)

    monkeypatch.setattr(build, "section_record", counting)
    report = index.ensure(load_library([library_dir]))
    assert report.mode == "incremental" and len(report.changed) == 1
    briefings = {key.partition("/")[0] for key in made}
    assert len(briefings) == 1 and len(made) == 100  # one briefing's sections, not 300
    assert [h.key for h in index.search("zanzibar quokka").hits] == report.changed
    # what the manifest holds still covers every section (none lost for being skipped)
    manifest = Manifest.load(tmp_path / "index")
    assert manifest is not None and len(manifest.sections) == 300
    assert index.search("zanzibar").total == 1
    index.close()


def test_an_update_never_rewrites_the_builds_segments(library_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    # The parallel build's segments, as at 100,000 sections (40 of 2,500), scaled down.
    monkeypatch.setattr(build, "PARALLEL_MIN_DOCS", 10)
    monkeypatch.setattr(build, "SEGMENT_DOCS", 40)
    monkeypatch.setattr(build, "TINY_SEGMENT_DOCS", 10)
    folder = tmp_path / "index"
    index = SearchIndex(folder)
    index.ensure(load_library([library_dir]))
    built = _segments(folder)
    assert sum(built.values()) == 300 and len(built) == 8
    files = sorted(library_dir.glob("*.md"))
    for n in range(6):  # six edits, one section each: six tiny segments, folded together
        _edit(files[n % 3], 10 + n, f"Edited: quokka{n}.")
        report = index.ensure(load_library([library_dir]))
        assert report.mode == "incremental" and len(report.changed) == 1
        now = _segments(folder)
        assert set(built) <= set(now)  # the build's segments are all still there, as written
        assert all(now[seg] == docs for seg, docs in built.items())
        assert len(now) <= len(built) + 2  # the update segments do not pile up
    for n in range(6):
        assert index.search(f"quokka{n}").total == 1
    assert index.search("edited").total == 6
    index.close()


def test_an_index_from_before_briefing_fingerprints_updates_correctly(library_dir: Path,
                                                                      tmp_path: Path):
    folder = tmp_path / "index"
    index = SearchIndex(folder)
    index.ensure(load_library([library_dir]))
    manifest = Manifest.load(folder)
    assert manifest is not None and len(manifest.briefings) == 3
    manifest.briefings = {}  # as an older app wrote it: every briefing is checked section by section
    manifest.save(folder)
    index.close()
    files = sorted(library_dir.glob("*.md"))
    _edit(files[2], 7, "Edited: zanzibar.")
    again = SearchIndex(folder)
    report = again.ensure(load_library([library_dir]))
    assert report.mode == "incremental" and report.changed and not report.removed
    assert again.search("zanzibar").total == 1
    assert len(Manifest.load(folder).briefings) == 3  # type: ignore[union-attr]
    again.close()


def test_a_removed_briefing_leaves_the_index(library_dir: Path, tmp_path: Path):
    index = SearchIndex(tmp_path / "index")
    index.ensure(load_library([library_dir]))
    first = sorted(library_dir.glob("*.md"))[0]
    title = next(line[3:].split("{")[0].strip() for line in first.read_text().splitlines()
                 if line.startswith("## "))
    first.unlink()
    report = index.ensure(load_library([library_dir]))
    assert report.mode == "incremental" and len(report.removed) == 100
    assert all(h.key.partition("/")[0] != report.removed[0].partition("/")[0]
               for h in index.search(f'title:"{title}"').hits)
    index.close()
