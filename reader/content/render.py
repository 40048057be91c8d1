"""Markdown -> safe HTML and plain text for sections.

Python-Markdown with its `extra` extensions and a few from pymdown-extensions: SuperFences (fences
with any info string, inside lists and quotes), strikethrough, bare URLs as links, task lists,
GitHub-style alerts; plus admonitions. Code is never highlighted: Pygments is not shipped, and
its presence (it comes with the test tools) must not change what a briefing looks like.

Raw HTML in briefings is sanitized with nh3 (the Rust `ammonia` sanitizer): no scripts, no event
handlers, no `javascript:`/`file:` URLs, and no remote images, so rendering never loads anything
from the network.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.content.blocks import Definitions, normalise_fences, with_definitions
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
    "code": {"data-info"},  # the rest of a fence's info string ("ignore" of "rust,ignore")
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
# pymdownx.tasklist's check boxes; a QTextBrowser shows no form controls, so they become symbols
_TASK_BOX = re.compile(r'<input type="checkbox" disabled( checked)?/?>\s?')
_TABLE_OPEN = re.compile(r"<table(?=[\s>])")
TABLE_WRAP_CLASS = "table-wrap"  # a wide table's container: scrolled or fitted by the page
_local = threading.local()


# Extensions that change nothing in a text without their trigger (every form their patterns
# match contains one of these strings): a text without any is rendered by a parser without the
# extension, which is as much faster as the extension's patterns cost (bench/render_compare.py).
# tests/content check that both parsers give the same HTML on the fixture corpus.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "footnotes": ("[^",),
    "tables": ("|",),
    "abbr": ("*[",),
    "def_list": ("\n:", "\n :", "\n  :", "\n   :"),
    "admonition": ("!!!",),
    "tilde": ("~~",),
    "magiclink": ("://", "www.", "ftp.", "@", "mailto:"),
    "tasklist": ("[ ]", "[x]", "[X]"),
    "quotes": (">",),  # pymdownx's block quotes (alerts); Python-Markdown's own without a '>'
}


def features(text: str) -> frozenset[str]:
    """The optional extensions a text may need (see OPTIONAL)."""
    text = "\n" + text
    return frozenset(name for name, triggers in OPTIONAL.items()
                     if any(t in text for t in triggers))


def _extensions(wanted: frozenset[str] = frozenset(OPTIONAL)) -> list[markdown.extensions.Extension]:
    """"extra" (with SuperFences for fenced_code), "sane_lists", "admonition" and pymdownx's
    tilde, magiclink, tasklist and quotes ("smarty" left out: the publisher's quotes stay
    verbatim); of the OPTIONAL ones only those `wanted`. Given as instances, not names: a name
    makes Markdown scan every installed package's entry points, which costs more than building
    the parser, and the frozen app's module collector sees imports where it cannot see names
    (build.spec lists them too)."""
    from markdown.extensions import (
        abbr,
        admonition,
        attr_list,
        def_list,
        footnotes,
        md_in_html,
        sane_lists,
        tables,
    )
    from pymdownx import highlight, magiclink, quotes, superfences, tasklist, tilde

    optional = {
        "footnotes": footnotes.FootnoteExtension, "tables": tables.TableExtension,
        "abbr": abbr.AbbrExtension, "def_list": def_list.DefListExtension,
        "admonition": admonition.AdmonitionExtension,
        "tilde": lambda: tilde.DeleteSubExtension(subscript=False),  # a lone ~ stays a tilde
        "magiclink": lambda: magiclink.MagiclinkExtension(hide_protocol=False,
                                                          repo_url_shortener=False),
        "tasklist": lambda: tasklist.TasklistExtension(custom_checkbox=False),
        "quotes": lambda: quotes.QuotesExtension(callouts=True),  # > [!NOTE] as an admonition
    }
    return [
        # relaxed_headers: a fence whose info string SuperFences cannot parse still closes
        # (normalise_fences rewrites the ones it knows first, keeping their language).
        superfences.SuperFencesCodeExtension(relaxed_headers=True),
        highlight.HighlightExtension(use_pygments=False, guess_lang=False),
        attr_list.AttrListExtension(), md_in_html.MarkdownInHtmlExtension(),
        sane_lists.SaneListExtension(),
        *(make() for name, make in optional.items() if name in wanted),
    ]


def _markdown(wanted: frozenset[str] = frozenset(OPTIONAL)) -> markdown.Markdown:
    """The thread's parser with the `wanted` optional extensions (built on first use)."""
    # Markdown instances are not thread-safe; the indexer renders in a worker thread.
    parsers: dict[frozenset[str], markdown.Markdown] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    md = parsers.get(wanted)
    if md is None:
        import markdown

        md = parsers[wanted] = markdown.Markdown(extensions=_extensions(wanted),
                                                 output_format="html")
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


def limit_nesting(text: str) -> str:
    """Flatten absurdly deep nesting: Python-Markdown recurses once per list level (1,000 nested
    items take 20 s and then overflow the stack) and re-scans every quote level."""
    limit = 4 * MAX_NESTING

    def indent(m: re.Match[str]) -> str:
        width = len(m.group(0).expandtabs(4))
        return m.group(0) if width <= limit else " " * limit

    text = _INDENT.sub(indent, text)
    return _QUOTES.sub(">" * MAX_NESTING, text)


