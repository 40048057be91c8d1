"""Reading DOCX and EPUB archives without trusting them.

A DOCX or EPUB is a zip made by someone else: it may be damaged, encrypted, hold a hundred
thousand members, or be a zip bomb (a few hundred KB that inflate to gigabytes). `open_zip`
refuses those by their headers, and `SafeZip.read` measures what it actually inflates, with a
cap, because headers can lie. Members are addressed by their archive name only (never turned
into a file path), and names with `..` or an absolute path are not served at all.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

from reader.convert.model import ConvertError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024  # declared uncompressed size of the whole archive
MAX_RATIO = 200  # compression ratio above which a big member is taken for a bomb
RATIO_MIN_SIZE = 1024 * 1024  # small members compress well legitimately (XML of zeros...)
DEFAULT_LIMIT = 100 * 1024 * 1024  # one member, inflated
_CHUNK = 64 * 1024
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*>", re.I)


class SafeZip:
    """An opened archive: `read(name)` with limits, `names()`; use as a context manager."""

    def __init__(self, source: Path, zf: zipfile.ZipFile) -> None:
        self.source = source
        self._zf = zf
        self._total_read = 0
        self._infos = {i.filename: i for i in zf.infolist() if _safe_name(i.filename)}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    def names(self) -> list[str]:
        """Member names (safe ones only), in archive order."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str, limit: int = DEFAULT_LIMIT) -> bytes:
        """The member's bytes, inflated at most to `limit` (and to what is left of the archive's
        total budget); more than that is a ConvertError, whatever the header said."""
        info = self._infos.get(name)
        if info is None:
            raise ConvertError(self.source, f"the archive has no member {name!r}")
        cap = min(limit, MAX_TOTAL_BYTES - self._total_read)
        out = io.BytesIO()
        try:
            with self._zf.open(info) as f:
                while chunk := f.read(_CHUNK):
                    if out.tell() + len(chunk) > cap:
                        raise ConvertError(self.source, f"{name!r} inflates to more than "
                                           f"{cap // 2**20} MB: refused (a zip bomb?)")
                    out.write(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
            raise ConvertError(self.source, f"the archive is damaged ({name}: {exc})") from exc
        except RuntimeError as exc:  # zipfile's "encrypted, password required"
            raise ConvertError(self.source, f"{name!r} is encrypted") from exc
        self._total_read += out.tell()
        return out.getvalue()

    def read_text(self, name: str, limit: int = DEFAULT_LIMIT) -> str:
        """A member decoded as UTF-8 (a BOM dropped; undecodable bytes replaced)."""
        return self.read(name, limit).decode("utf-8-sig", errors="replace")


def open_zip(source: Path, data: bytes | None = None) -> SafeZip:
    """Open `source` (or its bytes `data`) as an archive, refusing damaged, encrypted, oversized
    and bomb-like ones with a ConvertError naming the file."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ConvertError(source, f"not a valid zip archive, or a damaged one ({exc})") from exc
    try:
        _check(source, zf.infolist())
    except ConvertError:
        zf.close()
        raise
    return SafeZip(source, zf)


def _check(source: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ConvertError(source, f"the archive holds {len(infos):,} members (more than "
                                   f"{MAX_MEMBERS:,}): refused")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise ConvertError(source, f"the archive would inflate to {total / 2**20:,.0f} MB (more "
                                   f"than {MAX_TOTAL_BYTES // 2**20} MB): refused as a zip bomb")
    for i in infos:
        if i.flag_bits & 0x1:
            raise ConvertError(source, f"the archive is encrypted ({i.filename}); save the "
                                       "document without a password and try again")
        if i.file_size > RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise ConvertError(source, f"{i.filename!r} is compressed {ratio:,} to 1: refused as a zip bomb")


def _safe_name(name: str) -> bool:
    """A member name that stays inside the archive: relative, no `..`, no drive."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    return ".." not in posixpath.normpath(name).split("/") and ".." not in name.split("/")


def resolve(base: str, href: str) -> str:
    """`href` (relative to the member `base`, URL-decoded, fragment dropped) as a member name;
    "" when it points outside the archive."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""
    path = unquote(parts.path)
    if not path:
        return base
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(base), path)
    norm = posixpath.normpath(joined)
    return "" if norm.startswith("..") or norm == "." else norm


def parse_xml(data: bytes, source: Path, name: str) -> ET.Element:
    """An archive's XML member parsed with the stdlib. Entity declarations are refused before
    parsing (their expansion, "billion laughs", would inflate a few KB to gigabytes), and so is
    a DOCTYPE with an internal subset; a plain DOCTYPE naming a public DTD (every EPUB 2 NCX
    has one) is cut out, as expat would not read it anyway."""
    data = refuse_entities(data, source, name)
    try:
        return ET.fromstring(_DOCTYPE.sub(b"", data, count=1))
    except ET.ParseError as exc:
        raise ConvertError(source, f"{name} is not well-formed XML ({exc})") from exc


def refuse_entities(data: bytes, source: Path, name: str) -> bytes:
    """`data` (as UTF-8) unless it declares entities or a DOCTYPE subset: a ConvertError then.
    For XML a library parses too (mammoth reads the DOCX's XML itself)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: checked (and parsed) as UTF-8
        text = data.decode("utf-16", errors="replace")
        data = re.sub(r"^(<\?xml[^>]*?)\s+encoding=[\"'][^\"']*[\"']", r"\1", text).encode("utf-8")
    if _ENTITY.search(data) or _DOCTYPE_SUBSET.search(data):
        raise ConvertError(source, f"{name} declares XML entities; refused (such XML can "
                                   "expand to gigabytes)")
    return data
