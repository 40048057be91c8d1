"""PDF -> briefing: the app's own exported PDFs converted back (sections in order, bodies word for
word, no running header, footer or page numbers), refused PDFs (scanned, password, damaged, not a
PDF, too many pages) and the pure line cleaning (furniture, hyphenation)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from reader.content import load_library
from reader.content.parser import parse_briefing
from reader.content.print_job import make_job
from reader.content.render import section_plain_text
from reader.convert import Converted, ConvertError, convert_source
from reader.convert import pdf as pdfconv
from reader.convert.pdf_text import Line, Para, drop_contents, is_page_number, join_lines, strip_furniture
from tests.conftest import SEED, write_briefing

LONG = ("The committee met again on Tuesday to weigh the proposal in detail, and its members "
        "asked for figures on costs, staffing and the timetable before any vote is taken. ")
SMALL = f"""
# Harbour Report

The harbour board publishes this report every quarter.

## Shipping Volumes {{#shipping}}

{LONG * 9}

### Container Traffic {{#containers}}

{LONG * 8}

### Bulk Cargo {{#bulk}}

{LONG * 8}

### Outlook {{#outlook-shipping}}

Short.

### Outlook {{#outlook-shipping-2}}

Shorter still.

## Dredging Works {{#dredging}}

{LONG * 9}

### Northern Channel {{#northern}}

Work on the northern channel ends in spring. {LONG * 7}
"""


PERSIAN = """
# گزارش روسیه و ایران

مقدمه کوتاه درباره این گزارش.

## همکاری نظامی {#military}

ایران و روسیه همکاری نظامی خود را گسترش داده‌اند و این موضوع برای منطقه اهمیت دارد.

## همکاری اقتصادی {#economy}

