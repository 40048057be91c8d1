"""DOCX -> briefing through mammoth: headings as the tree, the Title paragraph and core
properties as metadata, lists, a table, an image into the assets, a footnote as a Markdown
footnote, mammoth's messages as warnings."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.content.render import markdown_to_html
from reader.convert import ConvertError, convert_source
from reader.convert.docx import _summary
from tests.convert.docs import ENDNOTE_REF, LINK, PNG, _p, make_docx, written_ok


def test_tree_and_metadata(tmp_path: Path) -> None:
    c = convert_source(make_docx(tmp_path / "report.docx"))
    assert c.format == "docx"
    assert [(p.title, p.level) for p in c.parts] == [("Supply", 1), ("Rainfall", 2), ("Demand", 1)]
    assert (c.title, c.author, c.date, c.date_origin, c.language) == (
        "Water Report", "Ann Smith", "2025-03-04", "source", "en")
    assert c.intro == "Opening words before any heading."  # the Title paragraph is not repeated
    assert c.warnings == []
    written_ok(c, tmp_path / "out")


def test_title_paragraph_when_core_has_none(tmp_path: Path) -> None:
    c = convert_source(make_docx(tmp_path / "r.docx", title=""))
    # the Title-styled paragraph (make_docx writes the same `title` there: empty too) -> first h1
    assert c.title == "Water Report" or c.title == "r"
    body = _p("Styled Title", "Title") + _p("Only", "Heading1") + _p("Text.")
    c = convert_source(make_docx(tmp_path / "s.docx", body, title=""))
    assert c.title == "Styled Title"
    assert [(p.title, p.level) for p in c.parts] == [("Only", 1)]
    c = convert_source(make_docx(tmp_path / "t.docx", _p("Lone", "Heading1") + _p("Text."), title=""))
    assert (c.title, c.parts, c.intro) == ("Lone", [], "Text.")  # a lone first Heading 1 is the title


def test_lists_table_and_literal_text(tmp_path: Path) -> None:
    c = convert_source(make_docx(tmp_path / "report.docx"))
    rainfall, demand = c.parts[1], c.parts[2]
    html = markdown_to_html(rainfall.markdown)
    assert "<li>first point<ul>\n<li>nested point</li>" in html
    assert "<ol>\n<li>step one</li>\n<li>step two</li>\n</ol>" in html
    assert "<table>" in html and "<th>Dam</th>" in html and "<td>Karaj</td>" in html
    html = markdown_to_html(demand.markdown)
    assert "Use *less* water; 1. is not a list." in html and "<em>" not in html


def test_image_into_assets(tmp_path: Path) -> None:
    c = convert_source(make_docx(tmp_path / "report.docx"))
    assert {str(k): v for k, v in c.assets.items()} == {"images/image1.png": PNG}
    assert "![Figure one](images/image1.png)" in c.parts[2].markdown
    assert "data:" not in c.parts[2].markdown
    path = written_ok(c, tmp_path / "out")
    assert (path.parent / "images" / "image1.png").read_bytes() == PNG
    assert 'src="images/image1.png"' in markdown_to_html(c.parts[2].markdown)


def test_footnote_in_the_section_that_cites_it(tmp_path: Path) -> None:
    c = convert_source(make_docx(tmp_path / "report.docx"))
    supply = c.parts[0].markdown
    assert supply.startswith("Dams are low.[^1]")
    assert "[^1]: Measured in May 2024" in supply
    assert "Measured" not in c.parts[2].markdown and "↑" not in supply
    html = markdown_to_html(supply)
    assert 'class="footnote"' in html and "Measured in May 2024." in html


def test_unmapped_styles_are_one_warning(tmp_path: Path) -> None:
    body = _p("Box one", "FancyBox") + _p("Box two", "FancyBox") + _p("Other", "Fancy") \
        + _p("Said once.", "IntenseQuote") + _p("Aside.", "ListParagraph")
    styles = (("FancyBox", "Fancy Box"), ("IntenseQuote", "Intense Quote"),
              ("ListParagraph", "List Paragraph"))
    c = convert_source(make_docx(tmp_path / "s.docx", body, styles=styles))
    assert c.warnings == ["styles without a Markdown equivalent, kept as plain paragraphs: "
                          "Fancy, Fancy Box (Style ID: FancyBox)"]
    assert c.intro == "Box one\n\nBox two\n\nOther\n\n> Said once.\n\nAside."  # Word's quotes quoted


def test_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(ConvertError, match="not a DOCX file"):
        convert_source(fake)


def test_damaged_docx(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx").read_bytes()
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(ConvertError) as err:
        convert_source(bad)
    assert err.value.source == bad and "damaged" in err.value.reason


def test_endnote_and_external_link(tmp_path: Path) -> None:
    body = _p("Notes", "Heading1") + f'<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r>{LINK}' \
        f"<w:r><w:t>.</w:t></w:r>{ENDNOTE_REF}</w:p>"
    c = convert_source(make_docx(tmp_path / "n.docx", body))
    assert c.parts[0].markdown == "See [the site](https://example.org/water).[^e2]\n\n[^e2]: An endnote."
    assert '<a href="https://example.org/water">the site</a>' in markdown_to_html(c.parts[0].markdown)
    written_ok(c, tmp_path / "out")


def test_other_messages_are_counted_once() -> None:
    class Message:
        def __init__(self, message: str) -> None:
            self.message = message

    emf = "Image of type image/x-emf is unlikely to display in web browsers"
    assert _summary([Message(emf), Message(emf), Message("Unrecognised run style: Shout (Style ID: S)")]) == [
        f"{emf} (2x)", "styles without a Markdown equivalent, kept as plain paragraphs: Shout (Style ID: S)"]


def test_links_to_bookmarks_go_to_their_section(tmp_path: Path) -> None:
    toc = '<w:p><w:hyperlink w:anchor="_Toc2"><w:r><w:t>Go to demand</w:t></w:r></w:hyperlink></w:p>'
    demand = ('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="0" w:name="_Toc2"/>'
              '<w:r><w:t>Demand</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>')
    body = toc + _p("Supply", "Heading1") + _p("Low.") + demand + _p("High.")
    c = convert_source(make_docx(tmp_path / "toc.docx", body))
    assert [p.title for p in c.parts] == ["Supply", "Demand"]
    assert c.intro == "[Go to demand](#demand)"
    written_ok(c, tmp_path / "out")


def test_a_document_without_text_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConvertError, match="no text to convert"):
        convert_source(make_docx(tmp_path / "empty.docx", _p(" ")))


def test_damaged_members(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    data = bytearray(good.read_bytes())
    data[data.index(b"word/document.xml") + 40] ^= 0xFF  # inside its deflated bytes
    bad = tmp_path / "bits.docx"
    bad.write_bytes(bytes(data))
    with pytest.raises(ConvertError, match=r"the archive is damaged \(word/document.xml: "):
        convert_source(bad)
    broken = tmp_path / "xml.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as z:
        for name in src.namelist():
            z.writestr(name, b"<w:document><w:body>" if name == "word/document.xml" else src.read(name))
    with pytest.raises(ConvertError, match="the DOCX file is damaged or not supported"):
        convert_source(broken)


def test_entity_expansion_in_the_document_is_refused(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    laughs = tmp_path / "laughs.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(laughs, "w") as z:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = data.replace(b"<w:document", b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><w:document', 1)
            z.writestr(name, data)
    with pytest.raises(ConvertError, match="word/document.xml declares XML entities") as err:
        convert_source(laughs)
    assert err.value.source == laughs
