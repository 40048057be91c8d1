"""Installing packs: atomic, refused packs change nothing, a killed import leaves the old version."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.content import load_library
from reader.updates import PackError, SeenVersions, import_pack
from reader.updates.install import PAUSE_ENV, STAGING_PREFIX, library_dir
from tests.conftest import ROOT, SEED
from tests.ui.conftest import make_context
from tests.updates.helpers import REMOVED, make_pack


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes (hidden staging folders included), less the
    caches (`cache/`: the parsed library that loading the library writes, rebuilt from it)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "cache"}


def shown(data_dir: Path):
    """The library as a fresh start of the app sees it."""
    return make_context(data_dir).library


def test_import_installs_next_to_the_bundled_version(tmp_path: Path, data_dir: Path) -> None:
    before = shown(data_dir)
    result = import_pack(make_pack(tmp_path / "p"), data_dir, before)
    assert result.slot is not None and result.slot.parent == library_dir(data_dir) / "packs"
    assert "replaces version 1, 2026-11-25" in result.summary()
    after = shown(data_dir)
    [b] = after.briefings
    assert b.meta.version == "2" and b.path.is_relative_to(data_dir)
    assert [o.meta.version for o in after.older_versions("iran-russia")] == ["1"]
    assert after.problems == []
    # The version the reader had is remembered as the baseline of "what changed".
    assert SeenVersions.in_folder(data_dir).get("iran-russia") == before.briefings[0].fingerprint
    assert not any(p.is_relative_to(SEED) for p in [result.slot])  # never the install folder
    again = import_pack(make_pack(tmp_path / "p"), data_dir, after)
    assert again.already_installed and again.slot is None


@pytest.mark.parametrize("breakage", ["non-utf8", "bad-metadata"])
def test_refused_pack_leaves_the_library_unchanged(tmp_path: Path, data_dir: Path, breakage: str) -> None:
    import_pack(make_pack(tmp_path / "v2"), data_dir, shown(data_dir))
    before_files = snapshot(data_dir)
    before = shown(data_dir)
    bad = make_pack(tmp_path / "v3", date="2026-11-27", version="3")
    if breakage == "non-utf8":
        (bad / "notes.md").write_bytes(b"---\ntitle: x\ndate: 2026-01-01\n---\n\xff\xfe")
    else:
        text = (bad / "iran-russia.md").read_text().replace("date: 2026-11-27", "date: 27/11/2026")
        (bad / "iran-russia.md").write_text(text)
    with pytest.raises(PackError) as info:
        import_pack(bad, data_dir, before)
    expected = "not valid UTF-8" if breakage == "non-utf8" else "'date' is not YYYY-MM-DD"
    assert any(expected in p for p in info.value.problems)
    assert snapshot(data_dir) == before_files
    after = shown(data_dir)
    assert after.briefings[0].meta.version == "2" and after.fingerprint == before.fingerprint


def test_same_version_with_other_text_is_refused(tmp_path: Path, data_dir: Path) -> None:
    p = make_pack(tmp_path / "p", date="2026-11-25", version="1")
    with pytest.raises(PackError, match="same date and version"):
        import_pack(p, data_dir, shown(data_dir))
    assert snapshot(data_dir) == {}


def test_import_killed_mid_copy_leaves_the_old_version_intact(tmp_path: Path, data_dir: Path) -> None:
    import_pack(make_pack(tmp_path / "v2"), data_dir, shown(data_dir))
    v3 = make_pack(tmp_path / "v3", date="2026-11-27", version="3")
    (v3 / "zz-second.md").write_text("---\ntitle: Second\ndate: 2026-11-27\n---\n# Second\nText.\n")
    marker = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: str(marker), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(data_dir), "import-briefing", str(v3)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), child.communicate()[1]
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # It really was killed mid-copy: a staging folder holds the first file and not the second.
    [staging] = (library_dir(data_dir) / "packs").glob(f"{STAGING_PREFIX}*")
    assert sorted(p.name for p in staging.iterdir()) == ["iran-russia.md"]

    after = shown(data_dir)
    assert after.problems == []
    assert [b.meta.version for b in after.briefings] == ["2"]  # the earlier version, whole
    assert after.find("iran-russia/military-cooperation") is not None
    assert after.find(f"iran-russia/{REMOVED}") is None  # v2's own text, not a mix
    # The next import cleans the abandoned copy up and installs normally.
    result = import_pack(v3, data_dir, after)
    assert not list((library_dir(data_dir) / "packs").glob(f"{STAGING_PREFIX}*"))
    assert result.slot is not None
    assert [b.meta.version for b in shown(data_dir).briefings if b.id == "iran-russia"] == ["3"]


def test_older_versions_are_kept_newest_first(tmp_path: Path, data_dir: Path) -> None:
    for n in (2, 3):
        import_pack(make_pack(tmp_path / f"v{n}", date=f"2026-11-2{5 + n}", version=str(n)),
                    data_dir, shown(data_dir))
    lib = shown(data_dir)
    assert lib.briefings[0].meta.version == "3"
    assert [b.meta.version for b in lib.older_versions("iran-russia")] == ["2", "1"]
    assert sum(1 for _ in lib.sections()) == sum(1 for _ in lib.briefings[0].sections())
    assert not lib.contains(lib.older_versions("iran-russia")[0].root)


def test_identical_copy_is_not_an_older_version(tmp_path: Path) -> None:
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "iran-russia.md").write_bytes((SEED / "iran-russia.md").read_bytes())
    lib = load_library([tmp_path / "a", tmp_path / "b"])
    assert lib.older_versions("iran-russia") == []
    assert lib.briefings[0].path.parent.name == "a"
