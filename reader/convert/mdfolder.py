"""Folders of Markdown (formats "mdbook", "hugo", "markdown") -> one briefing.

Each page of the folder becomes an entry of the tree at the level its place gives it (an mdBook
SUMMARY's nesting, a Hugo section folder, a subfolder); the page's own headings become parts
beneath its entry. The Markdown is kept as Markdown: what is rewritten is only what would not
work in a briefing: mdBook's `{{#include}}` and Hugo's shortcodes are resolved, images are copied
into the briefing's assets (`images/...`) and links between pages point at section ids.

- mdBook: `book.toml` ([book] title, authors, language) and `SUMMARY.md` (prefix and suffix
  chapters, nested numbered chapters, `# Part` titles, draft chapters).
- Hugo: `content/` with YAML or TOML front matter (title, date, weight, draft), `_index.md` as a
  section's own page; Jekyll: `_posts/YYYY-MM-DD-title.md`.
- Plain: every `.md`/`.markdown` file in natural order, README/index first, subfolders deeper.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
MAX_INCLUDE_DEPTH = 10
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")
_EXPLICIT_ID = re.compile(r"\s*\{#([^\W_][\w.:-]*)\}\s*$")
_MDBOOK_CMD = re.compile(r"(?<!\\)\{\{#(\w+)\s*([^}]*?)\s*\}\}")
_SUMMARY_LINK = re.compile(r"^(\s*)(?:([-*+])\s+)?\[(.*?)\]\((.*?)\)")  # a remark may follow
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?((?:\s+\"[^\"]*\")?)\s*\)")
_HTML_IMG = re.compile(r"(<img\b[^>]*?\bsrc=[\"'])([^\"']+)([\"'])", re.IGNORECASE)
# `[label]: path.png`: a reference definition whose target is an image
_IMAGE_DEF = re.compile(r"^([ ]{0,3}\[[^\]]+\]:[ \t]*<?)([^\s>]+\.(?:png|jpe?g|gif|svg|webp|bmp))(>?.*)$",
                        re.IGNORECASE | re.MULTILINE)
_REMOTE = re.compile(r"^(?:[a-zA-Z][\w+.-]*:|//|#)")
_CODE_EXT = {".rs": "rust", ".py": "python", ".go": "go", ".js": "javascript", ".ts": "typescript",
             ".toml": "toml", ".sh": "sh", ".c": "c", ".h": "c", ".cpp": "cpp", ".java": "java"}


@dataclass
class _Entry:
    """One page (or a folder, or a part title) at its level, before its headings are split."""

    title: str
    level: int
    body: str = ""
    file: Path | None = None  # the page's file, for links and images
    explicit_id: str = ""
    use_first_heading: bool = True  # the page's first heading is this entry's own heading


@dataclass
class _Book:
    root: Path
    result: Converted
    entries: list[_Entry] = field(default_factory=list)
    # (file, anchor or "") -> the part's index, for links between pages
    anchors: dict[tuple[Path, str], int] = field(default_factory=dict)
    part_files: list[Path | None] = field(default_factory=list)


def convert(source: Source) -> Converted:
    """The briefing in a Markdown folder of `source.format` (see the module's docstring)."""
    root = source.path.resolve()
    if not root.is_dir():
        raise ConvertError(root, "not a folder")
    book = _Book(root, Converted(title="", format=source.format))
    if source.format == "mdbook":
        _read_mdbook(book)
    elif source.format == "hugo":
        _read_hugo(book)
    else:
        _read_plain(book)
    if not book.entries:
        raise ConvertError(root, "the folder holds no Markdown pages to convert")
    _build_parts(book)
    normalized_levels(book.result.parts)
    _rewrite_links(book)
    if not book.result.title:
        book.result.title = root.name
    return book.result


# ---- mdBook ----------------------------------------------------------------------------------
def _read_mdbook(book: _Book) -> None:
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
                book.entries.append(_Entry(heading.group(2), 1))
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
        title = _plain_title(title)
        if not target.strip():
            book.result.warnings.append(f"draft chapter {title!r} has no file: kept as an empty section")
            book.entries.append(_Entry(title, level))
            continue
        path = _inside(book, src / target.split("#")[0])
        if path is None or not path.is_file():
            book.result.warnings.append(f"chapter {title!r}: {target} not found; left out")
            continue
        body = _mdbook_commands(book, path.read_text(encoding="utf-8", errors="replace"), path, 0)
        book.entries.append(_Entry(title, level, body, path))


def _mdbook_commands(book: _Book, text: str, path: Path, depth: int) -> str:
    """`{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` resolved relative to `path`;
    any other `{{#...}}` dropped with a warning."""

    def one(m: re.Match[str]) -> str:
        name, arg = m.group(1), m.group(2).strip()
        if name not in ("include", "rustdoc_include", "playground"):
            book.result.warnings.append(f"dropped the unknown mdBook command {{{{#{name}}}}} "
                                        f"in {_rel(book, path)}")
            return ""
        file_part, _, selector = arg.split()[0].partition(":") if arg else ("", "", "")
        target = _inside(book, path.parent / file_part) if file_part else None
        if target is None or not target.is_file():
            book.result.warnings.append(f"{{{{#{name} {arg}}}}} in {_rel(book, path)}: "
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


# ---- Hugo and Jekyll -------------------------------------------------------------------------
def _read_hugo(book: _Book) -> None:
    import tomllib

    for name in ("hugo.toml", "config.toml"):
        path = book.root / name
        if path.is_file() and not book.result.title:
            try:
                conf = tomllib.loads(path.read_text(encoding="utf-8"))
                book.result.title = str(conf.get("title", "") or "")
                book.result.language = str(conf.get("languageCode", "") or "").split("-")[0]
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                book.result.warnings.append(f"{name} is not valid TOML ({exc}); not used")
    for name in ("hugo.yaml", "config.yaml", "_config.yml"):
        path = book.root / name
        if path.is_file() and not book.result.title:
            conf = simple_yaml(path.read_text(encoding="utf-8", errors="replace"))
            book.result.title = str(conf.get("title", "") or "")
            if conf.get("author") and not book.result.author:
                book.result.author = str(conf["author"])
    dropped: Counter[str] = Counter()
    liquid: Counter[str] = Counter()
    dates: list[str] = []
    content = book.root / "content"
    if content.is_dir():
        _hugo_folder(book, content, 1, dropped, dates, content)
    posts = book.root / "_posts"
    if posts.is_dir():
        pages = []
        for path in sorted(p for p in posts.rglob("*") if p.suffix.lower() in MD_SUFFIXES):
            page = _page(book, path, dates, liquid=liquid, dropped=dropped, content=content)
            if page is not None:
                pages.append(page)
        pages.sort(key=lambda p: (p[1], natural_key(p[2].file.name if p[2].file else "")))
        book.entries += [p[2] for p in pages]
    if dropped:
        book.result.warnings.append("dropped unknown shortcodes: "
                                    + ", ".join(f"{n} ({c})" for n, c in sorted(dropped.items())))
    if liquid:
        book.result.warnings.append("dropped Liquid tags: "
                                    + ", ".join(f"{n} ({c})" for n, c in sorted(liquid.items())))
    if dates and not book.result.date:
        book.result.date = max(dates)


def _page(book: _Book, path: Path, dates: list[str], *, level: int = 1,
          liquid: Counter[str] | None = None, dropped: Counter[str],
          content: Path) -> tuple[float, str, _Entry] | None:
    """(weight, date, entry) of one Hugo or Jekyll page; None for a draft."""
    meta, body = front_matter(path.read_text(encoding="utf-8", errors="replace"))
    if meta.get("draft") is True or str(meta.get("draft", "")).lower() == "true":
        book.result.warnings.append(f"left out the draft page {_rel(book, path)}")
        return None
    when = page_date(meta, path.name)
    if when:
        dates.append(when)
    body = resolve_shortcodes(body, path, book.root, content, dropped, book.result.warnings)
    if liquid is not None:
        body = drop_liquid(body, liquid)
    title = str(meta.get("title", "") or "")
    entry = _Entry(title or _name_title(path), level, body, path, use_first_heading=not title)
    weight = meta.get("weight")
    return (float(weight) if isinstance(weight, int | float) and weight else float("inf"),
            when, entry)


def _hugo_folder(book: _Book, folder: Path, level: int, dropped: Counter[str], dates: list[str],
                 content: Path) -> None:
    items: list[tuple[float, str, str, list[_Entry]]] = []
    for path in _listing(book, folder):
        if path.name == "_index.md":
            continue
        if path.is_dir():
            index = next((path / n for n in ("_index.md", "index.md") if (path / n).is_file()), None)
            sub = _Book(book.root, book.result)
            head: tuple[float, str, _Entry] | None
            if index is not None:
                head = _page(book, index, dates, level=level, dropped=dropped, content=content)
                if head is None:
                    continue  # a draft section: all of it
            else:
                head = (float("inf"), "", _Entry(_name_title(path), level))
            if index is not None and index.name == "index.md":  # a leaf bundle: one page
                items.append((head[0], head[1], path.name, [head[2]]))
                continue
            _hugo_folder(sub, path, level + 1, dropped, dates, content)
            items.append((head[0], head[1], path.name, [head[2], *sub.entries]))
        elif path.suffix.lower() in MD_SUFFIXES:
            page = _page(book, path, dates, level=level, dropped=dropped, content=content)
            if page is not None:
                items.append((page[0], page[1], path.name, [page[2]]))
    items.sort(key=lambda it: (it[0], it[1], natural_key(it[2])))
    for it in items:
        book.entries += it[3]
    if folder == content and (folder / "_index.md").is_file():
        home = _page(book, folder / "_index.md", dates, dropped=dropped, content=content)
        if home is not None:  # the site's home page: the briefing's introduction
            book.result.intro = home[2].body.strip()
            if not book.result.title and home[2].use_first_heading is False:
                book.result.title = home[2].title


# ---- plain folders ---------------------------------------------------------------------------
def _read_plain(book: _Book) -> None:
    _plain_folder(book, book.root, 1)


def _plain_folder(book: _Book, folder: Path, level: int) -> None:
    def order(p: Path) -> tuple[int, tuple[object, ...]]:
        first = p.is_file() and p.stem.lower() in ("readme", "index")
        return (0 if first else 1, natural_key(p.name))

    for path in sorted((p for p in _listing(book, folder) if not p.name.startswith("_")), key=order):
        if path.is_dir():
            if not any(p.suffix.lower() in MD_SUFFIXES for p in path.rglob("*")):
                continue
            index = next((p for p in _listing(book, path) if p.is_file()
                          and p.stem.lower() in ("readme", "index") and p.suffix.lower() in MD_SUFFIXES),
                         None)
            if index is not None:
                book.entries.append(_plain_page(book, index, level, fallback=_name_title(path)))
            else:
                book.entries.append(_Entry(_name_title(path), level))
            before = len(book.entries)
            _plain_folder(book, path, level + 1)
            if index is not None:  # the folder's page came first; not again inside
                book.entries[before:] = [e for e in book.entries[before:] if e.file != index]
        elif path.suffix.lower() in MD_SUFFIXES:
            book.entries.append(_plain_page(book, path, level))


def _plain_page(book: _Book, path: Path, level: int, fallback: str = "") -> _Entry:
    meta, body = front_matter(path.read_text(encoding="utf-8", errors="replace"))
    title = str(meta.get("title", "") or "")
    when = page_date(meta, "")
    if when and when > book.result.date:
        book.result.date = when
    return _Entry(title or fallback or _name_title(path), level, body, path,
                  use_first_heading=not title)


# ---- pages -> parts ------------------------------------------------------------------------
def _build_parts(book: _Book) -> None:
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
    its text up to the next heading). Headings in code, comments and raw HTML are text."""
    from reader.content.blocks import layout

    lines = text.split("\n")
    lay = layout(lines, text)
    pre: list[str] = []
    heads: list[tuple[int, str, str, list[str]]] = []
    body = pre
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEADING.match(line) if line[:1] == "#" and not lay.opaque(i) else None
        if m:
            level, raw = len(m.group(1)), m.group(2)
            i += 1
        elif (i + 1 < len(lines) and line.strip() and _SETEXT.match(lines[i + 1])
              and (i == 0 or not lines[i - 1].strip()) and not line.startswith(("    ", "\t", "-", "*"))
              and not lay.opaque(i) and not lay.opaque(i + 1) and not _HEADING.match(line)):
            level, raw = (1 if lines[i + 1][0] == "=" else 2), line.strip()
            i += 2
        else:
            body.append(line)
            i += 1
            continue
        if not raw.strip():  # an empty heading: nothing to show, nothing to keep
            continue
        explicit = _EXPLICIT_ID.search(raw)
        hid = ""
        if explicit:
            hid, raw = explicit.group(1), raw[:explicit.start()].rstrip()
        body = []
        heads.append((level, _plain_title(raw), hid, body))
    return "\n".join(pre), [(lv, t, hid, "\n".join(b)) for lv, t, hid, b in heads]


def _plain_title(markdown: str) -> str:
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
def _copy_images(book: _Book, text: str, page: Path | None) -> str:
    def target(url: str) -> str | None:
        if not url or _REMOTE.match(url) or page is None:
            return None
        url = url.split("#")[0].split("?")[0]
        candidates = [book.root / "static" / url.lstrip("/")] if url.startswith("/") else []
        candidates += [page.parent / url, book.root / url.lstrip("/")]
        for cand in candidates:
            path = _inside(book, cand)
            if path is not None and path.is_file() and path.suffix.lower() not in MD_SUFFIXES:
                return _asset(book, path)
        book.result.warnings.append(f"image {url} (in {_rel(book, page)}) not found in the folder")
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


def _asset(book: _Book, path: Path) -> str:
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


def _rewrite_links(book: _Book) -> None:
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
                target = (_inside(book, book.root / "content" / path_part.lstrip("/"))
                          if path_part.startswith("/") else _inside(book, page.parent / path_part))
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
                    book.result.warnings.append(f"link to {url} (in {_rel(book, page)}) left as it "
                                                "is: that page is not in the briefing")
                return m.group(2) if path_part.startswith("mdref:") else m.group(0)
            return f"[{m.group(2)}](#{parts[found].id}{m.group(4)})"

        part.markdown = _LINK.sub(link, part.markdown)


def _listing(book: _Book, folder: Path) -> list[Path]:
    """A folder's files and folders by name: not hidden ones, no link to a folder (a loop),
    nothing whose target is outside the folder converted."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or (path.is_symlink() and path.is_dir()):
            continue
        if path.is_symlink() and _inside(book, path) is None:
            book.result.warnings.append(f"left out {_rel(book, path)}: a link to outside the folder")
            continue
        out.append(path)
    return out


def _inside(book: _Book, path: Path) -> Path | None:
    """`path` resolved, if it is inside the folder (no `..` out of it, no symlink out)."""
    try:
        resolved = path.resolve()
        resolved.relative_to(book.root.resolve())
    except (ValueError, OSError):
        return None
    return resolved


def _rel(book: _Book, path: Path) -> str:
    try:
        return path.resolve().relative_to(book.root.resolve()).as_posix()
    except ValueError:
        return path.name


def _name_title(path: Path) -> str:
    """A title from a file or folder name: "02-getting_started.md" -> "getting started"."""
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem if path.is_file() else path.name)
    stem = re.sub(r"^\d+[-_. ]+", "", stem)
    return re.sub(r"[-_]+", " ", stem).strip() or path.name


