"""Parse one briefing file: a metadata block, then Markdown whose headings form the section tree.

Format (documented in README.md):

    ---
    title: Iran And Russia: Today's Top News Stories
    date: 2026-11-25
    author: Jhon Lennon
    ---
    # Iran And Russia: Today's Top News Stories
    Introduction...
    ## Deepening Ties {#deepening-ties}
    ### Military Cooperation
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from reader.content.blocks import Definitions, definition_at, layout, link_label
from reader.content.hashing import fingerprint as content_fingerprint
from reader.content.model import Briefing, Metadata, Section

KNOWN_KEYS = {"id", "title", "date", "author", "source", "summary", "language", "version"}
REQUIRED_KEYS = ("title", "date")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
# An id starts with a letter or digit of any script ({#экономика}); then letters, digits, . : - _
_EXPLICIT_ID = re.compile(r"\s*\{#([^\W_][\w.:-]*)\}\s*$")
# A setext underline ("Title" over "=====" or "-----"), as Python-Markdown reads one: the line
# above must open a block (after a blank line); "=" gives level 1, "-" level 2.
_SETEXT = re.compile(r"^[=-]+[ ]*$")
_MARKUP = re.compile(r"[`*_\[<\\~]|&#?\w+;")  # a heading that may hold inline Markdown
_META_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")
_ID_OK = re.compile(r"^[^\W_][\w.:-]*$")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a content file, pointing at the line that causes it."""

    path: Path
    line: int
    message: str
    fatal: bool = True  # a fatal problem means the briefing cannot be shown
    warning: bool = False  # worth a look, but the content may mean it (`check` still passes)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


class ContentError(Exception):
    """Raised when a briefing cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _script_slug(text: str) -> str:
    """Letters, digits and marks of any script, lower-cased; format characters (the Persian
    zero-width non-joiner) dropped, everything else a hyphen."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        kind = unicodedata.category(ch)
        if kind[0] in "LNM":
            out.append(ch)
        elif kind != "Cf":
            out.append("-")
    return re.sub(r"-{2,}", "-", "".join(out)).strip("-")


def slugify(text: str) -> str:
    """Slug of a heading. Latin text as always: ASCII, accents folded ('Économie & Sanctions' ->
    'economie-sanctions'); a heading with no Latin letter or digit keeps its own script
    ('Экономика и санкции' -> 'экономика-и-санкции'); 'section' when nothing is left."""
    return _ascii_slug(text) or _script_slug(text) or "section"


def legacy_slugify(text: str) -> str:
    """The slug older versions gave: ASCII only, so non-Latin headings all became 'section'."""
    return _ascii_slug(text) or "section"


def parse_briefing(path: Path, data: bytes | None = None) -> tuple[Briefing | None, list[Problem]]:
    """Parse a briefing file. Returns the briefing (None if unusable) and the problems found."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, [Problem(path, 1, f"cannot read file: {exc.strerror or exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, f"not valid UTF-8 (byte {exc.start})")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")

    problems: list[Problem] = []
    meta, body_start = _parse_metadata(path, lines, problems)
    if meta is None:
        return None, problems
    root, defs, legacy = _build_tree(path, lines, body_start, meta, problems, text)
    if not root.markdown.strip() and not root.children:
        problems.append(Problem(path, body_start + 1, "empty briefing: no text and no sections"))
        return None, problems
    fingerprint = content_fingerprint(data)
    briefing = Briefing(id=root.id, meta=meta, root=root, path=path, fingerprint=fingerprint,
                        definitions=defs, legacy_ids=legacy)
    briefing.index_sections()
    return briefing, problems


def _parse_metadata(
    path: Path, lines: list[str], problems: list[Problem]
) -> tuple[Metadata | None, int]:
    """Read the `---` block at the top. Returns the metadata and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "missing metadata block (the file must start with '---')"))
        return None, 0
    values: dict[str, str] = {}
    end = None
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            end = i
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _META_LINE.match(line)
        if not m:
            problems.append(Problem(path, i + 1, f"metadata line is not 'key: value': {line!r}"))
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if key in values:
            problems.append(Problem(path, i + 1, f"duplicate metadata key '{key}'"))
        values[key] = value
    if end is None:
        problems.append(Problem(path, 1, "metadata block is not closed with '---'"))
        return None, 0
    for key in REQUIRED_KEYS:
        if not values.get(key):
            problems.append(Problem(path, 1, f"metadata is missing '{key}'"))
    if values.get("date"):
        try:
            date.fromisoformat(values["date"])
        except ValueError:
            lineno = _line_of_key(lines, end, "date")
            problems.append(
                Problem(path, lineno, f"metadata 'date' is not YYYY-MM-DD: {values['date']!r}")
            )
    if values.get("id") and not _ID_OK.match(values["id"]):
        lineno = _line_of_key(lines, end, "id")
        problems.append(Problem(path, lineno, f"metadata 'id' has invalid characters: {values['id']!r}"))
    if any(p.fatal for p in problems):
        return None, end + 1
    meta = Metadata(
        title=values["title"],
        date=values["date"],
        # Briefing ids key annotations, read marks and seen versions: a Latin file name gives
        # the id it always gave; a name in another script keeps its letters (it gave
        # "section", so two such files were taken for versions of one briefing).
        id=values.get("id") or slugify(
            path.stem if path.name != "briefing.md" else path.parent.name),
        **{k: values[k] for k in ("author", "source", "summary", "language", "version") if k in values},
        extra={k: v for k, v in values.items() if k not in KNOWN_KEYS},
    )
    return meta, end + 1


