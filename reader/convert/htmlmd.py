"""HTML -> briefing parts: the core the HTML, EPUB and DOCX converters share.

`parse_page` parses a document (BeautifulSoup with the stdlib "html.parser"), reads its
metadata, drops what is not the text (scripts, navigation, ads, cookie banners...) and finds the
main content. A `Builder` then turns pages into `Part`s: the caller says where parts start
(`Cut`s: a page's headings, or an EPUB's navigation entries); each cut becomes a marker in the
Markdown that markdownify writes, and the Markdown is split at the markers. Images go into the
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

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from reader.content.parser import slugify
from reader.convert.model import Part, assign_ids, escape_inline

DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "form",
             "button", "input", "select", "textarea", "nav", "footer", "aside", "svg", "canvas"]
# words of an id/class that mark page furniture, not text (matched word by word, conservatively)
JUNK_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "footer", "sidebar", "advert", "advertisement", "ads", "ad",
    "adsense", "banner", "cookie", "cookies", "consent", "share", "sharing", "sharebar", "social",
    "comment", "comments", "related", "breadcrumb", "breadcrumbs", "promo", "newsletter", "popup",
    "skiplink"})
JUNK_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
KEEP_TAGS = frozenset({"html", "body", "main", "article"})
INLINE_TAGS = ["a", "b", "strong", "i", "em", "code", "kbd", "samp", "s", "del", "strike", "sub", "sup",
               "u", "mark", "small", "q", "abbr", "cite", "ins", "span", "font"]
BLOCK_TAGS = ["p", "div", "pre", "ul", "ol", "li", "table", "blockquote", "section", "h1", "h2", "h3",
              "h4", "h5", "h6", "dl", "figure", "hr"]
HEADING = re.compile(r"^h([1-6])$")
_CUT, _TARGET, _LINK = "\ue000", "\ue001", "\ue002"  # private-use marks no text contains
_MARKS = re.compile(f"[{_CUT}{_TARGET}{_LINK}]")
_TARGET_MARK = re.compile(f"{_TARGET}(\\d+){_TARGET}")
_ONLY_MARKS = re.compile(f"(?:\\s|{_TARGET}\\d+{_TARGET}|{_CUT}\\d+{_CUT})*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
               "image/svg+xml": ".svg", "image/bmp": ".bmp"}
IMAGE_EXTS = frozenset(IMAGE_TYPES.values()) | {".jpeg"}


@dataclass
class Meta:
    title: str = ""
    author: str = ""
    date: str = ""
    language: str = ""


@dataclass
class Page:
    """One parsed HTML document: `root` is its main content, cleaned."""

    name: str  # how links and images address it ("" for a lone file)
    soup: BeautifulSoup
    root: Tag
    meta: Meta
    title_heading: bool = False  # its single h1 was the title (and is gone from `root`)


@dataclass
class Cut:
    """Where a part starts: before `tag` (a heading is replaced), or at the page's start."""

    tag: Tag | None
    title: str
    level: int


def parse_page(html: str, name: str = "", *, find_main: bool = True, title_heading: bool = True) -> Page:
    """Parse, read the metadata, clean, find the main content, take out the title heading
    (a single h1 that comes first or repeats the <title>) unless `title_heading` is False."""
    soup = BeautifulSoup(_MARKS.sub("", html), "html.parser")
    meta = read_meta(soup)
    clean(soup)
    root = main_content(soup) if find_main else (soup.body or soup)
    page = Page(name, soup, root, meta)
    h1s = [h for h in root.find_all("h1") if text_of(h)]
    if len(h1s) == 1 and title_heading:
        h1 = h1s[0]
        first = root.find(HEADING) is h1
        if first or _norm(text_of(h1)) in _norm(meta.title):
            meta.title = text_of(h1)
            h1.decompose()
            page.title_heading = True
    if not meta.title and h1s:
        meta.title = text_of(h1s[0])
    return page


def read_meta(soup: BeautifulSoup) -> Meta:
    def content(**attrs: str) -> str:
        # stub defect: bs4's find() types attrs as dict[str, _StrainableAttribute], not str values
        tag = soup.find("meta", attrs=attrs)  # type: ignore[arg-type]
        return " ".join(str(tag.get("content", "")).split()) if isinstance(tag, Tag) else ""

    m = Meta()
    m.title = (soup.title.get_text(" ", strip=True) if soup.title else "") or content(property="og:title")
    m.author = content(name="author") or content(property="article:author")
    if not m.author:
        byline = soup.select_one(".byline, [rel=author]")
        if byline:
            m.author = re.sub(r"^(by|von|par)\s+", "", text_of(byline), flags=re.I)
    if m.author.startswith(("http://", "https://")):
        m.author = ""  # article:author is often a profile URL
    time = soup.find("time", attrs={"datetime": True})
    for value in (content(property="article:published_time"),
                  str(time.get("datetime", "")) if isinstance(time, Tag) else "",
                  content(name="date"), content(name="DC.date"), content(name="dc.date")):
        if d := _DATE.match(value.strip()):
            m.date = d.group(0)
            break
    html = soup.find("html")
    lang = str(html.get("lang", "")) if isinstance(html, Tag) else ""
    m.language = lang.split("-")[0].split("_")[0].lower().strip()
    return m


