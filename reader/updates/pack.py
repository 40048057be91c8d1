"""Read a briefing pack (a folder, a `.zip` or a single `.md`) into memory and validate it.

A pack is a content folder (see README "Content format"): `NAME.md` files and `NAME/briefing.md`
folders with their images. Reading is defensive because packs come from elsewhere: no symbolic
links, no absolute or `..` paths, no encrypted zip members, a cap on the number of files and on
their size (measured while reading, not trusted from the zip header, so a zip bomb stops early).
Then every briefing is parsed from memory with the same parser `briefing-reader check` uses, and
every problem it reports refuses the pack. Nothing here writes to disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reader.content.library import BRIEFING_FILE
from reader.content.model import Briefing
from reader.content.parser import parse_briefing

MAX_FILES = 2000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Briefings and what they can show; anything else in a pack is refused rather than installed.
ALLOWED_SUFFIXES = {".md", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".txt"}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\\]|^[A-Za-z]:")


class PackError(Exception):
    """The pack is refused; `problems` lists every reason (file:line where there is one)."""

    def __init__(self, source: Path, problems: list[str]) -> None:
        super().__init__(f"{source}: refused:\n" + "\n".join(f"  {p}" for p in problems))
        self.source = source
        self.problems = problems


@dataclass
class Pack:
    """A validated pack held in memory: relative path -> bytes, and the briefings parsed from it."""

    source: Path
    files: dict[PurePosixPath, bytes]
    briefings: list[Briefing] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Hash of every path and byte: the same pack imported twice has the same digest."""
        h = hashlib.sha256()
        for rel in sorted(self.files):
            h.update(f"{rel}\0{len(self.files[rel])}\0".encode())
            h.update(self.files[rel])
        return h.hexdigest()


class _Reader:
    """Collects files and problems while enforcing the limits."""

    def __init__(self) -> None:
        self.files: dict[PurePosixPath, bytes] = {}
        self.problems: list[str] = []
        self.total = 0

    def add(self, name: str, data: bytes) -> None:
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise _TooBig(f"pack is larger than {MAX_TOTAL_BYTES // 2**20} MB")
        self.files[PurePosixPath(name)] = data


class _TooBig(Exception):
    pass


def safe_name(name: str) -> str | None:
    """The member name as a clean relative POSIX path, or None if it could escape the folder."""
    if not name or name.startswith("/") or _UNSAFE_NAME.search(name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _hidden(name: str) -> bool:
    # Like the library loader, dot-files are not content; macOS zips add __MACOSX/ resource forks.
    return any(p.startswith(".") or p == "__MACOSX" for p in name.split("/"))


def _read_zip(path: Path, r: _Reader) -> None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        r.problems.append(f"{path}: not a readable zip file ({exc})")
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES:
            r.problems.append(f"{path}: more than {MAX_FILES} files")
            return
        for info in infos:
            _read_member(zf, info, path, r)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, r: _Reader) -> None:
    name = safe_name(info.filename)
    where = f"{path}/{info.filename}"
    if name is None:
        r.problems.append(f"{where}: unsafe path (absolute, '..' or a drive); refused")
    elif stat.S_ISLNK(info.external_attr >> 16):
        r.problems.append(f"{where}: symbolic links are not allowed in a pack")
    elif info.flag_bits & 0x1:
        r.problems.append(f"{where}: encrypted members are not supported")
    elif info.file_size > MAX_FILE_BYTES:
        r.problems.append(f"{where}: larger than {MAX_FILE_BYTES // 2**20} MB")
    elif not _hidden(name):
        try:
            with zf.open(info) as f:
                data = f.read(MAX_FILE_BYTES + 1)  # the header's size may lie: cap the read
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            r.problems.append(f"{where}: cannot be read ({exc})")
            return
        if len(data) > MAX_FILE_BYTES:
            r.problems.append(f"{where}: larger than {MAX_FILE_BYTES // 2**20} MB")
            return
        r.add(name, data)


def _read_folder(root: Path, r: _Reader) -> None:
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for d in list(dirnames):
            if (here / d).is_symlink():
                r.problems.append(f"{here / d}: symbolic links are not allowed in a pack")
                dirnames.remove(d)
        for fn in sorted(filenames):
            p = here / fn
            rel = p.relative_to(root).as_posix()
            if _hidden(rel):
                continue
            if p.is_symlink() or not p.is_file():
                r.problems.append(f"{p}: symbolic links and special files are not allowed in a pack")
                continue
            count += 1
            if count > MAX_FILES:
                r.problems.append(f"{root}: more than {MAX_FILES} files")
                return
            if p.stat().st_size > MAX_FILE_BYTES:
                r.problems.append(f"{p}: larger than {MAX_FILE_BYTES // 2**20} MB")
                continue
            r.add(rel, p.read_bytes())


