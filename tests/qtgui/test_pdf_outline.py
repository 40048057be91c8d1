"""Exported PDFs carry an outline (bookmarks) of the printed sections, read back with pypdf:
titles and nesting in order, each pointing at the page and height of its heading."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from reader.app import main
from reader.content import load_library
from reader.content.print_job import make_job
from reader.qtgui.pdf_outline import Mark, add_outline
from reader.qtgui.printing import to_pdf
from tests.conftest import SEED
from tests.pdf_helpers import page_texts


def flat_outline(reader: PdfReader) -> list[tuple[str, int, Destination]]:
    out: list[tuple[str, int, Destination]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((item.title, level, item))

    walk(reader.outline, 1)
    return out


def heading_tops(reader: PdfReader, page: int, title: str) -> list[float]:
    """Baselines (PDF y) of the lines on `page` that are exactly `title`."""
    from reader.convert.pdf import page_lines

    return [ln.y for ln in page_lines(reader.pages[page], page) if ln.text == title]


def check_outline(path: Path, sections: list) -> None:
    reader = PdfReader(str(path))
    texts = page_texts(path)
    outline = flat_outline(reader)
    assert [(t, lv) for t, lv, _ in outline] == [(s.title, s.level - 1) for s in sections]
    for title, _, dest in outline:
        page = reader.get_destination_page_number(dest)
        assert title in texts[page], title
        baselines = heading_tops(reader, page, title)
        assert baselines, title
        # the view opens just above the heading: its line is the first thing shown
        assert any(0 < float(dest.top) - y < 30 for y in baselines), (title, dest.top, baselines)


@pytest.fixture
def briefing(qapp):
    return load_library([SEED]).briefings[0]


def test_a_whole_briefing_export_has_every_section_as_a_bookmark(briefing, tmp_path):
    path = tmp_path / "all.pdf"
    to_pdf(path, make_job(list(briefing.sections())))
    check_outline(path, [s for s in briefing.sections() if s.parent is not None])
    assert PdfReader(str(path)).root_object["/PageMode"] == "/UseOutlines"


def test_the_command_line_export_has_the_outline_too(briefing, tmp_path, data_dir):
    path = tmp_path / "cli.pdf"
    assert main(["--content", str(SEED), "--data-dir", str(data_dir), "export-pdf",
                 "--section", "looking-ahead", "--subtree", "-o", str(path)]) == 0
    looking = briefing.section("looking-ahead")
    assert looking is not None
    check_outline(path, list(looking.walk()))


def test_add_outline_nests_by_level_and_replaces_the_file_whole(briefing, tmp_path):
    path = tmp_path / "plain.pdf"
    to_pdf(path, make_job([briefing.section("wrap-up")]))
    marks = [Mark("One", 1, 0, 700), Mark("One.a", 2, 0, 600), Mark("One.a.i", 3, 0, 500),
             Mark("Two", 1, 0, 400), Mark("Two.a", 2, 0, 300)]
    add_outline(path, marks)
    outline = flat_outline(PdfReader(str(path)))
    assert [(t, lv) for t, lv, _ in outline] == [("One", 1), ("One.a", 2), ("One.a.i", 3), ("Two", 1),
                                                 ("Two.a", 2)]
    assert [float(d.top) for _, _, d in outline] == [700, 600, 500, 400, 300]
    assert [p.name for p in tmp_path.iterdir()] == ["plain.pdf"]  # no temporary file left


def test_a_multi_section_export_has_a_clickable_contents_with_page_numbers(briefing, tmp_path):
    path = tmp_path / "all.pdf"
    to_pdf(path, make_job(list(briefing.sections())))
    reader = PdfReader(str(path))
    first = page_texts(path)[0]
    assert "The whole briefing" not in first  # the stray label is gone
    assert "Contents" in first
    headings = {title: reader.get_destination_page_number(dest) for title, _, dest in flat_outline(reader)}
    for title, page in headings.items():
        assert f"{title} · {page + 1}" in first, title  # the contents line with its page number
    names = reader.named_destinations
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    targets = {str(a["/Dest"]) for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a}
    for section in briefing.sections():
        if section.parent is not None:  # each line links to its section's heading page
            name = f"print-{section.id}"
            assert name in targets, name
            assert reader.get_destination_page_number(names[name]) == headings[section.title]


def test_a_single_section_export_has_no_contents_and_says_what_it_holds(briefing, tmp_path):
    path = tmp_path / "one.pdf"
    to_pdf(path, make_job([briefing.section("military-cooperation")]))
    first = page_texts(path)[0]
    assert "Contents" not in first
    assert "1 section(s): Military Cooperation" in first


def test_paper_gets_no_contents(briefing, qapp):
    from PySide6.QtPrintSupport import QPrinter

    from reader.qtgui.printing import layout_document

    doc = layout_document(QPrinter(), make_job(list(briefing.sections())))
    text = doc.toPlainText()
    assert "Contents" not in text and "The whole briefing" not in text
    assert "Deepening Ties" in text


def test_the_contents_indent_sub_sections(briefing, tmp_path):
    """Each level's lines start 14 pt further right (a CSS margin in px had been taken as the
    PDF writer's 1,200-dpi pixels: ~1 pt, a flat list)."""
    path = tmp_path / "all.pdf"
    to_pdf(path, make_job(list(briefing.sections())))
    reader = PdfReader(str(path))
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    left = {str(a["/Dest"])[len("print-"):]: float(a["/Rect"][0]) for a in links
            if a.get("/Subtype") == "/Link" and "/Dest" in a}
    top = min(s.level for s in briefing.sections() if s.parent is not None)
    by_level: dict[int, set[float]] = {}
    for section in briefing.sections():
        if section.id in left and section.parent is not None:
            by_level.setdefault(section.level - top, set()).add(round(left[section.id]))
    assert len(by_level) >= 2, by_level  # the shipped briefing has sections and sub-sections
    starts = {level: min(xs) for level, xs in by_level.items()}
    for level in starts:
        assert starts[level] - starts[0] == pytest.approx(14 * level, abs=1.5), starts
