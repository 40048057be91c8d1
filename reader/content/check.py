"""What `briefing-reader check` finds beyond what loading reports: content that loads but shows
broken. Each finding is a `Problem` (file:line); see README "Content format" for the list.

Errors (`check` fails): links to sections or briefings that do not exist, relative links to
files (the reader opens sections, never files), images that are missing or outside the
briefing's folder, reference links and footnotes without a definition, code fences and HTML
comments or blocks that are never closed. Warnings (reported, `check` passes): template syntax
left from a site generator, and a fence that seems to open inside another one.

Links and images are read from the rendered HTML, so they are exactly what the reader shows;
the rest from the block layout the splitter and the renderer share (`blocks.layout`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from reader.content.blocks import Layout, fence_opening, layout, link_label
from reader.content.library import Library
from reader.content.model import Briefing
from reader.content.parser import Problem
from reader.content.render import markdown_to_html

_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
_SRC = re.compile(r'<img\s[^>]*?src="([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_TEMPLATE = re.compile(r"\{\{[<%].*?[>%]\}\}|\{\{\s*#\s*\w+.*?\}\}|\{%.*?%\}")
_FULL_REF = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\[([^\[\]]*)\]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]*\]:")
GENERATED_ANCHORS = ("fn:", "fnref:")  # footnote links Python-Markdown makes


def check_library(library: Library) -> list[Problem]:
    """Every finding in the library's briefings (shown ones and older versions), in file order."""
    briefings = [*library.briefings, *(v for vs in library.older.values() for v in vs)]
    out: list[Problem] = []
    for briefing in sorted(briefings, key=lambda b: str(b.path)):
        out += check_briefing(briefing, library)
    return out


def check_briefing(briefing: Briefing, library: Library) -> list[Problem]:
    try:
        text = briefing.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # loading reported it already
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lay = layout(lines)
    found = [*_block_problems(briefing.path, lines, lay), *_text_problems(briefing, lines, lay),
             *_link_problems(briefing, library, lines)]
    return sorted(found, key=lambda p: (p.line, p.message))


def _problem(path: Path, index: int, message: str, warning: bool = False) -> Problem:
    return Problem(path, index + 1, message, fatal=False, warning=warning)


def _block_problems(path: Path, lines: list[str], lay: Layout) -> Iterator[Problem]:
    for i in lay.unclosed_fences:
        marker = lines[i].lstrip(" \t>")[:3]
        yield _problem(path, i, f"code fence {marker} is never closed; it and the lines after "
                                "it show as text, not code")
    for i, what in lay.unclosed_html:
        if what == "<!--":
            yield _problem(path, i, "HTML comment '<!--' is never closed ('-->'); it shows as text")
        else:
            yield _problem(path, i, f"HTML block {what} is never closed; the rest of its section "
                                    "is shown as raw HTML")
    for fence in lay.fences:
        for j in range(fence.start + 1, fence.end):
            inner = fence_opening(lines[j])
            if inner is not None and inner[1] == fence.marker and inner[2]:
                yield _problem(path, j, f"a fence opens inside the code block begun on line "
                                        f"{fence.start + 1}; is a closing {fence.marker} missing?",
                               warning=True)


def _text_problems(briefing: Briefing, lines: list[str], lay: Layout) -> Iterator[Problem]:
    """Template syntax and references without a definition, in text (not code, not HTML)."""
    defs = briefing.definitions
    path = briefing.path
    for i, line in enumerate(lines):
        if lay.opaque(i) or not ("{" in line or "[" in line):
            continue
        plain = _CODE_SPAN.sub("", line)
        for m in _TEMPLATE.finditer(plain):
            yield _problem(path, i, f"template syntax left in the text: {m.group(0)}", warning=True)
        if "[" not in plain or _DEFINITION.match(plain):
            continue
        for m in _FULL_REF.finditer(plain):
            label = m.group(2) or m.group(1)
            if link_label(label) not in defs.links:
                yield _problem(path, i, f"reference link [{label}] has no definition "
                                        f"('[{label}]: URL'); it shows as written")
        for m in _FOOTNOTE_REF.finditer(plain):
            if m.group(1) not in defs.footnotes:
                yield _problem(path, i, f"footnote [^{m.group(1)}] has no definition "
                                        f"('[^{m.group(1)}]: text'); it shows as written")


def _link_problems(briefing: Briefing, library: Library, lines: list[str]) -> Iterator[Problem]:
    sections = sorted(briefing.sections(), key=lambda s: s.line)
    base = briefing.base_dir.resolve()
    for n, section in enumerate(sections):
        stop = sections[n + 1].line - 1 if n + 1 < len(sections) else len(lines)
        rendered = markdown_to_html(section.source)
        for m in _HREF.finditer(rendered):
            href = html.unescape(m.group(1))
            message = _link_message(href, briefing, library)
            if message:
                yield _problem(briefing.path, _line_of(href, lines, section.line - 1, stop), message)
        for m in _SRC.finditer(rendered):
            src = html.unescape(m.group(1))
            target = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
            if not target.is_relative_to(base):
                message = f"image '{src}' is outside the briefing's folder and is not shown"
            elif not target.is_file():
                message = f"image '{src}' not found"
            else:
                continue
            yield _problem(briefing.path, _line_of(src, lines, section.line - 1, stop), message)


def _link_message(href: str, briefing: Briefing, library: Library) -> str | None:
    """Why a link goes nowhere in the reader, or None when it leads somewhere."""
    if href.startswith("#"):
        target = unquote(href[1:])
        if not target or target.startswith(GENERATED_ANCHORS) or briefing.section(target):
            return None
        return f"link to missing section '#{target}'"
    if href.startswith("section:"):
        ref = unquote(href[len("section:"):])
        bid, _, sid = ref.rpartition("/")
        if bid and library.briefing(bid) is None:
            return f"link to missing briefing '{bid}' ({href})"
        return None if library.find(ref) is not None else f"link to missing section '{ref}'"
    if _SCHEME.match(href) or href.startswith("//"):
        return None  # http, https, mailto: opened outside the reader
    return (f"relative link '{href}' goes nowhere: the reader opens sections, not files "
            "(link '#section-id' or 'section:briefing/section-id')")


def _line_of(needle: str, lines: list[str], start: int, stop: int) -> int:
    """0-based index of the first line from `start` to `stop` that holds `needle` (or its
    percent-decoded form), else of the first in the whole file (a definition), else `start`."""
    forms = {needle, unquote(needle)}
    for lo, hi in ((start, stop), (0, len(lines))):
        for i in range(max(lo, 0), min(hi, len(lines))):
            if any(f in lines[i] for f in forms):
                return i
    return max(start, 0)

