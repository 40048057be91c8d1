"""Trim the ICU data library that PySide6's Linux wheels ship (libicudata.so.NN, 32 MB).

Used by build.spec; plain Python, no compiler or ICU tools needed.

Qt calls ICU for four things only (`nm -D libQt6Core.so.6`): collation (ucol_*), case mapping
(u_strToUpper/Lower, whose tables are compiled into libicuuc), converters for legacy encodings
(ucnv_*) and time-zone names (ucal_*). The data library also carries what only other ICU
services read: word-break dictionaries, transliterators, spelled-out numbers, and the names of
units, currencies, languages and regions in every locale. Those and the converter tables go
(the app reads and writes only UTF-8); collation, locale, time-zone and normalisation data stay.
Each dropped MB is ~6 ms less unpacking at every start of the one-file app, and the one-folder
dist is ~20 MB smaller. A lookup of something dropped fails in ICU with "missing resource",
which Qt handles like any unavailable locale service; --self-test checks collation and case
mapping on the frozen app.

The library is one ELF shared object whose only symbol, icudtNN_dat, is an ICU "common data"
package in .rodata: a header, a table of contents sorted by name, then the items. The trimmed
package is written in place of the old one and everything after .rodata moves down by whole
pages, so the segments keep their page alignment. Any layout this code does not expect makes
`trim` return None, and the build keeps the original library.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

# Whole trees (subfolders of the package) that Qt never reads.
DROPPED_TREES = ("brkitr", "unit", "curr", "lang", "region", "translit", "rbnf")
# Time-zone names: Qt asks for them only through QTimeZone::displayName, which the app never
# shows; the tree's root stays, so such a lookup still gets root's (GMT offset) names.
ROOT_ONLY_TREES = ("zone",)
ROOT_FILES = ("root.res", "pool.res", "res_index.res")
# Top-level items: converter tables (the alias table stays, so a lookup fails cleanly), Unicode
# character names, StringPrep profiles and IDNA mapping (Qt has its own IDNA) and spoof checks.
DROPPED_SUFFIXES = (".cnv", ".spp", ".cfu")
DROPPED_FILES = ("unames.icu", "uts46.nrm")

PAGE = 0x1000
ALIGN = 16  # ICU aligns every item of a package to 16 bytes


@dataclass(frozen=True)
class Item:
    name: str  # e.g. "icudt73l/coll/root.res"
    data: bytes


def dropped(name: str) -> bool:
    """Whether the package item `name` ("icudt73l/<tree>/<file>" or "icudt73l/<file>") goes."""
    parts = name.split("/")
    if len(parts) == 3:
        tree, file = parts[1], parts[2]
        return tree in DROPPED_TREES or (tree in ROOT_ONLY_TREES and file not in ROOT_FILES)
    return name.endswith(DROPPED_SUFFIXES) or parts[-1] in DROPPED_FILES


def read_package(blob: bytes) -> tuple[bytes, list[Item]]:
    """Split an ICU common-data package into its header and items."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":  # DataHeader magic, UDataInfo format
        raise ValueError("not an ICU common data package")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = toc[name_at:toc.index(b"\0", name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items.append(Item(name, toc[data_at:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[Item]) -> bytes:
    """An ICU common-data package of `items` (kept in their sorted order) after `header`."""
    names = b"".join(item.name.encode("ascii") + b"\0" for item in items)
    toc_size = 4 + 8 * len(items)
    data_at = _align(toc_size + len(names), ALIGN, base=len(header))
    entries, chunks, name_at = [], [], toc_size
    for item in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(item.name) + 1
        padded = item.data + b"\0" * (_align(len(item.data), ALIGN) - len(item.data))
        chunks.append(padded)
        data_at += len(padded)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    toc += b"\0" * (_align(len(toc), ALIGN, base=len(header)) - len(toc))
    return header + toc + b"".join(chunks)


def _align(n: int, to: int, base: int = 0) -> int:
    """n rounded up so that base + n is a multiple of `to`."""
    return -(-(base + n) // to) * to - base


# --- the ELF container -----------------------------------------------------------------------
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")  # type, flags, offset, vaddr, paddr, filesz, memsz, align
SHDR = struct.Struct("<IIQQQQIIQQ")  # name, type, flags, addr, offset, size, link, info, ...
SYM = struct.Struct("<IBBHQQ")  # name, info, other, shndx, value, size
DYN = struct.Struct("<qQ")
SHT_NOBITS = 8
# .dynamic tags whose value is an address (the ones a data-only library can have).
DT_ADDRESS_TAGS = {4, 5, 6, 12, 13, 25, 26, 0x6FFFFEF5}


def trim(library: bytes) -> bytes | None:
    """The library with a trimmed package, or None if its layout is not the expected one."""
    try:
        return _trim(library)
    except (ValueError, struct.error, IndexError):
        return None


def _trim(lib: bytes) -> bytes | None:
    ehdr = list(EHDR.unpack_from(lib, 0))
    ident, phoff, shoff, phnum = ehdr[0], ehdr[5], ehdr[6], ehdr[10]
    if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:  # 64-bit little-endian only
        return None
    sections, by_name = _sections(lib)
    rodata, dynsym, dynamic = (by_name.get(n) for n in (".rodata", ".dynsym", ".dynamic"))
    if rodata is None or dynsym is None or dynamic is None:
        return None
    ro_addr, ro_off, ro_size = rodata[3], rodata[4], rodata[5]
    ro_end = ro_off + ro_size

    # The package is the one data symbol, and it fills .rodata.
    dynstr_at = sections[dynsym[6]][4]
    symbols = [(i, SYM.unpack_from(lib, dynsym[4] + i * SYM.size)) for i in range(dynsym[5] // SYM.size)]
    data = [(i, s) for i, s in symbols if _string(lib, dynstr_at + s[0]).startswith("icudt")]
    if len(data) != 1 or data[0][1][4] != ro_addr or data[0][1][5] != ro_size:
        return None
    if any(value >= ro_addr + ro_size for tag, value in _dyn_entries(lib, dynamic) if tag in DT_ADDRESS_TAGS):
        return None  # something after the package is addressed from .dynamic: not expected

    header, items = read_package(lib[ro_off:ro_end])
    package = write_package(header, [item for item in items if not dropped(item.name)])
    shift = (ro_size - len(package)) // PAGE * PAGE  # whole pages: segments keep alignment
    if shift <= 0:
        return None
    # .rodata shrinks; what follows moves down by `shift` in the file and in memory.
    out = bytearray(lib[:ro_off] + package + bytes(ro_size - shift - len(package)) + lib[ro_end:])
    for i, sh in enumerate(sections):
        if sh is rodata:
            sh[5] = len(package)
        elif sh[4] >= ro_end:
            sh[4] -= shift
            sh[3] -= shift if sh[3] else 0
        elif sh[4] > ro_off and sh[1] != SHT_NOBITS:
            return None  # a section inside the package
        SHDR.pack_into(out, shoff - shift + i * SHDR.size, *sh)
    for i in range(phnum):
        ph = list(PHDR.unpack_from(lib, phoff + i * PHDR.size))
        if ph[2] <= ro_off < ph[2] + ph[5]:  # the read-only LOAD segment holding the package
            if ph[2] + ph[5] != ro_end:
                return None
            ph[5] -= shift
            ph[6] -= shift
        elif ph[2] >= ro_end:
            ph[2:5] = [ph[2] - shift, ph[3] - shift, ph[4] - shift]
        PHDR.pack_into(out, phoff + i * PHDR.size, *ph)
    ehdr[6] = shoff - shift
    EHDR.pack_into(out, 0, *ehdr)
    index, sym = data[0]
    SYM.pack_into(out, dynsym[4] + index * SYM.size, *sym[:5], len(package))
    return bytes(out)


def _string(lib: bytes, at: int) -> str:
    return lib[at:lib.index(b"\0", at)].decode("ascii")


def _dyn_entries(lib: bytes, dynamic: list) -> list[tuple[int, int]]:
    return [DYN.unpack_from(lib, dynamic[4] + i * DYN.size) for i in range(dynamic[5] // DYN.size)]


def _sections(lib: bytes) -> tuple[list[list[int]], dict[str, list[int]]]:
    """The section headers (mutable lists), and the same by section name."""
    ehdr = EHDR.unpack_from(lib, 0)
    shoff, shnum, shstrndx = ehdr[6], ehdr[12], ehdr[13]
    sections = [list(SHDR.unpack_from(lib, shoff + i * SHDR.size)) for i in range(shnum)]
    return sections, {_string(lib, sections[shstrndx][4] + sh[0]): sh for sh in sections}


def package_items(library: bytes) -> list[str]:
    """Names of the items in a data library's package (what the tests check)."""
    rodata = _sections(library)[1].get(".rodata")
    if rodata is None:
        raise ValueError("no .rodata section")
    return [item.name for item in read_package(library[rodata[4]:rodata[4] + rodata[5]])[1]]


def trim_file(source: Path, target: Path) -> bool:
    """Write a trimmed copy of the data library `source` to `target`; False if not trimmable."""
    trimmed = trim(source.read_bytes())
    if trimmed is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(trimmed)
    return True
