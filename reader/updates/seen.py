"""Which version of each briefing the reader has seen: the baseline "what changed" compares with.

Read marks (annotations store) say which text of a section the reader last read; this file says
which version of a briefing they last had in front of them, so an update can also name sections
that are new or removed, and sections changed that were never marked read. One small JSON file in
the data folder, replaced atomically on every write.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "seen-versions.json"


class SeenVersions:
    """briefing id -> fingerprint (source hash) of the version the reader has seen."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, str] = self._load()

    @classmethod
    def in_folder(cls, data_dir: Path) -> SeenVersions:
        return cls(data_dir / FILE_NAME)

    def _load(self) -> dict[str, str]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # a damaged file only loses the baseline
            log.warning("ignoring unreadable %s: %s", self.path, exc)
            return {}
        if not isinstance(raw, dict):
            return {}
        return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}

    def get(self, briefing_id: str) -> str | None:
        return self._data.get(briefing_id)

    def as_dict(self) -> dict[str, str]:
        return dict(self._data)

    def set_many(self, values: dict[str, str]) -> None:
        """Record several briefings at once (re-reading the file first: another process may write)."""
        self._data = {**self._load(), **values}
        self._write()

    def set(self, briefing_id: str, fingerprint: str) -> None:
        self.set_many({briefing_id: fingerprint})

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".seen-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._data, f, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
