"""Build the one-folder app with PyInstaller from build.spec and smoke-test the executable.

Marked slow (about two minutes); .ci/run runs it like every other test.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
EXE_NAME = "briefing-reader.exe" if os.name == "nt" else "briefing-reader"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/briefing-reader/ built from a clean work folder (one-folder only, to save time)."""
    if shutil.which("pyinstaller") is None and not _has_pyinstaller():
        pytest.fail("PyInstaller is needed for the packaging test: pip install -e .[build]")
    out = tmp_path_factory.mktemp("pyinstaller")
    env = {**os.environ, "BRIEFING_ONEFILE": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(out / "dist"),
         "--workpath", str(out / "work"), "build.spec"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out / "dist" / "briefing-reader"


def _has_pyinstaller() -> bool:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return False
    return True


def run(exe: Path, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(exe), "--data-dir", str(data_dir), *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=data_dir)


def test_frozen_version(dist: Path, data_dir: Path) -> None:
    done = run(dist / EXE_NAME, "--version", data_dir=data_dir)
    assert done.returncode == 0 and done.stdout.strip() == f"briefing-reader {__version__}"


def test_frozen_self_test_uses_the_shipped_index(dist: Path, data_dir: Path) -> None:
    done = run(dist / EXE_NAME, "--self-test", data_dir=data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "rendered 11 section(s)" in out
    assert "index rebuilt: no (none;" in out  # the prebuilt index answered; nothing indexed
    assert "annotations: wrote and read back" in out
    assert "page(s)" in out  # the PDF export check
    assert out.strip().endswith("self-test: ok")


def test_frozen_search(dist: Path, data_dir: Path) -> None:
    done = run(dist / EXE_NAME, "search", "drone technology", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["results"]
    assert hits[0]["section"] == "iran-russia/military-cooperation"
    assert not (data_dir / "cache" / "index").exists()  # served from the shipped index


def test_frozen_app_runs_from_a_read_only_folder(dist: Path, tmp_path: Path, data_dir: Path) -> None:
    copy = tmp_path / "ro" / "briefing-reader"
    shutil.copytree(dist, copy, symlinks=True)
    before = sorted(p.relative_to(copy) for p in copy.rglob("*"))
    for p in [copy, *copy.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        done = run(copy / EXE_NAME, "--self-test", data_dir=data_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        edited = run(copy / EXE_NAME, "annotations", "add", "--section", "wrap-up", "--quote",
                     "Stay tuned", "--note", "read-only install", data_dir=data_dir)
        assert edited.returncode == 0, edited.stderr
        assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == before  # nothing written
        assert (data_dir / "annotations.sqlite3").exists()  # user data went to the data dir
    finally:
        for p in [copy, *copy.rglob("*")]:
            if not p.is_symlink():
                p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_frozen_app_indexes_a_big_library_with_worker_processes(
        dist: Path, tmp_path: Path, data_dir: Path) -> None:
    """A library past PARALLEL_MIN_DOCS is indexed by "spawn" workers, which in the frozen app
    are new runs of the executable itself (multiprocessing's frozen support); then searched."""
    from bench.synthetic import write_library
    from reader.search.build import PARALLEL_MIN_DOCS

    library = write_library(tmp_path / "big", sections=PARALLEL_MIN_DOCS + 100, words=60)
    done = run(dist / EXE_NAME, "--content", str(library), "index", data_dir=data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Indexed {PARALLEL_MIN_DOCS + 100} documents" in done.stdout, done.stdout
    word = (library / "briefing-0000.md").read_text().split("\n\n")[-1].split()[5].strip(".,;:")
    found = run(dist / EXE_NAME, "--content", str(library), "search", word, "--json",
                data_dir=data_dir)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["results"], (word, found.stdout)


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux wheels' ICU and shiboken layout")
def test_frozen_app_ships_trimmed_icu_data_and_precompiled_shiboken_support(dist: Path) -> None:
    from freeze import icu_data

    internal = dist / "_internal"
    (icu,) = (internal / "PySide6" / "Qt" / "lib").glob("libicudata.so.*")
    items = icu_data.package_items(icu.read_bytes())
    assert any("/coll/" in name for name in items) and not any(n.endswith(".cnv") for n in items)
    assert icu.stat().st_size < 12_000_000  # from 32 MB
    support = internal / "shiboken6" / "files.dir" / "shibokensupport"
    assert (support / "signature" / "loader.pyc").is_file() and not list(support.rglob("*.py"))


@pytest.mark.skipif(sys.platform != "linux", reason="the xcb platform plugin")
def test_frozen_app_carries_the_xcb_libraries_a_desktop_may_lack(dist: Path) -> None:
    """Since Qt 6.5 the xcb plugin needs libxcb-cursor.so.0, missing on many desktops (Ubuntu
    22.04): the app must carry it and the other xcb helpers (libxcb.so.1 itself is the system's)."""
    from freeze import plugin_deps

    internal = dist / "_internal"
    shipped = {p.name for p in internal.rglob("*.so*")}
    plugin = internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    wanted = {name for name in plugin_deps.needed(plugin) if name.startswith(("libxcb-", "libxkb"))
              and not plugin_deps.left_to_the_system(name)}
    assert "libxcb-cursor.so.0" in wanted and (internal / "libxcb-cursor.so.0").is_file()
    assert wanted <= shipped, sorted(wanted - shipped)


def test_frozen_app_converts_and_imports_every_document_format(
    dist: Path, tmp_path: Path, data_dir: Path
) -> None:
    """The converters load by name (build.spec lists them): each format converts in the frozen app,
    a DOCX imports and is found, the app's own PDF comes back with its sections."""
    from tests.convert.docs import make_docx, make_epub

    seed = ROOT / "tests" / "convert" / "fixtures" / "text" / "seed-article.txt"
    memo, book = make_docx(tmp_path / "memo.docx"), make_epub(tmp_path / "book.epub")
    (tmp_path / "page.html").write_text("<html><head><title>Page</title></head><body><main>"
                                        "<h1>Page</h1><h2>Part</h2><p>Words here.</p></main></body>")
    pdf = tmp_path / "brief.pdf"
    exported = run(dist / EXE_NAME, "export-pdf", "--all", "-o", str(pdf), data_dir=data_dir)
    assert exported.returncode == 0, exported.stderr
    for source, wanted in ((seed, "Deepening Ties"), (memo, "Rainfall"), (book, "Water Book"),
                           (tmp_path / "page.html", "Part"), (pdf, "Military Cooperation")):
        out = tmp_path / f"out-{source.suffix[1:]}"
        done = run(dist / EXE_NAME, "convert", str(source), "-o", str(out), data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        assert wanted in done.stdout
    done = run(dist / EXE_NAME, "import-briefing", str(memo), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    found = run(dist / EXE_NAME, "search", "Karaj", "--json", data_dir=data_dir)
    assert json.loads(found.stdout)["results"][0]["section"] == "water-report/rainfall"