تجارت میان دو کشور در سال گذشته افزایش یافت و بندرها پر بودند.
"""


def export(content: Path, out: Path) -> tuple[Path, list[tuple[str, int, str]]]:
    """The whole briefing in `content` exported as the app does; with (title, level, text) of
    every section under the root, as in the Markdown."""
    from reader.qtgui.printing import to_pdf

    briefing = load_library([content]).briefings[0]
    to_pdf(out, make_job(list(briefing.sections())))
    sections = [(s.title, s.level - 1, section_plain_text(s)) for s in briefing.sections()
                if s.parent is not None]
    return out, sections


@pytest.fixture(scope="module")
def exports(qapp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    small = folder / "small"
    write_briefing(small, "harbour.md", SMALL, title="Harbour Report", author="Port Authority")
    persian = folder / "persian"
    write_briefing(persian, "fa.md", PERSIAN, title="گزارش روسیه و ایران", language="fa")
    return {"seed": export(SEED, folder / "seed.pdf"), "small": export(small, folder / "small.pdf"),
            "persian": export(persian, folder / "persian.pdf")}


def without_outline(path: Path, out: Path) -> Path:
    writer = PdfWriter(clone_from=str(path))
    if "/Outlines" in writer.root_object:
        del writer.root_object["/Outlines"]
    writer.write(str(out))
    assert not PdfReader(str(out)).outline
    return out


def words(text: str) -> list[str]:
    # a zero-width non-joiner comes back from Qt's PDF as a space (its glyph is a blank one)
    return re.findall(r"\w+(?:['’-]\w+)*", text.replace("\\", "").replace("\u200c", " "))


def check_round_trip(c: Converted, sections: list[tuple[str, int, str]], title: str) -> None:
    assert c.title == title
    assert [(p.title, p.level) for p in c.parts] == [(t, lv) for t, lv, _ in sections]
    for part, (_, _, text) in zip(c.parts, sections, strict=True):
        assert words(part.markdown) == words(text), part.title  # every word, in order, nothing more
    everything = c.intro + "".join(p.markdown for p in c.parts)
    assert title not in everything  # the running header
    assert not re.search(r"Page \d+ of \d+", everything)  # the footer
    for paragraph in everything.split("\n\n"):
        assert not is_page_number(paragraph), paragraph


@pytest.mark.parametrize("name", ["seed", "small"])
def test_exported_pdf_converts_back_to_its_sections(exports, name, tmp_path):
    path, sections = exports[name]
    assert len(PdfReader(str(path)).outline) > 1  # the export's bookmarks: the outline path
    c = convert_source(path)
    title = "Harbour Report" if name == "small" else "Iran And Russia: Today's Top News Stories"
    check_round_trip(c, sections, title)
    assert c.format == "pdf"
    stripped = convert_source(without_outline(path, tmp_path / "bare.pdf"))  # headings from the fonts
    check_round_trip(stripped, sections, title)


def test_bookmarks_that_do_not_match_the_headings_start_parts_at_their_destination(exports, tmp_path):
    from reader.qtgui.pdf_outline import Mark, add_outline  # Qt-free: pypdf only

    path, sections = exports["small"]
    reader = PdfReader(str(path))
    marks = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                marks.append(Mark(f"Part {len(marks) + 1}", level, reader.get_destination_page_number(item),
                                  float(item.top)))

    walk(reader.outline, 1)
    renamed = tmp_path / "renamed.pdf"
    renamed.write_bytes(path.read_bytes())
    add_outline(renamed, marks)
    c = convert_source(renamed)
    assert [(p.title, p.level) for p in c.parts] == [(f"Part {n}", lv) for n, (_, lv, _) in
                                                     enumerate(sections, 1)]
    for part, (title, _, text) in zip(c.parts, sections, strict=True):
        assert words(part.markdown) == words(title) + words(text), part.title  # heading kept as text


def test_right_to_left_text_comes_back_in_reading_order(exports, tmp_path):
    # Qt draws each right-to-left word's shaped glyphs from the left: turned round, plain letters
    path, sections = exports["persian"]
    c = convert_source(path)
    check_round_trip(c, sections, "گزارش روسیه و ایران")
    assert "مقدمه کوتاه درباره این گزارش." in c.intro
    assert c.parts[1].markdown == "تجارت میان دو کشور در سال گذشته افزایش یافت و بندرها پر بودند."
    check_round_trip(convert_source(without_outline(path, tmp_path / "bare.pdf")), sections,
                     "گزارش روسیه و ایران")


def test_the_small_export_has_its_intro_author_and_a_date(exports):
    c = convert_source(exports["small"][0])
    assert "The harbour board publishes this report every quarter." in c.intro
    assert c.author == "Port Authority"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.date) and c.date_origin == "source"  # /CreationDate


def test_converted_pdf_writes_a_briefing_the_parser_accepts(exports, tmp_path):
    c = convert_source(exports["seed"][0])
    path = c.write(tmp_path / "out")
    briefing, problems = parse_briefing(path)
    assert problems == []
    assert briefing is not None
    assert [s.title for s in briefing.sections() if s.parent is not None] == [p.title for p in c.parts]


# ---- refused PDFs --------------------------------------------------------------------------
def write_pdf(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_a_pdf_without_text_is_refused_as_scanned(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    with pytest.raises(ConvertError, match="no text layer .* does not do OCR"):
        convert_source(write_pdf(writer, tmp_path / "scan.pdf"))


def test_a_pdf_with_a_user_password_is_refused(exports, tmp_path):
    writer = PdfWriter(clone_from=str(exports["small"][0]))
    writer.encrypt("secret")
    with pytest.raises(ConvertError, match="password-protected"):
        convert_source(write_pdf(writer, tmp_path / "locked.pdf"))


def test_a_pdf_encrypted_with_an_empty_user_password_converts(exports, tmp_path):
    writer = PdfWriter(clone_from=str(exports["small"][0]))
    writer.encrypt("", owner_password="owner")
    path = write_pdf(writer, tmp_path / "open.pdf")
    assert PdfReader(str(path)).is_encrypted
    c = convert_source(path)
    assert [p.title for p in c.parts] == [t for t, _, _ in exports["small"][1]]


def test_a_damaged_pdf_is_refused_with_a_reason(exports, tmp_path):
    data = exports["small"][0].read_bytes()
    for n, cut in enumerate((data[:300], data[: len(data) - 100], b"%PDF-1.4\n" + bytes(range(256)) * 9)):
        path = tmp_path / f"cut{n}.pdf"
        path.write_bytes(cut)
        with pytest.raises(ConvertError) as refused:
            convert_source(path)
        assert re.fullmatch(r"the PDF is damaged \(.+\)", refused.value.reason), n


def test_a_text_file_named_pdf_is_refused_by_detection(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Just some notes.\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="not a PDF file"):
        convert_source(path)


def test_too_many_pages_are_refused(exports, monkeypatch):
    monkeypatch.setattr(pdfconv, "MAX_PAGES", 2)
    with pytest.raises(ConvertError, match="pages; Briefing Reader converts PDFs of up to 2 pages"):
        convert_source(exports["small"][0])


# ---- line cleaning -------------------------------------------------------------------------
def page(n: int, body: list[str], header: str = "", footer: str = "") -> list[Line]:
    lines = [Line(header, 800, 8, page=n)] if header else []
    lines += [Line(t, 700 - 14 * i, 11, page=n) for i, t in enumerate(body)]
    return lines + ([Line(footer, 40, 8, page=n)] if footer else [])


def texts(pages: list[list[Line]]) -> list[list[str]]:
    return [[ln.text for ln in lines] for lines in pages]


def test_running_headers_footers_and_page_numbers_go():
    pages = [page(n, [f"body {n} a", f"body {n} b"], "Quarterly Report 2026", f"Page {n + 1} of 4")
             for n in range(4)]
    assert texts(strip_furniture(pages)) == [[f"body {n} a", f"body {n} b"] for n in range(4)]


def test_a_header_differing_only_in_digits_goes_but_a_line_on_too_few_pages_stays():
    pages = [page(n, ["text", "more text"], f"Chapter {n + 1} of the report") for n in range(4)]
    pages += [page(4, ["text", "Closing words"]), page(5, ["text", "Closing words"])]
    out = texts(strip_furniture(pages))
    assert all("Chapter" not in " ".join(p) for p in out)
    assert out[4] == ["text", "Closing words"]  # on 2 of 6 pages' bottoms: not furniture


def test_text_beyond_a_running_header_goes_with_it():
    # Qt leaves a paragraph's clipped, invisible lines in the margin above the header
    bodies = [[f"{word} {letter}" for letter in "abcde"] for word in ("one", "two", "three")]
    pages = [page(n, body, "Report", "Page") for n, body in enumerate(bodies)]
    pages[1].insert(0, Line("clipped line from the page before", 830, 11, page=1))
    pages[2].append(Line("clipped line from the next page", 20, 11, page=2))
    assert texts(strip_furniture(pages)) == bodies


def test_page_number_lines():
    for text in ("3", "- 3 -", "Page 3", "page 3 of 10", "3 / 10", "iii", "XIV", "[12]"):
        assert is_page_number(text), text
    for text in ("3 ships", "mix", "civil", "Page three", "", "1984 was a year"):
        assert not is_page_number(text), text


def test_a_page_number_in_the_middle_of_the_page_stays():
    pages = [page(0, ["Intro", "Step", "2", "Then", "More", "End"])]
    assert texts(strip_furniture(pages)) == [["Intro", "Step", "2", "Then", "More", "End"]]


def test_hyphenation_at_line_ends():
    assert join_lines(["the inter-", "national order"]) == "the international order"
    assert join_lines(["the Iran-", "Russia partnership"]) == "the Iran-Russia partnership"
    assert join_lines(["a non-", "interference pact"]) == "a non-interference pact"  # a prefix
    assert join_lines(["the non-", "stop flight"], frozenset({"nonstop"})) == "the nonstop flight"
    assert join_lines(["well-", "known"], frozenset({"co-operation"})) == "well-known"
    assert join_lines(["co-", "operation"], frozenset({"co-operation"})) == "co-operation"
    assert join_lines(["soft\u00ad", "ware and", "more"]) == "software and more"
    assert join_lines(["pages 3-", "5 here"]) == "pages 3- 5 here"  # no letter before: spaced
    assert join_lines(["one", "", "two"]) == "one two"


def test_right_to_left_lines_are_joined_in_their_order():
    assert join_lines(["روسیه و ایران", "همکاری می‌کنند"]) == "روسیه و ایران همکاری می‌کنند"


def test_a_table_of_contents_is_left_out():
    def para(*texts: str, bold: bool = False) -> Para:
        return Para([Line(t, 700 - 14 * i, 11, bold) for i, t in enumerate(texts)])

    paras = [para("Contents", bold=True), para("Introduction 1", "Methods 4", "Results 12"),
             para("Overview ........ 3", "Findings ...... 9"),
             para("We counted 12 ships in 2026.", "It was 3")]
    assert [p.text for p in drop_contents(paras)] == ["We counted 12 ships in 2026. It was 3"]
    kept = [para("Figures of the year 2026", "and the count 12")]  # numbers, but no leader, no heading
    assert drop_contents(kept) == kept


# ---- a PDF from another writer: standard fonts, one text object per line ---------------------
def simple_pdf(path: Path, pages: list[list[tuple[str, float, float, str]]], **info: str) -> Path:
    """A PDF of (font "R"/"B", size, baseline y, text) lines at x=72, in Helvetica."""
    from pypdf.generic import (
        ContentStream,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    fonts = DictionaryObject({
        NameObject(f"/{key}"): DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(name),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
        for key, name in (("R", "/Helvetica"), ("B", "/Helvetica-Bold"))})
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        ops = "".join(f"BT /{f} {size} Tf 1 0 0 1 72 {y} Tm ({text}) Tj ET\n" for f, size, y, text in lines)
        stream = DecodedStreamObject()
        stream.set_data(ops.encode("latin-1"))
        page.replace_contents(ContentStream(stream, writer))
    writer.add_metadata({f"/{k}": v for k, v in info.items()})
    writer.root_object[NameObject("/Lang")] = TextStringObject("de-DE")
    return write_pdf(writer, path)


def body(y: float, *lines: str) -> list[tuple[str, float, float, str]]:
    return [("R", 10, y - 12 * i, t) for i, t in enumerate(lines)]


def furniture(n: int) -> list[tuple[str, float, float, str]]:
    return [("R", 8, 760, "Annual Harbour Review 2026"), ("R", 8, 40, f"- {n} -")]


def test_a_pdf_from_another_writer_gets_its_tree_from_the_fonts(tmp_path):
    pages = [
        [("B", 20, 700, "Annual Harbour Review"),
         *body(660, "The board reports on the year in the port.", "It met four times."),
         ("B", 14, 610, "Shipping"),
         *body(590, "Ships called from many inter-", "national ports and the Baltic-", "Russia route."),
         *furniture(1)],
        [*body(700, "Traffic rose in every month of the year,", "and the quays were full."),
         ("B", 12, 660, "Containers"),
         *body(640, "Boxes were counted twice a day."),
         *furniture(2)],
        [("B", 14, 700, "Dredging"),
         *body(680, "The channel was deepened to sixteen metres."),
         *furniture(3)],
    ]
    path = simple_pdf(tmp_path / "review.pdf", pages, Title="Harbour Review", Author="Port Board",
                      CreationDate="D:20250314120000Z")
    c = convert_source(path)
    assert c.title == "Annual Harbour Review"  # the first, largest line beats the metadata
    assert [(p.title, p.level) for p in c.parts] == [("Shipping", 1), ("Containers", 2), ("Dredging", 1)]
    assert c.intro == "The board reports on the year in the port. It met four times."
    assert c.parts[0].markdown == (
        "Ships called from many international ports and the Baltic-Russia route.\n\n"
        "Traffic rose in every month of the year, and the quays were full.")
    assert c.parts[2].markdown == "The channel was deepened to sixteen metres."
    assert (c.author, c.date, c.language) == ("Port Board", "2025-03-14", "de")


def test_on_a_short_document_a_small_line_starting_with_the_title_is_a_header():
    pages = [[Line("Harbour Report 1 January 2026", 800, 8), Line("Harbour Report", 700, 20),
              *[Line(f"text {c}", 680 - 14 * i, 11) for i, c in enumerate("abcd")]]]
    kept = ["Harbour Report"] + [f"text {c}" for c in "abcd"]  # the big title line stays
    assert texts(strip_furniture(pages, "Harbour Report")) == [kept]
    assert texts(strip_furniture(pages)) == texts(pages)  # without the title: nothing to go by


def test_a_page_that_cannot_be_read_is_left_out_with_a_warning(exports, monkeypatch):
    from pypdf.errors import PdfReadError

    real = pdfconv.page_lines

    def flaky(page, number):
        if number == 1:
            raise PdfReadError("broken content stream")
        return real(page, number)

    monkeypatch.setattr(pdfconv, "page_lines", flaky)
    c = convert_source(exports["seed"][0])
    assert c.warnings == ["1 page(s) could not be read and are left out: 2 (PdfReadError: broken "
                          "content stream)"]
    assert c.parts[0].title == "Deepening Ties: A Strategic Partnership"
    monkeypatch.setattr(pdfconv, "page_lines", lambda page, number: flaky(page, 1))
    with pytest.raises(ConvertError, match="no page can be read"):
        convert_source(exports["seed"][0])
