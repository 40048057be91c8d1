"""Format "docx": a Word document through mammoth (DOCX -> HTML), then the shared HTML core.

The archive is checked and copied member by member through `safezip` (mammoth would inflate
whatever it is given), so a zip bomb is refused before mammoth sees it. Heading 1-6 become the
parts, the "Title" paragraph the title; images go into the assets, footnotes and endnotes
become Markdown footnotes in the section that cites them; title, author, date and language come
from docProps/core.xml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup, Tag

from reader.convert import Source
from reader.convert.htmlmd import Builder, Images, Linker
from reader.convert.htmlpage import Meta, heading_cuts, parse_page, text_of
from reader.convert.model import Converted, ConvertError
from reader.convert.safezip import SafeZip, open_zip, parse_xml, refuse_entities

__all__ = ["convert"]

MAX_XML_BYTES = 64 * 1024 * 1024
# Word's and LibreOffice's usual paragraph styles, so that only a document's own styles are warned of
STYLE_MAP = "\n".join(
    ["p[style-name='Title'] => p.doc-title:fresh", "p[style-name='title'] => p.doc-title:fresh"]
    + [f"p[style-name='{case}eading {n}'] => h{n}:fresh" for n in range(1, 7) for case in "Hh"]
    + [f"p[style-name='{q}'] => blockquote > p:fresh" for q in ("Quote", "Intense Quote")]
    + [f"p[style-name='{name}'] => p:fresh" for name in (
        "Subtitle", "List Paragraph", "Caption", "No Spacing", "Body Text", "Text Body",
        "Footnote Text", "Endnote Text", "Table Contents")])
_NOTE = re.compile(r"^(foot|end)note-(\d+)$")
_NOTE_REF = re.compile(r"^#(foot|end)note-(\d+)$")
_UNDEFINED = re.compile(r"^(\w+) style with ID (.+) was referenced but not defined in the document$")
CORE_NS = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}


def convert(source: Source) -> Converted:
    """Convert a DOCX file."""
    if source.data is None:
        raise ConvertError(source.path, "a DOCX is a file, not a folder")
    with open_zip(source.path, source.data) as z:
        if not z.has("word/document.xml"):
            raise ConvertError(source.path, "not a DOCX file (the archive has no word/document.xml)")
        meta = core_properties(z)
        copy = _checked_copy(z)
    images = Images(lambda page, src: None)
    html, messages = _mammoth(copy, images)
    has_title = bool(meta.title) or 'class="doc-title"' in html
    page = parse_page(html, find_main=False, title_heading=not has_title)
    title_p = page.soup.find("p", class_="doc-title")
    if isinstance(title_p, Tag):
        meta.title = meta.title or text_of(title_p)
        title_p.decompose()
    if page.title_heading:  # no title anywhere else, and a lone first Heading 1 took its place
        meta.title = meta.title or page.meta.title
    linker = Linker([""])  # Word's own table of contents links to bookmarks in the headings
    linker.scan(page)
    builder = Builder(images, linker)
    _footnotes(page.soup, page.root, builder)
    builder.add_page(page, heading_cuts(page))
    intro, parts = builder.finish(meta.title)
    if not parts and not intro.strip():
        raise ConvertError(source.path, "the document has no text to convert")
    c = Converted(title=meta.title, parts=parts, intro=intro, author=meta.author, date=meta.date,
                  language=meta.language, assets=images.files)
    c.warnings += _summary(messages) + images.warnings() + linker.warnings()
    return c


def core_properties(z: SafeZip) -> Meta:
    """Title, author, date (created, else modified) and language from docProps/core.xml."""
    m = Meta()
    if not z.has("docProps/core.xml"):
        return m
    root = parse_xml(z.read("docProps/core.xml", MAX_XML_BYTES), z.source, "docProps/core.xml")

    def text(tag: str) -> str:
        el = root.find(tag, CORE_NS)
        return " ".join((el.text or "").split()) if el is not None else ""

    m.title, m.author = text("dc:title"), text("dc:creator")
    for when in (text("dcterms:created"), text("dcterms:modified")):
        if d := re.match(r"\d{4}-\d{2}-\d{2}", when):
            m.date = d.group(0)
            break
    m.language = text("dc:language").split("-")[0].lower()
    return m


def _checked_copy(z: SafeZip) -> bytes:
    """The archive rewritten from what `SafeZip.read` measured: what mammoth reads is bounded."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name in z.names():
            if name.endswith((".xml", ".rels")):
                copy.writestr(name, refuse_entities(z.read(name, MAX_XML_BYTES), z.source, name))
            elif not name.endswith("/"):
                copy.writestr(name, z.read(name))
    return out.getvalue()


def _mammoth(data: bytes, images: Images) -> tuple[str, list[Any]]:
    import mammoth

    counter = [0]

    def image(img: Any) -> dict[str, str]:
        counter[0] += 1
        with img.open() as f:
            blob = f.read()
        ext = {"image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg",
               "image/bmp": ".bmp", "image/webp": ".webp"}.get(img.content_type or "", ".png")
        attrs = {"src": images.add(f"image{counter[0]}{ext}", blob)}
        if img.alt_text:
            attrs["alt"] = img.alt_text
        return attrs

    result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                     convert_image=mammoth.images.img_element(image))
    return str(result.value), list(result.messages)


def _footnotes(soup: BeautifulSoup, root: Tag, builder: Builder) -> None:
    """mammoth's note list -> Markdown footnote definitions; its `[1]` links -> `[^1]`."""
    for li in root.find_all("li", id=_NOTE):
        m = _NOTE.match(str(li["id"]))
        assert m is not None
        label = m.group(2) if m.group(1) == "foot" else f"e{m.group(2)}"
        for back in li.find_all("a", href=re.compile(r"^#(foot|end)note-ref-")):
            back.decompose()
        holder = soup.new_tag("div")
        holder.extend(list(li.contents))
        builder.footnotes[label] = builder.markdown(holder)
        parent = li.parent
        li.decompose()
        if isinstance(parent, Tag) and not parent.find("li"):
            parent.decompose()
    for a in root.find_all("a", href=_NOTE_REF):
        m = _NOTE_REF.match(str(a["href"]))
        assert m is not None
        label = m.group(2) if m.group(1) == "foot" else f"e{m.group(2)}"
        sup = a.parent if isinstance(a.parent, Tag) and a.parent.name == "sup" \
            and text_of(a.parent) == text_of(a) else a
        sup.replace_with(soup.new_tag("brfn", attrs={"n": label}))


def _summary(messages: list[Any]) -> list[str]:
    """mammoth's messages, each once, with a count; styles it did not map named together."""
    counts = Counter(_UNDEFINED.sub(r"Unrecognised \1 style: \2", str(getattr(m, "message", m)))
                     for m in messages)
    styles = sorted({re.sub(r"^None \(Style ID: (.+)\)$", r"\1", re.sub(r"^Unrecognised \w+ style: ", "", k))
                     for k in counts if k.startswith("Unrecognised")})
    out = [f"{k} ({n}x)" if n > 1 else k for k, n in counts.items() if not k.startswith("Unrecognised")]
    if styles:
        shown = ", ".join(styles[:8]) + (f" and {len(styles) - 8} more" if len(styles) > 8 else "")
        out.append(f"styles without a Markdown equivalent, kept as plain paragraphs: {shown}")
    return out
