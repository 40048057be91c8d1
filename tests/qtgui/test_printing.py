"""Printing to real PDF files, read back with pypdf: what is printed, in what order, page furniture,
annotations, link targets, metadata, and headings kept with their text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QPdfWriter, QTextCursor

from reader.content import Section, load_library
from reader.content.print_job import (
    Cancelled,
    PrintAnnotation,
    PrintOptions,
    Scope,
    Stage,
    make_job,
    select_sections,
)
from reader.content.render import section_plain_text
from reader.qtgui.print_layout import keep_headings_with_next
from reader.qtgui.printing import PrintError, layout_document, page_layout, to_pdf
from tests.conftest import SEED, write_briefing
from tests.pdf_helpers import metadata, page_texts, pdf_text

NOTE = "Ask the desk which systems these are."


@pytest.fixture
def briefing(qapp):
    return load_library([SEED]).briefings[0]


def sec(briefing, sid: str) -> Section:
    section = briefing.section(sid)
    assert section is not None
    return section


def annotation(section: Section, phrase: str, note: str = "", color: str = "#ffe58a"):
    start = section_plain_text(section).index(phrase)
    return PrintAnnotation(section.key, start, start + len(phrase), color, note)


def test_chosen_sections_print_in_tree_order_and_nothing_else(briefing, tmp_path):
    chosen = [sec(briefing, "global-impact"), sec(briefing, "military-cooperation"),
              sec(briefing, "looking-ahead")]  # given out of order on purpose
    path = tmp_path / "out.pdf"
    to_pdf(path, make_job(chosen))
    text = pdf_text(path)
    positions = [text.find(s.title) for s in chosen]
    assert all(p >= 0 for p in positions), positions
    order = sorted(chosen, key=lambda s: text.find(s.title))
    assert [s.id for s in order] == ["military-cooperation", "looking-ahead", "global-impact"]
    for absent in ("deepening-ties", "economic-synergies", "regional-stability", "wrap-up"):
        assert sec(briefing, absent).title not in text
    assert "Digging deeper into the military aspect" in text  # bodies, not just headings


def test_whole_briefing_prints_every_heading_in_order(briefing, tmp_path):
    path = tmp_path / "all.pdf"
    to_pdf(path, make_job(select_sections(briefing.root, Scope.BRIEFING)))
    text = pdf_text(path)
    titles = [s.title for s in briefing.sections() if s.parent is not None]
    found = [text.find(t) for t in titles]
    assert -1 not in found and found == sorted(found)


def test_header_and_page_x_of_y_footer_on_every_page(briefing, tmp_path):
    path = tmp_path / "all.pdf"
    pages = to_pdf(path, make_job(list(briefing.sections())))
    texts = page_texts(path)
    assert pages == len(texts) >= 3
    for number, text in enumerate(texts, 1):
        assert briefing.title in text, number
        assert "25 November 2026" in text, number
        assert f"Page {number} of {pages}" in text, number


def test_first_page_has_title_block(briefing, tmp_path):
    path = tmp_path / "one.pdf"
    to_pdf(path, make_job([sec(briefing, "wrap-up")]))
    first = page_texts(path)[0]
    assert "by Jhon Lennon" in first and "1 section(s): That's a Wrap" in first


def test_subtree_scope_includes_sub_sections_only(briefing, tmp_path):
    path = tmp_path / "sub.pdf"
    to_pdf(path, make_job(select_sections(sec(briefing, "looking-ahead"), Scope.SUBTREE)))
    text = pdf_text(path)
    assert "Challenges and Opportunities" in text and "The Global Impact" in text
    assert "Military Cooperation" not in text and "That's a Wrap" not in text


def test_note_text_appears_only_with_notes_on(briefing, tmp_path):
    mc = sec(briefing, "military-cooperation")
    notes = [annotation(mc, "advanced weaponry", NOTE)]
    plain, with_notes = tmp_path / "plain.pdf", tmp_path / "notes.pdf"
    to_pdf(plain, make_job([mc], PrintOptions(), notes))
    to_pdf(with_notes, make_job([mc], PrintOptions(include_notes=True), notes))
    assert NOTE not in pdf_text(plain)
    text = pdf_text(with_notes)
    assert NOTE in text and "Notes" in text
    assert re.search(r"1\. “advanced weaponry” — " + re.escape(NOTE), text)
    assert re.search(r"weaponry ?1", text)  # the numbered marker after the highlighted words


def test_notes_are_numbered_through_the_print_and_listed_after_their_section(briefing, tmp_path):
    mc, es = sec(briefing, "military-cooperation"), sec(briefing, "economic-synergies")
    notes = [annotation(es, "local currencies", "second"), annotation(mc, "drone technology", "first")]
    path = tmp_path / "n.pdf"
    to_pdf(path, make_job([mc, es], PrintOptions(include_notes=True), notes))
    text = pdf_text(path)
    first, second = text.find("1. “drone technology” — first"), text.find("2. “local currencies” — second")
    # (the titles also appear in the title block's list of what is printed, hence find(.., first))
    assert 0 < first < text.find(es.title, first) < second


def test_highlights_cover_exactly_the_annotated_text(briefing, qapp, tmp_path):
    mc = sec(briefing, "military-cooperation")
    marks = [annotation(mc, "joint research and development", color="#9fd8a0"),
             annotation(mc, "Black Sea region", color="#ffb3b3")]
    job = make_job([mc], PrintOptions(include_highlights=True), marks)
    writer = QPdfWriter(str(tmp_path / "x.pdf"))
    writer.setPageLayout(page_layout(job.options))
    doc = layout_document(writer, job)
    painted: dict[str, str] = {}
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().background().style().value:  # not Qt.NoBrush
                color = frag.charFormat().background().color().name()
                painted[color] = painted.get(color, "") + frag.text()
            it += 1
        block = block.next()
    assert painted == {"#9fd8a0": "joint research and development", "#ffb3b3": "Black Sea region"}


def test_clean_copy_by_default_ignores_annotations(briefing, tmp_path):
    mc = sec(briefing, "military-cooperation")
    path = tmp_path / "clean.pdf"
    to_pdf(path, make_job([mc], PrintOptions(), [annotation(mc, "drone technology", NOTE)]))
    text = pdf_text(path)
    assert NOTE not in text and "Notes" not in text and re.search(r"drone technology,", text)


def test_external_links_print_their_target(tmp_path, qapp, content_dir):
    write_briefing(content_dir, "links.md", "# Links\n\nSee [the agency](https://example.org/report?id=7) "
                   "and [mail us](mailto:desk@example.org), or [the intro](#links).\n",
                   id="links", title="Link Test")
    library = load_library([content_dir])
    b = library.briefing("links")
    path = tmp_path / "links.pdf"
    to_pdf(path, make_job(list(b.sections())))
    text = pdf_text(path)
    assert "the agency (https://example.org/report?id=7)" in text
    assert "mail us (desk@example.org)" in text
    assert "the intro." in text and "#links" not in text


def test_pdf_metadata_and_selectable_text(briefing, tmp_path):
    path = tmp_path / "meta.pdf"
    to_pdf(path, make_job([briefing.root]))
    meta = metadata(path)
    assert meta["/Title"] == briefing.title
    assert meta["/Author"] == "Jhon Lennon"
    assert meta["/Creator"].startswith("Briefing Reader")
    assert "Hey everyone, let's dive into" in pdf_text(path)  # real text, not pictures of it


def test_letter_landscape_page_size(briefing, tmp_path):
    import pypdf

    path = tmp_path / "letter.pdf"
    to_pdf(path, make_job([briefing.root], PrintOptions(page_size="Letter", landscape=True)))
    box = pypdf.PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


def test_unwritable_path_is_a_clear_error(briefing, tmp_path):
    with pytest.raises(PrintError, match="cannot write"):
        to_pdf(tmp_path / "missing" / "x.pdf", make_job([briefing.root]))


def test_cancel_removes_the_half_written_pdf(briefing, tmp_path):
    path = tmp_path / "cancel.pdf"
    seen = []

    def progress(stage: Stage, done: int, total: int) -> bool:
        seen.append(stage)
        return not (stage is Stage.PAGES and done >= 1)  # cancel after the first page

    with pytest.raises(Cancelled):
        to_pdf(path, make_job(list(briefing.sections())), progress=progress)
    assert list(tmp_path.iterdir()) == []  # neither the PDF nor its temporary file
    assert Stage.SECTIONS in seen and Stage.LAYOUT in seen


@pytest.mark.parametrize("stage", list(Stage))
def test_cancel_at_any_stage_keeps_an_older_pdf_as_it_was(briefing, tmp_path, stage):
    path = tmp_path / "kept.pdf"
    path.write_bytes(b"%PDF-older")
    with pytest.raises(Cancelled):
        to_pdf(path, make_job(list(briefing.sections())), progress=lambda s, d, t: s < stage)
    assert path.read_bytes() == b"%PDF-older"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.pdf"]


def test_progress_reports_sections_then_blocks_then_pages(briefing, tmp_path):
    reports: list[tuple[Stage, int, int]] = []
    pages = to_pdf(tmp_path / "p.pdf", make_job(list(briefing.sections())),
                   progress=lambda *r: reports.append(r) or True)
    assert [r for r in reports if r[0] is Stage.SECTIONS] == [
        (Stage.SECTIONS, n, 11) for n in range(12)]
    assert [r[0] for r in reports] == sorted(r[0] for r in reports)  # stages in order
    assert reports[-1] == (Stage.PAGES, pages, pages)
    assert [r[1] for r in reports if r[0] is Stage.PAGES] == list(range(pages + 1))


def _stranded_headings(doc) -> list[str]:
    """Headings whose following paragraph does not start (two lines) on the heading's page."""
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    out = []
    block = doc.begin()
    while block.isValid():
        nxt = block.next()
        if block.blockFormat().headingLevel() and nxt.isValid() and not nxt.blockFormat().headingLevel():
            top = layout.blockBoundingRect(block).top()
            page = int((top + block.layout().lineAt(0).y()) // height)
            ntop = layout.blockBoundingRect(nxt).top()
            lines = [nxt.layout().lineAt(i) for i in range(min(2, nxt.layout().lineCount()))]
            if any(int((ntop + ln.y() + ln.height() - 1) // height) != page for ln in lines):
                out.append(block.text())
        block = nxt
    return out


def test_headings_are_never_left_alone_at_the_bottom_of_a_page(qapp, tmp_path, content_dir):
    # Many short sections of varying length put headings at every height of the page.
    body = "".join(f"## Part {i}\n\n" + "Words of the report go here. " * (7 + (i * 13) % 40) + "\n\n"
                   for i in range(60))
    write_briefing(content_dir, "long.md", f"# Long\n\n{body}", id="long", title="Long")
    b = load_library([content_dir]).briefing("long")
    job = make_job(list(b.sections()))
    writer = QPdfWriter(str(tmp_path / "long.pdf"))
    writer.setPageLayout(page_layout(job.options))
    doc = layout_document(writer, job)
    assert _stranded_headings(doc) == []
    # The same document without the fix does strand headings, so the check above means something.
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        fmt.setPageBreakPolicy(fmt.pageBreakPolicy().__class__(0))
        cursor.setPosition(block.position())
        cursor.setBlockFormat(fmt)
        block = block.next()
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    assert _stranded_headings(doc) != []
    assert keep_headings_with_next(doc) > 0 and _stranded_headings(doc) == []


def test_print_job_rejects_mixed_or_empty_selections(briefing, content_dir):
    write_briefing(content_dir, "other.md", "# Other\n\nText.\n", id="other", title="Other")
    other = load_library([content_dir]).briefing("other")
    with pytest.raises(ValueError, match="one briefing"):
        make_job([briefing.root, other.root])
    with pytest.raises(ValueError, match="nothing to print"):
        make_job([])


def test_path_type_accepted(briefing, tmp_path):
    assert to_pdf(Path(tmp_path / "p.pdf"), make_job([briefing.root])) >= 1


def _ink(pdf: Path, out: Path) -> tuple[int, int]:
    """(dark pixels, lightness of the top-left corner) of page 1 rasterised at 40 dpi in grey.

    pypdfium2 (PDFium, a test dependency installed by the test command) rather than poppler's
    pdftoppm, which a fresh machine with only Python does not have."""
    pdfium = pytest.importorskip("pypdfium2", reason="rasterising a PDF needs pypdfium2 "
                                 "(installed by `python3 dev.py test`)")
    document = pdfium.PdfDocument(str(pdf))
    try:
        bitmap = document[0].render(scale=40 / 72, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        channels = bitmap.n_channels
        data = bytes(bitmap.buffer)
    finally:
        document.close()
    grey = [data[y * stride + x * channels] for y in range(height) for x in range(width)]
    return sum(1 for v in grey if v < 100), data[2 * stride + 2 * channels]


def test_print_is_black_on_white_whatever_the_screen_palette(briefing, tmp_path, qapp):
    """A dark screen theme (white text on black) must not leak onto paper."""
    from PySide6.QtGui import QColor, QPalette

    job = make_job([sec(briefing, "military-cooperation")])
    to_pdf(tmp_path / "normal.pdf", job)
    old = qapp.palette()
    dark = QPalette(old)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        dark.setColor(role, QColor("#ffffff"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#000000"))
    qapp.setPalette(dark)
    try:
        to_pdf(tmp_path / "dark.pdf", job)
    finally:
        qapp.setPalette(old)
    normal_ink, _ = _ink(tmp_path / "normal.pdf", tmp_path / "normal")
    dark_ink, corner = _ink(tmp_path / "dark.pdf", tmp_path / "dark")
    assert corner > 240  # white paper
    assert normal_ink > 1000 and dark_ink >= 0.95 * normal_ink  # same dark ink either way
