"""Format "epub": an EPUB 2 or 3 book, its table of contents as the tree.

container.xml names the package (OPF): its metadata, manifest and reading order (spine). The
tree comes from the EPUB 3 navigation document, else the EPUB 2 NCX: every entry (a file, maybe
with a #fragment) starts a part at its depth, and what follows it in reading order, up to the
next entry, is that part's text. A chapter's own headings become deeper parts only when the
table of contents lists nothing deeper for it. DRM-protected books are refused.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from reader.convert import Source
from reader.convert.htmlmd import Builder, Images, Linker
from reader.convert.htmlpage import HEADING, Cut, Page, heading_cuts, parse_page, text_of
from reader.convert.model import DATE_RE, Converted, ConvertError
from reader.convert.safezip import SafeZip, open_zip, parse_xml, resolve

__all__ = ["convert"]

MAX_XML_BYTES = 32 * 1024 * 1024
MAX_DOC_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 12  # nested table-of-contents lists deeper than this are flattened
# font obfuscation is not DRM: the text stays readable
FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}


@dataclass
class Entry:
    """One table-of-contents entry."""

    file: str  # archive member name
    fragment: str
    title: str
    level: int
    has_children: bool = False


@dataclass
class Package:
    opf: str
    title: str
    author: str
    date: str
    language: str
    manifest: dict[str, tuple[str, str, str]]  # id -> (member, media type, properties)
    spine: list[str]  # member names in reading order
    toc_id: str  # the spine's NCX reference


def convert(source: Source) -> Converted:
    """Convert an EPUB file."""
    if source.data is None:
        raise ConvertError(source.path, "an EPUB is a file, not a folder")
    with open_zip(source.path, source.data) as z:
        _refuse_drm(z)
        pkg = read_package(z)
        entries = read_toc(z, pkg)
        nav_docs = {m for m, _, props in pkg.manifest.values() if "nav" in props.split()}
        docs = [d for d in pkg.spine if d not in nav_docs and z.has(d)]
        pages = [parse_page(z.read_text(d, MAX_DOC_BYTES), d, find_main=False, title_heading=False)
                 for d in docs]
        images = Images(lambda page, src: _image(z, page, src))
        linker = Linker(docs)
        for page in pages:
            linker.scan(page)
        builder = Builder(images, linker)
        for page in pages:
            # without a table of contents, every chapter's headings make the tree
            cuts = _cuts(page, [e for e in entries if e.file == page.name]) if entries else heading_cuts(page)
            builder.add_page(page, cuts)
        title = pkg.title or (entries[0].title if entries else "")
        intro, parts = builder.finish(title)
    if not parts and not intro.strip():
        raise ConvertError(source.path, "the book has no text to convert")
    c = Converted(title=title, parts=parts, intro=intro, author=pkg.author, date=pkg.date,
                  language=pkg.language, assets=images.files)
    c.warnings += images.warnings() + linker.warnings()
    if not entries:
        c.warnings.append("the book has no table of contents: its chapters' headings make the tree")
    if lost := [e.title for e in entries if e.file not in docs]:
        c.warnings.append(f"{len(lost)} table-of-contents entries point to no chapter of the book: "
                          + ", ".join(lost[:5]) + (" ..." if len(lost) > 5 else ""))
    return c


def _refuse_drm(z: SafeZip) -> None:
    if z.has("META-INF/rights.xml"):
        raise ConvertError(z.source, "the book is protected by DRM (META-INF/rights.xml); only "
                                     "DRM-free EPUBs can be converted")
    if not z.has("META-INF/encryption.xml"):
        return
    root = parse_xml(z.read("META-INF/encryption.xml", MAX_XML_BYTES), z.source, "META-INF/encryption.xml")
    for data in _all(root, "EncryptedData"):
        method = next(_all(data, "EncryptionMethod"), None)
        if method is None or method.get("Algorithm") not in FONT_OBFUSCATION:
            raise ConvertError(z.source, "the book is protected by DRM (its content is encrypted); "
                                         "only DRM-free EPUBs can be converted")


def read_package(z: SafeZip) -> Package:
    """container.xml -> the OPF: metadata, manifest, spine."""
    if not z.has("META-INF/container.xml"):
        raise ConvertError(z.source, "not an EPUB (no META-INF/container.xml)")
    container = parse_xml(z.read("META-INF/container.xml", MAX_XML_BYTES), z.source, "container.xml")
    rootfile = next(_all(container, "rootfile"), None)
    opf = resolve("", rootfile.get("full-path", "")) if rootfile is not None else ""
    if not opf or not z.has(opf):
        raise ConvertError(z.source, "the EPUB's container.xml names no package file that exists")
    root = parse_xml(z.read(opf, MAX_XML_BYTES), z.source, opf)
    manifest = {}
    for item in _all(root, "item"):
        href = resolve(opf, item.get("href", ""))
        if href and item.get("id"):
            manifest[item.get("id", "")] = (href, item.get("media-type", ""), item.get("properties", ""))
    spine_el = next(_all(root, "spine"), None)
    spine = [manifest[i.get("idref", "")][0] for i in _all(root, "itemref")  # (X)HTML only, not SVG pages
             if manifest.get(i.get("idref", ""), ("", "", ""))[1] in ("application/xhtml+xml", "text/html")]

    def meta(name: str, sep: str = "") -> str:
        values = [" ".join("".join(e.itertext()).split()) for e in _all(root, name)]
        values = [v for v in values if v]
        return sep.join(values) if sep else (values[0] if values else "")

    date = meta("date")[:10]
    return Package(opf, meta("title"), meta("creator", ", "), date if DATE_RE.match(date) else "",
                   meta("language").split("-")[0].lower(), manifest, spine,
                   spine_el.get("toc", "") if spine_el is not None else "")


def read_toc(z: SafeZip, pkg: Package) -> list[Entry]:
    """The table of contents, flat, in order: the EPUB 3 nav document, else the NCX."""
    for member, _, props in pkg.manifest.values():
        if "nav" in props.split() and z.has(member):
            entries = _nav_entries(z.read_text(member, MAX_XML_BYTES), member)
            if entries:
                return entries
    ncx = pkg.manifest.get(pkg.toc_id, ("", "", ""))[0] or next(
        (m for m, mt, _ in pkg.manifest.values() if mt == "application/x-dtbncx+xml"), "")
    if ncx and z.has(ncx):
        root = parse_xml(z.read(ncx, MAX_XML_BYTES), z.source, ncx)
        nav_map = next(_all(root, "navMap"), None)
        out: list[Entry] = []
        if nav_map is not None:
            _ncx_points(nav_map, ncx, 1, out)
        return out
    return []


def _nav_entries(html: str, member: str) -> list[Entry]:
    soup = BeautifulSoup(html, "html.parser")
    navs = soup.find_all("nav")
    toc = next((n for n in navs if "toc" in str(n.get("epub:type", "")).split()), navs[0] if navs else None)
    ol = toc.find("ol") if isinstance(toc, Tag) else None
    out: list[Entry] = []
    if isinstance(ol, Tag):
        _nav_ol(ol, member, 1, out)
    return out


def _nav_ol(ol: Tag, member: str, level: int, out: list[Entry]) -> None:
    for li in ol.find_all("li", recursive=False):
        link = li.find(["a", "span"], recursive=False)
        sub = li.find("ol", recursive=False)
        if isinstance(link, Tag):
            _add(out, member, str(link.get("href", "")), text_of(link), level, isinstance(sub, Tag))
        if isinstance(sub, Tag):
            _nav_ol(sub, member, min(level + 1, MAX_DEPTH), out)


def _ncx_points(parent: ET.Element, member: str, level: int, out: list[Entry]) -> None:
    for point in parent:
        if _local(point.tag) != "navPoint":
            continue
        label = next(_all(point, "text"), None)
        content = next((c for c in point if _local(c.tag) == "content"), None)
        kids = [c for c in point if _local(c.tag) == "navPoint"]
        title = " ".join("".join(label.itertext()).split()) if label is not None else ""
        _add(out, member, content.get("src", "") if content is not None else "", title, level, bool(kids))
        _ncx_points(point, member, min(level + 1, MAX_DEPTH), out)


def _add(out: list[Entry], base: str, href: str, title: str, level: int, kids: bool) -> None:
    target = resolve(base, href) if href else ""
    if target and title:
        fragment = href.partition("#")[2]
        out.append(Entry(target, fragment, title, level, kids))


def _cuts(page: Page, entries: list[Entry]) -> list[Cut]:
    """Where this document's parts start: its entries, and its headings when the table of
    contents lists nothing deeper for it. Headings repeating an entry's title are dropped."""
    titles = {_norm(e.title) for e in entries}
    cuts: list[Cut] = []
    for e in entries:
        el = page.root.find(id=e.fragment) if e.fragment else None
        if isinstance(el, Tag) and not HEADING.match(el.name or ""):
            el = el.find_parent(HEADING) or el  # an anchor inside a heading: the heading
        cuts.append(Cut(el if isinstance(el, Tag) else None, e.title, e.level))
    cut_tags = {id(c.tag) for c in cuts if c.tag is not None}
    heads = [h for h in page.root.find_all(HEADING) if id(h) not in cut_tags and text_of(h)]
    for h in heads:
        if _norm(text_of(h)) in titles:
            h.decompose()
    heads = [h for h in heads if not h.decomposed]
    if len(entries) == 1 and not entries[0].has_children and heads:
        low = min(int(h.name[1]) for h in heads)
        cuts += [Cut(h, text_of(h), entries[0].level + int(h.name[1]) - low + 1) for h in heads]
    return cuts


def _image(z: SafeZip, page: str, src: str) -> bytes | None:
    name = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
    return z.read(name, MAX_DOC_BYTES) if not name.startswith("..") and z.has(name) else None


def _all(root: ET.Element, local: str) -> Iterator[ET.Element]:
    return (e for e in root.iter() if _local(e.tag) == local)


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())
