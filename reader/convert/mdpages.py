"""What the Markdown-folder converters share (formats "mdbook", "hugo", "markdown").

Each layout's module (`mdbook`, `hugo`, `mdplain`) lists the folder's pages as `Entry`s, each at
the level its place gives it; `convert_folder` then splits every page at its headings (the same
heading rules as the content parser, `reader.content.parser.heading_at`), which go beneath its
entry, copies the images into the briefing's assets (`images/...`) and points links between
pages at section ids. Also here: front matter (YAML or TOML), page dates, natural file order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reader.content.blocks import layout
from reader.content.parser import heading_at
from reader.convert import Source
from reader.convert.model import (
    DATE_RE,
    MAX_LEVEL,
    Converted,
    ConvertError,
    Part,
    assign_ids,
    normalized_levels,
)

MD_SUFFIXES = (".md", ".markdown")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\")?)\s*\)")
_HTML_IMG = re.compile(r"(<img\b[^>]*?\bsrc=[\"'])([^\"']+)([\"'])", re.IGNORECASE)
# `[label]: path.png`: a reference definition whose target is an image
_IMAGE_DEF = re.compile(r"^([ ]{0,3}\[[^\]]+\]:[ \t]*<?)([^\s>]+\.(?:png|jpe?g|gif|svg|webp|bmp))(>?.*)$",
                        re.IGNORECASE | re.MULTILINE)
_REMOTE = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|//|#)")


@dataclass
class Entry:
    """One page (or a folder, or a part title) at its level, before its headings are split."""

    title: str
    level: int
    body: str = ""
    file: Path | None = None  # the page's file, for links and images
    explicit_id: str = ""
    use_first_heading: bool = True  # the page's first heading is this entry's own heading


@dataclass
class Book:
    root: Path
    result: Converted
    entries: list[Entry] = field(default_factory=list)
    # (file, anchor or "") -> the part's index, for links between pages
    anchors: dict[tuple[Path, str], int] = field(default_factory=dict)
    part_files: list[Path | None] = field(default_factory=list)


def convert_folder(source: Source, read: Callable[[Book], None]) -> Converted:
    """The briefing in the Markdown folder `source.path`: `read` (one per layout) lists its
    pages as entries; here they are split at their headings, their images copied, their links
    pointed at section ids."""
    root = source.path.resolve()
    if not root.is_dir():
        raise ConvertError(root, "not a folder")
    book = Book(root, Converted(title="", format=source.format))
    read(book)
    if not book.entries:
        raise ConvertError(root, "the folder holds no Markdown pages to convert")
    build_parts(book)
    normalized_levels(book.result.parts)
    rewrite_links(book)
    if not book.result.title:
        book.result.title = root.name
    return book.result


# ---- pages -> parts ------------------------------------------------------------------------
def build_parts(book: Book) -> None:
    """Each entry's page split at its headings, which go beneath the entry; images copied."""
    for entry in book.entries:
        body = _copy_images(book, entry.body, entry.file) if entry.file else entry.body
        pre, heads = split_headings(body)
        title, explicit, text = entry.title, entry.explicit_id, pre
        # the first heading is the entry's own (or repeats the title the front matter gave)
        if heads and not pre.strip() and (entry.use_first_heading
                                           or heads[0][1].casefold() == entry.title.casefold()):
            first = heads.pop(0)
            top = first[0]
            if entry.file is not None and book.result.format != "mdbook":
                title = first[1]
            explicit, text = first[2] or explicit, first[3]
            anchor_first = first
        else:
            top = min((h[0] for h in heads), default=1) - 1
            anchor_first = None
        index = len(book.result.parts)
        book.result.parts.append(Part(title, entry.level, text.strip("\n"), explicit))
        book.part_files.append(entry.file)
        key = entry.file.resolve() if entry.file is not None else None
        if key is not None:
            book.anchors.setdefault((key, ""), index)
            if anchor_first is not None:
                book.anchors.setdefault((key, anchor_first[2] or _anchor(anchor_first[1])), index)
        for level, htitle, hid, htext in heads:
            book.result.parts.append(Part(htitle, min(MAX_LEVEL, entry.level + max(1, level - top)),
                                          htext.strip("\n"), hid))
            book.part_files.append(entry.file)
            if key is not None:
                book.anchors.setdefault((key, hid or _anchor(htitle)), len(book.result.parts) - 1)
    if book.result.intro and book.result.intro.strip():
        book.result.intro = _copy_images(book, book.result.intro, book.root / "content" / "_index.md")


