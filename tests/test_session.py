"""The one rule for which folders make the library, as the command line and the window use it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from reader.content import load_library
from reader.paths import AppPaths, bundled_content
from reader.session import Context, content_folders
from reader.updates import import_pack
from tests.updates.helpers import make_pack


def test_imported_packs_are_content_folders(tmp_path: Path, data_dir: Path) -> None:
    assert content_folders(None, data_dir) == [bundled_content()]
    import_pack(make_pack(tmp_path / "pack"), data_dir, load_library([bundled_content()]))
    [slot] = (data_dir / "library" / "packs").iterdir()
    assert content_folders("", data_dir) == [bundled_content(), data_dir / "library", slot]
    assert content_folders(tmp_path / "mine", data_dir)[0] == tmp_path / "mine"
    assert load_library(content_folders(None, data_dir)).briefings[0].meta.version == "2"


def test_the_command_line_uses_the_same_rule(tmp_path: Path, data_dir: Path) -> None:
    import_pack(make_pack(tmp_path / "pack"), data_dir, load_library([bundled_content()]))
    for content in (None, str(tmp_path)):
        args = argparse.Namespace(content=content)
        ctx = Context(args=args, paths=AppPaths.create(data_dir))
        assert ctx.content_dirs == content_folders(content, data_dir)


def test_the_session_loads_lazily_switches_and_reloads(tmp_path: Path) -> None:
    from reader.paths import AppPaths
    from reader.session import Session
    from tests.conftest import write_briefing

    other = tmp_path / "other"
    write_briefing(other, "o.md", "# Other\ntext\n", id="other", title="Other")
    session = Session(AppPaths.create(tmp_path / "data"))
    assert not session.loaded and session.content is None
    assert session.library.briefings[0].id == "iran-russia" and session.loaded
    loaded = session.load(other)  # loading does not change the session ...
    assert session.library.briefings[0].id == "iran-russia"
    session.use(loaded, other)  # ... using does
    assert session.library is loaded and session.content == str(other)
    assert session.content_dirs[0] == other
    again = session.reload()
    assert again is session.library and again is not loaded
    assert [b.id for b in again.briefings] == ["other"]
    with pytest.raises(RuntimeError):
        session.choose(None)  # the folder of a loaded session changes by load() + use()
