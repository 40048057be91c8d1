"""Format "html": a saved web page (with its `_files` folder), or a folder of pages.

A single page becomes one briefing split at its headings. A folder's pages (index.html first,
then the others in natural order) each become a top section with their headings beneath, under
one title: the index's, else the folder's name. Images beside the pages are copied in; nothing
is fetched from the network.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from reader.convert import Source
from reader.convert.htmlmd import Builder, Images, Linker, Loader
from reader.convert.htmlpage import Cut, Page, heading_cuts, parse_page
from reader.convert.model import Converted, ConvertError

__all__ = ["convert", "decode"]

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_PAGES = 2000
_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
GUESSED = " (guessed)"  # marks an encoding neither declared nor UTF-8
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def convert(source: Source) -> Converted:
    """Convert a saved page, or a folder of pages."""
    if source.data is None:
        return _convert_folder(source.path)
    return _convert_file(source.path, source.data)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The page's text and the encoding it was read in: BOM, else the meta charset, else
    UTF-8, else charset_normalizer's guess."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if m := _META_CHARSET.search(data[:4096]):
        enc = m.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # a lying or unknown charset: guess instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ConvertError(path, "the file is not text in any encoding recognised")
    return str(best), best.encoding + GUESSED


def _loader(root: Path, page_dir: Path) -> Loader:
    def load(page: str, src: str) -> bytes | None:
        base = (root / page).parent if page else page_dir
        target = (base / src).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            return None  # outside the page's folder, or missing
        try:
            if target.stat().st_size > MAX_IMAGE_BYTES:
                return None
            return target.read_bytes()
        except OSError:
            return None

    return load


def _convert_file(path: Path, data: bytes) -> Converted:
    text, encoding = decode(data, path)
    images = Images(_loader(path.parent, path.parent))
    page = parse_page(text)
    linker = Linker([""])  # the page itself: `#x` links go to the part holding x
    linker.scan(page)
    builder = Builder(images, linker)
    builder.add_page(page, heading_cuts(page))
    intro, parts = builder.finish(page.meta.title)
    m = page.meta
    c = Converted(title=m.title, parts=parts, intro=intro, author=m.author, date=m.date,
                  language=m.language, encoding=encoding.removesuffix(GUESSED), assets=images.files)
    c.warnings += _guess_warnings({encoding: path.name}) + images.warnings() + linker.warnings()
    if not parts and not intro:
        raise ConvertError(path, "the page has no text to convert")
    return c


def _natural(path: Path) -> list[object]:
    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", path.as_posix())]


def page_files(folder: Path) -> list[Path]:
    """The folder's pages, index first then natural order; `x_files` folders are a saved
    page's resources, not pages."""
    found = [p.relative_to(folder) for p in folder.rglob("*")
             if p.suffix.lower() in (".html", ".htm", ".xhtml") and p.is_file()
             and not any(part.endswith("_files") for part in p.relative_to(folder).parts[:-1])]
    found.sort(key=lambda p: (p.name.lower() not in ("index.html", "index.htm") or len(p.parts) > 1,
                              _natural(p)))
    return found


def _convert_folder(folder: Path) -> Converted:
    files = page_files(folder)
    if not files:
        raise ConvertError(folder, "the folder holds no HTML pages")
    if len(files) > MAX_PAGES:
        raise ConvertError(folder, f"the folder holds {len(files):,} pages (more than {MAX_PAGES:,})")
    pages, encodings = _read_pages(folder, files)
    images = Images(_loader(folder, folder))
    linker = Linker([p.name for p in pages])
    for page in pages:
        linker.scan(page)
    builder = Builder(images, linker)
    is_index = files[0].name.lower().startswith("index.") and len(files[0].parts) == 1
    for n, (page, rel) in enumerate(zip(pages, files, strict=True)):
        if n == 0 and is_index:  # the index is the briefing's own page, its headings on top
            builder.add_page(page, heading_cuts(page))
        else:
            builder.add_page(page, [Cut(None, page.meta.title or rel.stem, 1), *heading_cuts(page, top=2)])
    title = pages[0].meta.title if is_index and pages[0].meta.title else folder.name
    intro, parts = builder.finish(title)
    c = Converted(title=title, parts=parts, intro=intro, assets=images.files,
                  encoding=", ".join(sorted(e.removesuffix(GUESSED) for e in encodings)))
    c.author = next((p.meta.author for p in pages if p.meta.author), "")
    c.date = next((p.meta.date for p in pages if p.meta.date), "")
    c.language = next((p.meta.language for p in pages if p.meta.language), "")
    c.warnings += _guess_warnings(encodings) + images.warnings() + linker.warnings()
    return c


def _read_pages(folder: Path, files: list[Path]) -> tuple[list[Page], dict[str, str]]:
    """The pages parsed, and each encoding met with a page read in it."""
    pages: list[Page] = []
    encodings: dict[str, str] = {}
    for rel in files:
        try:
            data = (folder / rel).read_bytes()
        except OSError as exc:
            raise ConvertError(folder / rel, f"cannot read it: {exc.strerror or exc}") from exc
        text, enc = decode(data, folder / rel)
        encodings.setdefault(enc, rel.as_posix())
        pages.append(parse_page(text, rel.as_posix()))
    return pages, encodings


def _guess_warnings(encodings: dict[str, str]) -> list[str]:
    return [f"{page} declares no encoding and is not UTF-8: read as {enc.removesuffix(GUESSED)}, a guess; "
            "check its accented letters" for enc, page in encodings.items() if enc.endswith(GUESSED)]
