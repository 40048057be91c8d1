"""PDF (format "pdf") -> a briefing, with pypdf: the text layer read back into lines, paragraphs
and headings.

pypdf hands over each text run with its matrix and font; runs on one baseline make a line (in
reading order by position, right to left for Arabic-script lines). `pdf_text` cleans the lines
into paragraphs (running headers and footers, page numbers and a table of contents dropped,
hyphenated words joined); here the paragraphs become the tree.

The tree comes from the PDF's outline (bookmarks) when it has one: each entry starts a part at
its heading (found by its title on the destination page, else at the destination's top). Without
an outline, headings come from the fonts: lines clearly larger than the body text, or bold and
short; their sizes, largest first, give the levels. A first line on page 1 larger than every
other heading is the title. Scanned PDFs (no text layer) are refused: there is no OCR here.
"""

from __future__ import annotations

import bisect
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError
from pypdf.generic import Destination

from reader.convert import Source
from reader.convert.model import MAX_LEVEL, Converted, ConvertError, Part, escape_paragraph
from reader.convert.pdf_text import (
    SAME_SIZE,
    Line,
    Para,
    drop_contents,
    is_rtl_text,
    logical_text,
    norm,
    paragraphs,
    same_size,
    strip_furniture,
    visual_order_score,
    vocabulary,
)

MAX_PAGES = 5_000
HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
MAX_HEADING_CHARS = 150
_BOLD = ("bold", "black", "heavy", "semibold", "demi")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00a0": " "})
_CREATION = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


@dataclass
class Entry:
    """An outline entry: where a part starts."""

    title: str
    level: int
    page: int
    top: float | None


# ---- reading -------------------------------------------------------------------------------
def convert(source: Source) -> Converted:
    """The briefing in a PDF file (see the module's docstring)."""
    path = source.path
    if source.data is None:
        raise ConvertError(path, "not a PDF file (a folder)")
    reader = open_pdf(path, source.data)
    result = Converted(title="", format="pdf")
    pages = read_pages(path, reader, result.warnings)
    if not any(ln.text for lines in pages for ln in lines):
        raise ConvertError(path, "the PDF has no text layer (it is scanned images); Briefing Reader "
                                 "does not do OCR")
    info_title = _info_title(reader)
    pages = strip_furniture(pages, info_title)
    words = vocabulary(pages)
    paras = drop_contents(paragraphs(pages))
    body = body_size(paras)
    mark_headings(paras, body)
    title = _take_title(paras)
    entries = outline_entries(reader, result.warnings)
    if entries:
        result.intro, result.parts = parts_from_outline(paras, entries, words)
    else:
        result.intro, result.parts = parts_from_fonts(paras, words)
    _metadata(reader, result)
    result.title = title or result.title or (result.parts[0].title if result.parts else "")
    return result


