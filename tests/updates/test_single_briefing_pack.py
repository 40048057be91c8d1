"""`import-briefing` of one briefing folder (`briefing.md` and its `img/`), as a folder or a zip."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from reader.updates.pack import read_pack
from tests.conftest import ROOT, write_briefing


def briefing_folder(parent: Path, name: str = "weekly-notes") -> Path:
    folder = parent / name
    write_briefing(folder, "briefing.md", "## Map\n![map](img/map.png)\n", title="Weekly Notes")
    (folder / "img").mkdir()
    (folder / "img" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "img" / "chart.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return folder


def test_a_briefing_folder_is_a_pack_of_one(tmp_path: Path) -> None:
    pack = read_pack(briefing_folder(tmp_path))
    assert sorted(map(str, pack.files)) == ["weekly-notes/briefing.md", "weekly-notes/img/chart.svg",
                                            "weekly-notes/img/map.png"]
    assert [b.id for b in pack.briefings] == ["weekly-notes"]


def test_a_zip_of_the_folders_contents_too(tmp_path: Path) -> None:
    folder = briefing_folder(tmp_path)
    z = tmp_path / "weekly-notes.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in folder.rglob("*"):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())
    pack = read_pack(z)
    assert [b.id for b in pack.briefings] == ["weekly-notes"]
    assert "weekly-notes/img/map.png" in map(str, pack.files)


def test_the_command_imports_it(tmp_path: Path, data_dir: Path) -> None:
    folder = briefing_folder(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir),
                           "import-briefing", str(folder)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "added “Weekly Notes”" in done.stdout and "not inside a briefing folder" not in done.stderr
    [slot] = (data_dir / "library" / "packs").iterdir()
    assert (slot / "weekly-notes" / "img" / "map.png").is_file()
