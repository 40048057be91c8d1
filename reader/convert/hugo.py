"""A Hugo or Jekyll site (format "hugo") -> one briefing.

Hugo: `content/` with YAML or TOML front matter (title, date, weight, draft), `_index.md` as a
section's own page, the site's title from `hugo.toml`/`config.toml`/`hugo.yaml`; its figure,
ref/relref, highlight and youtube shortcodes become Markdown, others are dropped. Jekyll:
`_posts/YYYY-MM-DD-title.md`, `_config.yml`, Liquid tags dropped. The rest is `mdpages`'.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path, PurePosixPath

from reader.convert import Source
from reader.convert.mdpages import (
    MD_SUFFIXES,
    Book,
    Entry,
    convert_folder,
    front_matter,
    listing,
    name_title,
    natural_key,
    page_date,
    rel,
    simple_yaml,
)
from reader.convert.model import Converted


def convert(source: Source) -> Converted:
    """The briefing in a Hugo or Jekyll site's folder (see the module's docstring)."""
    return convert_folder(source, _read_hugo)


def _read_hugo(book: Book) -> None:
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


def _page(book: Book, path: Path, dates: list[str], *, level: int = 1,
          liquid: Counter[str] | None = None, dropped: Counter[str],
          content: Path) -> tuple[float, str, Entry] | None:
    """(weight, date, entry) of one Hugo or Jekyll page; None for a draft."""
    meta, body = front_matter(path.read_text(encoding="utf-8", errors="replace"))
    if meta.get("draft") is True or str(meta.get("draft", "")).lower() == "true":
        book.result.warnings.append(f"left out the draft page {rel(book, path)}")
        return None
    when = page_date(meta, path.name)
    if when:
        dates.append(when)
    body = resolve_shortcodes(body, path, book.root, content, dropped, book.result.warnings)
    if liquid is not None:
        body = drop_liquid(body, liquid)
    title = str(meta.get("title", "") or "")
    entry = Entry(title or name_title(path), level, body, path, use_first_heading=not title)
    weight = meta.get("weight")
    return (float(weight) if isinstance(weight, int | float) and weight else float("inf"),
            when, entry)


def _hugo_folder(book: Book, folder: Path, level: int, dropped: Counter[str], dates: list[str],
                 content: Path) -> None:
    items: list[tuple[float, str, str, list[Entry]]] = []
    for path in listing(book, folder):
        if path.name == "_index.md":
            continue
        if path.is_dir():
            index = next((path / n for n in ("_index.md", "index.md") if (path / n).is_file()), None)
            sub = Book(book.root, book.result)
            head: tuple[float, str, Entry] | None
            if index is not None:
                head = _page(book, index, dates, level=level, dropped=dropped, content=content)
                if head is None:
                    continue  # a draft section: all of it
            else:
                head = (float("inf"), "", Entry(name_title(path), level))
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


_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*/?\s*[>%]\}\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{\{[<%]\s*highlight\s+([\w+#.-]+)[^}]*?[>%]\}\}\n?(.*?)\n?"
                        r"\{\{[<%]\s*/highlight\s*[>%]\}\}", re.DOTALL)
_ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_SHORTCODE_ARG = re.compile(r'(?:([\w-]+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+))')
_SITE_URL = re.compile(r"\{\{\s*site\.(?:baseurl|url)\s*\}\}")
_URL_FILTER = re.compile(r"\{\{\s*[\"']([^\"']+)[\"']\s*\|\s*(?:relative_url|absolute_url)\s*\}\}")
_LIQUID = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")


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
    """`mdref:<path from the folder>#anchor` for `rewrite_links`, or the ref as written."""
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