def open_pdf(path: Path, data: bytes) -> PdfReader:
    """A reader for the bytes, decrypted when the password is empty; ConvertError otherwise."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except DependencyError as exc:  # AES without the `cryptography` package
                raise ConvertError(path, f"the PDF is encrypted in a way that cannot be read here "
                                         f"({exc})") from exc
            if decrypted == PasswordType.NOT_DECRYPTED:
                raise ConvertError(path, "the PDF is password-protected")
        count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise ConvertError(path, "the PDF is password-protected") from exc
    except PyPdfError as exc:
        raise ConvertError(path, f"the PDF is damaged ({exc})") from exc
    if count > MAX_PAGES:
        raise ConvertError(path, f"the PDF has {count:,} pages; Briefing Reader converts PDFs of "
                                 f"up to {MAX_PAGES:,} pages")
    return reader


def read_pages(path: Path, reader: PdfReader, warnings: list[str]) -> list[list[Line]]:
    """Every page's lines; a page pypdf cannot read is left out with a warning (a damaged page
    should not cost the rest), unless no page can be read."""
    pages: list[list[Line]] = []
    failed: list[str] = []
    for n, page in enumerate(reader.pages):
        try:
            pages.append(page_lines(page, n))
        except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError,
                ZeroDivisionError) as exc:  # what pypdf raises on a broken content stream
            failed.append(f"{n + 1} ({type(exc).__name__}: {exc})")
            pages.append([])
    if failed and len(failed) == len(pages):
        raise ConvertError(path, f"the PDF is damaged: no page can be read ({failed[0]})")
    if failed:
        warnings.append(f"{len(failed)} page(s) could not be read and are left out: "
                        + "; ".join(failed[:5]) + (" …" if len(failed) > 5 else ""))
    return pages


def _mult(a: list[float], b: list[float]) -> list[float]:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


@dataclass
class _Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool


def page_lines(page: PageObject, number: int) -> list[Line]:
    """The page's lines in content order (runs on one baseline joined)."""
    runs: list[_Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if not text.strip(" \n"):  # a tab or other blank run is kept: it is a word gap
            return
        m = _mult(tm, cm)
        size = abs(font_size) * (math.hypot(m[2], m[3]) or 1.0)
        base = str(font.get("/BaseFont", "")).lower() if font else ""
        bold = any(w in base for w in _BOLD)
        # one run may hold several lines when the PDF moved down without a new matrix
        for i, piece in enumerate(text.split("\n")):
            if piece:
                runs.append(_Run(piece, m[4], m[5] - i * size * 1.2, size, bold))

    page.extract_text(visitor_text=visit)
    # a writer that draws right-to-left text glyph by glyph from the left (Qt) does so throughout
    visual = visual_order_score([r.text for r in runs]) > 0
    for run in runs:
        run.text = logical_text(run.text, visual)
    lines = (_line(group, number) for group in _group_runs(runs))
    return [ln for ln in lines if ln.text]


def _group_runs(runs: list[_Run]) -> list[list[_Run]]:
    groups: list[list[_Run]] = []
    for run in runs:
        last = groups[-1][-1] if groups else None
        if last is not None and abs(run.y - last.y) <= 0.35 * max(run.size, last.size):
            groups[-1].append(run)
        else:
            groups.append([run])
    return groups


def _width_guess(text: str) -> float:
    """A text's width in ems, roughly (capitals and digits wider than small letters): enough to
    tell a word gap from a kerning step, without the font's metrics."""
    return sum(0.28 if c.isspace() else 0.7 if c.isupper() or c.isdigit() else 0.5 for c in text)


def _gap(prev: _Run, run: _Run) -> bool:
    """Whether a word gap parts two runs of a line: pypdf cuts a run at a kerning step too
    ("T", "he"), which is no gap."""
    return run.x - (prev.x + _width_guess(prev.text) * prev.size) > 0.3 * run.size


def _scripts_meet(a: _Run, b: _Run) -> bool:
    def kinds(text: str) -> set[str]:
        return {"rtl" if d in ("R", "AL") else "ltr" for c in text if c.isalpha()
                for d in [unicodedata.bidirectional(c)] if d in ("R", "AL", "L")}

    return kinds(a.text) | kinds(b.text) == {"rtl", "ltr"}




def _line(runs: list[_Run], page: int) -> Line:
    """One line from its runs, put in reading order by position: a writer may draw a line's
    runs in any order (Qt draws each font's glyphs in turn). Right-to-left lines read from the
    right; their word gaps are the blank runs, and where left-to-right words meet right-to-left
    ones (where a right-to-left run starts, at its right or left edge, differs between writers,
    so its position says nothing about a gap)."""
    rtl = is_rtl_text("".join(r.text for r in runs))
    runs = sorted(runs, key=lambda r: -r.x if rtl else r.x)
    text = ""
    prev: _Run | None = None
    for run in runs:
        if prev is not None and not text[-1:].isspace() and not run.text[:1].isspace() \
                and (_scripts_meet(prev, run) if rtl else _gap(prev, run)):
            text += " "
        text += run.text
        prev = run
    sizes: Counter[float] = Counter()
    bold = 0
    for run in runs:
        chars = len(run.text.strip())
        sizes[round(run.size, 1)] += chars
        bold += chars if run.bold else 0
    clean = " ".join(text.translate(_LIGATURES).split())
    return Line(clean, runs[0].y, sizes.most_common(1)[0][0], bold >= 0.6 * sum(sizes.values()), page)




def body_size(paras: list[Para]) -> float:
    """The most common font size, counted in characters."""
    sizes: Counter[float] = Counter()
    for p in paras:
        for ln in p.lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def mark_headings(paras: list[Para], body: float) -> None:
    for p in paras:
        text = p.text
        short = len(text) <= MAX_HEADING_CHARS and len(p.lines) <= 3
        large = p.first.size >= HEADING_RATIO * body
        p.heading = short and (large or (p.first.bold and not text.endswith(".")))


def _take_title(paras: list[Para]) -> str:
    """The first paragraph of page 1, when it is a heading larger than every other one."""
    if not paras or not paras[0].heading or paras[0].first.page != 0:
        return ""
    first = paras[0].first.size
    if all(first > p.first.size * (1 + SAME_SIZE) for p in paras[1:] if p.heading):
        return paras.pop(0).text
    return ""


def heading_levels(paras: list[Para]) -> dict[float, int]:
    """Level of each heading size: the largest 1, the next 2, ...; sizes within SAME_SIZE are one."""
    levels: dict[float, int] = {}
    level, prev = 0, 0.0
    for size in sorted({p.first.size for p in paras if p.heading}, reverse=True):
        if not prev or not same_size(size, prev):
            level, prev = min(level + 1, MAX_LEVEL), size
        levels[size] = level
    return levels


def _body(paras: list[Para], words: frozenset[str]) -> str:
    return "\n\n".join(escape_paragraph(p.body_text(words)) for p in paras if p.lines)


def parts_from_fonts(paras: list[Para], words: frozenset[str] = frozenset()) -> tuple[str, list[Part]]:
    """(intro, parts) from the headings the fonts marked."""
    levels = heading_levels(paras)
    intro: list[Para] = []
    parts: list[tuple[Part, list[Para]]] = []
    for p in paras:
        if p.heading:
            parts.append((Part(p.text, levels[p.first.size]), []))
        else:
            (parts[-1][1] if parts else intro).append(p)
    for part, body in parts:
        part.markdown = _body(body, words)
    return _body(intro, words), [part for part, _ in parts]


def outline_entries(reader: PdfReader, warnings: list[str]) -> list[Entry]:
    """The outline flattened in order, nested lists one level deeper; entries without a page
    in this document are left out."""
    out: list[Entry] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, Destination):
                page = reader.get_destination_page_number(item)
                title = " ".join(str(item.title or "").split())
                if page is not None and page >= 0 and title:
                    top = item.get("/Top")
                    out.append(Entry(title, min(level, MAX_LEVEL), page,
                                     float(top) if isinstance(top, (int, float)) else None))

    try:
        walk(reader.outline, 1)
    except (PyPdfError, ValueError, TypeError, KeyError) as exc:
        warnings.append(f"the PDF's outline is damaged ({exc}); headings found from the fonts")
        return []
    return out




