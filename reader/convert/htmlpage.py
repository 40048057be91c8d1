"""An HTML document parsed for conversion: its metadata and its main content, cleaned.

`parse_page` parses a document (BeautifulSoup with the stdlib "html.parser"), reads its
metadata, drops what is not the text (scripts, navigation, ads, cookie banners...) and finds the
main content; `heading_cuts` says where its parts start. `htmlmd` turns pages into Markdown parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "form",
             "button", "input", "select", "textarea", "nav", "footer", "aside", "svg", "canvas"]
# words of an id/class that mark page furniture, not text (matched word by word, conservatively)
JUNK_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "footer", "sidebar", "advert", "advertisement", "ads", "ad",
    "adsense", "banner", "cookie", "cookies", "consent", "share", "sharing", "sharebar", "social",
    "comment", "comments", "related", "breadcrumb", "breadcrumbs", "promo", "newsletter", "popup",
    "skiplink",
    "headerlink", "permalink", "anchorjs"})  # a heading's "¶"/"#" link (Sphinx, Jekyll, anchor.js)
JUNK_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
KEEP_TAGS = frozenset({"html", "body", "main", "article"})
INLINE_TAGS = ["a", "b", "strong", "i", "em", "code", "kbd", "samp", "s", "del", "strike", "sub", "sup",
               "u", "mark", "small", "q", "abbr", "cite", "ins", "span", "font"]
BLOCK_TAGS = ["p", "div", "pre", "ul", "ol", "li", "table", "blockquote", "section", "h1", "h2", "h3",
              "h4", "h5", "h6", "dl", "figure", "hr"]
HEADING = re.compile(r"^h([1-6])$")
# private-use marks no text contains: `htmlmd` writes them into the Markdown (where a part starts,
# a link's target, a link); `parse_page` takes any the source holds out of it
MARK_CUT, MARK_TARGET, MARK_LINK = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile(f"[{MARK_CUT}{MARK_TARGET}{MARK_LINK}]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    tokens = [str(tag.get("id", "")), *classes(tag)]
    words = {w for t in tokens for w in re.split(r"[-_\s]+", t.lower().replace("skip-link", "skiplink"))}
    junk = bool(words & JUNK_WORDS) or str(tag.get("role", "")).lower() in JUNK_ROLES
    # a wrapper named "has-sidebar" around the text itself stays (looked into only when junk)
    return junk and tag.find(["main", "article", "h1"]) is None


def classes(tag: Tag) -> list[str]:
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
