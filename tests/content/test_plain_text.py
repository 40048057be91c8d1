"""The plain text of rendered HTML (what search indexes and annotations anchor to) is exactly
what html.parser made of it before the faster tag scanner: on the fixture corpus, the shipped
briefing and generated Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.content import html_to_text, load_library, markdown_to_html
from reader.content.render import TEXT_BLOCKS, section_body_html
from tests.conftest import SEED

CORPORA = [Path(__file__).with_name("fixtures") / "constructs", SEED]


class Reference(HTMLParser):
    """html_to_text as it was, on Python's own HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in TEXT_BLOCKS or tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in TEXT_BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def reference(fragment: str) -> str:
    parser = Reference()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    paragraphs = [re.sub(r"[ \t]*\n[ \t]*", "\n", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def test_the_corpora_give_the_same_text() -> None:
    sections = [s for folder in CORPORA for s in load_library([folder]).sections()]
    assert len(sections) > 20
    for s in sections:
        fragment = section_body_html(s)
        assert html_to_text(fragment) == reference(fragment), s.key


PIECES = ["# Head", "para *em* **strong** `co<de>`", "a & b &amp; &lt;x&gt; &#169; &nbsp;",
          "| a | b |\n|---|---|\n| 1 | 2 |", "- one\n- two\n\n1. x", "> quote\n> more",
          "```\nfenced <b>\n```", "line  \nbreak", "***", '[link](http://x.org "t > u")',
          "<div markdown=1>raw *html*</div>", "Term\n:   definition", "x[^1]\n\n[^1]: note",
          "<br/> <hr/> <img src=a.png alt='a > b'>", "\t tab\tbed ", "ü é ё ی"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=8))
def test_generated_markdown_gives_the_same_text(pieces: list[str]) -> None:
    fragment = markdown_to_html("\n\n".join(pieces))
    assert html_to_text(fragment) == reference(fragment)
