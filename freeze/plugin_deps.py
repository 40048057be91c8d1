"""Fail the Linux build when a bundled Qt plugin needs a library the app would not find.

Used by build.spec after it has pruned the binaries. Qt loads its plugins with dlopen, so a
plugin whose library is missing is not an error until a user's desktop tries it: since Qt 6.5
the xcb platform plugin needs libxcb-cursor.so.0, which Ubuntu 22.04 lacks by default, and the
app then cannot open a window at all. PyInstaller bundles a plugin's libraries only if the build
machine has them (otherwise it just warns), so what the app carries would depend on the machine.

The check follows each bundled plugin's DT_NEEDED entries (read from the ELF file, not with
ldd, which would resolve through the build machine's own libraries) and, through bundled
libraries, theirs; every name must be bundled or provided by every desktop (build.spec's list
and what PyInstaller itself always leaves to the system). Libraries match by file name: the
frozen app finds its libraries through Qt's RUNPATHs and the bundle's top folder, both searched
by name. Plain Python; no binutils needed.
"""

from __future__ import annotations

import functools
import mmap
import os
import struct
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

PLUGINS = "PySide6/Qt/plugins/"  # every plugin there may be loaded on some desktop
# glibc's dynamic loader: never bundled, and PyInstaller's exclude list does not name it.
LOADERS = ("ld-linux", "ld64.so")

PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_NEEDED, DT_STRTAB = 0, 1, 5

Toc = Iterable[tuple[str, str, str]]  # PyInstaller's (dest, source, kind) entries


class MissingLibraries(RuntimeError):
    """Raised by `check`: bundled plugins need libraries that are neither bundled nor provided."""


def needed(path: Path) -> list[str]:
    """The DT_NEEDED names of the ELF shared object at `path`, in their order."""
    return list(_needed(os.fspath(path)))


@functools.cache
def _needed(path: str) -> tuple[str, ...]:
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as elf:
        if elf[:4] != b"\x7fELF" or elf[4] not in (1, 2) or elf[5] not in (1, 2):
            raise ValueError(f"{path}: not an ELF file")
        wide, order = elf[4] == 2, "<" if elf[5] == 1 else ">"
        try:
            return tuple(_read_needed(elf, wide, order))
        except (struct.error, IndexError) as error:
            raise ValueError(f"{path}: unexpected ELF layout ({error})") from error


def _read_needed(elf: mmap.mmap, wide: bool, order: str) -> list[str]:
    # Program headers rather than sections: they are what the loader reads, and strip keeps them.
    phoff, phentsize, phnum = struct.unpack_from(
        order + ("Q14xHH" if wide else "I10xHH"), elf, 32 if wide else 28)
    # (type, offset, vaddr, filesz) of each program header; the fields sit differently in ELF32.
    layout = order + ("I4xQQ8xQ" if wide else "III4xI")
    segments = [struct.unpack_from(layout, elf, phoff + i * phentsize) for i in range(phnum)]
    dynamic = next((s for s in segments if s[0] == PT_DYNAMIC), None)
    if dynamic is None:
        return []  # statically linked: needs nothing
    entry = struct.Struct(order + ("qQ" if wide else "iI"))
    names, strtab = [], None
    for at in range(dynamic[1], dynamic[1] + dynamic[3] - entry.size + 1, entry.size):
        tag, value = entry.unpack_from(elf, at)
        if tag == DT_NULL:
            break
        if tag == DT_NEEDED:
            names.append(value)
        elif tag == DT_STRTAB:
            strtab = value
    if names and strtab is None:
        raise ValueError("DT_NEEDED without a string table")
    base = _file_offset(segments, strtab) if names else 0
    return [elf[base + n:elf.find(b"\0", base + n)].decode() for n in names]


def _file_offset(segments: list[tuple[int, ...]], address: int) -> int:
    """Where the loaded address `address` is in the file (DT_STRTAB holds an address)."""
    for kind, offset, vaddr, filesz in segments:
        if kind == PT_LOAD and vaddr <= address < vaddr + filesz:
            return address - vaddr + offset
    raise ValueError(f"address {address:#x} is in no loaded segment")


def left_to_the_system(name: str) -> bool:
    """Whether PyInstaller never bundles the library `name` (glibc, GL/EGL, libxcb, wayland's
    client libraries, ...): the app takes it from the system like build.spec's own list."""
    from PyInstaller.depend import dylib

    return name.startswith(LOADERS) or not dylib.include_library(name)


def bundled_files(binaries: Toc) -> dict[str, Path | None]:
    """File name -> source of each bundled binary; a symbolic link maps to its target's source,
    or None if the target is not among the binaries (the name is still there to be found)."""
    entries = list(binaries)
    by_dest = {dest.replace("\\", "/"): src for dest, src, kind in entries if kind != "SYMLINK"}
    files: dict[str, Path | None] = {}
    for dest, src, kind in entries:
        dest = dest.replace("\\", "/")
        if kind == "SYMLINK":  # src is the link's target, relative to the link's folder
            target = by_dest.get(os.path.normpath(os.path.join(os.path.dirname(dest), src)))
            files.setdefault(Path(dest).name, Path(target) if target else None)
        else:
            files[Path(dest).name] = Path(src)
    return files


def unmet(binaries: Toc, provided: Callable[[str], bool]) -> dict[str, dict[str, list[str]]]:
    """For each bundled plugin that needs libraries that are neither bundled nor `provided`:
    missing library -> the bundled libraries it is needed through (shortest chain first found)."""
    entries = list(binaries)
    files = bundled_files(entries)
    plugins = [(dest.replace("\\", "/"), Path(src)) for dest, src, kind in entries
               if kind != "SYMLINK" and PLUGINS in "/" + dest.replace("\\", "/")]
    result = {}
    for dest, source in sorted(plugins):
        missing = _unmet_from(source, files, provided)
        if missing:
            result[dest] = missing
    return result


def _unmet_from(plugin: Path, files: dict[str, Path | None],
                provided: Callable[[str], bool]) -> dict[str, list[str]]:
    # Breadth first, so each missing library is reported through its shortest chain.
    missing: dict[str, list[str]] = {}
    queue, seen = deque([(plugin, [])]), {plugin}
    while queue:
        path, via = queue.popleft()
        for name in needed(path):
            if name in files:
                target = files[name]
                if target is not None and target not in seen:
                    seen.add(target)
                    queue.append((target, [*via, name]))
            elif not provided(name) and name not in missing:
                missing[name] = via
    return missing


def check(binaries: Toc, provided: Callable[[str], bool]) -> None:
    """Raise MissingLibraries, naming plugin -> (through ->) library for each library that the
    bundled Qt plugins need and that is neither among `binaries` nor `provided` by the system."""
    problems = unmet(binaries, provided)
    if not problems:
        return
    lines = [" -> ".join([plugin, *via, library])
             for plugin, missing in problems.items() for library, via in missing.items()]
    raise MissingLibraries(
        "Qt plugins need libraries that are neither bundled nor on every desktop:\n  "
        + "\n  ".join(lines)
        + "\nInstall them where the app is built (.ci/run lists the Debian packages), so that "
        "PyInstaller bundles them, or add them to build.spec's SYSTEM_LIBRARIES if every "
        "desktop really has them."
    )
