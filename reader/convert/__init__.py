"""Bring your own documents: TXT, HTML, DOCX, EPUB, PDF and Markdown folders become briefings.

`convert_source(path)` detects the format (by content, not only by the extension), reads the
file with a size cap, runs that format's converter (`reader/convert/<format>.py`, imported only
then, so its libraries never load at start-up) and fills in what every briefing needs: the
source's name and checksum, a date (the source's, the command line's, else the file's
modification date, and which one is said), an id. Qt-free.

Every failure is a `ConvertError` naming the file and the reason; nothing is written here
(`Converted.write` writes, `reader.convert.importing` imports through the safe pack import).
"""

from __future__ import annotations

import importlib
import zipfile
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from reader.convert.model import DATE_RE, Converted, ConvertError, Part, sha256

__all__ = ["FORMATS", "ConvertError", "Converted", "Overrides", "Part", "Source", "convert_source",
           "detect_format", "is_convertible"]

# format -> module under reader.convert
FORMATS = {"txt": "text", "html": "html", "docx": "docx", "epub": "epub", "pdf": "pdf",
           "mdbook": "mdbook", "hugo": "hugo", "markdown": "mdplain"}
EXTENSIONS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".docx": "docx", ".epub": "epub", ".pdf": "pdf"}
MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a bigger file is refused before it is read


@dataclass(frozen=True)
class Source:
    path: Path
    format: str
    data: bytes | None  # the file's bytes; None for a folder


@dataclass(frozen=True)
class Overrides:
    title: str | None = None
    id: str | None = None
    author: str | None = None
    date: str | None = None


def is_convertible(path: Path) -> bool:
    """A file or folder `convert_source` takes (an `.md` file or a content folder is a pack)."""
    return path.suffix.lower() in EXTENSIONS or (path.is_dir() and _folder_format(path) is not None)


def detect_format(path: Path, head: bytes = b"") -> str:
    """The format of `path`: folders by their layout, files by their first bytes, the extension
    only where the bytes say nothing (plain text). Raises ConvertError when they disagree."""
    if path.is_dir():
        fmt = _folder_format(path)
        if fmt is None:
            raise ConvertError(path, "the folder holds no Markdown or HTML files to convert")
        return fmt
    ext = EXTENSIONS.get(path.suffix.lower())
    sniffed: str | None
    if head.startswith(b"%PDF-"):
        sniffed = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        sniffed = _zip_format(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy .doc, or an encrypted .docx
        raise ConvertError(path, "this is an encrypted Office document or a legacy .doc file; "
                                 "save it as an unprotected .docx and try again")
    else:
        start = head.lstrip()[:512].lower()
        sniffed = "html" if start.startswith((b"<!doctype html", b"<html")) or b"<body" in start else None
    if sniffed is None:
        if ext in ("docx", "epub", "pdf"):
            raise ConvertError(path, f"the file is not a {ext.upper()} file (its content does "
                                     "not match its extension)")
        return ext or "txt"
    if ext not in (None, "txt", sniffed):
        raise ConvertError(path, f"the file's extension says {ext.upper()} but its content is "
                                 f"{sniffed.upper()}")
    return sniffed


def zip_document_kind(path: Path) -> str | None:
    """"epub" or "docx" for a zip that is one, None for another zip (a briefing pack, say);
    raises zipfile.BadZipFile, OSError or KeyError for a damaged one."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "mimetype" in names and z.read("mimetype").strip() == b"application/epub+zip":
            return "epub"
        return "docx" if "word/document.xml" in names else None


def _zip_format(path: Path) -> str:
    try:
        kind = zip_document_kind(path)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ConvertError(path, f"the file is a damaged zip archive ({exc})") from exc
    if kind is None:
        raise ConvertError(path, "a zip archive that is neither DOCX nor EPUB (import a zip of a "
                                 "content folder with import-briefing as it is)")
    return kind


def _folder_format(path: Path) -> str | None:
    if (path / "SUMMARY.md").is_file() or (path / "src" / "SUMMARY.md").is_file() \
            or (path / "book.toml").is_file():
        return "mdbook"
    if any((path / n).exists() for n in ("hugo.toml", "config.toml", "hugo.yaml", "_config.yml")) \
            and (path / "content").is_dir() or (path / "_posts").is_dir():
        return "hugo"
    try:
        names = [p.suffix.lower() for p in path.rglob("*") if p.is_file()]
    except OSError:
        return None
    if ".md" in names or ".markdown" in names:
        return "markdown"
    if ".html" in names or ".htm" in names:
        return "html"
    return None


def _read_capped(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise ConvertError(path, f"the file is {size / 2**20:.0f} MB; files over "
                                     f"{MAX_SOURCE_BYTES // 2**20} MB are not converted")
        with path.open("rb") as f:  # read(n) allocates n bytes at once: ask for the size only
            data = f.read(size + 1)
            if len(data) > size:  # still growing, or a device: read on up to the cap
                data += f.read(MAX_SOURCE_BYTES + 1 - len(data))
    except OSError as exc:
        raise ConvertError(path, f"cannot read it: {exc.strerror or exc}") from exc
    if len(data) > MAX_SOURCE_BYTES:  # grew while being read, or a device
        raise ConvertError(path, f"the file is over {MAX_SOURCE_BYTES // 2**20} MB")
    return data


def convert_source(path: Path, fmt: str = "auto", overrides: Overrides | None = None) -> Converted:
    """Convert one file or folder into a briefing in memory (see the module's docstring)."""
    if not path.exists():
        raise ConvertError(path, "no such file or folder")
    data = None if path.is_dir() else _read_capped(path)
    if fmt == "auto":
        fmt = detect_format(path, data[:4096] if data is not None else b"")
    elif fmt not in FORMATS:
        raise ConvertError(path, f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    module = importlib.import_module(f"reader.convert.{FORMATS[fmt]}")
    try:
        result: Converted = module.convert(Source(path, fmt, data))
    except ConvertError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ConvertError(path, "the document is too large or too deeply nested "
                                 f"({type(exc).__name__})") from exc
    except Exception as exc:  # a library's own error on a damaged file: a message, no traceback
        raise ConvertError(path, f"the {fmt.upper()} file is damaged or not supported "
                                 f"({type(exc).__name__}: {exc})") from exc
    return finish(result, path, fmt, data, overrides or Overrides())


def finish(c: Converted, path: Path, fmt: str, data: bytes | None, o: Overrides) -> Converted:
    """What every briefing needs, whatever its format: name, checksum, date, title, id."""
    c.format = c.format or fmt
    c.source_name = c.source_name or path.name
    if not c.source_sha256:
        c.source_sha256 = sha256(data) if data is not None else _folder_digest(path)
    if o.title:
        c.title = o.title
    if not c.title.strip():
        c.title = path.stem if data is not None else path.name
    if o.author:
        c.author = o.author
    if o.id:
        c.id = o.id
    if o.date:
        if not DATE_RE.match(o.date):
            raise ConvertError(path, f"--date must be YYYY-MM-DD, not {o.date!r}")
        c.date, c.date_origin = o.date, "command line"
    elif c.date and DATE_RE.match(c.date):
        c.date_origin = c.date_origin or "source"
    else:
        if c.date:
            c.warnings.append(f"the source's date {c.date!r} is not a date; not used")
        c.date = _date.fromtimestamp(path.stat().st_mtime).isoformat()
        c.date_origin = "file modification date"
    return c


def _folder_digest(folder: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(q for q in folder.rglob("*") if q.is_file()):
        h.update(str(p.relative_to(folder)).encode() + b"\0")
        h.update(sha256(p.read_bytes()).encode())
    return h.hexdigest()
