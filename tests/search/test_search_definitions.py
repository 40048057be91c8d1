"""Issue 16 in the index: titles as plain text, and a changed reference definition re-indexes
the sections that use it (their fingerprints include it)."""

from __future__ import annotations

from pathlib import Path

from reader.content import load_library
from reader.search import SearchIndex
from reader.search.build import Manifest
from reader.search.schema import SCHEMA_VERSION
from tests.conftest import write_briefing

BODY = ("## The `Box<T>` Type\nSee [the guide][g] for quokka facts.\n## Plain\nNothing.\n"
        "## Refs\n[g]: https://a.example/ \"Alpha guide\"\n")


def test_editing_a_definition_reindexes_the_sections_using_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    path = write_briefing(content, "b.md", BODY)
    index = SearchIndex(tmp_path / "index")
    assert index.ensure(load_library([content])).mode == "full"
    [hit] = index.search("quokka").hits
    assert hit.title == "The Box<T> Type"  # plain text, no backticks
    path.write_text(path.read_text(encoding="utf-8").replace("a.example", "b.example"),
                    encoding="utf-8")
    report = index.ensure(load_library([content]))
    assert report.mode == "incremental"
    assert sorted(report.changed) == ["b/refs", "b/the-box-t-type"]
    index.close()


def test_an_index_of_the_previous_schema_is_rebuilt(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_briefing(content, "b.md", BODY)
    folder = tmp_path / "index"
    index = SearchIndex(folder)
    index.ensure(load_library([content]))
    index.close()
    manifest = Manifest.load(folder)
    assert manifest is not None and SCHEMA_VERSION >= 5  # 5: definitions in the records
    manifest.schema = SCHEMA_VERSION - 1
    manifest.save(folder)
    again = SearchIndex(folder)
    assert again.ensure(load_library([content])).mode == "full"
    again.close()
