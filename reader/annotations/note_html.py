"""A note (Markdown, as the reader typed it) as sanitised HTML and as plain text.

Wherever a note is shown — a tooltip, the annotations panel, a search snippet, a print — it is
shown rendered, never as raw `**Markdown**`. Notes go through Python-Markdown and then the same
nh3 sanitiser as briefings (`reader.content.render.sanitize`), with two things stricter: raw HTML
in a note is shown as text, not parsed (a note is typed, not published, so `<b>` is more likely
an example than markup), and images become their alt text, so showing a note never loads a file
or reaches the network.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from reader.content.blocks import normalise_fences
from reader.content.render import html_to_text, limit_nesting, sanitize

if TYPE_CHECKING:
    import markdown

log = logging.getLogger(__name__)
_local = threading.local()  # Markdown instances are not thread-safe; printing runs in a worker
# An <img> Markdown wrote (a quoted attribute value may hold a '>'), and its alt text
_IMG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ALT = re.compile(r'\salt="([^"]*)"')
_PARAGRAPH_END = re.compile(r"</p>(\s*<p>)?")


def _parser() -> markdown.Markdown:
    """This thread's note parser: inline Markdown, lists, quotes, fences; raw HTML off."""
    md: markdown.Markdown | None = getattr(_local, "md", None)
    if md is None:
        import markdown
        from markdown.extensions import sane_lists
        from pymdownx import highlight, magiclink, superfences, tilde

        md = _local.md = markdown.Markdown(output_format="html", extensions=[
            # the extensions briefings use for these (reader.content.render), so a note and an
            # article read alike; tables, footnotes and admonitions are left to briefings
            superfences.SuperFencesCodeExtension(relaxed_headers=True),
            highlight.HighlightExtension(use_pygments=False, guess_lang=False),
            sane_lists.SaneListExtension(),
            tilde.DeleteSubExtension(subscript=False),
            magiclink.MagiclinkExtension(hide_protocol=False, repo_url_shortener=False),
        ])
        # Python-Markdown's documented way to leave raw HTML unparsed: it is escaped as text
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return md


def _alt_text(m: re.Match[str]) -> str:
    alt = _ALT.search(m.group(0))
    return alt.group(1) if alt else ""  # escaped already by Markdown


@lru_cache(maxsize=4096)
def note_html(note: str) -> str:
    """The note rendered to sanitised HTML (block level: paragraphs, lists...); "" for none.

    Never raises: a note Markdown cannot handle is shown escaped, as written."""
    text = note.strip()
    if not text:
        return ""
    md = _parser()
    md.reset()
    try:
        # briefings' nesting limit: 1,000 nested list items in a note took 9 s before
        # overflowing the stack
        rendered = md.convert(normalise_fences(limit_nesting(text)))
    except (RecursionError, ValueError, IndexError, KeyError, AttributeError):
        log.exception("cannot render a note of %d characters", len(text))
        md.reset()
        return "<p>" + html.escape(text).replace("\n", "<br/>") + "</p>"
    # Images to alt text before sanitising: every <img> here is Markdown's (raw HTML is off),
    # and nh3 would drop a remote image's alt text with the image.
    return sanitize(_IMG.sub(_alt_text, rendered)).strip()


def note_inline_html(note: str) -> str:
    """The note's HTML to put inside one paragraph (a printed note line): no <p> of its own (Qt
    would end the line's paragraph there), a line break between two of its paragraphs; other
    blocks (lists, code) kept as they are."""
    out = _PARAGRAPH_END.sub(lambda m: "<br/>" if m.group(1) else "", note_html(note))
    return out.replace("<p>", "")


@lru_cache(maxsize=4096)
def note_text(note: str, one_line: bool = True) -> str:
    """The rendered note's plain text (no Markdown syntax): whitespace collapsed to single
    spaces for one-line labels and search, or with its line breaks when `one_line` is False."""
    text = html_to_text(note_html(note))
    return " ".join(text.split()) if one_line else text
