"""The block structure the renderer will see, found without rendering: fenced code, HTML comments
and raw HTML blocks, and the reference and footnote definitions outside them.

The splitter into sections (parser.py), the renderer's fence clean-up (render.py) and `check`
all ask this module, so they agree with each other and with the renderer: the fence rules are
those of pymdownx.superfences (which runs first, on the whole text), the HTML rules those of
Python-Markdown's raw-HTML extractor (which runs next, on what the fences left), and the
definition rules those of its reference and footnote block processors. A `#` line inside any
of these regions is not a heading.

One deliberate difference from SuperFences: a fence that is never closed does not swallow the
rest of the document (SuperFences then stops finding fences altogether); it is ordinary text,
`check` reports it, and the renderer is given the same view (see `neutralise_unclosed`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

TAB = 4  # Python-Markdown's tab length, applied before the fences are looked for
_PREFIX = " \t>"
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_SIMPLE_INFO = re.compile(r"\.?[\w#.+-]+")
_INFO_SPLIT = re.compile(r"[\s,]+")
_LANG_CHARS = re.compile(r"[^\w#.+-]")
MAX_RECOVERIES = 200  # unclosed fences re-scanned past; beyond that the rest is text

# Python-Markdown's `block_level_elements` (tests/content check the two lists agree); "hr"
# stands alone, the others open a raw block that lasts until their end tag.
BLOCK_TAGS = frozenset([
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "html", "iframe", "legend", "li",
    "main", "map", "math", "menu", "nav", "noscript", "object", "ol", "option", "output", "p",
    "pre", "progress", "script", "section", "style", "summary", "table", "tbody", "td", "textarea",
    "tfoot", "th", "thead", "tr", "ul", "video",
])
_BLOCK_START = re.compile(r"[ ]{0,3}<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_COMMENT_START = re.compile(r"[ ]{0,3}<!--")
_COMMENT_END = re.compile(r"--!?>")
_LINK_DEF = re.compile(r"[ ]{0,3}\[([^\[\]]*)\]:[ ]*(\S*)")
_FOOTNOTE_DEF = re.compile(r"[ ]{0,3}\[\^([^\]]*)\]:")
_TITLE_LINE = re.compile(r"[ ]*(?:\"|'|\().*(?:\"|'|\))[ ]*$")


@dataclass(frozen=True)
class Fence:
    """A fenced code block: lines `start` to `end` (0-based, both fence lines included)."""

    start: int
    end: int
    prefix: str  # what stands before the opening fence: indentation, '>' of block quotes
    marker: str  # the fence itself, e.g. ``` or ~~~~
    info: str  # the info string after it, stripped


@dataclass
class _Open:
    start: int
    prefix: str
    marker: str
    info: str
    quote_level: int
    end_re: re.Pattern[str]


def _normal(line: str) -> str:
    """A line as the fence finder sees it: tabs expanded, whitespace-only lines empty."""
    if "\t" in line:
        line = line.expandtabs(TAB)
    return line if line.strip() else ""


def fence_opening(line: str) -> tuple[str, str, str] | None:
    """(prefix, fence, info) when the line opens a fence (SuperFences with relaxed headers
    accepts any info string), else None."""
    if "```" not in line and "~~~" not in line:
        return None
    line = _normal(line)
    body = line.lstrip(_PREFIX)
    m = _FENCE.match(body)
    if m is None:
        return None
    return line[: len(line) - len(body)], m.group(1), m.group(2).strip()


def _step(state: _Open, line: str) -> str:
    """'close', 'abort' (SuperFences gives the fence up) or 'code' for a line inside a fence."""
    line = _normal(line)
    width = len(state.prefix)
    n = 0
    while n < width and n < len(line) and line[n] in _PREFIX:
        n += 1
    ws, content = line[:n], line[n:]
    level = ws.count(">")
    if state.quote_level:
        if level != state.quote_level:
            return "abort"
        if content == "":
            return "code"
        if len(ws) < width:
            return "abort"
        return "close" if state.end_re.match(content) else "code"
    if level:
        return "abort"
    if not (ws + content).strip():
        return "code"
    if len(ws) != width:
        return "abort"
    if state.end_re.match(content) and not content.startswith((" ", "\t")):
        return "close"
    return "code"


def find_fences(lines: Sequence[str]) -> tuple[list[Fence], list[int]]:
    """The fenced code blocks of a text (as lines), in order, and the lines of fences that are
    opened but never closed (given up at the end of the text; they are plain text)."""
    fences: list[Fence] = []
    unclosed: list[int] = []
    state: _Open | None = None
    i, n = 0, len(lines)
    while True:
        if i >= n:
            if state is None or len(unclosed) >= MAX_RECOVERIES:
                break
            unclosed.append(state.start)  # scan again from the line after it
            i, state = state.start + 1, None
            continue
        line = lines[i]
        if state is None:
            opened = fence_opening(line)
            if opened is not None:
                prefix, marker, info = opened
                end_re = re.compile(re.escape(marker) + r"[ \t]*$")
                state = _Open(i, prefix, marker, info, prefix.count(">"), end_re)
        else:
            step = _step(state, line)
            if step == "close":
                fences.append(Fence(state.start, i, state.prefix, state.marker, state.info))
                state = None
            elif step == "abort":
                state = None  # the line is not looked at again, as in SuperFences
        i += 1
    return fences, unclosed


def fence_header(fence: Fence) -> str | None:
    """The opening line rewritten so SuperFences takes its language, or None if it already does.

    "rust,ignore" and "js run" become `{.rust data-info="ignore"}` and `{.js data-info="run"}`:
    the first word is the language, the rest is kept (as `data-info` on the `<code>`).
    """
    info = fence.info
    if not info or info.startswith("{") or _SIMPLE_INFO.fullmatch(info):
        return None
    first, *rest = _INFO_SPLIT.split(info.lstrip("."), 1)
    lang = _LANG_CHARS.sub("", first)
    extra = (rest[0] if rest else "").strip().replace('"', "'").replace("}", ")")
    attrs = " ".join(a for a in (f".{lang}" if lang else "", f'data-info="{extra}"' if extra else "")
                     if a)
    return f"{fence.prefix}{fence.marker}{{{attrs}}}"


def normalise_fences(text: str) -> str:
    """The text with fence info strings SuperFences cannot read rewritten (`fence_header`) and
    fences that are never closed made plain text, so they render as the splitter saw them."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    fences, unclosed = find_fences(lines)
    changed = False
    for fence in fences:
        header = fence_header(fence)
        if header is not None:
            lines[fence.start] = header
            changed = True
    for i in unclosed:
        line = lines[i]
        at = len(line) - len(line.lstrip(_PREFIX))
        entity = "&#96;" if line[at] == "`" else "&#126;"
        lines[i] = line[:at] + entity + line[at + 1:]  # no longer a fence, shown as written
        changed = True
    return "\n".join(lines) if changed else text


