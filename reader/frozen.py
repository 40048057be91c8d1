"""multiprocessing in the frozen app, set up only when it is used.

The search index of a big library is built by "spawn" worker processes, which in the frozen app
are new runs of the executable itself. PyInstaller's multiprocessing runtime hook makes that work,
but as a runtime hook it would import multiprocessing (and subprocess, socket, ...) at every start,
~15 ms before the first paint, for a feature most starts never use. build.spec therefore ships
the hook unchanged as a file, and it runs here: in a worker or helper process before anything
else (`__main__`), in the app just before it starts workers (`reader.search.build`).
"""

from __future__ import annotations

import runpy
import sys

from reader.paths import bundle_root

HOOK_FILE = "pyi_rth_multiprocessing.py"  # where build.spec puts PyInstaller's hook
_enabled = False


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def is_multiprocessing_child(argv: list[str]) -> bool:
    """Arguments multiprocessing gives a spawned worker or its resource tracker / fork server
    (the app itself has no `-c` option)."""
    return "--multiprocessing-fork" in argv or "-c" in argv[1:]


def enable_multiprocessing() -> None:
    """Run PyInstaller's multiprocessing hook once (frozen only; from source nothing is needed)."""
    global _enabled
    if _enabled or not is_frozen():
        return
    hook = bundle_root() / HOOK_FILE
    if hook.is_file():  # a build without it (older spec) had the hook run at start already
        runpy.run_path(str(hook), run_name="pyi_rth_multiprocessing")
    _enabled = True
