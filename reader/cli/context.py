"""What a command needs: the parsed options, the user folders and (lazily) the library."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reader.content import Library, load_library
from reader.paths import AppPaths, bundled_content


@dataclass
class Context:
    args: argparse.Namespace
    paths: AppPaths

    @property
    def content_dirs(self) -> list[Path]:
        """`--content DIR` replaces the bundled briefings; imported ones are always added."""
        dirs = [Path(self.args.content)] if self.args.content else [bundled_content()]
        library = self.paths.data / "library"
        if library.is_dir():
            from reader.updates.install import pack_folders  # zip handling only when imports exist

            dirs.append(library)
            dirs.extend(pack_folders(library))  # each imported pack is a content folder
        return dirs

    @cached_property
    def library(self) -> Library:
        return load_library(self.content_dirs)