def _line_of_key(lines: list[str], end: int, key: str) -> int:
    for i in range(1, end):
        if lines[i].lower().startswith(key + ":") or lines[i].lower().startswith(key + " "):
            return i + 1
    return 1


def _build_tree(
    path: Path, lines: list[str], start: int, meta: Metadata, problems: list[Problem],
    text: str | None = None,
) -> tuple[Section, Definitions, dict[str, str]]:
    """Split the body at ATX headings into a section tree, and collect the definitions.

    Headings inside fenced code, HTML comments and raw HTML blocks are text (`blocks.layout`
    decides what those are, as the renderer will). Returns the root, the briefing's reference and
    footnote definitions, and the ids older versions gave where they differ (see `_assign_ids`).
    """
    root = Section(id=meta.id, title=meta.title, level=1, line=start + 1)
    current, stack = root, [root]
    body: list[str] = []
    explicit_ids: dict[str, int] = {}
    auto: list[Section] = []  # sections whose id is derived from the heading
    lay = layout(lines, text)
    opaque = lay.opaque
    defs = Definitions()
    seen_h1 = False

    def flush() -> None:
        current.markdown = "\n".join(body).strip("\n")
        body.clear()

    i, n = start, len(lines)
    block_start = start
    while i < n:
        line = lines[i]
        first = line[:1]
        if first in ("[", " ") and "]:" in line:
            found = definition_at(lines, i, lay)
            if found is not None:
                i = _add_definition(lines, i, found, defs, current, body)
                continue
        # only a "#" line or a line over "="/"-" can be a heading: the rest skip the call
        head = (heading_at(lines, i, opaque, block_start)
                if first == "#" or (i + 1 < n and lines[i + 1][:1] in ("=", "-")) else None)
        if head is None:
            body.append(line)
            i += 1
            continue
        at = i + 1  # the heading's line, 1-based
        level, title, sid, i = head
        block_start = i  # the line after a heading opens a block, as after a blank line
        if level == 1:
            if not seen_h1 and current is root and not root.markdown and not "".join(body).strip():
                seen_h1 = True  # the briefing's own title line
                root.line = at
                continue
            problems.append(
                Problem(path, at, "more than one level-1 heading; treated as '##'", fatal=False)
            )
            level = 2
        flush()
        while stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        section = Section(id="", title=title or "Untitled", level=level, line=at, parent=parent)
        parent.children.append(section)
        stack.append(section)
        current = section
        if sid:
            if sid in explicit_ids or sid == root.id:
                problems.append(
                    Problem(path, at, f"duplicate section id '{sid}' "
                            f"(first used on line {explicit_ids.get(sid, root.line)})")
                )
                auto.append(section)
            else:
                explicit_ids[sid] = at
                section.id = sid
        else:
            auto.append(section)
    flush()
    taken = set(explicit_ids) | {root.id}
    new = _assign_ids(auto, set(taken), slugify)
    legacy: dict[str, str] = {}
    if any(not _ascii_slug(s.heading) and _script_slug(s.heading) for s in auto):
        old = _assign_ids(auto, set(taken), legacy_slugify)
        legacy = {old[id(s)]: new[id(s)] for s in auto if old[id(s)] != new[id(s)]}
    for s in auto:
        s.id = new[id(s)]
    _render_titles(root, defs)
    return root, defs, legacy


