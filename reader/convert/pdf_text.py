"""A PDF's lines of text cleaned into paragraphs: pure (lists of lines in, lists of lines out),
no pypdf; `pdf.py` reads the lines and builds the tree.

Running headers and footers (a line repeating at the top or bottom of most pages, digits aside)
and page-number lines are dropped; lines closer than the usual line spacing make a paragraph (a
paragraph cut by a page break is joined again); words hyphenated at a line end are joined; a
table of contents goes. Right-to-left text: Arabic presentation forms become plain letters, and
runs a writer drew in visual order are turned round.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

SAME_SIZE = 0.06  # sizes within 6 % are one size (rounding, hinting)
EDGE_LINES = 3  # lines at the top and at the bottom of a page looked at for headers and footers
_FINAL_PUNCT = ".!?…:;\"”’»)؟۔"
# "3", "- 3 -", "[3]", "Page 3", "Page 3 of 10", "3 / 10", "iii" (roman page numbers of front matter)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+|p\.\s*)?[-–—(\[]?\s*(?:\d{1,5}|x{0,3}(?:ix|iv|v?i{0,3}))\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,5})?$", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:-\w+)*")
_HYPHEN_PREFIXES = {"non", "self", "counter", "anti", "ever", "well", "multi", "cross", "semi", "co",
                    "ex", "quasi", "pseudo", "half", "all"}
# a table of contents' line: a title, then a leader (dots, a middle dot) and a page number
_TOC_LEADER = re.compile(r"^\S.*?\s*(?:\.{2,}|…+|·|\u2024{2,})\s*(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_TOC_NUMBER = re.compile(r"^\S.*?\s(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_TOC_HEADS = {"contents", "table of contents", "inhalt", "sommaire", "índice", "содержание", "فهرست"}
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")  # Arabic presentation forms


@dataclass
class Line:
    """One line of text on a page; `y` is the baseline, upwards (PDF user space)."""

    text: str
    y: float
    size: float = 10.0
    bold: bool = False
    page: int = 0


@dataclass
class Para:
    lines: list[Line] = field(default_factory=list)
    heading: bool = False

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return join_lines([ln.text for ln in self.lines])

    def body_text(self, vocabulary: frozenset[str]) -> str:
        return join_lines([ln.text for ln in self.lines], vocabulary)


# ---- right-to-left text --------------------------------------------------------------------
def is_rtl_text(text: str) -> bool:
    """Whether most of the text's letters are right-to-left ones (Arabic, Hebrew...)."""
    strong = [unicodedata.bidirectional(c) for c in text if c.isalpha()]
    return sum(b in ("R", "AL") for b in strong) > len(strong) / 2


_FORM_ORDER = {"INITIAL FORM": 0, "MEDIAL FORM": 1, "FINAL FORM": 2}


def visual_order_score(texts: list[str]) -> int:
    """Above 0 when the Arabic-script text stands in visual order (glyphs left to right, so a
    word's final form before its initial one), below 0 in logical order, 0 when it cannot tell
    (no joined letters). Counts steps between shaped forms within each word."""
    score = 0
    for text in texts:
        if not _PRESENTATION.search(text):
            continue
        for word in text.split():
            forms = [_FORM_ORDER[f] for c in word for f in _FORM_ORDER
                     if unicodedata.name(c, "").endswith(f)]
            score += sum((a > b) - (a < b) for a, b in zip(forms, forms[1:], strict=False))
    return score


def logical_text(text: str, visual: bool) -> str:
    """A run's text with plain letters for Arabic presentation forms (NFKC, those only),
    turned round first when its page draws right-to-left runs in visual order."""
    if visual and is_rtl_text(text):
        text = text[::-1]
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


# ---- cleaning (pure: lists of lines in, lists of lines out) ---------------------------------
def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edges(lines: list[Line]) -> list[int]:
    """Indexes of the top and bottom EDGE_LINES lines of a page, by position (fewer on a short
    page, so that its body is never all edge)."""
    order = sorted(range(len(lines)), key=lambda i: -lines[i].y)
    k = max(1, min(EDGE_LINES, len(lines) // 3))
    return sorted(set(order[:k] + order[-k:]))


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip())) and bool(text.strip())