def _unwrap(files: dict[PurePosixPath, bytes]) -> dict[PurePosixPath, bytes]:
    """A zip of a folder holds `folder/...`: use that folder as the pack's root."""
    tops = {rel.parts[0] for rel in files}
    if len(tops) != 1 or any(len(rel.parts) < 2 for rel in files):
        return files
    top = tops.pop()
    if PurePosixPath(top, BRIEFING_FILE) in files:  # the folder is itself a briefing
        return files
    return {PurePosixPath(*rel.parts[1:]): data for rel, data in files.items()}


def _single_briefing(files: dict[PurePosixPath, bytes], name: str) -> dict[PurePosixPath, bytes]:
    """A pack that is one briefing folder (`briefing.md` with its images at the top, and no other
    briefing beside it) becomes that folder, named as the pack is."""
    top_md = [rel for rel in files if len(rel.parts) == 1 and rel.suffix.lower() == ".md"]
    if top_md != [PurePosixPath(BRIEFING_FILE)] or not name:
        return files
    return {PurePosixPath(name, *rel.parts): data for rel, data in files.items()}


def read_pack(source: Path) -> Pack:
    """Read and validate a pack; raises PackError listing every reason to refuse it."""
    r = _Reader()
    try:
        if source.is_dir():
            _read_folder(source, r)
        elif source.suffix.lower() == ".zip":
            _read_zip(source, r)
        elif source.suffix.lower() == ".md" and source.is_file():
            r.add(source.name, source.read_bytes())
        elif not source.exists():
            r.problems.append(f"{source}: no such file or folder")
        else:
            r.problems.append(f"{source}: not a folder, a .zip or a .md file")
    except _TooBig as exc:
        r.problems.append(f"{source}: {exc}")
    except OSError as exc:
        r.problems.append(f"{source}: cannot be read ({exc.strerror or exc})")
    if r.problems:
        raise PackError(source, r.problems)
    name = source.stem if source.suffix.lower() == ".zip" else source.resolve().name
    pack = Pack(source, _single_briefing(_unwrap(r.files), name))
    problems = validate(pack)
    if problems:
        raise PackError(source, problems)
    return pack


def _briefing_files(files: dict[PurePosixPath, bytes]) -> tuple[list[PurePosixPath], list[str]]:
    """Which files are briefings (as the library loader sees them) and which belong to none."""
    folders = {rel.parts[0] for rel in files if len(rel.parts) == 2 and rel.name == BRIEFING_FILE}
    mains: list[PurePosixPath] = []
    strays: list[str] = []
    for rel in sorted(files):
        if len(rel.parts) == 1:
            if rel.suffix.lower() == ".md":
                mains.append(rel)
            else:
                strays.append(f"{rel}: not part of a briefing (expected NAME.md or NAME/briefing.md)")
        elif rel.parts[0] not in folders:
            strays.append(f"{rel}: not inside a briefing folder (NAME/briefing.md is missing)")
        elif len(rel.parts) == 2 and rel.name == BRIEFING_FILE:
            mains.append(rel)
    return mains, strays


def validate(pack: Pack) -> list[str]:
    """Every problem `check` would report for this pack, plus pack-level ones; sets `briefings`."""
    problems = [f"{rel}: file type not allowed in a pack" for rel in sorted(pack.files)
                if rel.suffix.lower() not in ALLOWED_SUFFIXES]
    mains, strays = _briefing_files(pack.files)
    problems += strays
    first_file: dict[str, PurePosixPath] = {}
    shown = Path(pack.source.name)  # messages name the file inside the pack
    for rel in mains:
        briefing, found = parse_briefing(shown / rel, pack.files[rel])
        problems += [str(p) for p in found]
        if briefing is None:
            continue
        if briefing.id in first_file:
            problems.append(f"{shown / rel}:1: briefing id '{briefing.id}' is also used by "
                            f"{first_file[briefing.id]}; a pack holds one version of a briefing")
            continue
        first_file[briefing.id] = rel
        pack.briefings.append(briefing)
    if not mains:
        problems.append(f"{pack.source}: no briefings found (expected NAME.md or NAME/briefing.md)")
    return problems