# ---- front matter, Hugo shortcodes, Liquid ---------------------------------------------------
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*/?\s*[>%]\}\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{\{[<%]\s*highlight\s+([\w+#.-]+)[^}]*?[>%]\}\}\n?(.*?)\n?"
                        r"\{\{[<%]\s*/highlight\s*[>%]\}\}", re.DOTALL)
_ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_SHORTCODE_ARG = re.compile(r'(?:([\w-]+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+))')
_SITE_URL = re.compile(r"\{\{\s*site\.(?:baseurl|url)\s*\}\}")
_URL_FILTER = re.compile(r"\{\{\s*[\"']([^\"']+)[\"']\s*\|\s*(?:relative_url|absolute_url)\s*\}\}")
_LIQUID = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")


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


def _shortcode_args(text: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for m in _SHORTCODE_ARG.finditer(text):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        if m.group(1):
            named[m.group(1)] = value
        else:
            positional.append(value)
    return positional, named


def resolve_shortcodes(text: str, page: Path, root: Path, content: Path, dropped: Counter[str],
                       warnings: list[str]) -> str:
    """Hugo's figure, ref/relref, highlight and youtube shortcodes as Markdown; any other
    dropped (its inner text kept) and counted in `dropped`."""
    literal: list[str] = []  # {{</* x */>}} is Hugo's way to write a shortcode as text

    def keep(m: re.Match[str]) -> str:
        literal.append(f"{{{{{m.group(1)}{m.group(2)}{m.group(3)}}}}}")
        return f"\0{len(literal) - 1}\0"

    text = _ESCAPED_SHORTCODE.sub(keep, text.replace("\0", ""))
    text = _HIGHLIGHT.sub(lambda m: f"```{m.group(1)}\n{m.group(2)}\n```", text)

    def one(m: re.Match[str]) -> str:
        closing, name = m.group(2), m.group(3)
        if closing:
            return ""
        args, named = _shortcode_args(m.group(4))
        if name == "figure":
            src = named.get("src", args[0] if args else "")
            caption = named.get("caption", "") or named.get("title", "")
            alt = named.get("alt", "") or caption
            image = f"![{alt}]({src})" if src else ""
            return f"\n\n{image}\n\n*{caption}*\n\n" if caption else f"\n\n{image}\n\n"
        if name in ("ref", "relref"):
            ref = args[0] if args else named.get("path", "")
            return _hugo_ref(ref, page, root, content, warnings)
        if name == "youtube":
            vid = named.get("id", args[0] if args else "")
            return f"[YouTube video {vid}](https://www.youtube.com/watch?v={vid})"
        dropped[name] += 1
        return ""

    text = _SHORTCODE.sub(one, text)
    return re.sub(r"\0(\d+)\0", lambda m: literal[int(m.group(1))], text)


def _hugo_ref(ref: str, page: Path, root: Path, content: Path, warnings: list[str]) -> str:
    """`mdref:<path from the folder>#anchor` for `_rewrite_links`, or the ref as written."""
    path, _, anchor = ref.partition("#")
    tails = [path, path + ".md", path.rstrip("/") + "/_index.md", path.rstrip("/") + "/index.md"]
    bases = [content] if path.startswith("/") else [page.parent, content]
    for base in bases:
        for tail in tails:
            cand = base / tail.lstrip("/")
            if path and cand.is_file():
                rel = cand.resolve().relative_to(root).as_posix()
                return f"mdref:{rel}" + (f"#{anchor}" if anchor else "")
    name = PurePosixPath(path).name
    found = [p for p in content.rglob("*.md") if p.name in (name, name + ".md")] if name else []
    if len(found) == 1:
        return f"mdref:{found[0].resolve().relative_to(root).as_posix()}" + (f"#{anchor}" if anchor else "")
    warnings.append(f"ref {ref!r} in {page.name} points at no page of the site")
    return ref


def drop_liquid(text: str, counts: Counter[str]) -> str:
    """Jekyll's Liquid tags (`{% include %}`, `{% raw %}`...) dropped, counted by name."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if not name.startswith("end"):
            counts[name] += 1
        return ""

    text = _SITE_URL.sub("", text)  # {{ site.baseurl }}/assets/x.png: the site's own file
    text = _URL_FILTER.sub(lambda m: m.group(1), text)
    return _LIQUID.sub(one, text)
