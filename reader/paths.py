"""Where things live: bundled resources and content (source tree or frozen), user data and cache.

Nothing is ever written next to the executable or into the content folder; everything the app
writes goes under the data dir (or the cache dir derived from it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from reader import APP_ID


def bundle_root() -> Path:
    """Folder holding `resources/` and `content/`: PyInstaller's `_MEIPASS` or the source tree."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource(name: str) -> Path:
    """Path of a file under `resources/`."""
    return bundle_root() / "resources" / name


def bundled_content() -> Path:
    return bundle_root() / "content"


@dataclass(frozen=True)
class AppPaths:
    """The user-writable folders of one run."""

    data: Path
    cache: Path

    @classmethod
    def create(cls, data_dir: Path | None = None) -> AppPaths:
        """`--data-dir` puts everything under one folder (tests, portable use); else the platform's."""
        if data_dir is not None:
            data, cache = data_dir, data_dir / "cache"
        else:
            data = Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
            cache = Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))
        return cls(data=data, cache=cache)

    @property
    def settings_file(self) -> Path:
        return self.data / "settings.ini"

    @property
    def log_dir(self) -> Path:
        return self.data / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "briefing-reader.log"

    def ensure(self) -> None:
        for folder in (self.data, self.cache, self.log_file.parent):
            folder.mkdir(parents=True, exist_ok=True)