def clean(soup: BeautifulSoup) -> None:
    """Drop what is not the document's text; strip event handlers and `javascript:` links."""
    for svg in soup.find_all("svg"):  # an EPUB's cover is an <image> in an <svg>: keep the image
        image = svg.find("image")
        href = image.get("xlink:href") or image.get("href") if isinstance(image, Tag) else None
        if href:
            svg.replace_with(soup.new_tag("img", attrs={"src": str(href), "alt": ""}))
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(INLINE_TAGS):  # an inline element holding blocks would break them
        if tag.find(BLOCK_TAGS):
            tag.unwrap()
    for header in soup.find_all("header"):
        if not header.find_parent(["article", "main"]):  # a page header, not an article's
            header.decompose()
    for tag in soup.find_all(_is_junk):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(True):
        for attr in [a for a in tag.attrs if a.lower().startswith("on")]:
            del tag[attr]
        href = str(tag.get("href", ""))
        if re.match(r"\s*(javascript|vbscript|data):", href, re.I):
            del tag["href"]


def _is_junk(tag: Tag) -> bool:
    if tag.name in KEEP_TAGS:
        return False
    tokens = [str(tag.get("id", "")), *_classes(tag)]
    words = {w for t in tokens for w in re.split(r"[-_\s]+", t.lower().replace("skip-link", "skiplink"))}
    junk = bool(words & JUNK_WORDS) or str(tag.get("role", "")).lower() in JUNK_ROLES
    # a wrapper named "has-sidebar" around the text itself stays (looked into only when junk)
    return junk and tag.find(["main", "article", "h1"]) is None


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    return [value] if isinstance(value, str) else [str(c) for c in value or []]


def main_content(soup: BeautifulSoup) -> Tag:
    """`<main>`, `[role=main]`, a single `<article>`, else the element holding most of the
    paragraph text (readability's idea, simply), else the body."""
    body = soup.body or soup
    for found in (soup.find("main"), soup.find(True, attrs={"role": "main"})):
        if isinstance(found, Tag):
            return found
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    total = sum(_p_score(p) for p in body.find_all("p"))
    best, best_score = body, 0.0
    for tag in body.find_all(["div", "section", "td"]):
        score = sum(_p_score(p) for p in tag.find_all("p", recursive=False))
        if score > best_score:
            best, best_score = tag, score
    # only a clear winner: most of the page's paragraph text in one place
    return best if best_score >= 0.6 * total and best_score > 0 else body


def _p_score(p: Tag) -> float:
    text = len(p.get_text(strip=True))
    links = sum(len(a.get_text(strip=True)) for a in p.find_all("a"))
    return text * (1 - links / text) if text else 0.0


def heading_cuts(page: Page, top: int = 1) -> list[Cut]:
    """A part at each heading of the page, the top heading level used becoming `top`."""
    heads = [h for h in page.root.find_all(HEADING)
             if text_of(h) and not h.find_parent(["li", "td", "th", "table", "a", "pre", HEADING])]
    if not heads:
        return []
    low = min(int(h.name[1]) for h in heads)
    return [Cut(h, text_of(h), int(h.name[1]) - low + top) for h in heads]


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


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
        return f"{_TARGET}{len(self.targets) - 1}{_TARGET}"

    def href(self, page: str, href: str) -> str:
        if (t := self.resolve(page, href)) is None:
            return href
        self.links.append((t[0], t[1], href))
        return f"{_LINK}{len(self.links) - 1}{_LINK}"

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

        return re.sub(f"{_LINK}(\\d+){_LINK}", sub, text)


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
        return f"\n\n{_CUT}{el['n']}{_CUT}\n\n"

    def convert_brfn(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"[^{el['n']}]"


def _code_language(pre: Tag) -> str:
    for tag in [pre, *pre.find_all("code", limit=1)]:
        for c in _classes(tag):
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
        pieces = re.split(f"{_CUT}(\\d+){_CUT}", self.markdown(page.root, page.name))
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
    text = re.sub(f"[{_CUT}{_TARGET}]\\d*[{_CUT}{_TARGET}]?", "", text)  # link marks stay until `finish`
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join(a: str, b: str) -> str:
    return f"{a.rstrip()}\n\n{b}" if a.strip() else b
