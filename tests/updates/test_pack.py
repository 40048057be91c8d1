"""Reading packs safely: zip traversal, symlinks, sizes, and the same checks as `check`."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from reader.updates import pack as pack_mod
from reader.updates.pack import PackError, read_pack, safe_name
from tests.conftest import write_briefing
from tests.updates.helpers import make_pack, updated_text


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def refusal(source: Path) -> list[str]:
    with pytest.raises(PackError) as info:
        read_pack(source)
    return info.value.problems


GOOD = updated_text().encode()


def test_folder_pack_is_read_and_parsed(tmp_path: Path) -> None:
    pack = read_pack(make_pack(tmp_path / "p"))
    assert [b.id for b in pack.briefings] == ["iran-russia"]
    assert pack.briefings[0].meta.version == "2"


def test_zip_of_a_folder_uses_the_folder_as_root(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "p.zip", {"update/iran-russia.md": GOOD, "update/.DS_Store": b"x",
                                      "__MACOSX/update/._iran-russia.md": b"junk"})
    pack = read_pack(z)
    assert [str(p) for p in pack.files] == ["iran-russia.md"]
    assert pack.briefings[0].id == "iran-russia"


def test_zip_holding_one_briefing_folder_keeps_it(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "p.zip", {"ir/briefing.md": GOOD, "ir/map.png": b"\x89PNG"})
    pack = read_pack(z)
    assert sorted(str(p) for p in pack.files) == ["ir/briefing.md", "ir/map.png"]


@pytest.mark.parametrize("name", ["../evil.md", "a/../../evil.md", "/etc/evil.md", "C:/evil.md",
                                  "a\\..\\evil.md"])
def test_zip_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    z = make_zip(tmp_path / "p.zip", {"iran-russia.md": GOOD, name: GOOD})
    [problem] = refusal(z)
    assert "unsafe path" in problem


def test_safe_name() -> None:
    assert safe_name("./a//b.md") == "a/b.md"
    assert safe_name("a/../b") is None and safe_name("") is None and safe_name("x\x00y") is None


def test_zip_symlink_member_is_refused(tmp_path: Path) -> None:
    z = tmp_path / "p.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("iran-russia.md", GOOD)
        link = zipfile.ZipInfo("link.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    [problem] = refusal(z)
    assert "symbolic links are not allowed" in problem


def test_folder_symlink_is_refused(tmp_path: Path) -> None:
    p = make_pack(tmp_path / "p")
    (tmp_path / "secret.md").write_text("secret")
    (p / "other.md").symlink_to(tmp_path / "secret.md")
    assert any("symbolic links" in m for m in refusal(p))


def test_size_limits_are_measured_while_reading(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pack_mod, "MAX_FILE_BYTES", 10_000)
    bomb = make_zip(tmp_path / "bomb.zip", {"iran-russia.md": GOOD, "big.txt": b"0" * 50_000})
    assert any("big.txt: larger than" in m for m in refusal(bomb))
    monkeypatch.setattr(pack_mod, "MAX_FILE_BYTES", 10**9)
    monkeypatch.setattr(pack_mod, "MAX_TOTAL_BYTES", 1000)
    assert any("pack is larger than" in m for m in refusal(make_pack(tmp_path / "p")))


def test_non_utf8_briefing_is_refused_with_file_and_line(tmp_path: Path) -> None:
    p = make_pack(tmp_path / "p")
    (p / "latin1.md").write_bytes("---\ntitle: Caf\xe9\ndate: 2026-01-01\n---\nx".encode("latin-1"))
    [problem] = refusal(p)
    assert problem == "p/latin1.md:2: not valid UTF-8 (byte 14)"


def test_bad_metadata_is_refused_with_every_reason(tmp_path: Path) -> None:
    p = tmp_path / "p"
    write_briefing(p, "a.md", "# A\ntext", date="yesterday")
    write_briefing(p, "b.md", "# B\ntext", title="")
    problems = refusal(p)
    assert any(m.startswith("p/a.md:") and "'date' is not YYYY-MM-DD" in m for m in problems)
    assert any(m.startswith("p/b.md:1:") and "missing 'title'" in m for m in problems)


def test_stray_files_duplicate_ids_and_types_are_refused(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "p.zip", {
        "one.md": GOOD, "two.md": GOOD, "run.sh": b"rm -rf /", "loose/pic.png": b"x",
    })
    problems = refusal(z)
    assert any("run.sh: file type not allowed" in m for m in problems)
    assert any("loose/pic.png: not inside a briefing folder" in m for m in problems)
    assert any("briefing id 'iran-russia' is also used by one.md" in m for m in problems)


def test_not_a_pack(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    assert "not a readable zip file" in refusal(tmp_path / "x.zip")[0]
    assert "no such file" in refusal(tmp_path / "missing")[0]
    (tmp_path / "empty").mkdir()
    assert "no briefings found" in refusal(tmp_path / "empty")[0]
