"""freeze/icu_data.py: the trimmed ICU data library is a valid library that Qt reads."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from freeze import icu_data

QT_LIB = Path(__import__("PySide6").__file__).parent / "Qt" / "lib"
ICU_DATA = sorted(QT_LIB.glob("libicudata.so.*"))
needs_icu = pytest.mark.skipif(not ICU_DATA, reason="this PySide6 wheel ships no ICU data library")


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("icu") / ICU_DATA[0].name
    assert icu_data.trim_file(ICU_DATA[0], target)
    return target


def test_package_round_trip() -> None:
    header = b"\x20\x00\xda\x27" + bytes(8) + b"CmnD" + bytes(16)
    items = [icu_data.Item("icudt73l/a.res", b"x" * 5), icu_data.Item("icudt73l/coll/b.res", b"yz")]
    blob = icu_data.write_package(header, items)
    got_header, got = icu_data.read_package(blob)
    assert got_header == header
    assert [i.name for i in got] == [i.name for i in items]
    # items come back padded to ICU's 16-byte alignment, at 16-byte aligned offsets
    assert [i.data.rstrip(b"\0") for i in got] == [i.data for i in items]
    assert all(blob.index(i.data) % 16 == 0 for i in items)


def test_what_is_dropped() -> None:
    assert icu_data.dropped("icudt73l/brkitr/cjdict.dict")
    assert icu_data.dropped("icudt73l/ibm-1390_P110-2003.cnv")
    assert icu_data.dropped("icudt73l/zone/ru.res")
    assert not icu_data.dropped("icudt73l/zone/root.res")
    assert not icu_data.dropped("icudt73l/coll/sv.res")
    assert not icu_data.dropped("icudt73l/cnvalias.icu")
    assert not icu_data.dropped("icudt73l/ru.res")


def test_not_an_icu_library_is_left_alone() -> None:
    assert icu_data.trim(b"not an ELF file at all" * 100) is None
    core = sorted(QT_LIB.glob("libQt6Core.so.*")) or pytest.skip("no libQt6Core")
    assert icu_data.trim(core[0].read_bytes()) is None


@needs_icu
def test_trimmed_library_loads_and_holds_the_kept_items(trimmed: Path) -> None:
    before = icu_data.package_items(ICU_DATA[0].read_bytes())
    after = icu_data.package_items(trimmed.read_bytes())
    assert after == [name for name in before if not icu_data.dropped(name)]
    assert any("/coll/" in name for name in after) and not any(n.endswith(".cnv") for n in after)
    assert trimmed.stat().st_size < ICU_DATA[0].stat().st_size / 2
    # The dynamic loader maps it and its one symbol points at the trimmed package.
    lib = ctypes.CDLL(str(trimmed))
    symbol = "icudt" + ICU_DATA[0].name.rsplit(".", 1)[-1] + "_dat"
    header = (ctypes.c_char * 16).in_dll(lib, symbol).raw
    assert header[2:4] == b"\xda\x27" and header[12:16] == b"CmnD"


@needs_icu
@pytest.mark.skipif(sys.platform != "linux", reason="LD_PRELOAD")
def test_qt_sorts_and_maps_case_with_the_trimmed_data(trimmed: Path) -> None:
    """Qt in a fresh process, with the trimmed library loaded in place of the wheel's."""
    code = (
        "from functools import cmp_to_key\n"
        "from PySide6.QtCore import QCollator, QLocale\n"
        "from reader.ui.app.application import COLLATION_CASES\n"
        "for name, words in COLLATION_CASES.items():\n"
        "    got = sorted(reversed(words), key=cmp_to_key(QCollator(QLocale(name)).compare))\n"
        "    assert got == words, (name, got)\n"
        "assert QLocale('tr').toUpper('i') == '\\u0130'\n"
        "print('ok')\n"
    )
    env = {**os.environ, "LD_PRELOAD": str(trimmed), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
