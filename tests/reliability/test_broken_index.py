"""A broken search index is rebuilt (with progress) and search keeps answering; never a traceback,
from the core, the `search` command or the window's search panel."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh.index import open_dir

from reader.app import main
from reader.content import Library, load_library
from reader.paths import AppPaths
from reader.search import SearchIndex, build
from reader.search.manifest import MANIFEST
from reader.search.schema import SCHEMA_VERSION
from tests.ui.features_of import search_indexer_of, search_panel_of


def delete_folder(folder: Path) -> None:
    shutil.rmtree(folder)


def truncate_segment(folder: Path) -> None:
    segments = sorted(folder.glob("*.seg"), key=lambda p: p.stat().st_size)
    assert segments, list(folder.iterdir())
    biggest = segments[-1]
    biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 3])


def stale_lock(folder: Path) -> None:
    # What a crash mid-write leaves: the lock file (its flock died with the process) and the
    # half-built folder of an interrupted rebuild.
    (folder / "MAIN_WRITELOCK").write_bytes(b"")
    (folder.parent / f"{folder.name}.new-deadbeef").mkdir()
    (folder.parent / f"{folder.name}.new-deadbeef" / "MAIN_1.toc").write_bytes(b"half")


def other_version(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["schema"] = SCHEMA_VERSION + 1
    (folder / MANIFEST).write_text(json.dumps(manifest))


def garbage_manifest(folder: Path) -> None:
    (folder / MANIFEST).write_bytes(b"\x00{not json")


def deleted_toc(folder: Path) -> None:
    for toc in folder.glob("*.toc"):
        toc.unlink()


BREAKERS: dict[str, Callable[[Path], None]] = {
    "deleted folder": delete_folder, "truncated segment": truncate_segment,
    "stale lock": stale_lock, "other version": other_version, "garbage manifest": garbage_manifest,
    "deleted toc": deleted_toc,
}


@pytest.fixture
def library(content_dir: Path) -> Library:
    return load_library([content_dir])


def built(data_dir: Path, library: Library) -> SearchIndex:
    index = SearchIndex.for_paths(AppPaths.create(data_dir), prebuilt=None)
    index.ensure(library)
    index.close()
    return index


@pytest.mark.parametrize("breaker", BREAKERS, ids=list(BREAKERS))
def test_core_rebuilds_with_progress_and_answers(breaker: str, data_dir: Path, library: Library) -> None:
    index = built(data_dir, library)
    BREAKERS[breaker](index.folder)
    seen: list[tuple[int, int]] = []
    report = index.ensure(library, progress=lambda done, total: seen.append((done, total)))
    if breaker != "stale lock":  # a stale lock is harmless: the index itself is fine
        assert report.mode == "full" and report.message
        assert seen and seen[-1][0] == seen[-1][1] == len(list(library.sections()))
    hits = index.search("drone technology").hits
    assert hits and hits[0].key == "iran-russia/military-cooperation"
    index.close()


def test_stale_lock_does_not_block_an_update(data_dir: Path, content_dir: Path) -> None:
    index = built(data_dir, load_library([content_dir]))
    stale_lock(index.folder)
    path = content_dir / "iran-russia.md"
    path.write_text(path.read_text().replace("drone technology", "drone technology zeppelinology"))
    report = index.ensure(load_library([content_dir]))
    assert report.mode == "incremental"
    assert [h.key for h in index.search("zeppelinology").hits] == ["iran-russia/military-cooperation"]
    index.close()


def test_index_held_by_another_process_still_answers(data_dir: Path, content_dir: Path,
                                                     monkeypatch) -> None:
    index = built(data_dir, load_library([content_dir]))
    monkeypatch.setattr(build, "WRITE_LOCK_TIMEOUT_S", 0.3)
    held = open_dir(str(index.folder)).lock("WRITELOCK")  # flock: conflicts even in-process
    assert held.acquire()
    try:
        path = content_dir / "iran-russia.md"
        path.write_text(path.read_text() + "\n\nA new paragraph about zeppelinology.\n")
        report = index.ensure(load_library([content_dir]))
        assert "Another Briefing Reader" in report.message
        assert index.search("drone technology").hits  # the index as it was
    finally:
        held.release()
    assert index.ensure(load_library([content_dir])).mode == "incremental"  # caught up later
    assert index.search("zeppelinology").hits
    index.close()


@pytest.mark.parametrize("breaker", BREAKERS, ids=list(BREAKERS))
def test_cli_search_on_broken_index(breaker: str, capsys, data_dir: Path, library: Library) -> None:
    BREAKERS[breaker](built(data_dir, library).folder)
    code = main(["--data-dir", str(data_dir), "search", "drone technology", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err + out
    assert json.loads(out)["results"][0]["id"] == "iran-russia/military-cooperation"
    if breaker not in ("stale lock",):
        assert "rebuilt" in err or "built it" in err


@pytest.mark.parametrize("breaker", ["truncated segment", "other version"])
def test_search_panel_on_broken_index(breaker: str, qtbot, open_window, data_dir: Path,
                                      library: Library) -> None:
    BREAKERS[breaker](built(data_dir, library).folder)
    window = open_window(data_dir)
    panel, indexer = search_panel_of(window), search_indexer_of(window)
    qtbot.waitUntil(lambda: indexer.index.ready and not indexer.indexing, timeout=20_000)
    report = indexer.index.last_report
    assert report.mode == "full" and "damaged" in report.message
    panel.focus_search()
    panel.field.setText("drone technology")
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10_000)
    assert window.current is not None
