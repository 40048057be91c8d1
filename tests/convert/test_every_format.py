"""What every converter promises, whatever the format: right-to-left text kept, the source's name
and checksum recorded, and a newer version of the same document, converted again, giving each
heading the id it had — so importing it is an update of the same briefing (annotations stay on
their sections), also on the same day."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.content import load_library
from reader.content.parser import parse_briefing
from reader.convert import convert_source
from reader.convert.importing import import_document
from reader.session import content_folders
from tests.convert.docs import _p, make_docx, make_epub

Sections = list[tuple[str, str]]
V1: Sections = [("Supply Lines", "The first paragraph of supply."),
                ("گزارش روز", "متن فارسی درباره‌ی آب و برق."),
                ("Closing Notes", "The last words.")]
V2: Sections = [("Supply Lines", "The first paragraph of supply, revised."),
                ("A New Part", "Inserted in the newer version."),
                ("گزارش روز", "متن فارسی درباره‌ی آب و برق، تازه."),
                ("Closing Notes", "The last words.")]
TITLE = "Water Memo"


def as_txt(folder: Path, sections: Sections) -> Path:
    path = folder / "memo.txt"
    path.write_text(TITLE + "\n\n" + "".join(f"{h}\n\n{t}\n\n" for h, t in sections), encoding="utf-8")
    return path


def as_html(folder: Path, sections: Sections) -> Path:
    path = folder / "memo.html"
    body = "".join(f"<h2>{h}</h2><p>{t}</p>" for h, t in sections)
    path.write_text(f"<!doctype html><html><head><title>{TITLE}</title></head><body><main>"
                    f"<h1>{TITLE}</h1>{body}</main></body></html>", encoding="utf-8")
    return path


def as_docx(folder: Path, sections: Sections) -> Path:
    body = _p(TITLE, "Title") + "".join(_p(h, "Heading1") + _p(t) for h, t in sections)
    return make_docx(folder / "memo.docx", body, title=TITLE)


def as_epub(folder: Path, sections: Sections) -> Path:
    chapters = {f"text/c{i}.xhtml": (h, f"<h1>{h}</h1><p>{t}</p>") for i, (h, t) in enumerate(sections)}
    toc: list[object] = [(f"text/c{i}.xhtml", h, []) for i, (h, _t) in enumerate(sections)]
    return make_epub(folder / "memo.epub", title=TITLE, chapters=chapters, toc=toc)


def as_markdown_folder(folder: Path, sections: Sections) -> Path:
    root = folder / "memo"
    root.mkdir()
    for i, (h, t) in enumerate(sections):
        (root / f"{i + 1:02d}-part.md").write_text(f"# {h}\n\n{t}\n", encoding="utf-8")
    return root


BUILDERS: dict[str, Callable[[Path, Sections], Path]] = {
    "txt": as_txt, "html": as_html, "docx": as_docx, "epub": as_epub, "markdown": as_markdown_folder}


def version(tmp_path: Path, fmt: str, sections: Sections, n: int) -> Path:
    folder = tmp_path / f"v{n}"
    folder.mkdir()
    return BUILDERS[fmt](folder, sections)


def ids(path: Path) -> dict[str, str]:
    c = convert_source(path)
    c.to_markdown()  # assigns the ids
    return {p.title: p.id for p in c.parts}


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_right_to_left_text_and_the_source_are_kept(tmp_path: Path, fmt: str) -> None:
    source = version(tmp_path, fmt, V1, 1)
    c = convert_source(source)
    path = c.write(tmp_path / "out")
    briefing, problems = parse_briefing(path)
    assert briefing is not None and problems == []
    persian = next(s for s in briefing.sections() if s.title == "گزارش روز")
    assert "متن فارسی درباره‌ی آب و برق" in persian.markdown  # the ZWNJ included
    assert briefing.meta.source == source.name
    if source.is_file():
        assert briefing.meta.extra["source-sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    else:
        assert len(briefing.meta.extra["source-sha256"]) == 64


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_a_newer_version_keeps_each_headings_id(tmp_path: Path, fmt: str) -> None:
    old, new = ids(version(tmp_path, fmt, V1, 1)), ids(version(tmp_path, fmt, V2, 2))
    for title in ("Supply Lines", "گزارش روز", "Closing Notes"):
        assert new[title] == old[title]
    assert new["A New Part"] not in old.values()


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_importing_the_newer_version_the_same_day_updates_the_briefing(tmp_path: Path, fmt: str) -> None:
    data = tmp_path / "data"
    first = import_document(version(tmp_path, fmt, V1, 1), data, load_library([]))
    assert first.installed and first.installed[0].previous is None
    shown = load_library(content_folders(None, data))
    second = import_document(version(tmp_path, fmt, V2, 2), data, shown)
    [installed] = second.installed
    assert installed.previous is not None and "replaces" in installed.describe()
    after = load_library(content_folders(None, data))
    briefing = after.briefing("water-memo")
    assert briefing is not None
    assert briefing.meta.version == "2" and len(after.older_versions(briefing.id)) == 1
    old_keys = {s.key for s in after.older_versions(briefing.id)[0].sections()}
    assert old_keys < {s.key for s in briefing.sections()}  # every old section is still there
    if fmt == "txt":  # (a DOCX written again differs in its zip's time stamps: a new version)
        again = import_document(version(tmp_path, fmt, V2, 3), data, after)  # the same bytes again
        assert again.already_installed
