"""EPUB -> briefing: the table of contents (EPUB 3 nav, else EPUB 2 NCX) as the tree, the OPF's
metadata, chapters split at their entries, images, tables, links between chapters, DRM refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.content.render import markdown_to_html
from reader.convert import ConvertError, convert_source
from tests.convert.docs import CHAPTERS, PNG, TOC, make_epub, written_ok

TREE = [("Chapter One", 1), ("Dams", 2), ("Rivers", 2), ("Chapter Two", 1), ("Demand", 2)]


@pytest.mark.parametrize("nav", ["epub3", "ncx"])
def test_tree_from_the_table_of_contents(tmp_path: Path, nav: str) -> None:
    c = convert_source(make_epub(tmp_path / "book.epub", nav=nav))
    assert c.format == "epub"
    assert [(p.title, p.level) for p in c.parts] == TREE
    assert (c.title, c.author, c.date, c.date_origin, c.language) == (
        "Water Book", "Ann Smith", "2024-05-06", "source", "fa")
    one, dams, rivers, two, demand = c.parts
    assert one.markdown == "First words."  # the chapter's own h1 is the entry, not repeated
    assert two.markdown == "Second words."
    # a spine document the contents do not list goes on with the part before it
    assert rivers.markdown.endswith("An interlude not in the table of contents.")
    # the contents list Demand under Chapter Two: its h3 stays text, not a part of its own
    assert "**Farms**\n\nFarms use most." in demand.markdown
    written_ok(c, tmp_path / "out")


def test_images_tables_links_and_literal_text(tmp_path: Path) -> None:
    c = convert_source(make_epub(tmp_path / "book.epub"))
    dams, rivers, demand = c.parts[1], c.parts[2], c.parts[4]
    assert {str(k): v for k, v in c.assets.items()} == {"images/fig1.png": PNG}
    assert "![Figure one](images/fig1.png)" in dams.markdown
    assert "Dams are [low](#demand)." in dams.markdown  # ch2.xhtml#s3 -> that part's id
    html = markdown_to_html(rivers.markdown)
    assert "<table>" in html and "<th>River</th>" in html and "<td>Karaj</td>" in html
    assert "Use less; 1. is not a list." in markdown_to_html(demand.markdown)
    path = written_ok(c, tmp_path / "out")
    assert (path.parent / "images" / "fig1.png").read_bytes() == PNG


def test_headings_deepen_a_chapter_the_contents_do_not_divide(tmp_path: Path) -> None:
    toc: list[object] = [("text/ch1.xhtml", "Chapter One", []), ("text/ch2.xhtml", "Chapter Two", [])]
    c = convert_source(make_epub(tmp_path / "book.epub", toc=toc))
    assert [(p.title, p.level) for p in c.parts] == [
        ("Chapter One", 1), ("Dams", 2), ("Rivers", 2), ("Chapter Two", 1), ("Demand", 2), ("Farms", 3)]
    written_ok(c, tmp_path / "out")


def test_no_table_of_contents_headings_make_the_tree(tmp_path: Path) -> None:
    c = convert_source(make_epub(tmp_path / "book.epub", nav="ncx", toc=[]))
    assert [(p.title, p.level) for p in c.parts] == [
        ("Chapter One", 1), ("Dams", 2), ("Rivers", 2), ("Chapter Two", 1), ("Demand", 2), ("Farms", 3)]
    assert any("no table of contents" in w for w in c.warnings)
    written_ok(c, tmp_path / "out")


def test_drm_is_refused(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "locked.epub", encrypted="http://www.w3.org/2001/04/xmlenc#aes128-cbc")
    with pytest.raises(ConvertError, match="protected by DRM") as err:
        convert_source(path)
    assert err.value.source == path
    # font obfuscation (IDPF) lists files in encryption.xml too, but the text is readable
    c = convert_source(make_epub(tmp_path / "fonts.epub", encrypted="http://www.idpf.org/2008/embedding"))
    assert [(p.title, p.level) for p in c.parts] == TREE


def test_a_book_without_its_package_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<container><rootfiles><rootfile full-path="nope.opf"/>'
                                             "</rootfiles></container>")
    with pytest.raises(ConvertError, match="names no package file"):
        convert_source(path)


def test_a_book_without_text_is_an_error(tmp_path: Path) -> None:
    path = make_epub(tmp_path / "empty.epub", chapters={"text/a.xhtml": ("A", "<p> </p>")}, toc=[])
    with pytest.raises(ConvertError, match="no text to convert"):
        convert_source(path)


def test_an_svg_cover_and_an_entry_to_nowhere(tmp_path: Path) -> None:
    cover = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
             '<image xlink:href="../images/fig1.png"/></svg>')
    chapters = {"text/cover.xhtml": ("Cover", cover), **CHAPTERS}
    toc = [*TOC, ("text/gone.xhtml", "Gone", [])]
    c = convert_source(make_epub(tmp_path / "b.epub", chapters=chapters, toc=toc))
    assert c.intro == "![](images/fig1.png)"  # the cover, before the first entry
    assert [p.title for p in c.parts] == [t for t, _ in TREE]
    assert c.warnings == ["1 table-of-contents entries point to no chapter of the book: Gone"]
    written_ok(c, tmp_path / "out")
