"""freeze/shiboken_support.py: shiboken's embedded support package, precompiled for the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from freeze import shiboken_support


def test_writes_every_embedded_module_as_loadable_bytecode(tmp_path: Path) -> None:
    target = tmp_path / "files.dir"
    names = shiboken_support.write(target)
    assert "shibokensupport/signature/loader.py" in names
    assert "shibokensupport/feature.py" in names
    written = sorted(str(p.relative_to(target)) for p in target.rglob("*.pyc"))
    assert written == sorted(n[:-3] + ".pyc" for n in names)
    assert not list(target.rglob("*.py"))  # bytecode only: nothing to compile at start
    # A plain interpreter imports them from the folder, sourceless, as shiboken will.
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import shibokensupport.signature.lib.tool as tool\n"
            "print(tool.__file__.endswith('tool.pyc'), hasattr(tool, 'build_brace_pattern'))")
    done = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_rewrites_the_folder_from_scratch(tmp_path: Path) -> None:
    target = tmp_path / "files.dir"
    (target / "shibokensupport").mkdir(parents=True)
    (target / "shibokensupport" / "stale.pyc").write_bytes(b"old")
    assert shiboken_support.write(target)
    assert not (target / "shibokensupport" / "stale.pyc").exists()
