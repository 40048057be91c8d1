"""Escaped plain text renders exactly its words: whatever a text file holds, Markdown must not
take any of it as markup (the text converter's paragraphs, merged headings)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.content.render import html_to_text, markdown_to_html
from reader.convert.model import escape_inline, escape_paragraph

# Printable characters of any script, Markdown's own punctuation weighted in
_MARKUP = "\\`*_{}[]()<>#+-.!|~:=&;^\"'/@$%?"
_CHARS = st.one_of(
    st.sampled_from(list(_MARKUP) + [" ", "\t", "1", "a", "x", "www.", "://", "&amp;", "&#35;",
                                     "[^1]", "*[", "!!!", "    ", "{#id}", "{: .c}", "```", "~~~"]),
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn")),
)
_LINE = st.lists(_CHARS, min_size=1, max_size=30).map("".join).filter(lambda s: s.strip() != "")


def normalised(text: str) -> str:
    return " ".join(text.split())


def rendered_text(markdown: str) -> str:
    return normalised(html_to_text(markdown_to_html(markdown)))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=4).map("\n".join))
@example("!!! note here")
@example("Term\n: definition")
@example("text {#some-id}")
@example("[x]: http://example.com")
@example("*[HTML]: Hyper Text")
@example("    indented code")
@example("```\ncode")
@example("a | b\n--|--")
@example("2) second")
@example("&copy; &#169; &#xA9;")
def test_escaped_paragraph_renders_its_words(text: str) -> None:
    assert rendered_text(escape_paragraph(text)) == normalised(text)


@pytest.mark.parametrize("text", ["<b>bold</b>", "*a* _b_ `c`", "[link](x)", "a ~~b~~ c", "&amp;"])
def test_escaped_inline_renders_its_words(text: str) -> None:
    assert rendered_text(escape_inline(text)) == normalised(text)
