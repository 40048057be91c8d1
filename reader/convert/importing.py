"""Import any supported document: convert it, then install it through the safe pack import.

A briefing pack (a content folder, a `.zip` of one, a `.md` briefing) goes to
`reader.updates.import_pack` as it is. Anything else is converted (`convert_source`), written as
a one-briefing content folder in a private temporary folder and imported from there, so the
conversion gets the same validation, atomic install and new-version detection as a pack; a
refusal names the original file, and nothing is left behind either way.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.convert import Converted, ConvertError, Overrides, convert_source, zip_document_kind

if TYPE_CHECKING:
    from reader.content import Library
    from reader.updates import ImportResult

def is_pack(path: Path) -> bool:
    """A briefing pack as `import_pack` takes it, not a document to convert first."""
    suffix = path.suffix.lower()
    if path.is_file():
        if suffix == ".md":
            return True
        if suffix == ".zip":
            try:
                return zip_document_kind(path) is None  # a DOCX or EPUB named .zip is converted
            except (zipfile.BadZipFile, OSError, KeyError):
                return True  # the pack reader says what is wrong with it
        return False
    if path.is_dir():
        if (path / "briefing.md").is_file():
            return True
        return any(_has_front_matter(p) for p in sorted(path.glob("*.md"))[:50]) or \
            any(_has_front_matter(p / "briefing.md") for p in sorted(path.iterdir())[:200] if p.is_dir())
    return False


def _version_after(converted: Converted, current: Library) -> None:
    """A document converted again the same day (its date is the file's, or the same in the
    source) is a newer version of the one in the library, not a clash of two versions with one
    date: it gets the next version number. The same text is left alone (already installed)."""
    from reader.content.hashing import fingerprint

    shown = current.briefing(converted.briefing_id())
    if shown is None or converted.version or shown.meta.date != converted.date:
        return
    converted.version = shown.meta.version  # as the library has it: the very same text?
    if shown.fingerprint == fingerprint(converted.to_markdown().encode()):
        return  # the same pack, version and all: import_pack says it is already installed
    parts = shown.meta.version.split(".") if shown.meta.version else ["1"]
    parts[-1] = str(int(parts[-1]) + 1) if parts[-1].isdigit() else parts[-1] + ".2"
    candidate = ".".join(parts)
    for older in current.older_versions(shown.id):  # never a version the library already has
        if older.meta.date == converted.date and older.meta.version == candidate:
            candidate += ".1"
    converted.version = candidate


def _has_front_matter(md: Path) -> bool:
    """A content-format briefing: `---`, then `title:` and `date:` before the closing `---`."""
    try:
        with md.open("rb") as f:
            head = f.read(4096).decode("utf-8", "replace").splitlines()
    except OSError:
        return False
    if not head or head[0].strip() != "---":
        return False
    keys: set[str] = set()
    for line in head[1:]:
        if line.strip() == "---":
            return {"title", "date"} <= keys
        keys.add(line.split(":", 1)[0].strip().lower())
    return False


def import_document(
    path: Path, data_dir: Path, current: Library,
    progress: Callable[[int, int], None] | None = None,
    converted: Converted | None = None, fmt: str = "auto", overrides: Overrides | None = None,
) -> ImportResult:
    """Import `path`: a pack as it is, a document converted first (or `converted`, the result
    of an earlier `convert_source` the reader may have edited in the import dialog).
    Raises ConvertError, PackError (refused) or PackInstallError (I/O); nothing changes then."""
    from reader.updates import PackError, import_pack

    if converted is None and is_pack(path):
        return import_pack(path, data_dir, current, progress)
    if converted is None:
        converted = convert_source(path, fmt, overrides or Overrides())
    _version_after(converted, current)
    with tempfile.TemporaryDirectory(prefix="briefing-import-") as tmp:
        folder = Path(tmp) / "pack"
        try:
            converted.write(folder)
        except OSError as exc:
            raise ConvertError(path, f"cannot write the converted briefing: {exc.strerror or exc}") from exc
        try:
            return import_pack(folder, data_dir, current, progress)
        except PackError as exc:  # name the reader's file, not the temporary folder
            raise PackError(path, [p.replace(str(folder), path.name) for p in exc.problems]) from exc