def strip_furniture(pages: list[list[Line]], title: str = "") -> list[list[Line]]:
    """The pages without running headers and footers (a line at a page's top or bottom that
    repeats, digits aside, on at least half the pages and at least 3; on fewer pages, one in
    small print that starts with the document's `title`) and page-number lines.

    Text beyond a running header or footer goes too: it is in the margin, where a PDF writer
    may leave the clipped, invisible lines of a paragraph the page break cut (Qt does)."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_furniture_key(lines[i].text) for i in _edges(lines)})
    need = max(3, math.ceil(len(pages) / 2))
    out = []
    for lines in pages:
        small = 0.9 * statistics.median(ln.size for ln in lines) if lines else 0
        drop = {i for i in _edges(lines)
                if is_page_number(lines[i].text) or seen[_furniture_key(lines[i].text)] >= need
                or (title and lines[i].size < small and norm(lines[i].text).startswith(norm(title)))}
        if drop and len(lines) > len(drop):
            kept = [lines[i].y for i in range(len(lines)) if i not in drop]
            middle = statistics.median(kept)
            header = min((lines[i].y for i in drop if lines[i].y > middle), default=math.inf)
            footer = max((lines[i].y for i in drop if lines[i].y < middle), default=-math.inf)
            drop |= {i for i, ln in enumerate(lines) if not footer < ln.y < header}
        out.append([ln for i, ln in enumerate(lines) if i not in drop])
    return out


def join_lines(lines: list[str], vocabulary: frozenset[str] = frozenset()) -> str:
    """The lines of one paragraph as one line. A hyphen at a line end before a small letter is
    a word cut ("inter-", "national") and goes, unless `vocabulary` (the document's words,
    casefolded) has the word with the hyphen, or the part before it is a prefix that takes one
    ("non-", "self-") and the vocabulary never has the word joined. Before a capital it stays
    ("Iran-Russia")."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out.endswith("\u00ad"):  # a soft hyphen: always a word cut
            out = out[:-1] + line
        elif len(out) >= 2 and out[-1] in "-\u2010" and out[-2].isalpha():
            out = (out[:-1] if line[0].islower() and _is_cut(out, line, vocabulary) else out) + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _is_cut(before: str, after: str, vocabulary: frozenset[str]) -> bool:
    head = re.split(r"[^\w]", before[:-1])[-1].casefold()
    tail = re.split(r"[^\w]", after)[0].casefold()
    if head + tail in vocabulary:
        return True
    return f"{head}-{tail}" not in vocabulary and head not in _HYPHEN_PREFIXES


def vocabulary(pages: list[list[Line]]) -> frozenset[str]:
    """Every word (hyphenated ones whole) of the document, casefolded."""
    return frozenset(w.casefold() for lines in pages for ln in lines for w in _WORD.findall(ln.text))


# ---- paragraphs ----------------------------------------------------------------------------
def _spacing(pages: list[list[Line]]) -> float:
    """The usual distance between baselines of a paragraph, as a multiple of the font size."""
    ratios = [(a.y - b.y) / a.size for lines in pages for a, b in zip(lines, lines[1:], strict=False)
              if same_size(a.size, b.size) and 0.8 * a.size < a.y - b.y < 3 * a.size]
    return statistics.median(ratios) if ratios else 1.2


def same_size(a: float, b: float) -> bool:
    return abs(a - b) <= SAME_SIZE * max(a, b)


def paragraphs(pages: list[list[Line]]) -> list[Para]:
    """Lines grouped into paragraphs: same size and weight, no gap wider than the line spacing
    (with a little slack); a paragraph a page break cut is joined again."""
    limit = _spacing(pages) * 1.25
    out: list[Para] = []
    for lines in pages:
        start = len(out)
        for line in lines:
            prev = out[-1].lines[-1] if len(out) > start else None
            if prev is not None and same_size(prev.size, line.size) and prev.bold == line.bold \
                    and 0 < prev.y - line.y <= limit * line.size:
                out[-1].lines.append(line)
            else:
                out.append(Para([line]))
        if 0 < start < len(out):  # the page's first paragraph may go on the previous page's last
            before, after = out[start - 1], out[start]
            if same_size(before.first.size, after.first.size) and before.first.bold == after.first.bold \
                    and not before.lines[-1].text.endswith(tuple(_FINAL_PUNCT)) \
                    and not after.first.bold:
                before.lines += after.lines
                del out[start]
    return out


def drop_contents(paras: list[Para]) -> list[Para]:
    """The paragraphs without a table of contents: lines each ending in a page number after a
    leader ("Title ..... 12", "Title · 3"), or after a "Contents" heading; the heading goes too.
    Its entries are the parts themselves, and its page numbers mean nothing in the reader."""
    out: list[Para] = []
    for p in paras:
        texts = [ln.text for ln in p.lines]
        after_head = bool(out) and norm(out[-1].text) in _TOC_HEADS
        if (len(texts) >= 2 and all(_TOC_LEADER.match(t) for t in texts)) \
                or (after_head and all(_TOC_NUMBER.match(t) for t in texts)):
            if after_head:
                out.pop()
            continue
        out.append(p)
    return out


def norm(text: str) -> str:
    return " ".join(text.casefold().split())
