"""The reader's session, Qt-free: which folders make the library.

One rule, used by the command line (`Context.content_dirs`) and by the window (start-up, File ▸
Open Content Folder, File ▸ Open Recent, imports), so every way of loading sees the same briefings.
"""

from __future__ import annotations

from pathlib import Path

from reader.paths import bundled_content

IMPORTED = "library"  # DATA/library: imported briefings (reader.updates.install.LIBRARY)


def content_folders(content: str | Path | None, data_dir: Path) -> list[Path]:
    """The chosen content folder (None or "" = the bundled briefings), then every imported one:
    `DATA/library` itself and each pack installed under it."""
    dirs = [Path(content) if content else bundled_content()]
    imported = data_dir / IMPORTED
    if imported.is_dir():
        from reader.updates.install import pack_folders  # zip handling only when imports exist

        dirs.append(imported)
        dirs.extend(pack_folders(imported))  # each imported pack is a content folder
    return dirs
