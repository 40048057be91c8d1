"""The one rule for which folders make the library, as the command line and the window use it."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.context import Context
from reader.content import load_library
from reader.paths import AppPaths, bundled_content
from reader.session import content_folders
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
