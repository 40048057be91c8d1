"""Markdown rendering and sanitizing of raw HTML."""

from __future__ import annotations

from pathlib import Path

from reader.content import html_to_text, load_library, markdown_to_html, render_section_html, sanitize
from reader.content.page import article_html
from tests.conftest import write_briefing


def test_markdown_renders_tables_and_emphasis() -> None:
    html = markdown_to_html("Some *emphasis*.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<em>emphasis</em>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_script_tags_are_removed_with_their_content() -> None:
    html = markdown_to_html("Before\n\n<script>alert('x')</script>\n\nAfter")
    assert "script" not in html and "alert" not in html
    assert "Before" in html and "After" in html


def test_event_handlers_are_stripped() -> None:
    html = markdown_to_html('<p onclick="steal()" onmouseover="x()">Click</p>')
    assert "onclick" not in html and "onmouseover" not in html and "steal" not in html
    assert "Click" in html


def test_javascript_and_file_urls_are_dropped() -> None:
    html = markdown_to_html("[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.org)")
    assert "javascript:" not in html and "file:" not in html
    assert 'href="https://example.org"' in html


def test_remote_images_are_never_loaded() -> None:
    html = sanitize('<img src="http://tracker.example/p.gif" alt="x"><img src="//cdn.example/a.png">'
                    '<img src="images/local.png" alt="local">')
    assert "tracker" not in html and "cdn.example" not in html
    assert 'src="images/local.png"' in html


def test_internal_links_survive() -> None:
    html = markdown_to_html("[see](#deepening-ties) and [other](section:b/c)")
    assert 'href="#deepening-ties"' in html and 'href="section:b/c"' in html


def test_section_html_has_anchors_and_relative_heading_levels(tmp_path: Path) -> None:
    write_briefing(tmp_path, "t.md", "## A\nalpha\n### B\nbeta\n")
    lib = load_library([tmp_path])
    a = lib.find("a")
    html = render_section_html(a)
    assert '<h1 class="section-heading"><a name="a">A</a></h1>' in html
    assert '<h2 class="section-heading"><a name="b">B</a></h2>' in html
    assert html.index("alpha") < html.index("beta")


def test_page_has_breadcrumb_and_next_link(tmp_path: Path) -> None:
    write_briefing(tmp_path, "t.md", "## A\nalpha\n### B\nbeta\n## C\ngamma\n")
    lib = load_library([tmp_path])
    b = lib.find("b")
    page = article_html(b, lib.before(b), lib.after(b, skip_children=True))
    assert 'href="section:t/t">Test Briefing</a> › <a href="section:t/a">A</a>' in page
    assert 'Next: <a href="section:t/c">C</a>' in page


def test_plain_text_separates_paragraphs() -> None:
    assert html_to_text("<p>One <em>two</em></p><ul><li>three</li></ul>") == "One two\n\nthree"


def test_long_subtrees_are_split_into_pages(tmp_path: Path) -> None:
    from reader.content.page import PAGE_MAX_SECTIONS, page_sections

    body = "".join(f"## Part {i}\ntext {i}\n" for i in range(PAGE_MAX_SECTIONS + 20))
    write_briefing(tmp_path, "big.md", body)
    lib = load_library([tmp_path])
    root = lib.briefings[0].root
    shown = page_sections(root)
    assert len(shown) == PAGE_MAX_SECTIONS and shown[0] is root
    following = lib.after(shown[-1])
    page = article_html(root, None, following, shown)
    assert f'Continue: <a href="section:big/{following.id}">' in page
    assert f'name="part-{PAGE_MAX_SECTIONS - 2}"' in page  # the last heading on the page
    assert f'name="part-{PAGE_MAX_SECTIONS - 1}"' not in page  # the next page starts here
    small = lib.find("part-3")
    assert page_sections(small) == [small]
