"""W3C JSON export/import (lossless, idempotent, newer wins) and Markdown export."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reader.annotations import Annotation, AnnotationStore, Kind, Selector
from reader.annotations.exchange import (
    ExchangeError,
    SectionInfo,
    export_json,
    export_markdown,
    read_json,
)

TEXT = "Russia needs markets and allies, and Iran also benefits from a strong partner."


def sample() -> list[Annotation]:
    return [
        Annotation("iran-russia", "deepening-ties", kind=Kind.NOTE,
                   selector=Selector.from_range(TEXT, 0, 6), color="pink",
                   note="**Why** now?\n\nSecond paragraph — ünïcode", tags=("energy", "q1"),
                   fingerprint="f1"),
        Annotation("iran-russia", "deepening-ties", selector=Selector.from_range(TEXT, 37, 41),
                   color="blue"),
        Annotation("iran-russia", "wrap-up", kind=Kind.BOOKMARK, fingerprint="f2"),
    ]


def test_round_trip_is_lossless_and_idempotent(tmp_path: Path) -> None:
    mine = AnnotationStore(tmp_path / "a.sqlite3")
    originals = sample()
    for a in originals:
        mine.add(a)
    out = tmp_path / "shared.json"
    assert export_json(mine.all(), out) == 3

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection"
    first = next(i for i in doc["first"]["items"] if i["motivation"] == "commenting")
    kinds = {s["type"] for s in first["target"]["selector"]}
    assert kinds == {"TextQuoteSelector", "TextPositionSelector"}
    assert first["id"] == f"urn:uuid:{originals[0].id}"

    theirs = AnnotationStore(tmp_path / "b.sqlite3")
    report = theirs.merge(read_json(out))
    assert (report.added, report.updated, report.unchanged) == (3, 0, 0)
    assert sorted(theirs.all(), key=lambda a: a.id) == sorted(originals, key=lambda a: a.id)
    again = theirs.merge(read_json(out))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert len(theirs.all()) == 3


def test_newer_modified_wins_either_way(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "a.sqlite3")
    base = sample()[0]
    store.add(replace(base, note="mine", modified="2026-05-01T00:00:00.000+00:00"))
    older = replace(base, note="older", modified="2026-04-01T00:00:00.000+00:00")
    newer = replace(base, note="newer", modified="2026-06-01T00:00:00Z")
    assert store.merge([older]).unchanged == 1
    assert store.get(base.id).note == "mine"
    assert store.merge([newer]).updated == 1
    assert store.get(base.id).note == "newer"


@pytest.mark.parametrize("content", [
    "not json", '{"type": "Something"}',
    '[{"id": "x", "type": "Annotation", "target": {"source": "http://elsewhere"}}]',
    '[{"id": "x", "target": {"source": "briefing:a/b"}, "created": "yesterday"}]',
])
def test_bad_files_are_clear_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExchangeError, match="bad.json|W3C"):
        read_json(path)


def test_markdown_groups_by_section(tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    titles = {"iran-russia/deepening-ties": "Deepening Ties", "iran-russia/wrap-up": "Wrap"}
    n = export_markdown(sample(), out, lambda k: SectionInfo(titles[k], f"section:{k}"))
    md = out.read_text(encoding="utf-8")
    assert n == 3
    assert md.index("## Deepening Ties") < md.index("> Russia") < md.index("## Wrap")
    assert "**Why** now?" in md and "colour: pink" in md and "tags: energy, q1" in md
    assert "(section:iran-russia/deepening-ties)" in md and "Bookmark" in md
