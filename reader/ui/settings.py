"""One typed settings object; defaults live here and nowhere else. `QSettings` (INI file in the
data folder) stores them, so tests with a temp data dir never touch the user's settings."""

from __future__ import annotations

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
    splitter = Setting("window/splitter", QByteArray())
    # reading position
    last_section = Setting("reading/last_section", "")
    # printing (reader/ui/print_actions.py): page set-up and the last choices of the dialog
    print_page_size = Setting("print/page_size", "A4")
    print_landscape = Setting("print/landscape", False)
    print_margins_mm = Setting("print/margins_mm", "25,16,25,16")  # left,top,right,bottom
    print_scope = Setting("print/scope", "subtree")
    print_highlights = Setting("print/include_highlights", False)
    print_notes = Setting("print/include_notes", False)
    print_folder = Setting("print/last_folder", "")

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self.qsettings.sync()
