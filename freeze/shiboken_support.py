"""Ship shiboken's Python support package precompiled (used by build.spec).

shiboken6, PySide6's binding runtime, keeps its support package `shibokensupport` (the
signature and `__feature__` machinery, 13 modules) as sources zipped into libshiboken, and
compiles them at every start of every PySide6 program. When a folder `files.dir` sits next to
the shiboken6 package, shiboken imports the package from that folder instead (its SBK_EMBED=0
"incarnation" of the embedded files). The build writes the very modules embedded in the
installed shiboken6 there, compiled by the build's Python and without sources: the frozen app
then starts ~15-20 ms sooner (measured with bench/startup_bench.py). If the files are missing
or unusable, shiboken falls back to its embedded copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FOLDER = "shiboken6/files.dir"  # where the frozen app must have it (next to shiboken6/)

# Runs in a fresh interpreter: importing QtCore makes shiboken load its support package from
# the embedded zip, whose importer each module keeps as __loader__.
_WRITE = """
import py_compile, sys, tempfile
from pathlib import Path
import PySide6.QtCore
embedded = sys.modules["shibokensupport.signature.loader"].__loader__.zfile
target = Path(sys.argv[1])
with tempfile.TemporaryDirectory() as scratch:
    for name in embedded.namelist():
        if name.startswith("shibokensupport/") and name.endswith(".py"):
            source = Path(scratch, name)
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(embedded.read(name))
            compiled = target / (name[:-3] + ".pyc")
            compiled.parent.mkdir(parents=True, exist_ok=True)
            py_compile.compile(str(source), cfile=str(compiled), dfile=name, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            print(name)
"""


def write(target: Path) -> list[str]:
    """Write the precompiled support package into `target` (to ship as FOLDER); the names of
    the modules written, or [] if this shiboken6 has no embedded package to take them from."""
    shutil.rmtree(target, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", _WRITE, str(target)], capture_output=True,
                          text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode != 0:
        return []
    return done.stdout.split()