def parts_from_outline(paras: list[Para], entries: list[Entry],
                       words: frozenset[str] = frozenset()) -> tuple[str, list[Part]]:
    """(intro, parts): each entry's part holds the paragraphs from its heading to the next.
    An entry's heading is the paragraph on its page with its title (a heading first, then the
    one nearest its destination's top); if none has, the part starts at that top."""
    def key(p: Para) -> tuple[int, float]:
        return (p.first.page, -p.first.y)

    on_page: dict[int, list[tuple[int, str]]] = {}
    for i, p in enumerate(paras):
        on_page.setdefault(p.first.page, []).append((i, norm(p.text)))
    starts: list[tuple[tuple[int, float], int, int | None]] = []  # (position, entry, heading para)
    used: set[int] = set()
    for n, e in enumerate(entries):
        title, top = norm(e.title), e.top if e.top is not None else math.inf
        found = sorted((i for i, text in on_page.get(e.page, []) if text == title and i not in used),
                       key=lambda i: (not paras[i].heading, abs(paras[i].first.y - top)))
        if found:
            used.add(found[0])
            starts.append((key(paras[found[0]]), n, found[0]))
        else:  # the heading is not found as it is: the destination's top (or the page's)
            starts.append(((e.page, -top), n, None))
    starts.sort()
    positions = [pos for pos, _, _ in starts]
    bodies: list[list[Para]] = [[] for _ in entries]
    intro: list[Para] = []
    for i, p in enumerate(paras):
        if i in used:
            continue
        j = bisect.bisect_right(positions, key(p)) - 1
        (bodies[starts[j][1]] if j >= 0 else intro).append(p)
    parts = [Part(entries[n].title, entries[n].level, _body(bodies[n], words)) for _, n, _ in starts]
    return _body(intro, words), parts


def _info_title(reader: PdfReader) -> str:
    try:
        info: dict[str, Any] = dict(reader.metadata or {})
        return " ".join(str(info.get("/Title", "") or "").split())
    except (PyPdfError, ValueError, KeyError, TypeError):
        return ""


def _metadata(reader: PdfReader, result: Converted) -> None:
    try:
        info: dict[str, Any] = dict(reader.metadata or {})
        result.title = _info_title(reader)
        result.author = " ".join(str(info.get("/Author", "") or "").split())
        m = _CREATION.match(str(info.get("/CreationDate", "") or ""))
        if m:
            result.date = "-".join(m.groups())
        elif reader.xmp_metadata is not None:
            created = reader.xmp_metadata.xmp_create_date
            if isinstance(created, datetime):
                result.date = created.date().isoformat()
        lang = reader.root_object.get("/Lang")
        if lang:
            result.language = str(lang).split("-")[0].lower()
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:  # metadata is optional
        result.warnings.append(f"the PDF's metadata could not be read ({exc})")
