"""Install a validated pack into the user's library folder, atomically.

Layout: `DATA/library/packs/<slot>/` holds one pack exactly as it was (a content folder), so an
install is one `rename` of a fully written folder: before it nothing is visible, after it all is.
Files are first written to `packs/.incoming-<pid>-<random>/` on the same filesystem and fsynced;
the loader skips dot-folders, so a copy killed half-way is never read, and the next import removes
it once its process is gone. Older versions stay in their own slots (the library shows the newest
and keeps the others for diffs and for reading removed sections). Nothing goes to the install folder.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.content.library import Library, version_key
from reader.content.model import Briefing
from reader.updates.pack import Pack, PackError, read_pack
from reader.updates.seen import SeenVersions

log = logging.getLogger(__name__)
LIBRARY = "library"
PACKS = "packs"
STAGING_PREFIX = ".incoming-"
# Test hook: after the first file is copied, create this file and wait to be killed.
PAUSE_ENV = "BRIEFING_READER_IMPORT_PAUSE"


class PackInstallError(Exception):
    """The pack was valid but could not be written (disk full, permissions); nothing changed."""


@dataclass
class Installed:
    briefing: Briefing
    previous: Briefing | None  # the version shown before the import, if any

    def describe(self) -> str:
        b, p = self.briefing, self.previous
        new = f"“{b.title}” ({_label(b)})"
        if p is None:
            return f"added {new}"
        if version_key(b) < version_key(p):
            return f"{new} is older than the shown {_label(p)}; kept as an older version"
        return f"{new} replaces {_label(p)}"


@dataclass
class ImportResult:
    slot: Path | None  # the pack's folder in the library (None when it was already there)
    installed: list[Installed] = field(default_factory=list)
    already_installed: bool = False

    def summary(self) -> str:
        if self.already_installed:
            return "this pack is already installed; nothing changed"
        return "; ".join(i.describe() for i in self.installed)


def _label(b: Briefing) -> str:
    return f"version {b.meta.version}, {b.meta.date}" if b.meta.version else b.meta.date


def library_dir(data_dir: Path) -> Path:
    return data_dir / LIBRARY


def pack_folders(library: Path) -> list[Path]:
    """The installed packs, each a content folder (half-written ones are hidden and skipped)."""
    root = library / PACKS
    try:
        return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def import_pack(
    source: Path, data_dir: Path, current: Library,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate `source` and install it; raises PackError (refused) or PackInstallError (I/O).

    `current` is the library as shown now: it decides what the pack replaces and lets the
    "what changed" baseline remember the version the reader had before the update.
    `progress(files written, files)` is called first with 0 before anything is written (an
    exception raised by that call stops the import with nothing changed), then after each file.
    """
    pack = read_pack(source)
    installed = _check_against(pack, current)
    packs = library_dir(data_dir) / PACKS
    slot = packs / _slot_name(pack)
    if slot.exists():
        return ImportResult(None, [], already_installed=True)
    report = progress or (lambda _done, _total: None)
    report(0, len(pack.files))
    _remember_baseline(data_dir, installed)
    try:
        packs.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(packs)
        staging = _write_staging(pack, packs, report)
        os.rename(staging, slot)  # the one step that makes the pack visible
        _fsync_dir(packs)
    except OSError as exc:
        log.exception("installing %s failed", source)
        raise PackInstallError(f"cannot install {source}: {exc.strerror or exc}") from exc
    log.info("installed %s as %s", source, slot)
    return ImportResult(slot, installed)


def _check_against(pack: Pack, current: Library) -> list[Installed]:
    out, problems = [], []
    for b in pack.briefings:
        prev = current.briefing(b.id)
        if (prev is not None and prev.fingerprint != b.fingerprint
                and version_key(prev) == version_key(b)):
            problems.append(f"{b.path}:1: briefing '{b.id}' has the same date and version as the "
                            f"installed one ({_label(prev)}); give the update a later date or version")
        out.append(Installed(b, prev))
    if problems:
        raise PackError(pack.source, problems)
    return out


def _slot_name(pack: Pack) -> str:
    first = min(b.id for b in pack.briefings)
    newest = max(b.meta.date for b in pack.briefings)
    return f"{first}-{newest}-{pack.digest[:12]}"


def _remember_baseline(data_dir: Path, installed: list[Installed]) -> None:
    """Before the update is visible, note the version the reader has (if not noted yet)."""
    seen = SeenVersions.in_folder(data_dir)
    missing = {i.briefing.id: i.previous.fingerprint for i in installed
               if i.previous is not None and seen.get(i.briefing.id) is None}
    if missing:
        try:
            seen.set_many(missing)
        except OSError as exc:  # only costs the "what changed" baseline, not the import
            log.warning("cannot record seen versions: %s", exc)


def _write_staging(pack: Pack, packs: Path, progress: Callable[[int, int], None]) -> Path:
    staging = packs / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    folders = {staging}
    for n, (rel, data) in enumerate(sorted(pack.files.items())):
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
        with open(target, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if n == 0:
            _pause_for_tests()
        progress(n + 1, len(pack.files))
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        _fsync_dir(folder)  # the names must be durable before the rename publishes them
    return staging


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 60  # a test kills us long before; never hang forever
    while time.monotonic() < deadline:
        time.sleep(0.05)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_abandoned(packs: Path) -> None:
    """Remove staging folders left by imports that were killed (their process is gone)."""
    for p in packs.glob(f"{STAGING_PREFIX}*"):
        pid_text = p.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)) and int(pid_text) != os.getpid():
            continue
        log.info("removing abandoned import %s", p)
        shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # signal 0 is not a probe on Windows; assume it may still run
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
