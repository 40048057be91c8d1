"""What a command needs: the parsed options and the session (user folders, the library)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from reader.content import Library
from reader.paths import AppPaths
from reader.session import Session


@dataclass
class Context:
    args: argparse.Namespace
    paths: AppPaths
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        self.session = Session(self.paths, getattr(self.args, "content", None))

    @property
    def content_dirs(self) -> list[Path]:
        return self.session.content_dirs

    @property
    def library(self) -> Library:
        return self.session.library