# -- raw HTML ---------------------------------------------------------------------------------
@dataclass
class Layout:
    """What the renderer will treat as code or raw HTML, by 0-based line index."""

    fences: list[Fence] = field(default_factory=list)
    unclosed_fences: list[int] = field(default_factory=list)
    html: list[tuple[int, int]] = field(default_factory=list)  # comments and raw blocks
    unclosed_html: list[tuple[int, str]] = field(default_factory=list)  # (line, "<div>" / "<!--")
    _opaque: bytearray | None = None

    def opaque(self, i: int) -> bool:
        """True for a line inside fenced code, an HTML comment or a raw HTML block."""
        return self._opaque is not None and i < len(self._opaque) and bool(self._opaque[i])


def _tag_depth(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<!--|<(/?){tag}(?=[\s/>])[^>]*?(/?)>|<(/?){tag}$", re.IGNORECASE)


def _block_end(lines: Sequence[str], start: int, col: int, tag: str,
               code: bytearray) -> int | None:
    """Index of the line whose end tag closes the raw block `<tag>` opened at (start, col)."""
    pattern = _tag_depth(tag)
    depth, in_comment = 0, False
    for i in range(start, len(lines)):
        if code[i]:
            continue
        line, pos = lines[i], (col if i == start else 0)
        while pos <= len(line):
            if in_comment:
                m = _COMMENT_END.search(line, pos)
                if m is None:
                    break
                in_comment, pos = False, m.end()
                continue
            m = pattern.search(line, pos)
            if m is None:
                break
            pos = m.end()
            if m.group(0) == "<!--":
                in_comment = True
            elif m.group(2) == "/":
                continue  # <tag/> opens nothing
            elif m.group(1) == "/" or m.group(3) == "/":
                depth -= 1
                if depth == 0:
                    return i
            else:
                depth += 1
    return None


def _comment_end(lines: Sequence[str], start: int, col: int, code: bytearray) -> int | None:
    for i in range(start, len(lines)):
        if code[i]:
            continue
        if _COMMENT_END.search(lines[i], col + 4 if i == start else 0):
            return i
    return None


def _html_line(text: str) -> bool:
    """True if some line starts (after at most three spaces) with `<` and a letter or `!`: a
    scan of the `<`s, much faster than a multi-line regex over a long text."""
    i = text.find("<")
    while i != -1:
        j = i
        while j > 0 and i - j < 3 and text[j - 1] == " ":
            j -= 1
        if (j == 0 or text[j - 1] == "\n") and text[i + 1:i + 2].isalpha() or (
                (j == 0 or text[j - 1] == "\n") and text[i + 1:i + 2] == "!"):
            return True
        i = text.find("<", i + 1)
    return False


def layout(lines: Sequence[str], text: str | None = None) -> Layout:
    """Fences first, then HTML comments and raw HTML blocks in what the fences leave.
    `text` (the lines joined) lets a text without either skip the line-by-line search."""
    # A single character is found by memchr, ten times faster than "```" is: test it first.
    if (text is not None and ("`" not in text or "```" not in text)
            and ("~" not in text or "~~~" not in text) and not _html_line(text)):
        return Layout()
    fences, unclosed = find_fences(lines)
    out = Layout(fences, unclosed)
    code = bytearray(len(lines))
    for f in fences:
        code[f.start:f.end + 1] = b"\x01" * (f.end + 1 - f.start)
    opaque = bytearray(code)
    i = 0
    while i < len(lines):
        line = lines[i]
        if code[i] or "<" not in line[:4]:
            i += 1
            continue
        end: int | None = None
        if _COMMENT_START.match(line):
            what = "<!--"
            end = _comment_end(lines, i, line.index("<!--"), code)
        else:
            m = _BLOCK_START.match(line)
            tag = m.group(1).lower() if m else ""
            if tag not in BLOCK_TAGS or tag == "hr":
                i += 1
                continue
            what = f"<{tag}>"
            end = _block_end(lines, i, m.start(1) - 1, tag, code) if m else None
        if end is None:
            out.unclosed_html.append((i, what))
            i += 1
            continue
        out.html.append((i, end))
        opaque[i:end + 1] = b"\x01" * (end + 1 - i)
        i = end + 1
    if fences or out.html:
        out._opaque = opaque
    return out


# -- definitions ------------------------------------------------------------------------------
def link_label(label: str) -> str:
    """A reference label as Python-Markdown matches it: case and inner spacing ignored."""
    return " ".join(label.split()).lower()


@dataclass
class Definitions:
    """Reference-link and footnote definitions of a whole briefing, as Markdown source lines."""

    links: dict[str, str] = field(default_factory=dict)  # link_label -> "[label]: url 'title'"
    footnotes: dict[str, str] = field(default_factory=dict)  # label -> "[^label]: text ..."
    lines: dict[str, int] = field(default_factory=dict)  # "label" / "^label" -> 0-based line

    def __bool__(self) -> bool:
        return bool(self.links or self.footnotes)


def definition_at(lines: Sequence[str], i: int, lay: Layout) -> tuple[str, str, int] | None:
    """("link" or "footnote", label, index of its last line) when line `i` starts a definition."""
    line = lines[i]
    if "]:" not in line or lay.opaque(i):
        return None
    m = _FOOTNOTE_DEF.match(line)
    if m:
        return "footnote", m.group(1), _footnote_end(lines, i, lay)
    m = _LINK_DEF.match(line)
    if m is None:
        return None
    last = i
    if not m.group(2) and i + 1 < len(lines):
        last = i + 1  # the URL on the next line
    if last + 1 < len(lines) and _TITLE_LINE.match(lines[last + 1]) and not lay.opaque(last + 1):
        last += 1
    return "link", m.group(1), last


def _footnote_end(lines: Sequence[str], i: int, lay: Layout) -> int:
    """A footnote goes on to the next blank line, then through blocks indented by four spaces."""
    last, j, n = i, i + 1, len(lines)
    while j < n:
        line = lines[j]
        if not line.strip():
            k = j
            while k < n and not lines[k].strip():
                k += 1
            if k < n and lines[k].startswith("    ") and not _FOOTNOTE_DEF.match(lines[k]):
                j = k
                continue
            break
        if line.startswith("#") or (_FOOTNOTE_DEF.match(line) and not lay.opaque(j)):
            break  # a heading is split out of the block before footnotes are looked for
        last = j
        j += 1
    return last


_BRACKETS = re.compile(r"\[([^\[\]]+)\]")


def with_definitions(markdown: str, defs: Definitions, own_footnotes: Sequence[str] = ()
                     ) -> tuple[str, str]:
    """(body, definitions it uses) for a section's Markdown: footnote definitions written in the
    body are taken out (they belong to the sections citing them, which get them appended), and
    every definition the body refers to is returned as Markdown to append to it."""
    body = markdown
    for text in own_footnotes:
        body = body.replace(text, "", 1)
    if "[" not in body:
        return body, ""
    links: dict[str, str] = {}
    notes: dict[str, str] = {}
    for m in _BRACKETS.finditer(body):
        label = m.group(1)
        if label.startswith("^"):
            note = defs.footnotes.get(label[1:])
            if note is not None:
                notes[label] = note
        elif defs.links:
            key = link_label(label)
            link = defs.links.get(key)
            if link is not None and link not in body:
                links[key] = link
    return body, "\n\n".join([*links.values(), *notes.values()])
