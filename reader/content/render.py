"""Markdown -> safe HTML and plain text for sections.

Raw HTML in briefings is sanitized with nh3 (the Rust `ammonia` sanitizer): no scripts, no event
handlers, no `javascript:`/`file:` URLs, and no remote images, so rendering never loads anything
from the network.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from reader.content.model import Section

if TYPE_CHECKING:
    import markdown

    from reader.content.render_cache import RenderCache

# Markdown and nh3 load on the first render, not at start-up: a page served from the render
# cache (render_cache.py) needs neither.


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "name", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
    "*": {"id", "class"},
}
URL_SCHEMES = {"http", "https", "mailto", "section"}
_REMOTE = re.compile(r"^\s*(?:[a-zA-Z][\w+.-]*:|//)")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_local = threading.local()


def _extensions() -> list[markdown.extensions.Extension]:
    """"extra" plus "sane_lists" ("smarty" left out: the publisher's quotes stay verbatim).
    Given as instances, not names: a name makes Markdown scan every installed package's entry
    points, which costs more than building the parser."""
    from markdown.extensions import (
        abbr,
        attr_list,
        def_list,
        fenced_code,
        footnotes,
        md_in_html,
        sane_lists,
        tables,
    )

    return [fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(),
            attr_list.AttrListExtension(), def_list.DefListExtension(),
            tables.TableExtension(), abbr.AbbrExtension(), md_in_html.MarkdownInHtmlExtension(),
            sane_lists.SaneListExtension()]


def _markdown() -> markdown.Markdown:
    # Markdown instances are not thread-safe; the indexer renders in a worker thread.
    md = getattr(_local, "md", None)
    if md is None:
        import markdown

        md = _local.md = markdown.Markdown(extensions=_extensions(), output_format="html")
    return md


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and _REMOTE.match(value):
        return None  # remote (or data:) images are never loaded
    return value


def sanitize(fragment: str) -> str:
    """Strip everything from an HTML fragment that could run code or reach the network."""
    import nh3

    clean = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return _IMG_WITHOUT_SRC.sub("", clean)


MAX_NESTING = 16  # list / quote levels kept; deeper ones are shown at this depth
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_QUOTES = re.compile(rf"^(?:[ ]{{0,3}}>){{{MAX_NESTING + 1},}}", re.MULTILINE)
log = logging.getLogger(__name__)


def _limit_nesting(text: str) -> str:
    """Flatten absurdly deep nesting: Python-Markdown recurses once per list level (1,000 nested
    items take 20 s and then overflow the stack) and re-scans every quote level."""
    limit = 4 * MAX_NESTING

    def indent(m: re.Match[str]) -> str:
        width = len(m.group(0).expandtabs(4))
        return m.group(0) if width <= limit else " " * limit

    text = _INDENT.sub(indent, text)
    return _QUOTES.sub(">" * MAX_NESTING, text)


def markdown_to_html(text: str) -> str:
    """Render a Markdown body to sanitized HTML; a body Markdown cannot handle becomes a short
    notice plus its text, never an exception."""
    md = _markdown()
    md.reset()
    try:
        return sanitize(md.convert(_limit_nesting(text)))
    except (RecursionError, ValueError, IndexError, KeyError, AttributeError):
        log.exception("cannot render a section body of %d characters", len(text))
        md.reset()
        return ('<p class="render-error"><em>This part of the briefing could not be displayed '
                "as formatted text; here it is as written:</em></p><pre>"
                f"{html.escape(text)}</pre>")


_disk_cache: RenderCache | None = None


def use_render_cache(cache: RenderCache | None) -> None:
    """Keep rendered bodies in `cache` (between runs) from now on; None renders every time."""
    global _disk_cache
    old, _disk_cache = _disk_cache, cache
    if old is not None and old is not cache:
        old.close()
    section_body_html.cache_clear()


@lru_cache(maxsize=4096)
def section_body_html(section: Section) -> str:
    """The section's own body (not its sub-sections) as sanitized HTML; cached in memory and,
    once `use_render_cache` was called, on disk."""
    cache = _disk_cache
    if cache is None:
        return markdown_to_html(section.markdown)
    key = cache.key(section.markdown)
    body = cache.get(key)
    if body is None:
        body = markdown_to_html(section.markdown)
        cache.put(key, body)
    return body


def heading_html(section: Section, level: int) -> str:
    level = max(1, min(level, 6))
    return (
        f'<h{level} class="section-heading"><a name="{html.escape(section.id)}">'
        f"{html.escape(section.title)}</a></h{level}>"
    )


def render_section_html(
    section: Section, include_children: bool = True, nodes: list[Section] | None = None
) -> str:
    """HTML fragment for a section (and, by default, everything below it).

    Headings are numbered relative to the shown section (it becomes <h1>), and each carries an
    anchor named after the section id so the view can scroll to it and links can target it.
    """
    top = section.level
    parts: list[str] = []
    if nodes is None:
        nodes = list(section.walk()) if include_children else [section]
    for node in nodes:
        parts.append(heading_html(node, node.level - top + 1))
        body = section_body_html(node)
        if body:
            parts.append(body)
    return "\n".join(parts)


@cache
def _text_extractor() -> type:
    """The HTML-to-text parser class; html.parser loads on first use, not with the window."""
    from html.parser import HTMLParser

    class _TextExtractor(HTMLParser):
        BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                  "tr", "dt", "dd", "figcaption", "table", "ul", "ol", "hr"}

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in self.BLOCKS or tag == "br":
                self.parts.append("\n")
            elif tag in ("td", "th"):
                self.parts.append("\t")

        def handle_endtag(self, tag: str) -> None:
            if tag in self.BLOCKS:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    return _TextExtractor


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by one blank line."""
    parser = _text_extractor()()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    paragraphs = [re.sub(r"[ \t]*\n[ \t]*", "\n", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


@lru_cache(maxsize=8192)
def section_plain_text(section: Section) -> str:
    """The section's own body as plain text, the unit for search and annotation anchoring."""
    return html_to_text(section_body_html(section))
