"""The article page shown for a section: breadcrumb, title block, body with sub-sections, and
previous/next links so a briefing can be read straight through."""

from __future__ import annotations

import html
from datetime import date

from reader.content.bidi import is_rtl, isolate
from reader.content.model import Section
from reader.content.render import render_section_html

WORDS_PER_MINUTE = 230
# A page shows a section with its sub-sections, but stops after this much so that opening the
# root of a briefing with thousands of sections stays instant; "Continue" links to the rest.
PAGE_MAX_WORDS = 12_000  # about 50 minutes of reading
PAGE_MAX_SECTIONS = 80


def word_count(section: Section, include_children: bool = True) -> int:
    """Words of the section (and below). Counted on the Markdown source: cheap, and close
    enough for reading-time estimates without rendering every section."""
    nodes = section.walk() if include_children else [section]
    return sum(len(n.markdown.split()) + len(n.title.split()) for n in nodes)


def page_sections(section: Section) -> list[Section]:
    """The sections one page shows: `section` and its subtree, in order, up to the page limits."""
    shown: list[Section] = []
    words = 0
    for node in section.walk():
        if shown and (words >= PAGE_MAX_WORDS or len(shown) >= PAGE_MAX_SECTIONS):
            break
        shown.append(node)
        words += len(node.markdown.split())
    return shown


def reading_minutes(words: int) -> int:
    return max(1, round(words / WORDS_PER_MINUTE))


def nice_date(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


def _link(section: Section, text: str | None = None) -> str:
    label = html.escape(text) if text is not None else section.title_html
    return f'<a href="section:{html.escape(section.key)}">{label}</a>'


def breadcrumb_html(section: Section) -> str:
    if not section.ancestors:
        return ""
    # Each title in its own direction; the line runs the way its first title does.
    crumbs = " › ".join(isolate(_link(s)) for s in section.ancestors)
    way = ' dir="rtl"' if is_rtl(section.ancestors[0].title) else ""
    return f'<p class="crumbs"{way}>{crumbs}</p>'


def title_block_html(section: Section) -> str:
    """Metadata under the briefing title: date, author, source, length, summary."""
    b = section.briefing
    if b is None or section.parent is not None:
        return ""
    words = word_count(section)
    bits = [nice_date(b.meta.date)]
    if b.meta.author:
        bits.append(f"by {isolate(html.escape(b.meta.author))}")
    if b.meta.version:
        bits.append(f"version {html.escape(b.meta.version)}")
    bits.append(f"{words:,} words · {reading_minutes(words)} min read")
    out = f'<p class="meta">{" · ".join(bits)}</p>'
    if b.meta.source:
        out += f'<p class="meta">Source: {isolate(html.escape(b.meta.source))}</p>'
    if b.meta.summary:
        out += f'<p class="summary">{html.escape(b.meta.summary)}</p>'
    return out


def article_html(
    section: Section, previous: Section | None = None, following: Section | None = None,
    shown: list[Section] | None = None,
) -> str:
    """The page for a section and its sub-sections (`shown`, default: all of them)."""
    body = render_section_html(section, nodes=shown)
    head, _, rest = body.partition("\n")  # the section's own heading comes first
    cut = shown is not None and len(shown) < sum(1 for _ in section.walk())
    nav = []
    if previous is not None:
        nav.append(f"← {isolate(_link(previous))}")
    if following is not None:
        nav.append(f"{'Continue' if cut else 'Next'}: {isolate(_link(following))} →")
    # The app's own words, left to right on every page; each title keeps its direction.
    nav_html = (
        f'<hr class="end"/><p class="nav" dir="ltr">{" &nbsp;&nbsp;|&nbsp;&nbsp; ".join(nav)}</p>'
        if nav else ""
    )
    return f"{breadcrumb_html(section)}{head}\n{title_block_html(section)}{rest}{nav_html}"
