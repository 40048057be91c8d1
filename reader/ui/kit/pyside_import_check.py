"""A cheaper form of the check PySide6 runs on every module imported after it.

PySide6 (PYSIDE-2029, `shibokensupport.feature.feature_imported`) asks of each newly imported
module whether its source mentions "PySide6", for its `from __feature__ import ...` switches,
and finds out with `inspect.getsource`: linecache, tokenize and a decode of the whole file, per
module. Importing Whoosh and the search code (~100 modules) on the index build's thread then took
200-500 ms of Python holding the GIL, the window stalling 50-75 ms at a time just after start
while the reader may be typing. The same answer comes from reading the file's bytes: "PySide6" is
ASCII, so it is in the bytes exactly when it is in the text. Modules without a `.py` file (built
in, frozen, the packaged app's archive) are left to PySide's own check. This app uses no
`__feature__` switches; the check is kept exact all the same.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_OURS: set[Callable[[ModuleType], bool]] = set()  # the checks put in PySide's place


def quicken() -> bool:
    """Replace PySide's per-module check by the byte search; False if this PySide has none."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if original in _OURS:
        return True
    feature.__dict__["_mod_uses_pyside"] = byte_search(original)
    return True


def byte_search(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    _OURS.add(uses_pyside)
    return uses_pyside
