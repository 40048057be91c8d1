"""freeze/plugin_deps.py: the build fails when a bundled Qt plugin needs a library that is
neither bundled nor on every desktop."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from freeze import plugin_deps

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="ELF plugins")

QT = Path(__import__("PySide6").__file__).parent / "Qt"
OFFSCREEN = QT / "plugins" / "platforms" / "libqoffscreen.so"
XCB = QT / "plugins" / "platforms" / "libqxcb.so"
PLATFORMS = "PySide6/Qt/plugins/platforms/"
# What the offscreen plugin links besides libxkbcommon, "on every desktop" in these tests; Qt's
# own libraries are listed too, so that only the copies made here are ever read.
LISTED = frozenset(plugin_deps.needed(OFFSCREEN)) - {"libxkbcommon.so.0"}


def relinked(target: Path, old: str, new: str) -> Path:
    """A copy of the offscreen plugin whose DT_NEEDED entry `old` reads `new` (same length)."""
    blob = OFFSCREEN.read_bytes()
    was, now = f"\0{old}\0".encode(), f"\0{new}\0".encode()
    assert len(was) == len(now) and blob.count(was) == 1
    target.write_bytes(blob.replace(was, now))
    return target


def provided(name: str) -> bool:
    return name in LISTED


def test_reads_the_needed_libraries_from_the_elf_file() -> None:
    names = plugin_deps.needed(XCB)
    assert "libxcb-cursor.so.0" in names and "libQt6XcbQpa.so.6" in names
    if shutil.which("objdump"):  # binutils' view of the same entries, in the same order
        dump = subprocess.run(["objdump", "-p", str(XCB)], capture_output=True, text=True).stdout
        assert names == [line.split()[1] for line in dump.splitlines() if "NEEDED" in line]


def test_not_an_elf_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "libfake.so").write_bytes(b"not an ELF file at all")
    with pytest.raises(ValueError, match="not an ELF file"):
        plugin_deps.needed(tmp_path / "libfake.so")


def test_passes_when_every_library_is_bundled_or_listed(tmp_path: Path) -> None:
    plugin = relinked(tmp_path / "libqfake.so", "libxkbcommon.so.0", "libnot-there.so.0")
    toc = [(PLATFORMS + "libqfake.so", str(plugin), "BINARY"),
           # bundled, and so is what they need in turn (a loop: the stand-in is the same file)
           ("libnot-there.so.0", str(OFFSCREEN), "BINARY"),
           ("libxkbcommon.so.0", str(OFFSCREEN), "BINARY")]
    plugin_deps.check(toc, provided)
    assert plugin_deps.unmet(toc, provided) == {}


def test_fails_naming_the_plugin_and_the_library(tmp_path: Path) -> None:
    plugin = relinked(tmp_path / "libqfake.so", "libxkbcommon.so.0", "libnot-there.so.0")
    toc = [(PLATFORMS + "libqfake.so", str(plugin), "BINARY")]
    with pytest.raises(plugin_deps.MissingLibraries) as raised:
        plugin_deps.check(toc, provided)
    assert f"{PLATFORMS}libqfake.so -> libnot-there.so.0" in str(raised.value)
    assert plugin_deps.unmet(toc, provided) == {PLATFORMS + "libqfake.so": {"libnot-there.so.0": []}}


def test_follows_bundled_libraries_and_symlinks(tmp_path: Path) -> None:
    """The plugin links a bundled library (through a top-level symlink, as PyInstaller lays out
    Qt's) that needs the missing one: the error shows the chain."""
    plugin = relinked(tmp_path / "libqfake.so", "libQt6Gui.so.6", "libQt6Xyz.so.6")
    library = relinked(tmp_path / "libQt6Xyz.so.6.11", "libxkbcommon.so.0", "libnot-there.so.0")
    toc = [(PLATFORMS + "libqfake.so", str(plugin), "BINARY"),
           ("PySide6/Qt/lib/libQt6Xyz.so.6.11", str(library), "BINARY"),
           ("libQt6Xyz.so.6", "PySide6/Qt/lib/libQt6Xyz.so.6.11", "SYMLINK")]
    with pytest.raises(plugin_deps.MissingLibraries,
                       match=r"libqfake\.so -> libQt6Xyz\.so\.6 -> libnot-there\.so\.0"):
        plugin_deps.check(toc, lambda name: provided(name) or name == "libxkbcommon.so.0")
    # Not a plugin itself: a library nothing bundled links to is not checked.
    plugin_deps.check(toc[1:], provided)


def test_real_xcb_plugin_without_libxcb_cursor_fails() -> None:
    """Issue 14's case: the wheel's xcb plugin and Qt libraries, built where every library but
    libxcb-cursor is installed (bundled or left to the system, as build.spec decides)."""
    toc = [(PLATFORMS + "libqxcb.so", str(XCB), "BINARY")]
    toc += [(f"PySide6/Qt/lib/{lib.name}", str(lib), "BINARY") for lib in (QT / "lib").glob("*.so*")]

    def found(name: str) -> bool:
        return name != "libxcb-cursor.so.0"

    with pytest.raises(plugin_deps.MissingLibraries) as raised:
        plugin_deps.check(toc, found)
    assert f"\n  {PLATFORMS}libqxcb.so -> libxcb-cursor.so.0\n" in str(raised.value)
    # Reported once, by the shortest chain, though libQt6XcbQpa.so.6 needs it as well.
    assert plugin_deps.unmet(toc, found) == {PLATFORMS + "libqxcb.so": {"libxcb-cursor.so.0": []}}
    assert "libxcb-cursor.so.0" in plugin_deps.needed(QT / "lib" / "libQt6XcbQpa.so.6")


def test_pyinstaller_and_the_loader_leave_these_to_the_system() -> None:
    assert plugin_deps.left_to_the_system("libc.so.6")
    assert plugin_deps.left_to_the_system("ld-linux-x86-64.so.2")
    assert plugin_deps.left_to_the_system("libwayland-client.so.0")
    assert not plugin_deps.left_to_the_system("libxcb-cursor.so.0")
