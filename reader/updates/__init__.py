"""Qt-free briefing updates: import packs atomically, tell what changed since the reader last read.

- `pack`: read a pack (folder, `.zip` or one `.md`) safely and validate it like `check` does;
- `install`: put a validated pack into the user's library folder in one rename;
- `seen`: which version of each briefing the reader has seen (the baseline of "what changed");
- `changes`: per-section status new / changed / removed against read marks and that baseline;
- `diff`: word-level diff of a section's text (difflib), as operations or HTML.
"""

from typing import TYPE_CHECKING

from reader.lazy import lazy_exports

if TYPE_CHECKING:  # for type checkers and readers; at run time names load lazily
    from reader.updates.changes import ChangeKind, SectionChange, compute_changes
    from reader.updates.diff import WordDiff, word_diff
    from reader.updates.install import ImportResult, PackInstallError, import_pack, pack_folders
    from reader.updates.pack import Pack, PackError, read_pack
    from reader.updates.seen import SeenVersions

_EXPORTS = {
    "ChangeKind": "changes",
    "SectionChange": "changes",
    "compute_changes": "changes",
    "WordDiff": "diff",
    "word_diff": "diff",
    "ImportResult": "install",
    "PackInstallError": "install",
    "import_pack": "install",
    "pack_folders": "install",
    "Pack": "pack",
    "PackError": "pack",
    "read_pack": "pack",
    "SeenVersions": "seen",
}
__getattr__ = lazy_exports("reader.updates", _EXPORTS)

__all__ = [
    "ChangeKind", "ImportResult", "Pack", "PackError", "PackInstallError", "SectionChange",
    "SeenVersions", "WordDiff", "compute_changes", "import_pack", "pack_folders", "read_pack",
    "word_diff",
]
