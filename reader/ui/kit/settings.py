"""One typed settings object; defaults live here and nowhere else. `QSettings` (INI file in the
data folder) stores them, so tests with a temp data dir never touch the user's settings.

QSettings writes the whole file atomically (`QSaveFile`: a temporary file renamed over the old
one, since atomic sync is required by default), so a process killed while it writes leaves the
previous file, never half of one; `sync()` is what the debounced reading-position save calls."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


class Setting(Generic[T]):
    """A typed attribute backed by one QSettings key."""

    def __init__(self, key: str, default: T) -> None:
        self.key, self.default = key, default

    @overload
    def __get__(self, obj: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> Any:
        if obj is None:
            return self
        value = obj.qsettings.value(self.key, self.default)
        return _coerce(value, self.default)

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, value)


def _coerce(value: Any, default: Any) -> Any:
    """INI files store text; turn it back into the default's type (bad values -> default)."""
    try:
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, QByteArray):
            return value if isinstance(value, QByteArray) else QByteArray()
        if isinstance(default, list):
            if value in (None, ""):
                return []
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return str(value) if value is not None else default
    except (TypeError, ValueError):
        return default


class Settings:
    # window
    geometry = Setting("window/geometry", QByteArray())
    window_state = Setting("window/state", QByteArray())
    # reading position
    last_section = Setting("reading/last_section", "")  # written through set_last_section
    last_section_at = Setting("reading/last_section_at", 0.0)  # its stamp (see _stamp)
    # printing (reader/ui/features/printing/feature.py): page set-up and the last choices of the dialog
    print_page_size = Setting("print/page_size", "A4")
    print_landscape = Setting("print/landscape", False)
    print_margins_mm = Setting("print/margins_mm", "25,16,25,16")  # left,top,right,bottom
    print_scope = Setting("print/scope", "subtree")
    print_highlights = Setting("print/include_highlights", False)
    print_notes = Setting("print/include_notes", False)
    print_folder = Setting("print/last_folder", "")
    # look (see reader/ui/kit/themes.py and reader/ui/reading/typography.py)
    theme = Setting("look/theme", "system")  # "system", "light", "dark" or "sepia"
    font_size = Setting("look/font_size", 13.0)  # article body size in points (zoom)
    font_family = Setting("look/font_family", "serif")  # "serif" or "sans"
    text_width = Setting("look/text_width", 760)  # widest reading column, px at 100 %
    line_spacing = Setting("look/line_spacing", 1.5)  # body line height, times the font's (1.2–2.0)
    page_margin = Setting("look/page_margin", 4)  # px around the text at 100 % (Qt's own is 4)
    # library
    content_folder = Setting("library/content_folder", "")  # "" = the bundled briefings
    recent_folders = Setting("library/recent_folders", list[str]())  # newest first
    restore_position = Setting("reading/restore_position", True)
    # annotating (reader/ui/reading/caret.py, reader/ui/kit/themes.py's safe palette)
    caret_browsing = Setting("reading/caret_browsing", False)  # F7: a caret in the article
    safe_highlights = Setting("look/safe_highlights", False)  # colour-blind-safe highlight colours

    RECENT_LIMIT = 8

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        # Stamps of this run come after those already saved, even if the clock went back.
        self.qsettings.beginGroup("position_times")
        saved = [_coerce(self.qsettings.value(k), 0.0) for k in self.qsettings.childKeys()]
        self.qsettings.endGroup()
        self._last_stamp: float = max([self.last_section_at, *saved])

    def sync(self) -> None:
        self.qsettings.sync()

    def _stamp(self) -> float:
        """When a place was saved: the time, but strictly after the previous stamp of this run
        (two saves in one clock tick must still be ordered; Windows' clock ticks every 15 ms)."""
        stamp = max(time.time(), self._last_stamp + 0.001)
        self._last_stamp = stamp
        return stamp

    def set_last_section(self, section_key: str) -> None:
        """The section being read now (written at once, on every change of section)."""
        self.last_section = section_key
        self.last_section_at = self._stamp()

    # Positions are stored per briefing, keyed by its id, so each briefing reopens where it
    # was left; the scroll is a fraction of the page height so zoom changes don't break it.
    def position(self, briefing_id: str) -> tuple[str, float] | None:
        """The (section key, scroll fraction) last read in a briefing, or None."""
        raw = self.qsettings.value(f"positions/{briefing_id}", "")
        key, _, fraction = str(raw or "").rpartition("@")
        try:
            return (key, min(1.0, max(0.0, float(fraction)))) if key else None
        except ValueError:
            return None

    def set_position(self, briefing_id: str, section_key: str, fraction: float) -> None:
        self.qsettings.setValue(f"positions/{briefing_id}", f"{section_key}@{fraction:.6f}")
        self.qsettings.setValue(f"position_times/{briefing_id}", self._stamp())

    def position_at(self, briefing_id: str) -> float:
        """When a briefing's position was saved (0 for positions saved before stamps existed)."""
        return _coerce(self.qsettings.value(f"position_times/{briefing_id}", 0.0), 0.0)

    def position_to_reopen(self, briefing_id: str) -> tuple[str, float] | None:
        """The saved position in the briefing of `last_section`, unless `last_section` is newer:
        the newest place wins. A position is saved when a place is left and a moment after
        reading stops (debounced), `last_section` at once, so after an unclean end (a signal,
        a crash, power) the position can be the older of the two."""
        saved = self.position(briefing_id)
        if saved is None or self.position_at(briefing_id) < self.last_section_at:
            return None
        return saved

    def _positioned(self) -> list[str]:
        """Ids of the briefings with a saved position."""
        self.qsettings.beginGroup("positions")
        try:
            return self.qsettings.childKeys()
        finally:
            self.qsettings.endGroup()

    def saved_places(self) -> list[tuple[str, str]]:
        """(briefing id, section id) of every place kept: the last section and each position."""
        keys = [self.last_section] if self.last_section else []
        keys += [saved[0] for b in self._positioned() if (saved := self.position(b)) is not None]
        return [(b, sid) for key in keys for b, _, sid in [key.partition("/")] if sid]

    def move_sections(self, moves: dict[tuple[str, str], str]) -> None:
        """Keep the places saved under (briefing id, old section id) under the new id instead
        (stamps unchanged: which place is newer stays the same)."""
        def moved(key: str) -> str:
            b, _, sid = key.partition("/")
            new = moves.get((b, sid))
            return f"{b}/{new}" if new is not None else key

        if self.last_section:
            self.last_section = moved(self.last_section)
        for b in self._positioned():
            saved = self.position(b)
            if saved is not None and moved(saved[0]) != saved[0]:
                self.qsettings.setValue(f"positions/{b}", f"{moved(saved[0])}@{saved[1]:.6f}")

    # A note being written (reader/ui/features/annotations/feature.py) survives the app being ended.
    def note_draft(self) -> dict[str, Any] | None:
        """The note draft left by a session that ended while its editor was open, or None."""
        raw = str(self.qsettings.value("notes/draft", "") or "")
        import json  # here, not at the top: json costs ~4 ms of start-up before the first paint

        try:
            draft = json.loads(raw) if raw else None
        except ValueError:
            return None
        return draft if isinstance(draft, dict) else None

    def set_note_draft(self, draft: dict[str, Any] | None) -> None:
        if draft is None:
            self.qsettings.remove("notes/draft")
        else:
            import json

            self.qsettings.setValue("notes/draft", json.dumps(draft, ensure_ascii=False))

    def add_recent_folder(self, folder: str) -> None:
        """Put a content folder first in the recent list (no duplicates, bounded)."""
        folders = [f for f in self.recent_folders if f and f != folder]
        self.recent_folders = [folder, *folders][: self.RECENT_LIMIT]