def split_headings(text: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """The text before the first heading, and each heading as (level, plain title, explicit id,
    its text up to the next heading). The headings are those the content parser will find in
    the briefing (`heading_at`): none in code, comments or raw HTML."""
    lines = text.split("\n")
    opaque = layout(lines, text).opaque
    pre: list[str] = []
    heads: list[tuple[int, str, str, list[str]]] = []
    body = pre
    i = block_start = 0
    while i < len(lines):
        head = heading_at(lines, i, opaque, block_start)
        if head is None:
            body.append(lines[i])
            i += 1
            continue
        i = block_start = head.end
        if not head.title.strip() and not head.id:  # an empty heading: nothing to show or keep
            continue
        body = []
        heads.append((head.level, plain_title(head.title), head.id, body))
    return "\n".join(pre), [(lv, t, hid, "\n".join(b)) for lv, t, hid, b in heads]


def plain_title(markdown: str) -> str:
    """A heading's Markdown as plain text (the tree shows text; to_markdown escapes it)."""
    if not re.search(r"[`*_\[<\\~&]", markdown):
        return markdown.strip()
    from reader.content.render import heading_titles

    return heading_titles(markdown)[0]


def _anchor(title: str) -> str:
    """The anchor mdBook, Hugo and GitHub give a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title.strip().lower()))


# ---- images and links ----------------------------------------------------------------------
def _copy_images(book: Book, text: str, page: Path | None) -> str:
    def target(url: str) -> str | None:
        if not url or _REMOTE.match(url) or page is None:
            return None
        url = url.split("#")[0].split("?")[0]
        candidates = [book.root / "static" / url.lstrip("/")] if url.startswith("/") else []
        candidates += [page.parent / url, book.root / url.lstrip("/")]
        for cand in candidates:
            path = inside(book, cand)
            if path is not None and path.is_file() and path.suffix.lower() not in MD_SUFFIXES:
                return _asset(book, path)
        book.result.warnings.append(f"image {url} (in {rel(book, page)}) not found in the folder")
        return None

    def md(m: re.Match[str]) -> str:
        if not m.group(1):
            return m.group(0)
        new = target(m.group(3))
        return m.group(0) if new is None else f"![{m.group(2)}]({new}{m.group(4)})"

    def tag(m: re.Match[str]) -> str:
        new = target(m.group(2))
        return m.group(0) if new is None else m.group(1) + new + m.group(3)

    def definition(m: re.Match[str]) -> str:
        new = target(m.group(2))
        return m.group(0) if new is None else m.group(1) + new + m.group(3)

    text = _IMAGE_DEF.sub(definition, _LINK.sub(md, text))
    return _HTML_IMG.sub(tag, text)


def _asset(book: Book, path: Path) -> str:
    """The image's place in the assets: `images/` and its path in the site's static, content
    or source folder (or in the folder, where two of those would give one name)."""
    data = path.read_bytes()
    root = book.root.resolve()
    for base in (root / "static", root / "content", root / "src", root):
        if path.is_relative_to(base):
            rel = PurePosixPath("images", *path.relative_to(base).parts)
            if book.result.assets.get(rel, data) == data:
                break
    else:  # the same name from two folders: the second by its whole path
        rel = PurePosixPath("images", "folder", *path.relative_to(root).parts)
    book.result.assets[rel] = data
    return str(rel)


def rewrite_links(book: Book) -> None:
    """Links to another page of the folder (`other.md#anchor`, Hugo's refs) become `#id`."""
    parts = book.result.parts
    assign_ids(parts)
    for index, part in enumerate(parts):
        page = book.part_files[index]
        if page is None:
            continue

        def link(m: re.Match[str], page: Path = page) -> str:
            url = m.group(3)
            if m.group(1) or not url or (re.match(r"^[a-zA-Z][\w+.-]*:|^//", url)
                                         and not url.startswith("mdref:")):
                return m.group(0)
            path_part, _, anchor = url.partition("#")
            if path_part.startswith("mdref:"):
                target: Path | None = book.root / path_part[6:]
            elif path_part:
                target = (inside(book, book.root / "content" / path_part.lstrip("/"))
                          if path_part.startswith("/") else inside(book, page.parent / path_part))
                if target is not None and target.is_dir():
                    target = next((target / n for n in ("README.md", "index.md", "_index.md")
                                   if (target / n).is_file()), target)
                elif target is not None and target.suffix == ".html":
                    target = target.with_suffix(".md")
            else:
                target = page
            if target is None:
                return m.group(0)
            found = book.anchors.get((target.resolve(), anchor)) if anchor else None
            if found is None:
                found = book.anchors.get((target.resolve(), ""))
            if found is None:
                if target.suffix.lower() in MD_SUFFIXES or path_part.startswith("mdref:"):
                    book.result.warnings.append(f"link to {url} (in {rel(book, page)}) left as it "
                                                "is: that page is not in the briefing")
                return m.group(2) if path_part.startswith("mdref:") else m.group(0)
            return f"[{m.group(2)}](#{parts[found].id}{m.group(4)})"

        part.markdown = _LINK.sub(link, part.markdown)


def listing(book: Book, folder: Path) -> list[Path]:
    """A folder's files and folders by name: not hidden ones, no link to a folder (a loop),
    nothing whose target is outside the folder converted."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or (path.is_symlink() and path.is_dir()):
            continue
        if path.is_symlink() and inside(book, path) is None:
            book.result.warnings.append(f"left out {rel(book, path)}: a link to outside the folder")
            continue
        out.append(path)
    return out


def inside(book: Book, path: Path) -> Path | None:
    """`path` resolved, if it is inside the folder (no `..` out of it, no symlink out)."""
    try:
        resolved = path.resolve()
        resolved.relative_to(book.root.resolve())
    except (ValueError, OSError):
        return None
    return resolved


def rel(book: Book, path: Path) -> str:
    try:
        return path.resolve().relative_to(book.root.resolve()).as_posix()
    except ValueError:
        return path.name


def name_title(path: Path) -> str:
    """A title from a file or folder name: "02-getting_started.md" -> "getting started"."""
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem if path.is_file() else path.name)
    stem = re.sub(r"^\d+[-_. ]+", "", stem)
    return re.sub(r"[-_]+", " ", stem).strip() or path.name


# ---- front matter, dates, order ------------------------------------------------------------
def front_matter(text: str) -> tuple[dict[str, object], str]:
    """YAML (`---`) or TOML (`+++`) front matter and the body after it."""
    text = text.removeprefix("\ufeff")
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n") or text.startswith(fence + "\r\n"):
            m = re.compile(rf"^(?:{re.escape(fence)}|\.\.\.)[ \t]*\r?$", re.MULTILINE).search(
                text, len(fence) + 1)
            if m is None:
                return {}, text
            head, body = text[len(fence) + 1:m.start()], text[m.end():].lstrip("\r\n")
            if fence == "---":
                return simple_yaml(head), body
            import tomllib

            try:
                return tomllib.loads(head), body
            except tomllib.TOMLDecodeError:
                return {}, body
    return {}, text


def simple_yaml(text: str) -> dict[str, object]:
    """Top-level `key: value` lines (strings, quoted strings, numbers, booleans, dates as
    text); lists and nested mappings are left out."""
    out: dict[str, object] = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if not m or not m.group(2) or m.group(2)[0] in "[{|>&*!":
            continue
        key, value = m.group(1), m.group(2)
        if value[0] in "\"'":
            end = value.find(value[0], 1)
            out[key] = value[1:end] if end > 0 else value[1:]
            continue
        value = re.sub(r"\s+#.*$", "", value)
        low = value.lower()
        if low in ("true", "yes", "on"):
            out[key] = True
        elif low in ("false", "no", "off"):
            out[key] = False
        elif re.fullmatch(r"-?\d+", value):
            out[key] = int(value)
        elif re.fullmatch(r"-?\d+\.\d+", value):
            out[key] = float(value)
        else:
            out[key] = value
    return out


def page_date(meta: dict[str, object], filename: str) -> str:
    """A page's date as YYYY-MM-DD: front matter `date`, else a Jekyll file name's; else ""."""
    value = meta.get("date")
    text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    if DATE_RE.match(text[:10]):
        return text[:10]
    m = re.match(r"^(\d{4}-\d{2}-\d{2})-", filename)
    return m.group(1) if m and DATE_RE.match(m.group(1)) else ""


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """"2-x.md" before "10-y.md": digits compared as numbers, the rest without case."""
    return tuple((0, int(piece), "") if piece.isdigit() else (1, 0, piece.lower())
                 for piece in re.split(r"(\d+)", name) if piece)