class Heading(NamedTuple):
    """A heading found by `heading_at`."""

    level: int  # 1-6; a setext heading is 1 ("===") or 2 ("---")
    title: str  # its Markdown as written, without the explicit `{#id}`
    id: str  # the explicit `{#id}`, or ""
    end: int  # the index of the line after the heading (its underline, for a setext one)


def heading_at(lines: Sequence[str], i: int, opaque: Callable[[int], bool],
               block_start: int = 0) -> Heading | None:
    """The heading that starts at `lines[i]`, or None: an ATX `#` heading, or a setext one (a
    line over `===` or `---`) whose line opens a block: line `block_start`, or after a blank
    line. Lines `opaque` says are code, comments or raw HTML (`blocks.Layout.opaque`) are text.
    The parser splits a briefing with it; the Markdown-folder converters split their pages."""
    line = lines[i]
    hm = _HEADING.match(line) if line[:1] == "#" and not opaque(i) else None
    if hm:
        level, title, end = len(hm.group(1)), hm.group(2), i + 1
    elif (i + 1 < len(lines) and lines[i + 1][:1] in ("=", "-") and _SETEXT.match(lines[i + 1])
          and (i == block_start or not lines[i - 1].strip()) and line.strip()
          and not line.startswith(("    ", "\t")) and not opaque(i) and not opaque(i + 1)):
        level, title, end = (1 if lines[i + 1][0] == "=" else 2), line.strip(), i + 2
    else:
        return None
    explicit = _EXPLICIT_ID.search(title)
    if explicit:
        return Heading(level, title[: explicit.start()].rstrip(), explicit.group(1), end)
    return Heading(level, title, "", end)


def _add_definition(lines: list[str], i: int, found: tuple[str, str, int], defs: Definitions,
                    current: Section, body: list[str]) -> int:
    """Record a definition (it stays in the body it is written in); returns the next line."""
    kind, label, last = found
    text = "\n".join(lines[i:last + 1])
    if kind == "footnote":
        defs.footnotes[label] = text
        defs.lines[f"^{label}"] = i
        current.own_footnotes.append(text)
    else:
        defs.links[link_label(label)] = text
        defs.lines[link_label(label)] = i
    body.extend(lines[i:last + 1])
    return last + 1


def _render_titles(root: Section, defs: Definitions) -> None:
    """Plain and inline-HTML titles of headings written with Markdown (most have none)."""
    marked = [s for s in root.walk() if s is not root and _MARKUP.search(s.heading)]
    if not marked:
        return
    from reader.content.render import heading_titles  # Markdown loads only for such headings

    for s in marked:
        s.title, s.title_html = heading_titles(s.heading, defs)


def _assign_ids(sections: list[Section], taken: set[str],
                slug: Callable[[str], str]) -> dict[int, str]:
    """An id for each section (by `id(section)`), unique in the briefing and independent of
    section order.

    A slug used by one heading only is its id. Headings sharing a slug are all qualified by
    their parent's id, so moving sections around never renames one; only headings with the same
    text under the same parent fall back to a numeric suffix in document order.
    """
    slugs = [slug(s.heading) for s in sections]
    counts: dict[str, int] = {}
    for one in slugs:
        counts[one] = counts.get(one, 0) + 1
    out: dict[int, str] = {}
    for section, one in zip(sections, slugs, strict=True):
        candidate = one
        if counts[one] > 1 or one in taken:
            assert section.parent is not None
            parent = section.parent
            candidate = f"{out.get(id(parent), parent.id)}--{one}"
        unique, k = candidate, 2
        while unique in taken:
            unique, k = f"{candidate}-{k}", k + 1
        out[id(section)] = unique
        taken.add(unique)
    return out
