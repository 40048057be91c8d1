"""Real-world Markdown (issue 16) on the fixture corpus tests/content/fixtures/constructs: the
section tree, titles, rendered HTML and plain text, definitions across sections, and the
splitter agreeing with the renderer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.content import html_to_text, load_library, markdown_to_html, parse_briefing
from reader.content.blocks import BLOCK_TAGS
from reader.content.model import Section
from reader.content.render import heading_html, section_body_html, section_plain_text
from tests.conftest import ROOT, write_briefing

CORPUS = Path(__file__).with_name("fixtures") / "constructs"
TREE = [
    (0, "constructs", "Real-World Markdown"),
    (1, "fences", "Fences With Info Strings"),
    (1, "nested-fences", "Fences In Lists And Quotes"),
    (1, "the-box-t-type", "The Box<T> Type"),
    (1, "get-certificate", "Get-Certificate"),
    (1, "emphasis-heading", "Emphasis, Strong and Struck Headings"),
    (1, "raw-html", "Raw HTML"),
    (1, "tables", "Tables"),
    (1, "lists", "Lists"),
    (1, "admonitions", "Admonitions And Alerts"),
    (1, "images", "Images"),
    (1, "long-lines", "Long Lines"),
    (1, "экономика-и-санкции", "Экономика и санкции"),
    (1, "الاقتصاد-والعقوبات", "الاقتصاد والعقوبات"),
    (1, "references", "References"),
]


@pytest.fixture(scope="module")
def corpus():
    library = load_library([CORPUS])
    assert library.problems == []
    return library.briefings[0]


def html_of(briefing, section_id: str) -> str:
    return section_body_html(briefing.section(section_id))


def outside_code(fragment: str) -> str:
    return re.sub(r"<pre.*?</pre>", "", fragment, flags=re.DOTALL)


def test_the_section_tree(corpus) -> None:
    assert [(s.depth, s.id, s.title) for s in corpus.sections()] == TREE


def test_headings_in_code_comments_and_html_are_not_sections(corpus) -> None:
    titles = " ".join(s.title for s in corpus.sections())
    assert "Not a heading" not in titles and "not a heading" not in titles
    assert "# Not a heading: inside a raw HTML block" in corpus.section("raw-html").markdown


def test_the_splitter_agrees_with_the_renderer(corpus) -> None:
    """The whole briefing rendered at once has exactly the headings the splitter made sections."""
    text = CORPUS.joinpath("briefing.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    whole = markdown_to_html(body)
    headings = [html_to_text(h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", whole)]
    assert headings == [t for _, _, t in TREE]


def test_block_tags_are_python_markdowns() -> None:
    import markdown

    assert set(markdown.Markdown().block_level_elements) - {"hr"} == BLOCK_TAGS


def test_fences_with_info_strings_close_and_keep_their_info(corpus) -> None:
    fences = html_of(corpus, "fences")
    assert '<code class="language-rust" data-info="ignore">' in fences
    assert '<code class="language-js" data-info="run">' in fences
    assert "<code class=\"language-python\" data-info=\"title='example.py'\">" in fences
    for prose in ("Prose after the first fence stays prose.", "Prose after the nested fence"):
        assert f"<p>{prose}" in fences
    assert "```" not in outside_code(fences) and "~~~" not in outside_code(fences)
    assert "```rust\n## not a heading inside a four-backtick fence\n```" in fences


def test_fences_in_list_items_and_block_quotes(corpus) -> None:
    nested = html_of(corpus, "nested-fences")
    assert re.search(r"<li>\s*<p>Build it:</p>\s*<pre[^>]*><code class=\"language-sh\">cargo build",
                     nested)
    assert '<code class="language-sh" data-info="linux">./target/release/app' in nested
    assert re.search(r"<blockquote>.*<pre[^>]*><code class=\"language-toml\">\[package\]", nested,
                     re.DOTALL)
    assert "```" not in nested and "<p>Closing sentence of the list section.</p>" in nested


def test_output_is_the_same_without_pygments(corpus) -> None:
    """The frozen app ships no Pygments; with it installed the HTML must not change."""
    script = (
        "import sys; sys.modules['pygments'] = None\n"
        "from pathlib import Path\n"
        "from reader.content import load_library\n"
        "from reader.content.render import section_body_html\n"
        f"lib = load_library([Path({str(CORPUS)!r})])\n"
        "sys.stdout.write(section_body_html(lib.briefings[0].section('fences')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    import pygments  # noqa: F401 - installed here, as on a developer's machine

    assert done.stdout == html_of(corpus, "fences")
    assert "<span" not in html_of(corpus, "fences")  # never highlighted


def test_reference_links_and_footnotes_resolve_across_sections(corpus) -> None:
    root = html_of(corpus, "constructs")
    assert ('<a href="https://doc.rust-lang.org/book/" title="The Rust Programming Language">'
            "Rust book</a>") in root
    assert '<a href="https://example.org/guide">guide</a>' in root
    assert 'class="footnote-ref"' in root and "The corpus was written for issue 16." in root
    russian = html_of(corpus, "экономика-и-санкции")
    assert '<a href="https://example.org/guide">руководство</a>' in russian
    arabic = section_plain_text(corpus.section("الاقتصاد-والعقوبات"))
    assert "The corpus was written for issue 16. Its second line is indented." in " ".join(arabic.split())
    # where the footnote is written, it does not show: it belongs to the sections citing it
    assert "issue 16" not in section_plain_text(corpus.section("references"))
    assert "[book]" not in section_plain_text(corpus.root) and "[^origin]" not in root


def test_comments_never_show(corpus) -> None:
    root = html_of(corpus, "constructs")
    assert "<!--" not in root and "editor's note" not in section_plain_text(corpus.root)
    assert "<!--" not in section_plain_text(corpus.root)


def test_titles_are_plain_text_with_an_inline_html_twin(corpus) -> None:
    box = corpus.section("the-box-t-type")
    assert box.title == "The Box<T> Type"
    assert box.title_html == "The <code>Box&lt;T&gt;</code> Type"
    assert box.heading == "The `Box<T>` Type"
    cert = corpus.section("get-certificate")
    assert (cert.title, cert.title_html) == ("Get-Certificate", "Get-Certificate")
    emph = corpus.section("emphasis-heading")
    assert emph.title_html == "<em>Emphasis</em>, <strong>Strong</strong> and <del>Struck</del> Headings"
    plain = corpus.section("tables")
    assert (plain.title, plain.title_html, plain.heading) == ("Tables", "Tables", "Tables")
    assert heading_html(box, 2) == ('<h2 class="section-heading"><a name="the-box-t-type">The '
                                    '<code>Box&lt;T&gt;</code> Type</a></h2>')


def test_a_constructed_section_escapes_its_title() -> None:
    s = Section(id="x", title="Removed: <b> & co", level=2)
    assert s.title_html == "Removed: &lt;b&gt; &amp; co" and s.heading == s.title


def test_emphasis_strikethrough_and_bare_urls(corpus) -> None:
    body = html_of(corpus, "emphasis-heading")
    assert "snake_case_name" in body and "a_b_c" in body and "2 * 3 * 4" in body
    assert "<strong>bold</strong>" in body and "<strong><em>both</em></strong>" in body
    assert "intra<strong>word</strong>bold" in body and "<del>removed</del>" in body
    assert '<a href="https://example.org/docs?page=1">https://example.org/docs?page=1</a>' in body
    assert '<a href="http://www.example.com">www.example.com</a>' in body


def test_tables_lists_and_admonitions(corpus) -> None:
    tables = html_of(corpus, "tables")
    assert tables.startswith('<div class="table-wrap"><table>') and tables.endswith("</table></div>")
    lists = html_of(corpus, "lists")
    assert "\u2610 an open task" in lists and "\u2611 a finished task" in lists
    assert re.search(r"<li>Inner item<ul>\s*<li>Innermost item</li>", lists)
    assert "<dt>Term</dt>\n<dd>Its definition.</dd>" in lists
    assert '<abbr title="Hyper Text Markup Language">HTML</abbr>' in lists
    notes = html_of(corpus, "admonitions")
    assert '<div class="admonition note">\n<p class="admonition-title">Heads up</p>' in notes
    assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in notes
    assert "[!WARNING]" not in notes and "<blockquote>\n<p>A plain quotation" in notes
    raw = html_of(corpus, "raw-html")
    assert '<div class="callout">' in raw and "<p>Raw paragraph.</p>" in raw


def test_no_stray_fence_markers_anywhere(corpus) -> None:
    for section in corpus.sections():
        assert "```" not in outside_code(section_body_html(section)), section.id


def ids_of(tmp_path: Path, name: str, body: str) -> dict[str, str]:
    b, problems = parse_briefing(write_briefing(tmp_path, name, body))
    assert b is not None and problems == []
    return {s.title: s.id for s in b.sections() if s.parent is not None}


@pytest.mark.parametrize("headings,inserted", [
    (["Economy & Sanctions", "Military Ties", "Outlook"], "Breaking News"),
    (["Экономика и санкции", "Военное сотрудничество", "Прогноз"], "Срочные новости"),
    (["الاقتصاد والعقوبات", "التعاون العسكري", "التوقعات"], "أخبار عاجلة"),
])
def test_ids_stay_when_a_heading_is_inserted_before(tmp_path: Path, headings, inserted) -> None:
    body = "".join(f"## {h}\ntext\n" for h in headings)
    before = ids_of(tmp_path, "a.md", body)
    after = ids_of(tmp_path, "b.md", f"## {inserted}\nnew\n{body}")
    assert all(before[h] == after[h] for h in headings)
    assert len(set(after.values())) == 4 and not any(i.startswith("section") for i in after.values())


def test_latin_ids_are_as_before(tmp_path: Path) -> None:
    ids = ids_of(tmp_path, "a.md", "## Économie & Sanctions\n## Iran\n### Overview\n## Russia\n"
                                  "### Overview\n## ???\n## 2026 Outlook\n")
    assert ids == {"Économie & Sanctions": "economie-sanctions", "Iran": "iran",
                   "Overview": "russia--overview", "Russia": "russia", "???": "section",
                   "2026 Outlook": "2026-outlook"}


def test_old_placeholder_ids_are_known(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "a.md",
                                         "## Экономика\n## Latin\n### Прогноз\n### Прогноз\n"))
    assert b is not None
    assert [s.id for s in b.sections()][1:] == ["экономика", "latin", "latin--прогноз",
                                                "latin--прогноз-2"]
    assert b.legacy_ids == {"a--section": "экономика", "latin--section": "latin--прогноз",
                            "latin--section-2": "latin--прогноз-2"}


def test_an_unclosed_fence_is_text_and_does_not_swallow_headings(tmp_path: Path) -> None:
    body = "## A\n~~~python\nx = 1\n\n## B\n```sh\n# a comment\n```\n"
    b, _ = parse_briefing(write_briefing(tmp_path, "t.md", body))
    assert b is not None and [s.title for s in b.sections()][1:] == ["A", "B"]
    a = section_body_html(b.section("a"))
    assert "<p>~~~python\nx = 1</p>" in a and "<pre" not in a
    assert '<code class="language-sh"># a comment</code>' in section_body_html(b.section("b"))


def test_editing_a_definition_changes_only_the_sections_using_it(tmp_path: Path) -> None:
    body = "## Uses\nSee [the guide][g].\n## Plain\nNothing.\n## Refs\n[g]: https://a.example/\n"
    first = load_library([_write(tmp_path / "one", body)]).briefings[0]
    second = load_library([_write(tmp_path / "two", body.replace("a.example", "b.example"))]).briefings[0]
    for sid, changed in (("uses", True), ("plain", False), ("refs", True)):
        old, new = first.section(sid), second.section(sid)
        assert (old.fingerprint != new.fingerprint) is changed, sid
        assert (old.source != new.source) is changed, sid
    assert 'href="https://b.example/"' in section_body_html(second.section("uses"))


def test_a_section_without_definitions_keeps_its_fingerprint(tmp_path: Path) -> None:
    from reader.content.hashing import fingerprint

    b = load_library([_write(tmp_path / "c", "## Plain Section\nNothing here.\n")]).briefings[0]
    s = b.section("plain-section")
    assert s.fingerprint == fingerprint(f"{s.heading}\n{s.markdown}".encode())


def _write(folder: Path, body: str) -> Path:
    write_briefing(folder, "b.md", body)
    return folder


def test_a_parser_without_the_untriggered_extensions_renders_the_same(corpus) -> None:
    """render.OPTIONAL: a text lacking an extension's triggers gets a parser without it; on
    every section (and each paragraph alone) the HTML equals the full parser's."""
    from reader.content import render

    full = render._markdown(frozenset(render.OPTIONAL))
    texts = [s.source for s in corpus.sections()]
    texts += [p for t in texts for p in t.split("\n\n") if p.strip()]
    for text in texts:
        prepared = render.normalise_fences(text)
        full.reset()
        expected = full.convert(prepared)
        chosen = render._markdown(render.features(prepared))
        chosen.reset()
        assert chosen.convert(prepared) == expected, text
    assert render.features("plain words only") == frozenset()


