"""What every converter produces: a briefing in memory, before it is written as content.

A converter (one module per format) reads a source file or folder and returns a `Converted`:
the metadata it found, the text before the first heading, the headings as a flat list of
`Part`s in source order (each with a level and its Markdown body), and the images it extracted.
The import dialog edits that list (promote, demote, merge) and `to_markdown` writes it in the
content format (README "Content format"), which `briefing-reader check` accepts.

Qt-free and import-light: the format libraries (mammoth, pypdf, markdownify...) load only in
their converter, when a file of that format is converted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reader.content.parser import slugify

# A section heading is `##` .. `######`: level 1 here is a top section under the briefing's root.
MAX_LEVEL = 5
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConvertError(Exception):
    """The source cannot be converted; the message names the file and the reason."""

    def __init__(self, source: Path | str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = Path(source)
        self.reason = reason


@dataclass
class Part:
    """One heading and its body (Markdown, up to the next heading)."""

    title: str  # plain text, as shown in the tree
    level: int  # 1 = a top section under the briefing's title, up to MAX_LEVEL
    markdown: str = ""
    id: str = ""  # assigned by `assign_ids` unless a converter knows a better one


@dataclass
class Converted:
    title: str
    parts: list[Part] = field(default_factory=list)
    intro: str = ""  # Markdown before the first heading, shown on the briefing's own page
    author: str = ""
    date: str = ""  # YYYY-MM-DD, "" when the source has none (`finish` fills it in)
    date_origin: str = ""  # "source", "command line" or "file modification date"
    language: str = ""  # BCP 47 primary tag ("en", "fa", "ru") when the source says it
    summary: str = ""
    version: str = ""  # set on import when the library has this document from the same date
    id: str = ""  # briefing id ("" = from the title)
    format: str = ""  # "txt", "html", "docx", "epub", "pdf", "mdbook", "hugo", "markdown"
    source_name: str = ""  # file (or folder) name of the source
    source_sha256: str = ""
    encoding: str = ""  # text sources: the encoding the bytes were decoded from
    assets: dict[PurePosixPath, bytes] = field(default_factory=dict)  # relative path -> bytes
    warnings: list[str] = field(default_factory=list)

    # ---- structure edits (the import dialog) -------------------------------------------------
    def promote(self, index: int) -> None:
        """One level up (## -> #... i.e. toward the top); the first top section stays."""
        part = self.parts[index]
        part.level = max(1, part.level - 1)

    def demote(self, index: int) -> None:
        """One level down, at most one deeper than the heading before it."""
        part = self.parts[index]
        limit = self.parts[index - 1].level + 1 if index > 0 else 1
        part.level = min(MAX_LEVEL, limit, part.level + 1)

    def merge_into_previous(self, index: int) -> None:
        """The heading becomes a bold line in the previous section's body (or the intro)."""
        part = self.parts.pop(index)
        text = f"**{escape_inline(part.title)}**" + (f"\n\n{part.markdown}" if part.markdown else "")
        if index == 0:
            self.intro = _join(self.intro, text)
        else:
            prev = self.parts[index - 1]
            prev.markdown = _join(prev.markdown, text)

    # ---- output -------------------------------------------------------------------------------
    def briefing_id(self) -> str:
        return self.id or slugify(self.title)

    def to_markdown(self) -> str:
        """The briefing file: front matter, `# title`, intro, then every part with its id."""
        assign_ids(self.parts)
        meta = {
            "id": self.briefing_id(), "title": self.title, "date": self.date,
            "author": self.author, "language": self.language, "summary": self.summary,
            "version": self.version,
            "source": self.source_name, "source-sha256": self.source_sha256,
            "converted-from": self.format,
        }
        lines = ["---"] + [f"{k}: {_one_line(v)}" for k, v in meta.items() if v] + ["---", ""]
        lines += [f"# {escape_heading(self.title)}", ""]
        if self.intro.strip():
            lines += [self.intro.strip(), ""]
        for p in normalized_levels(self.parts):
            lines += [f"{'#' * (p.level + 1)} {escape_heading(p.title)} {{#{p.id}}}", ""]
            if p.markdown.strip():
                lines += [p.markdown.strip(), ""]
        return "\n".join(lines)

    def write(self, out_dir: Path) -> Path:
        """Write into the content folder `out_dir`: `<id>.md`, or `<id>/briefing.md` with the
        assets beside it when there are any. Returns the briefing file's path."""
        bid = self.briefing_id()
        if self.assets:
            folder = out_dir / bid
            folder.mkdir(parents=True, exist_ok=True)
            for rel, data in self.assets.items():
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            path = folder / "briefing.md"
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / f"{bid}.md"
        path.write_text(self.to_markdown(), encoding="utf-8")
        return path

    def tree_lines(self) -> list[str]:
        """The detected tree, one indented line per heading (what `convert` prints)."""
        return [self.title] + ["  " * p.level + p.title for p in normalized_levels(self.parts)]


def normalized_levels(parts: list[Part]) -> list[Part]:
    """Levels without jumps (a `####` right after a `##` becomes `###`), 1..MAX_LEVEL; in place."""
    prev = 0
    for p in parts:
        p.level = max(1, min(p.level, prev + 1, MAX_LEVEL))
        prev = p.level
    return parts


def assign_ids(parts: list[Part]) -> None:
    """Ids from the titles, deterministic in source order ("x", "x-2", ...): converting a newer
    version of the same document gives each heading the id it had, so annotations stay on it."""
    taken: set[str] = set()
    for p in parts:
        base = p.id or slugify(p.title)
        pid, n = base, 2
        while pid in taken:
            pid, n = f"{base}-{n}", n + 1
        p.id = pid
        taken.add(pid)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- Markdown escaping: text from a non-Markdown source must render word for word ----------
_INLINE_SPECIAL = re.compile(r"([\\`*_{\[\]>|])")  # Python-Markdown's escapable ones ({: attr_list)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(#|(?:[>+\-]|\d+[.)])(?=\s|$))")  # "#x" is a heading too
# an admonition ("!!! note") or a definition (": text" under a line): no backslash escapes ":"
_BLOCK_MARK = re.compile(r"^(?:(!)(?=!!)|(:)(?=\s|$))")
_TOKEN = re.compile(r"\S*~\S*")
_URL_LIKE = re.compile(r"\w+://\w|(?<![a-z0-9])(?:www|ftp)\.\w", re.IGNORECASE)  # what magiclink links
_RULE_LINE = re.compile(r"^[-=]+\s*$")  # a setext underline or a rule


def escape_inline(text: str) -> str:
    """Backslash the characters Markdown would take as markup inside a line."""
    # `\<` is no escape in Python-Markdown, and `\~` only when pymdownx.tilde is loaded
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
    text = _TOKEN.sub(_tilde_token, text.replace("\0", ""))
    return _INLINE_SPECIAL.sub(r"\\\1", text).replace("\0", "<span></span>")


def _tilde_token(m: re.Match[str]) -> str:
    token = m[0]
    url = _URL_LIKE.search(token)
    cut = url.start() if url else len(token)
    # in a bare URL a "~" stays one (magiclink would link "&#126;" as written); an empty span
    # between two keeps them from being a strikethrough
    return token[:cut].replace("~", "&#126;") + re.sub("~(?=~)", "~\0", token[cut:])


def escape_heading(text: str) -> str:
    return escape_inline(_one_line(text)).replace("{#", "{\\#")


def escape_paragraph(text: str) -> str:
    """A plain-text paragraph as Markdown that renders the same words: inline markup escaped,
    a line that would start a list, quote or heading escaped, line breaks kept as spaces."""
    out = []
    for line in text.splitlines():
        line = escape_inline(line.strip())
        if _RULE_LINE.match(line):
            line = ("\\" + line) if line[0] == "-" else "&#61;" + line[1:]
        else:
            line = _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line)
            line = _BLOCK_MARK.sub(lambda m: "\\!" if m.group(1) else "&#58;", line)
        if line:
            out.append(line)
    return "\n".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _join(a: str, b: str) -> str:
    return f"{a.rstrip()}\n\n{b}" if a.strip() else b
