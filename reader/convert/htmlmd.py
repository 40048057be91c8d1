"""HTML -> briefing parts: the core the HTML, EPUB and DOCX converters share.

`htmlpage.parse_page` parses a document and finds its main content. A `Builder` then turns
pages into `Part`s: the caller says where parts start (`Cut`s: a page's headings, or an EPUB's
navigation entries); each cut becomes a marker in the Markdown that markdownify writes, and the
Markdown is split at the markers. Images go into the
shared `Images` (never fetched from the network), links between converted pages become `#id`
links through the `Linker`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import Tag
from markdownify import MarkdownConverter

from reader.content.parser import slugify
from reader.convert.htmlpage import HEADING, MARK_CUT, MARK_LINK, MARK_TARGET, Cut, Page, classes
from reader.convert.model import Part, assign_ids, escape_inline

_TARGET_MARK = re.compile(f"{MARK_TARGET}(\\d+){MARK_TARGET}")
_ONLY_MARKS = re.compile(f"(?:\\s|{MARK_TARGET}\\d+{MARK_TARGET}|{MARK_CUT}\\d+{MARK_CUT})*")
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
               "image/svg+xml": ".svg", "image/bmp": ".bmp"}
IMAGE_EXTS = frozenset(IMAGE_TYPES.values()) | {".jpeg"}



# ---- images -------------------------------------------------------------------------------
Loader = Callable[[str, str], bytes | None]  # (page name, URL-decoded relative src) -> bytes


class Images:
    """The briefing's images: `images/<safe name>` -> bytes, each distinct image once."""

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.files: dict[PurePosixPath, bytes] = {}
        self._by_digest: dict[str, str] = {}
        self._by_src: dict[tuple[str, str], str | None] = {}
        self.remote = 0
        self.missing: list[str] = []

    def src(self, page: str, src: str) -> str | None:
        """The asset path for an `<img src>`, or None (remote or unreadable: alt text only)."""
        src = src.strip()
        if PurePosixPath(src) in self.files:  # already an asset (a DOCX's images)
            return src
        if src.lower().startswith("data:"):
            return self._data_uri(src)
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            if parts.scheme in ("http", "https") or parts.netloc:
                self.remote += 1
            elif src:
                self.missing.append(src[:80])  # file: URLs and the like: never read
            return None
        key = (page, unquote(parts.path))
        if key not in self._by_src:
            data = self.load(*key)
            if data is None:
                self.missing.append(key[1])
            self._by_src[key] = None if data is None else self.add(posixpath.basename(key[1]), data)
        return self._by_src[key]

    def add(self, name: str, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._by_digest:
            return self._by_digest[digest]
        stem, ext = posixpath.splitext(name)
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "image"
        ext = ext.lower() if ext.lower() in IMAGE_EXTS else _sniff_ext(data)
        path, n = PurePosixPath("images", stem[:60] + ext), 2
        while path in self.files:
            path, n = PurePosixPath("images", f"{stem[:60]}-{n}{ext}"), n + 1
        self.files[path] = data
        self._by_digest[digest] = str(path)
        return str(path)

    def _data_uri(self, src: str) -> str | None:
        head, _, payload = src.partition(",")
        mime = head[5:].split(";")[0].lower()
        if not mime.startswith("image/"):
            self.missing.append(f"a data: URI of type {mime or 'unknown'}")
            return None
        try:
            data = base64.b64decode(payload, validate=False) if ";base64" in head.lower() \
                else unquote(payload).encode("latin-1", "replace")
        except (binascii.Error, ValueError):
            self.missing.append("a data: URI")
            return None
        return self.add("image" + IMAGE_TYPES.get(mime, ""), data)

    def warnings(self) -> list[str]:
        out = []
        if self.remote:
            out.append(f"{self.remote} remote image(s) not fetched (the reader never goes online); "
                       "their alt text is kept")
        if self.missing:
            names = ", ".join(self.missing[:5]) + (" ..." if len(self.missing) > 5 else "")
            out.append(f"{len(self.missing)} image(s) not found: {names}")
        return out


def _sniff_ext(data: bytes) -> str:
    for magic, ext in ((b"\x89PNG", ".png"), (b"\xff\xd8", ".jpg"), (b"GIF8", ".gif"),
                       (b"BM", ".bmp"), (b"<svg", ".svg"), (b"<?xml", ".svg")):
        if data.startswith(magic):
            return ext
    return ".webp" if data[8:12] == b"WEBP" else ".png"


# ---- links --------------------------------------------------------------------------------
class Linker:
    """Links between the converted pages: `page.html#x` becomes `#<id of the part holding x>`."""

    def __init__(self, pages: list[str]) -> None:
        self.pages = set(pages)
        self.links: list[tuple[str, str, str]] = []  # (page, fragment, original href)
        self.wanted: dict[str, set[str]] = {}  # page -> fragments some link points at
        self.targets: list[tuple[str, str]] = []
        self.found: dict[tuple[str, str], int] = {}  # (page, fragment) -> part index
        self.dropped: list[str] = []  # relative links to files that were not converted

    def resolve(self, page: str, href: str) -> tuple[str, str] | None:
        """(page, fragment) when `href` points into a converted page."""
        parts = urlsplit(href.strip())
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
        return (target, unquote(parts.fragment)) if target in self.pages else None

    def scan(self, page: Page) -> None:
        """Note the fragments that links of `page` point at (before any page is converted)."""
        for a in page.soup.find_all("a", href=True):
            if t := self.resolve(page.name, str(a["href"])):
                self.wanted.setdefault(t[0], set()).add(t[1])

    def mark_targets(self, page: Page) -> None:
        """A target mark before each element some link points at, and at the page's start."""
        wanted = self.wanted.get(page.name, set())
        for el in page.root.find_all(id=True):
            if str(el["id"]) in wanted and not el.find_parent("pre") and el.parent is not None:
                spot = el.find_parent("table") or el.find_parent(HEADING) or el  # a heading goes whole
                spot.insert_before(self._mark(page.name, str(el["id"])))
        page.root.insert(0, self._mark(page.name, ""))

    def _mark(self, page: str, fragment: str) -> str:
        self.targets.append((page, fragment))
        return f"{MARK_TARGET}{len(self.targets) - 1}{MARK_TARGET}"

    def href(self, page: str, href: str) -> str:
        """The link's new target; "" for a relative link to a file not converted with it (the
        reader opens sections, not files: `check` refuses such a link), whose text stays."""
        if (t := self.resolve(page, href)) is None:
            parts = urlsplit(href.strip())
            if not parts.scheme and not parts.netloc and parts.path:
                self.dropped.append(parts.path)
                return ""
            return href
        self.links.append((t[0], t[1], href))
        return f"{MARK_LINK}{len(self.links) - 1}{MARK_LINK}"

    def warnings(self) -> list[str]:
        if not self.dropped:
            return []
        names = ", ".join(sorted(set(self.dropped))[:5]) + (" ..." if len(set(self.dropped)) > 5 else "")
        return [f"{len(self.dropped)} link(s) to files not converted with this one kept as plain "
                f"text: {names}"]

    def note_targets(self, text: str, index: int, next_index: int) -> str:
        """Record which part each target mark of `text` fell in; return `text` without them.
        A mark with nothing after it belongs to the part that starts next (a heading's id)."""
        for m in _TARGET_MARK.finditer(text):
            rest = _ONLY_MARKS.match(text, m.end())
            at_end = rest is not None and rest.end() == len(text)
            self.found.setdefault(self.targets[int(m.group(1))], next_index if at_end else index)
        return _TARGET_MARK.sub("", text)

    def finish(self, text: str, parts: list[Part]) -> str:
        def sub(m: re.Match[str]) -> str:
            page, fragment, original = self.links[int(m.group(1))]
            index = self.found.get((page, fragment), self.found.get((page, "")))
            if index is None or not 0 <= index < len(parts):
                return original if not original.startswith("#") else "#"
            return f"#{parts[index].id}"

        return re.sub(f"{MARK_LINK}(\\d+){MARK_LINK}", sub, text)


# ---- Markdown ------------------------------------------------------------------------------
_BLOCKISH = [(re.compile(r"(\s|^)=(=*(?:\s|$))"), r"\1&#61;\2"),  # a setext underline; `\=` is no escape
             (re.compile(r"#"), r"\\#"),  # "#x" at a line's start is a heading too
             (re.compile(r"!(?=!!)"), r"\\!"),  # "!!! note" an admonition
             (re.compile(r"^(\s*):(?=\s|$)"), r"\1&#58;"),  # ": text" under a line a definition
             (re.compile(r"(\s|^)([-+]+(?:\s|$))"), r"\1\\\2"),
             (re.compile(r"((?:\s|^)[0-9]{1,9})([.)](?:\s|$))"), r"\1\\\2")]


class _Markdown(MarkdownConverter):
    """markdownify with the reader's escaping, images into assets, links resolved, cut marks."""

    def __init__(self, builder: Builder, page: str, **options: Any) -> None:
        super().__init__(heading_style="atx", bullets="-", table_infer_header=True,
                         code_language_callback=_code_language, escape_misc=False,
                         escape_asterisks=False, escape_underscores=False, **options)
        self.builder, self.page = builder, page

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # text from HTML is text: `*`, `#` or `1.` in a paragraph must render as themselves
        text = escape_inline(text)
        for pattern, repl in _BLOCKISH:
            text = pattern.sub(repl, text)
        return text

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = escape_inline(" ".join(str(el.get("alt", "")).split()))
        path = self.builder.images.src(self.page, str(el.get("src", "")))
        if path is None or "_inline" in parent_tags:
            return alt
        return f"![{alt}]({path})"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.get("href"):
            el["href"] = self.builder.linker.href(self.page, str(el["href"]))
            if not el["href"]:
                del el["href"]  # markdownify writes the text alone
        out: str = super().convert_a(el, text, parent_tags)  # type: ignore[misc]  # stub defect: markdownify.pyi omits convert_*
        return out

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # Python-Markdown nests a list, or continues an item, only at four spaces
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start", ""))
            bullet = f"{(int(start) if start.isdigit() else 1) + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        lines = text.split("\n")
        rest = [("    " + line) if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet.ljust(3) + " " + lines[0], *rest]) + "\n"

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # a code span cannot hold a paragraph break: blocks inside one become one line
        text = re.sub(r"\s*\n\s*", " ", text) if "pre" not in parent_tags else text
        out: str = super().convert_code(el, text, parent_tags)  # type: ignore[misc]  # stub defect: markdownify.pyi omits convert_*
        return out

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # the fence must be longer than any run of backticks in the code (Markdown shown as code)
        out: str = super().convert_pre(el, text, parent_tags)  # type: ignore[misc]  # stub defect: markdownify.pyi omits convert_*
        runs = re.findall(r"`{3,}", text)
        if runs:
            fence = "`" * (max(map(len, runs)) + 1)
            out = re.sub(r"^(\s*)```", lambda m: m.group(1) + fence, out, count=1)
            out = re.sub(r"```(\s*)$", lambda m: fence + m.group(1), out, count=1)
        return out

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        # headings that start no part (an EPUB's chapter title, a heading in a list) stay text
        text = " ".join(text.split())
        return text if "_inline" in parent_tags or not text else f"\n\n**{text}**\n\n"

    def convert_brcut(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{MARK_CUT}{el['n']}{MARK_CUT}\n\n"

    def convert_brfn(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"[^{el['n']}]"


def _code_language(pre: Tag) -> str:
    for tag in [pre, *pre.find_all("code", limit=1)]:
        for c in classes(tag):
            if m := re.match(r"(?:language|lang)-([\w+#.-]+)$", c):
                return m.group(1)
    return ""


@dataclass
class Builder:
    """Pages in, parts out: shared images, links and footnotes across all pages."""

    images: Images
    linker: Linker = field(default_factory=lambda: Linker([]))
    intro: str = ""
    parts: list[Part] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)  # label -> Markdown

    def add_page(self, page: Page, cuts: list[Cut]) -> None:
        """Convert `page`, starting a part at each cut; text before the first cut goes to the
        part before (or the intro)."""
        self.linker.mark_targets(page)
        at_start = 0
        for n, cut in enumerate(cuts):
            mark = page.soup.new_tag("brcut", attrs={"n": str(n)})
            if cut.tag is None:  # the page's start, in the order given
                page.root.insert(at_start, mark)
                at_start += 1
            elif cut.tag.parent is not None and not cut.tag.decomposed:  # not gone with another
                cut.tag.insert_before(mark)
                if HEADING.match(cut.tag.name or ""):
                    cut.tag.decompose()
        pieces = re.split(f"{MARK_CUT}(\\d+){MARK_CUT}", self.markdown(page.root, page.name))
        start = len(self.parts)
        lead = self.linker.note_targets(pieces[0], start - 1, start)
        for i in range(1, len(pieces), 2):
            cut = cuts[int(pieces[i])]
            index = len(self.parts)
            body = self.linker.note_targets(pieces[i + 1], index, index + 1)
            self.parts.append(Part(cut.title, max(1, cut.level), _tidy(body)))
        self._append(lead, before=start)

    def markdown(self, tag: Tag, page: str = "") -> str:
        return str(_Markdown(self, page).convert_soup(tag))

    def _append(self, text: str, before: int) -> None:
        text = _tidy(text)
        if not text:
            return
        if before == 0:
            self.intro = _join(self.intro, text)
        else:
            self.parts[before - 1].markdown = _join(self.parts[before - 1].markdown, text)

    def finish(self, title: str = "") -> tuple[str, list[Part]]:
        """Ids assigned (as writing would), links and footnotes resolved; (intro, parts).
        No part takes the id of the briefing itself (`title`'s): the parser refuses that."""
        assign_ids(self.parts)
        taken = {p.id for p in self.parts}
        for p in self.parts:
            if title and p.id == slugify(title):
                n = 2
                while f"{p.id}-{n}" in taken:
                    n += 1
                p.id = f"{p.id}-{n}"
                taken.add(p.id)
        self.intro = self._footnoted(self.linker.finish(self.intro, self.parts))
        for p in self.parts:
            p.markdown = self._footnoted(self.linker.finish(p.markdown, self.parts))
        return self.intro, self.parts

    def _footnoted(self, text: str) -> str:
        # Markdown footnotes render per section: each section carries its notes' definitions
        labels = dict.fromkeys(re.findall(r"\[\^([\w-]+)\](?!:)", text))
        defs = [f"[^{n}]: {_indent(self.footnotes[n])}" for n in labels if n in self.footnotes]
        return _join(text, "\n\n".join(defs)) if defs else text


def _indent(text: str) -> str:
    return "\n    ".join(text.strip().splitlines())


def _tidy(text: str) -> str:
    # link marks stay until `finish`
    text = re.sub(f"[{MARK_CUT}{MARK_TARGET}]\\d*[{MARK_CUT}{MARK_TARGET}]?", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join(a: str, b: str) -> str:
    return f"{a.rstrip()}\n\n{b}" if a.strip() else b
