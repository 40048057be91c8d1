"""An mdBook (format "mdbook") -> one briefing.

`book.toml` gives the title, authors and language ([book]); `SUMMARY.md` the tree: prefix and
suffix chapters, nested numbered chapters, `# Part` titles, draft chapters. `{{#include}}`,
`{{#rustdoc_include}}` and `{{#playground}}` are resolved; the rest is `mdpages`'.
"""

from __future__ import annotations

import re
from pathlib import Path

from reader.convert import Source
from reader.convert.mdpages import Book, Entry, convert_folder, inside, plain_title, rel
from reader.convert.model import MAX_LEVEL, Converted, ConvertError

MAX_INCLUDE_DEPTH = 10
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
_MDBOOK_CMD = re.compile(r"(?<!\\)\{\{#(\w+)\s*([^}]*?)\s*\}\}")
_SUMMARY_LINK = re.compile(r"^(\s*)(?:([-*+])\s+)?\[(.*?)\]\((.*?)\)")  # a remark may follow
_CODE_EXT = {".rs": "rust", ".py": "python", ".go": "go", ".js": "javascript", ".ts": "typescript",
             ".toml": "toml", ".sh": "sh", ".c": "c", ".h": "c", ".cpp": "cpp", ".java": "java"}


def convert(source: Source) -> Converted:
    """The briefing in an mdBook folder (see the module's docstring)."""
    return convert_folder(source, _read_mdbook)


def _read_mdbook(book: Book) -> None:
    import tomllib

    src = book.root / "src"
    config = book.root / "book.toml"
    if config.is_file():
        try:
            conf = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            book.result.warnings.append(f"book.toml is not valid TOML ({exc}); not used")
            conf = {}
        meta = conf.get("book", {}) if isinstance(conf.get("book"), dict) else {}
        book.result.title = str(meta.get("title", "") or "")
        authors = meta.get("authors", [])
        book.result.author = ", ".join(map(str, authors)) if isinstance(authors, list) else str(authors)
        book.result.language = str(meta.get("language", "") or "").split("-")[0]
        book.result.summary = " ".join(str(meta.get("description", "") or "").split())
        if meta.get("src"):
            src = book.root / str(meta["src"])
    if not (src / "SUMMARY.md").is_file() and (book.root / "SUMMARY.md").is_file():
        src = book.root
    summary = src / "SUMMARY.md"
    if not summary.is_file():
        raise ConvertError(book.root, "an mdBook without SUMMARY.md (looked in src/ and the folder)")
    seen_heading = seen_chapter = False
    in_part = 0
    indents: list[int] = []
    lines = summary.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in lines:
        heading = _HEADING.match(line)
        if heading:
            if seen_heading or seen_chapter:  # the first heading is the summary's own title
                book.entries.append(Entry(heading.group(2), 1))
                in_part = 1
            seen_heading = True
            indents = []
            continue
        m = _SUMMARY_LINK.match(line)
        if not m:
            continue
        seen_chapter = True
        indent, marker, title, target = len(m.group(1).expandtabs(4)), m.group(2), m.group(3), m.group(4)
        depth = 0
        if marker:
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            depth = len(indents) - 1
        level = min(MAX_LEVEL, 1 + in_part + depth) if marker else 1  # prefix, suffix: top
        title = plain_title(title)
        if not target.strip():
            book.result.warnings.append(f"draft chapter {title!r} has no file: kept as an empty section")
            book.entries.append(Entry(title, level))
            continue
        path = inside(book, src / target.split("#")[0])
        if path is None or not path.is_file():
            book.result.warnings.append(f"chapter {title!r}: {target} not found; left out")
            continue
        body = _mdbook_commands(book, path.read_text(encoding="utf-8", errors="replace"), path, 0)
        book.entries.append(Entry(title, level, body, path))


def _mdbook_commands(book: Book, text: str, path: Path, depth: int) -> str:
    """`{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` resolved relative to `path`;
    any other `{{#...}}` dropped with a warning."""

    def one(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2).strip()
        if name not in ("include", "rustdoc_include", "playground"):
            book.result.warnings.append(f"dropped the unknown mdBook command {{{{#{name}}}}} "
                                        f"in {rel(book, path)}")
            return ""
        file_part, _, selector = arg.split()[0].partition(":") if arg else ("", "", "")
        target = inside(book, path.parent / file_part) if file_part else None
        if target is None or not target.is_file():
            book.result.warnings.append(f"{{{{#{name} {arg}}}}} in {rel(book, path)}: "
                                        + ("refused, outside the book" if file_part and target is None
                                           else "file not found"))
            return ""
        if depth >= MAX_INCLUDE_DEPTH:
            book.result.warnings.append(f"{{{{#{name} {arg}}}}}: includes nested too deeply")
            return ""
        text = _select_lines(target.read_text(encoding="utf-8", errors="replace"), selector)
        text = _mdbook_commands(book, text, target, depth + 1)
        if name == "playground":
            return f"```{_CODE_EXT.get(target.suffix, '')}\n{text.rstrip()}\n```"
        return text.rstrip("\n")

    return _MDBOOK_CMD.sub(one, text)


def _select_lines(text: str, selector: str) -> str:
    """mdBook's `file:2`, `file:2:10`, `file::10`, `file:2:` (1-based, inclusive) and
    `file:anchor` (between `ANCHOR: anchor` and `ANCHOR_END: anchor`, ANCHOR lines left out)."""
    lines = text.splitlines()
    if not selector:
        return text
    if re.fullmatch(r"\d*(?::\d*)?", selector):
        start, colon, end = selector.partition(":")
        first = int(start) - 1 if start else 0
        last = (int(end) if end else len(lines)) if colon else first + 1
        return "\n".join(lines[max(0, first):last])
    marker = re.compile(rf"ANCHOR(_END)?:\s*{re.escape(selector)}\b")
    out: list[str] = []
    inside = False
    for line in lines:
        m = marker.search(line)
        if m:
            if m.group(1):
                break
            inside = True
            continue
        if inside and "ANCHOR" not in line:
            out.append(line)
    return "\n".join(out)
