"""Builders of real, minimal documents for the converter tests (HTML pages, DOCX, EPUB), and the
check every converted briefing must pass: written, it parses without problems."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from reader.content.parser import parse_briefing
from reader.convert import Converted

# a real 1x1 PNG (the reader's image code may look at it)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f80f0000010101002718e3660000000049454e44ae426082")


def written_ok(c: Converted, out: Path) -> Path:
    """Write `c` into `out`; assert the content parser takes it without a problem."""
    path = c.write(out)
    briefing, problems = parse_briefing(path)
    assert briefing is not None and problems == [], [str(p) for p in problems]
    for rel, data in c.assets.items():
        assert (path.parent / rel).read_bytes() == data
    return path


# ---- DOCX ------------------------------------------------------------------------------------
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _p(text: str, style: str = "", num: tuple[int, int] | None = None, extra: str = "") -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>{extra}</w:p>'


def _cell(text: str) -> str:
    return f"<w:tc>{_p(text)}</w:tc>"


IMAGE_RUN = """<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>
<wp:docPr id="1" name="Picture 1" descr="{alt}"/>
<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="fig1.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="rIdImg1"/></pic:blipFill><pic:spPr/></pic:pic>
</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"""

ENDNOTE_REF = '<w:r><w:endnoteReference w:id="2"/></w:r>'
LINK = '<w:hyperlink r:id="rIdLink"><w:r><w:t>the site</w:t></w:r></w:hyperlink>'
FOOTNOTE_REF = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                '<w:footnoteReference w:id="1"/></w:r>')


def docx_body(title: str = "Water Report") -> str:
    """The default document: a title, headings, a list, a table, an image, a footnote."""
    return "".join([
        _p(title, "Title"),
        _p("Opening words before any heading."),
        _p("Supply", "Heading1"),
        _p("Dams are low.", extra=FOOTNOTE_REF),
        _p("Rainfall", "Heading2"),
        _p("first point", num=(1, 0)),
        _p("nested point", num=(1, 1)),
        _p("second point", num=(1, 0)),
        _p("step one", num=(2, 0)),
        _p("step two", num=(2, 0)),
        "<w:tbl><w:tr>" + _cell("Dam") + _cell("Level") + "</w:tr><w:tr>" + _cell("Karaj")
        + _cell("40%") + "</w:tr></w:tbl>",
        _p("Demand", "Heading1"),
        f'<w:p>{IMAGE_RUN.format(alt="Figure one")}</w:p>',
        _p("Use *less* water; 1. is not a list."),
    ])


def make_docx(path: Path, body: str | None = None, *, title: str = "Water Report",
              author: str = "Ann Smith", created: str = "2025-03-04T09:00:00Z",
              language: str = "en-GB", image: bytes = PNG,
              styles: tuple[tuple[str, str], ...] = ()) -> Path:
    """A real minimal DOCX, written with zipfile: styles, numbering, an image, a footnote,
    core properties."""
    ns = (f'xmlns:w="{W}" xmlns:r="{R}" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ns}><w:body>' \
               f'{docx_body(title) if body is None else body}<w:sectPr/></w:body></w:document>'
    styles = f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">' + "".join(
        f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
        for sid, name in [("Title", "Title"), ("Heading1", "heading 1"), ("Heading2", "heading 2"),
                          ("Heading3", "heading 3"), *styles]) + \
        '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>' \
        "</w:style></w:styles>"
    numbering = f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">' \
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>' \
        '<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>' \
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>' \
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' \
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    footnotes = f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">' \
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>' \
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>' \
        '</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Measured in May 2024.</w:t>' \
        "</w:r></w:p></w:footnote></w:footnotes>"
    endnotes = f'<?xml version="1.0" encoding="UTF-8"?><w:endnotes xmlns:w="{W}">' \
        '<w:endnote w:id="2"><w:p><w:r><w:t>An endnote.</w:t></w:r></w:p></w:endnote></w:endnotes>'
    core = '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties ' \
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' \
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' \
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' \
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>" \
        f"<dc:language>{language}</dc:language>" \
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created></cp:coreProperties>'
    content_types = '<?xml version="1.0" encoding="UTF-8"?><Types ' \
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' \
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' \
        '<Default Extension="xml" ContentType="application/xml"/>' \
        '<Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ' \
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' \
        "</Types>"
    rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">' \
        f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>' \
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/' \
        'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    doc_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">' \
        f'<Relationship Id="rIdStyles" Type="{DOC_REL}/styles" Target="styles.xml"/>' \
        f'<Relationship Id="rIdNum" Type="{DOC_REL}/numbering" Target="numbering.xml"/>' \
        f'<Relationship Id="rIdFoot" Type="{DOC_REL}/footnotes" Target="footnotes.xml"/>' \
        f'<Relationship Id="rIdEnd" Type="{DOC_REL}/endnotes" Target="endnotes.xml"/>' \
        f'<Relationship Id="rIdLink" Type="{DOC_REL}/hyperlink" Target="https://example.org/water" ' \
        'TargetMode="External"/>' \
        f'<Relationship Id="rIdImg1" Type="{DOC_REL}/image" Target="media/image1.png"/></Relationships>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", doc_rels)
        z.writestr("word/styles.xml", styles)
        z.writestr("word/numbering.xml", numbering)
        z.writestr("word/footnotes.xml", footnotes)
        z.writestr("word/endnotes.xml", endnotes)
        z.writestr("word/media/image1.png", image)
        z.writestr("docProps/core.xml", core)
    return path


# ---- EPUB ------------------------------------------------------------------------------------
XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
         'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head>'
         "<body>{body}</body></html>")

CHAPTERS = {
    "text/ch1.xhtml": ("Chapter One", '<h1>Chapter One</h1><p>First words.</p>'
                       '<h2 id="s1">Dams</h2><p>Dams are <a href="ch2.xhtml#s3">low</a>.</p>'
                       '<p><img src="../images/fig1.png" alt="Figure one"/></p>'
                       '<h2 id="s2">Rivers</h2><table><tr><th>River</th><th>Flow</th></tr>'
                       "<tr><td>Karaj</td><td>12</td></tr></table>"),
    "text/interlude.xhtml": ("Interlude", "<p>An interlude not in the table of contents.</p>"),
    "text/ch2.xhtml": ("Chapter Two", '<h1>Chapter Two</h1><p>Second words.</p>'
                       '<h2><a id="s3"></a>Demand</h2><p>Use less; 1. is not a list.</p>'
                       '<h3>Farms</h3><p>Farms use most.</p>'),
}
# (href, title, children): the table of contents as the navigation document lists it
TOC: list[object] = [
    ("text/ch1.xhtml", "Chapter One", [("text/ch1.xhtml#s1", "Dams", []),
                                       ("text/ch1.xhtml#s2", "Rivers", [])]),
    ("text/ch2.xhtml", "Chapter Two", [("text/ch2.xhtml#s3", "Demand", [])]),
]


def _nav_ol(entries: list[object]) -> str:
    items = []
    for href, title, kids in entries:  # type: ignore[misc]
        inner = _nav_ol(kids) if kids else ""
        items.append(f'<li><a href="{href}">{escape(title)}</a>{inner}</li>')
    return "<ol>" + "".join(items) + "</ol>"


def _ncx_points(entries: list[object], counter: list[int]) -> str:
    out = []
    for href, title, kids in entries:  # type: ignore[misc]
        counter[0] += 1
        out.append(f'<navPoint id="np{counter[0]}" playOrder="{counter[0]}"><navLabel><text>'
                   f'{escape(title)}</text></navLabel><content src="{href}"/>'
                   f"{_ncx_points(kids, counter)}</navPoint>")
    return "".join(out)


def make_epub(path: Path, *, nav: str = "epub3", title: str = "Water Book", author: str = "Ann Smith",
              date: str = "2024-05-06", language: str = "fa", encrypted: str = "",
              chapters: dict[str, tuple[str, str]] | None = None,
              toc: list[object] | None = None) -> Path:
    """A real minimal EPUB: container, OPF (metadata, manifest, spine), an EPUB3 nav.xhtml
    (`nav="epub3"`) or only an EPUB2 toc.ncx (`nav="ncx"`), chapters, an image; `encrypted`: an
    encryption.xml listing a chapter encrypted with that algorithm."""
    chapters = CHAPTERS if chapters is None else chapters
    toc = list(TOC) if toc is None else toc
    manifest = [f'<item id="c{i}" href="{h}" media-type="application/xhtml+xml"/>'
                for i, h in enumerate(chapters)]
    manifest.append('<item id="img1" href="images/fig1.png" media-type="image/png"/>')
    if nav == "epub3":
        manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" '
                        'properties="nav"/>')
    else:
        manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    spine_toc = ' toc="ncx"' if nav != "epub3" else ""
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = ('<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f'<dc:identifier id="id">urn:uuid:1234</dc:identifier><dc:title>{escape(title)}</dc:title>'
           f"<dc:creator>{escape(author)}</dc:creator><dc:date>{date}</dc:date>"
           f"<dc:language>{language}</dc:language></metadata><manifest>{''.join(manifest)}</manifest>"
           f"<spine{spine_toc}>{spine}</spine></package>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                   "</rootfiles></container>")
        if encrypted:
            z.writestr("META-INF/encryption.xml",
                       '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:'
                       'container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                       f'<enc:EncryptionMethod Algorithm="{encrypted}"/>'
                       '<enc:CipherData><enc:CipherReference URI="OEBPS/text/ch1.xhtml"/>'
                       "</enc:CipherData></enc:EncryptedData></encryption>")
        z.writestr("OEBPS/content.opf", opf)
        for href, (ctitle, body) in chapters.items():
            z.writestr(f"OEBPS/{href}", XHTML.format(title=escape(ctitle), body=body))
        z.writestr("OEBPS/images/fig1.png", PNG)
        if nav == "epub3":
            z.writestr("OEBPS/nav.xhtml", XHTML.format(
                title="Contents", body=f'<nav epub:type="toc"><h1>Contents</h1>{_nav_ol(toc)}</nav>'))
        else:
            z.writestr("OEBPS/toc.ncx",
                       '<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/'
                       f'ncx/" version="2005-1"><navMap>{_ncx_points(toc, [0])}</navMap></ncx>')
    return path