def _task_boxes(fragment: str) -> str:
    if "<input" in fragment:
        fragment = _TASK_BOX.sub(lambda m: "\u2611 " if m.group(1) else "\u2610 ", fragment)
    return fragment


def _wrap_tables(fragment: str) -> str:
    """Each table in a container the page can scroll or fit."""
    if "<table" in fragment:
        fragment = _TABLE_OPEN.sub(f'<div class="{TABLE_WRAP_CLASS}"><table', fragment)
        fragment = fragment.replace("</table>", "</table></div>")
    return fragment


def markdown_to_html(text: str) -> str:
    """Render a Markdown body to sanitized HTML; a body Markdown cannot handle becomes a short
    notice plus its text, never an exception."""
    text = normalise_fences(limit_nesting(text))
    md = _markdown(features(text))
    md.reset()
    try:
        return _wrap_tables(sanitize(_task_boxes(md.convert(text))))
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
    source = section.source  # the body and the definitions it uses: a changed one misses
    if cache is None:
        return markdown_to_html(source)
    key = cache.key(source)
    body = cache.get(key)
    if body is None:
        body = markdown_to_html(source)
        cache.put(key, body)
    return body


def heading_html(section: Section, level: int) -> str:
    level = max(1, min(level, 6))
    return (
        f'<h{level} class="section-heading"><a name="{html.escape(section.id)}">'
        f"{section.title_html}</a></h{level}>"
    )


TITLE_TAGS = {"abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small",
              "strong", "sub", "sup", "u"}
_H1 = re.compile(r"\s*<h1[^>]*>(.*?)</h1>", re.DOTALL)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)


def heading_titles(heading: str, definitions: Definitions | None = None) -> tuple[str, str]:
    """(plain text, inline HTML) of a heading written in Markdown: rendered as a heading (so
    "1. Intro" stays text, not a list), links and images unwrapped to their text, footnote
    marks dropped."""
    fallback = heading, html.escape(heading, quote=False)
    used = with_definitions(heading, definitions)[1] if definitions else ""
    md = _markdown()
    md.reset()
    try:
        out = md.convert(f"# {heading}\n\n{used}" if used else f"# {heading}")
    except (RecursionError, ValueError, IndexError, KeyError, AttributeError):
        log.exception("cannot render the heading %r", heading)
        md.reset()
        return fallback
    m = _H1.match(out)
    if m is None:
        return fallback
    import nh3

    inline = nh3.clean(_FOOTNOTE_REF.sub("", m.group(1)), tags=TITLE_TAGS,
                       attributes={"abbr": {"title"}}, link_rel=None).strip()
    plain = " ".join(html_to_text(inline).split())
    return (plain, inline) if plain else fallback


# Python-Markdown's footnote anchors: <sup id="fnref:x"><a href="#fn:x">, <li id="fn:x">, and the
# back link. Each section numbers its own footnotes, so on a page of several sections two of
# them can both have "fn:1"; named per section, a footnote link lands on its own section's note.
_FOOTNOTE_ANCHOR = re.compile(r'(id="|href="#)(fn|fnref):')


def scope_footnotes(body: str, section_id: str) -> str:
    """`body` with its footnote anchors named after the section (fn:x -> fn:SECTION:x)."""
    if "fn" not in body:
        return body
    scope = html.escape(section_id)
    return _FOOTNOTE_ANCHOR.sub(lambda m: f"{m.group(1)}{m.group(2)}:{scope}:", body)


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
            parts.append(scope_footnotes(body, node.id))
    return "\n".join(parts)


TEXT_BLOCKS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
                         "blockquote", "tr", "dt", "dd", "figcaption", "table", "ul", "ol", "hr"})
# A tag of the sanitized HTML this module makes (nh3 writes every `<` of text as &lt;, and a
# quoted attribute value may hold a `>`). html.parser did this three times slower, and the text
# is made for every section the index builds (tests/content/test_plain_text.py holds the two
# equal on the corpus and on generated fragments).
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
_LINE_SPACE = re.compile(r"[ \t]*\n[ \t]*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def html_to_text(fragment: str) -> str:
    """Plain text of a sanitized HTML fragment: a line break at each block, a tab before each
    table cell, character references decoded, paragraphs separated by one blank line. (The
    offsets annotations are anchored to are offsets into this text: it must not change.)"""
    parts: list[str] = []
    pos = 0
    for m in _TAG.finditer(fragment):
        if m.start() > pos:
            parts.append(html.unescape(fragment[pos:m.start()]))
        pos = m.end()
        closing, tag, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            if tag in TEXT_BLOCKS:
                parts.append("\n")
            continue
        if tag in TEXT_BLOCKS or tag == "br":
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append("\t")
        if self_closing and tag in TEXT_BLOCKS:  # <hr/>: opened and closed
            parts.append("\n")
    if pos < len(fragment):
        parts.append(html.unescape(fragment[pos:]))
    text = "".join(parts)
    paragraphs = [_LINE_SPACE.sub("\n", p).strip() for p in _PARAGRAPH_BREAK.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


@lru_cache(maxsize=8192)
def section_plain_text(section: Section) -> str:
    """The section's own body as plain text, the unit for search and annotation anchoring."""
    return html_to_text(section_body_html(section))


def forget_sections() -> None:
    """Drop the in-memory caches keyed by sections. Call it when a library is given up: one
    cached section holds its parent, its briefing and so the whole old library alive."""
    section_body_html.cache_clear()
    section_plain_text.cache_clear()
