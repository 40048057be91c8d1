"""The parsed library kept between runs (reader.content.library_cache): a cached load is the same
library a parse gives, bodies stay on disk until read, changed files are parsed again, and a
damaged or foreign cache only means parsing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader.content import load_library
from reader.content.library import Library
from reader.content.library_cache import INDEX_FILE, BodyStore, CachedSection, LibraryCache
from reader.content.render import render_section_html
from reader.updates import compute_changes
from reader.updates.changes import seen_now
from tests.conftest import ROOT, write_briefing

CONSTRUCTS = Path(__file__).parent / "fixtures" / "constructs"
BROKEN = Path(__file__).parent / "fixtures" / "broken"


def corpus(tmp_path: Path) -> Path:
    """The shipped briefing, the construct corpus (footnotes, definitions, images), a broken
    file, a Persian one and one with two versions of a briefing."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    shutil.copytree(CONSTRUCTS, folder / "constructs")
    shutil.copy(BROKEN / "other.md", folder / "other.md")
    write_briefing(folder, "fa.md", "## گزارش روز\nمتن [^1]\n\n[^1]: پانویس\n", title="گزارش", id="fa")
    write_briefing(folder, "v1.md", "## Old\nold text\n", title="Twice", id="twice")
    write_briefing(folder, "v2.md", "## New\nnew text\n", title="Twice", id="twice", date="2026-02-02")
    return folder


def described(library: Library) -> list[tuple[object, ...]]:
    """Everything a parse decides, section by section, plus the problems and older versions."""
    rows: list[tuple[object, ...]] = [(str(p),) for p in library.problems]
    for b in [*library.briefings, *(o for v in library.older.values() for o in v)]:
        rows.append((b.id, b.meta, b.fingerprint, str(b.path), b.definitions, b.legacy_ids))
        for s in b.sections():
            rows.append((s.key, s.title, s.title_html, s.heading, s.level, s.line, s.row, s.markdown,
                         s.source, s.fingerprint, s.own_footnotes, s.parent.id if s.parent else None,
                         [c.id for c in s.children]))
    return rows


def test_a_cached_load_is_the_library_a_parse_gives(tmp_path: Path) -> None:
    folder, cache_dir = corpus(tmp_path), tmp_path / "cache"
    parsed = load_library([folder])
    first = load_library([folder], cache=LibraryCache(cache_dir))  # parses, writes the cache
    assert (cache_dir / INDEX_FILE).exists()
    cached = load_library([folder], cache=LibraryCache(cache_dir))
    assert all(isinstance(s, CachedSection) for s in cached.sections())
    assert described(cached) == described(parsed) == described(first)
    for a, b in zip(parsed.sections(), cached.sections(), strict=True):
        assert render_section_html(a) == render_section_html(b)


def test_bodies_are_read_only_when_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache_dir = corpus(tmp_path), tmp_path / "cache"
    load_library([folder], cache=LibraryCache(cache_dir))
    reads: list[tuple[int, int]] = []
    real = BodyStore.text
    monkeypatch.setattr(BodyStore, "text", lambda self, a, b: reads.append((a, b)) or real(self, a, b))
    library = load_library([folder], cache=LibraryCache(cache_dir))
    assert reads == []  # nothing read by loading

    def read() -> set[str]:
        where = {s.__dict__["_body"][1:]: s.key for s in library.sections()}
        return {where[r] for r in reads if r[0] != r[1]}

    shown = library.find("iran-russia/military-cooperation")
    assert shown is not None and "drone technology" in shown.markdown
    assert read() == {shown.key}
    # What changed since the version the reader saw, when it is the one shown: no body read.
    assert compute_changes(library, {}, seen_now(library)) == []
    assert read() == {shown.key}
    # A body is not kept once read (a search build reads them all): read again when asked.
    assert "drone technology" in shown.markdown and len(reads) == 2 and "_md" not in shown.__dict__


def test_changed_added_and_removed_files_are_seen(tmp_path: Path) -> None:
    folder, cache_dir = corpus(tmp_path), tmp_path / "cache"
    load_library([folder], cache=LibraryCache(cache_dir))
    page = folder / "fa.md"
    write_briefing(folder, "fa.md", "## گزارش تازه\nمتن نو\n", title="گزارش", id="fa")
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000))
    same_size = folder / "v2.md"  # the same length: only the modification time tells
    same_size.write_text(same_size.read_text().replace("new text", "NEW TEXT"), encoding="utf-8")
    os.utime(same_size, ns=(same_size.stat().st_atime_ns, same_size.stat().st_mtime_ns + 1_000_000))
    (folder / "v1.md").unlink()
    write_briefing(folder, "added.md", "## Added\nfresh\n", title="Added", id="added")
    cached = load_library([folder], cache=LibraryCache(cache_dir))
    assert described(cached) == described(load_library([folder]))
    fa = cached.briefing("fa")
    assert fa is not None and [s.title for s in fa.sections()][1:] == ["گزارش تازه"]
    assert not isinstance(fa.root, CachedSection)  # parsed afresh
    assert cached.older == {} and cached.briefing("added") is not None
    twice = cached.briefing("twice")
    assert twice is not None and "NEW TEXT" in twice.root.children[0].markdown
    again = load_library([folder], cache=LibraryCache(cache_dir))  # the rewritten cache serves all
    assert all(isinstance(s, CachedSection) for s in again.sections())
    assert described(again) == described(cached)


@pytest.mark.parametrize("damage", ["truncated index", "garbage index", "no bodies", "short bodies",
                                    "other parser"])
def test_a_damaged_or_foreign_cache_only_means_parsing(tmp_path: Path, damage: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache_dir = corpus(tmp_path), tmp_path / "cache"
    load_library([folder], cache=LibraryCache(cache_dir))
    index = cache_dir / INDEX_FILE
    [bodies] = cache_dir.glob("bodies-*.bin")
    if damage == "truncated index":
        index.write_bytes(index.read_bytes()[:200])
    elif damage == "garbage index":
        index.write_bytes(os.urandom(4096))
    elif damage == "no bodies":
        bodies.unlink()
    elif damage == "short bodies":
        bodies.write_bytes(bodies.read_bytes()[:100])
    else:
        monkeypatch.setattr("reader.content.library_cache.code_key", lambda: "another parser")
    library = load_library([folder], cache=LibraryCache(cache_dir))
    assert not any(isinstance(s, CachedSection) for s in library.sections())  # parsed
    assert described(library) == described(load_library([folder]))
    healed = load_library([folder], cache=LibraryCache(cache_dir))  # and the cache was rewritten
    assert all(isinstance(s, CachedSection) for s in healed.sections())


def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")  # the cache folder cannot be made
    library = load_library([folder], cache=LibraryCache(blocked / "cache"))
    assert described(library) == described(load_library([folder]))
