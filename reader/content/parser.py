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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reader.content.hashing import fingerprint as content_fingerprint
from reader.content.model import Briefing, Metadata, Section

KNOWN_KEYS = {"id", "title", "date", "author", "source", "summary", "language", "version"}
REQUIRED_KEYS = ("title", "date")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
_EXPLICIT_ID = re.compile(r"\s*\{#([A-Za-z0-9][\w.:-]*)\}\s*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_META_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")
_ID_OK = re.compile(r"^[A-Za-z0-9][\w.:-]*$")


@dataclass(frozen=True)
class Problem:
    """Something wrong with a content file, pointing at the line that causes it."""

    path: Path
    line: int
    message: str
    fatal: bool = True  # a fatal problem means the briefing cannot be shown

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when a briefing cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def slugify(text: str) -> str:
    """ASCII slug of a heading: 'Économie & Sanctions' -> 'economie-sanctions'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


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
    root = _build_tree(path, lines, body_start, meta, problems)
    if not root.markdown.strip() and not root.children:
        problems.append(Problem(path, body_start + 1, "empty briefing: no text and no sections"))
        return None, problems
    fingerprint = content_fingerprint(data)
    briefing = Briefing(id=root.id, meta=meta, root=root, path=path, fingerprint=fingerprint)
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
        id=values.get("id") or slugify(path.stem if path.name != "briefing.md" else path.parent.name),
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
    path: Path, lines: list[str], start: int, meta: Metadata, problems: list[Problem]
) -> Section:
    """Split the body at ATX headings (outside code fences) into a section tree."""
    root = Section(id=meta.id, title=meta.title, level=1, line=start + 1)
    current, stack = root, [root]
    body: list[str] = []
    explicit_ids: dict[str, int] = {}
    auto: list[Section] = []  # sections whose id is derived from the heading
    fence: str | None = None
    seen_h1 = False

    def flush() -> None:
        current.markdown = "\n".join(body).strip("\n")
        body.clear()

    for i in range(start, len(lines)):
        line = lines[i]
        # Cheap first-character checks before the regexes: most lines are plain paragraphs.
        head = line[:4].lstrip(" ")[:1]
        fm = _FENCE.match(line) if head in ("`", "~") else None
        if fm:
            marker = fm.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
        hm = _HEADING.match(line) if fence is None and line[:1] == "#" else None
        if not hm:
            body.append(line)
            continue
        level, title = len(hm.group(1)), hm.group(2)
        explicit = _EXPLICIT_ID.search(title)
        if explicit:
            title = title[: explicit.start()].rstrip()
        if level == 1:
            if not seen_h1 and current is root and not root.markdown and not "".join(body).strip():
                seen_h1 = True  # the briefing's own title line
                root.line = i + 1
                continue
            problems.append(
                Problem(path, i + 1, "more than one level-1 heading; treated as '##'", fatal=False)
            )
            level = 2
        flush()
        while stack[-1].level >= level:
            stack.pop()
        parent = stack[-1]
        section = Section(id="", title=title or "Untitled", level=level, line=i + 1, parent=parent)
        parent.children.append(section)
        stack.append(section)
        current = section
        if explicit:
            sid = explicit.group(1)
            if sid in explicit_ids or sid == root.id:
                problems.append(
                    Problem(path, i + 1, f"duplicate section id '{sid}' "
                            f"(first used on line {explicit_ids.get(sid, root.line)})")
                )
                auto.append(section)
            else:
                explicit_ids[sid] = i + 1
                section.id = sid
        else:
            auto.append(section)
    flush()
    _assign_ids(auto, set(explicit_ids) | {root.id})
    return root


def _assign_ids(sections: list[Section], taken: set[str]) -> None:
    """Give each section a slug id, unique in the briefing and independent of section order.

    A slug used by one heading only is its id. Headings sharing a slug are all qualified by
    their parent's id, so moving sections around never renames one; only headings with the same
    text under the same parent fall back to a numeric suffix in document order.
    """
    slugs = [slugify(s.title) for s in sections]
    counts: dict[str, int] = {}
    for slug in slugs:
        counts[slug] = counts.get(slug, 0) + 1
    for section, slug in zip(sections, slugs, strict=True):
        candidate = slug
        if counts[slug] > 1 or slug in taken:
            assert section.parent is not None
            candidate = f"{section.parent.id}--{slug}"
        unique, n = candidate, 2
        while unique in taken:
            unique, n = f"{candidate}-{n}", n + 1
        section.id = unique
        taken.add(unique)