SETEXT = """Setext Title
============

Intro.

First Part
----------
Text of the first part.

## Second {#второй}
Straight After A Heading
------------------------
Body.

Two lines
of paragraph
---

A line before a rule

---

    Indented code
    -------------
"""


def test_setext_headings_are_sections_as_the_renderer_reads_them(tmp_path: Path) -> None:
    b, problems = parse_briefing(write_briefing(tmp_path, "setext.md", SETEXT, title="Setext"))
    assert b is not None and problems == []
    sections = list(b.sections())
    assert [(s.level, s.id, s.title) for s in sections][1:] == [
        (2, "first-part", "First Part"), (2, "второй", "Second"),
        (2, "straight-after-a-heading", "Straight After A Heading")]
    assert b.root.line == 5 and sections[1].line == 10  # the heading's text line
    whole = markdown_to_html(SETEXT)
    headings = [html_to_text(h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", whole)]
    assert headings == ["Setext Title", "First Part", "Second", "Straight After A Heading"]
    last = b.section("straight-after-a-heading").markdown
    assert "Two lines\nof paragraph\n---" in last and "Indented code" in last


def test_ids_in_any_script_may_be_given(tmp_path: Path) -> None:
    b, problems = parse_briefing(write_briefing(
        tmp_path, "a.md", "## Экономика {#экономика-2026}\n## الاقتصاد {#اقتصاد}\n", id="обзор"))
    assert problems == [] and b is not None
    assert b.id == "обзор" and [s.id for s in b.sections()][1:] == ["экономика-2026", "اقتصاد"]


def test_briefings_named_in_other_scripts_keep_apart(tmp_path: Path) -> None:
    write_briefing(tmp_path / "c", "экономика.md", "## Один\nтекст\n", title="Экономика")
    write_briefing(tmp_path / "c", "санкции.md", "## Два\nтекст\n", title="Санкции")
    write_briefing(tmp_path / "c", "iran-russia.md", "## Three\ntext\n", title="Latin")
    library = load_library([tmp_path / "c"])
    assert sorted(b.id for b in library.briefings) == ["iran-russia", "санкции", "экономика"]
    assert not library.older  # not taken for two versions of one briefing
