"""What a command needs: the parsed options, the user folders and (lazily) the library."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reader.content import Library, load_library
from reader.paths import AppPaths
from reader.session import content_folders


@dataclass
class Context:
    args: argparse.Namespace
    paths: AppPaths

    @property
    def content_dirs(self) -> list[Path]:
        """`--content DIR` replaces the bundled briefings; imported ones are always added."""
        return content_folders(self.args.content, self.paths.data)

    @cached_property
    def library(self) -> Library:
        return load_library(self.content_dirs)
