"""Headings -> section tree, section ids, metadata validation."""

from __future__ import annotations

from pathlib import Path

from reader.content import load_library, parse_briefing, slugify
from tests.conftest import write_briefing

BODY = """# Title
Intro text.

## Alpha
Alpha text.

### Alpha One
Deep text.

## Beta
Beta text.
"""


def ids(briefing) -> list[str]:
    return [s.id for s in briefing.sections()]


def test_headings_become_a_tree(tmp_path: Path) -> None:
    b, problems = parse_briefing(write_briefing(tmp_path, "t.md", BODY))
    assert problems == []
    assert b is not None
    assert b.root.title == "Test Briefing"
    assert b.root.markdown == "Intro text."
    assert [c.title for c in b.root.children] == ["Alpha", "Beta"]
    alpha = b.root.children[0]
    assert [c.title for c in alpha.children] == ["Alpha One"]
    assert alpha.children[0].depth == 2 and alpha.children[0].parent is alpha
    assert alpha.markdown == "Alpha text."
    assert alpha.children[0].line == 11  # 4 metadata lines + 7 body lines before it


def test_heading_levels_may_skip(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "t.md", "## A\n#### Deep\n## B\n"))
    assert b is not None
    assert [s.depth for s in b.sections()] == [0, 1, 2, 1]


def test_headings_inside_code_fences_are_text(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "t.md", "## A\n```\n## not a heading\n```\n"))
    assert b is not None
    assert [s.title for s in b.sections()][1:] == ["A"]
    assert "## not a heading" in b.root.children[0].markdown


def test_ids_are_slugs_stable_under_reordering(tmp_path: Path) -> None:
    first, _ = parse_briefing(write_briefing(tmp_path, "a.md", "## Économie & Sanctions\nx\n## Beta\ny\n"))
    swapped, _ = parse_briefing(write_briefing(tmp_path, "b.md", "## Beta\ny\n## New One\nz\n"
                                                             "## Économie & Sanctions\nx\n"))
    assert first is not None and swapped is not None
    by_title = {s.title: s.id for s in first.sections()}
    by_title_swapped = {s.title: s.id for s in swapped.sections()}
    assert by_title["Économie & Sanctions"] == "economie-sanctions"
    for title in ("Économie & Sanctions", "Beta"):
        assert by_title[title] == by_title_swapped[title]


def test_duplicate_headings_get_unique_ids(tmp_path: Path) -> None:
    body = "## Iran\n### Overview\na\n## Russia\n### Overview\nb\n### Overview\nc\n"
    b, problems = parse_briefing(write_briefing(tmp_path, "t.md", body))
    assert b is not None and problems == []
    assert ids(b)[1:] == ["iran", "iran--overview", "russia", "russia--overview", "russia--overview-2"]
    assert len(set(ids(b))) == len(ids(b))


def test_duplicate_ids_do_not_depend_on_sibling_order(tmp_path: Path) -> None:
    iran_first = "## Iran\n### Overview\n## Russia\n### Overview\n"
    russia_first = "## Russia\n### Overview\n## Iran\n### Overview\n"
    a, _ = parse_briefing(write_briefing(tmp_path, "a.md", iran_first))
    b, _ = parse_briefing(write_briefing(tmp_path, "b.md", russia_first))
    assert a is not None and b is not None
    assert set(ids(a)[1:]) == set(ids(b)[1:])  # [0] is the briefing id, from the file name


def test_explicit_ids_override_slugs(tmp_path: Path) -> None:
    b, problems = parse_briefing(write_briefing(tmp_path, "t.md", "## Long Heading Text {#short}\nx\n"))
    assert b is not None and problems == []
    section = b.section("short")
    assert section is not None and section.title == "Long Heading Text"


def test_explicit_id_survives_a_renamed_heading(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "t.md", "## Renamed Entirely {#keep}\nx\n"))
    assert b is not None and b.section("keep") is not None


def test_duplicate_explicit_ids_are_reported(tmp_path: Path) -> None:
    path = write_briefing(tmp_path, "t.md", "## A {#same}\nx\n## B {#same}\ny\n")
    b, problems = parse_briefing(path)
    assert [str(p) for p in problems] == [f"{path}:7: duplicate section id 'same' (first used on line 5)"]
    assert b is not None and len(set(ids(b))) == 3  # still readable, ids still unique


def test_metadata_errors_point_at_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: X\ndate: tomorrow\nnonsense line\n---\n## A\n", encoding="utf-8")
    b, problems = parse_briefing(path)
    assert b is None
    messages = [str(p) for p in problems]
    assert f"{path}:4: metadata line is not 'key: value': 'nonsense line'" in messages
    assert f"{path}:3: metadata 'date' is not YYYY-MM-DD: 'tomorrow'" in messages


def test_missing_metadata_and_required_keys(tmp_path: Path) -> None:
    no_block = tmp_path / "a.md"
    no_block.write_text("# Just markdown\n", encoding="utf-8")
    assert "missing metadata block" in parse_briefing(no_block)[1][0].message
    no_title = tmp_path / "b.md"
    no_title.write_text("---\ndate: 2026-01-01\n---\ntext\n", encoding="utf-8")
    assert parse_briefing(no_title)[1][0].message == "metadata is missing 'title'"
    unclosed = tmp_path / "c.md"
    unclosed.write_text("---\ntitle: x\n", encoding="utf-8")
    assert "not closed" in parse_briefing(unclosed)[1][0].message


def test_non_utf8_and_empty_briefings(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.md"
    bad.write_bytes(b"---\ntitle: x\ndate: 2026-01-01\n---\ncaf\xe9\n")
    b, problems = parse_briefing(bad)
    assert b is None and problems[0].line == 5 and "UTF-8" in problems[0].message
    empty = write_briefing(tmp_path, "empty.md", "\n\n")
    b, problems = parse_briefing(empty)
    assert b is None and "empty briefing" in problems[0].message


def test_library_orders_newest_first_and_keeps_newest_version(tmp_path: Path) -> None:
    write_briefing(tmp_path, "old.md", "text", title="Old", date="2025-01-01")
    write_briefing(tmp_path, "new.md", "text", title="New", date="2026-06-01")
    write_briefing(tmp_path, "v1.md", "one", title="Daily v1", date="2026-01-01", id="daily")
    write_briefing(tmp_path, "v2.md", "two", title="Daily v2", date="2026-01-02", id="daily")
    (tmp_path / "notes.txt").write_text("ignored")
    lib = load_library([tmp_path])
    assert [b.title for b in lib.briefings] == ["New", "Daily v2", "Old"]
    assert lib.find("daily").title == "Daily v2"


def test_briefing_in_its_own_folder(tmp_path: Path) -> None:
    write_briefing(tmp_path / "weekly", "briefing.md", "## A\nx\n")
    lib = load_library([tmp_path])
    assert lib.briefings[0].id == "weekly"
    assert lib.find("weekly/a") is not None


def test_slugify() -> None:
    assert slugify("Looking Ahead: The Future of Iran-Russia Relations") == (
        "looking-ahead-the-future-of-iran-russia-relations")
    assert slugify("???") == "section"
