"""Lazy package exports (PEP 562): `from reader.search import SearchIndex` keeps working, but
the submodule, and what it imports (Whoosh, rapidfuzz, ...), loads on first use. This keeps
`briefing-reader` start-up and the Qt-free commands that do not need them fast."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `package.<module>` for each exported name."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        importlib.import_module(package).__dict__[name] = value  # next time: a plain lookup
        return value

    return __getattr__
