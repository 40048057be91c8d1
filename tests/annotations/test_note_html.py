"""Notes are Markdown: rendered to sanitised HTML and to plain text wherever they are shown."""

from __future__ import annotations

import pytest

from reader.annotations.note_html import note_html, note_inline_html, note_text

NOTE = "**revisionist** and _x_"


def test_bold_and_italic_are_rendered() -> None:
    assert note_html(NOTE) == "<p><strong>revisionist</strong> and <em>x</em></p>"
    assert note_text(NOTE) == "revisionist and x"


def test_lists_code_and_strikethrough_render_as_in_briefings() -> None:
    out = note_html("Ask:\n\n- the *desk*\n- `ruble` ~~rates~~\n\n```\na < b\n```")
    assert "<li>the <em>desk</em></li>" in out
    assert "<code>ruble</code> <del>rates</del>" in out
    assert "<pre" in out and "a &lt; b" in out
    assert note_text("- one\n- two\n\nthree") == "one two three"
    assert note_text("one\n\ntwo", one_line=False) == "one\n\ntwo"


@pytest.mark.parametrize("note", [
    "<script>alert(1)</script> hi",
    "<img src=x onerror=alert(1)>",
    '<div onclick="alert(1)">x</div>',
    "<b>not bold</b>",
])
def test_raw_html_in_a_note_is_text_not_markup(note: str) -> None:
    out = note_html(note)
    assert "<script" not in out and "<img" not in out and "<div" not in out and "<b>" not in out
    assert "&lt;" in out  # shown as the characters typed
    assert note_text(note) == note.strip()


def test_links_keep_only_safe_targets() -> None:
    out = note_html("[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.org) "
                    "[d](section:iran-russia/energy)")
    assert "javascript" not in out and "file:" not in out
    assert '<a href="https://example.org">c</a>' in out
    assert '<a href="section:iran-russia/energy">d</a>' in out
    assert note_text("[a](javascript:alert(1)) and <https://example.org>") == (
        "a and https://example.org")


def test_images_become_their_alt_text_and_are_never_loaded() -> None:
    out = note_html('See ![the "map" > here](https://example.org/m.png) and ![chart](chart.png)')
    assert "<img" not in out and "src=" not in out
    assert note_text('See ![the "map" > here](https://example.org/m.png) and ![chart](chart.png)') == (
        'See the "map" > here and chart')


def test_inline_html_has_no_paragraph_of_its_own() -> None:
    assert note_inline_html(NOTE) == "<strong>revisionist</strong> and <em>x</em>"
    assert note_inline_html("one\n\n**two**") == "one<br/><strong>two</strong>"
    assert "<p>" not in note_inline_html("- a\n- b\n\nc") and "<li>a</li>" in note_inline_html("- a\n- b")
    assert note_inline_html("") == ""


@pytest.mark.parametrize("note", [
    "", "   \n ", "[" * 5000, "*" * 5000, "_a_" * 3000, ">" * 3000 + " deep", "```\nunclosed",
    "<" * 1000, "\x00\ufffd", "[x]: <>\n[x]", "&#xD800; &bogus; &amp", "| a |\n|---|\n| b |",
])
def test_malformed_notes_never_raise(note: str) -> None:
    out, text = note_html(note), note_text(note)
    assert isinstance(out, str) and isinstance(text, str)
    assert "<script" not in out


def test_absurd_nesting_is_flattened_as_in_briefings() -> None:
    # 1,000 nested items: Python-Markdown took 9 s and then overflowed the stack
    out = note_html("\n".join("  " * i + "- x" for i in range(1000)))
    assert 2 <= out.count("<ul>") <= 20 and "<li>x" in out
