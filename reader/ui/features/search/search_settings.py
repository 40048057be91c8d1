"""What the Search tab remembers between runs: the scope chosen and the recent searches.

Kept in the window's settings file under `search/` (the typed `Settings` object is shared by the
whole window; these keys belong to this feature alone, so they live beside it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.ui.kit.settings import Settings

SCOPES = ("library", "briefing", "subtree")  # whole library, this briefing, this section and below
RECENT_LIMIT = 10
_SCOPE, _RECENT = "search/scope", "search/recent"


class SearchSettings:
    """The search keys of one `Settings` file."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._q = settings.qsettings

    @property
    def scope(self) -> str:
        """One of SCOPES ("library" for a missing or unknown value)."""
        value = str(self._q.value(_SCOPE, SCOPES[0]) or "")
        return value if value in SCOPES else SCOPES[0]

    @scope.setter
    def scope(self, value: str) -> None:
        self._q.setValue(_SCOPE, value if value in SCOPES else SCOPES[0])

    @property
    def recent(self) -> list[str]:
        """The recent searches, newest first."""
        value = self._q.value(_RECENT, [])
        if value in (None, ""):
            return []
        items = value if isinstance(value, list) else [value]  # INI: one item reads as a str
        return [str(v) for v in items if str(v).strip()][:RECENT_LIMIT]

    def add_recent(self, text: str) -> list[str]:
        """Put `text` first (once: an earlier search differing only in case or spaces goes) and
        write the file now, so a search settled just before a crash is still offered."""
        text = " ".join(text.split())
        if not text:
            return self.recent
        same = text.casefold()
        recent = [text, *(r for r in self.recent if r.casefold() != same)][:RECENT_LIMIT]
        self._q.setValue(_RECENT, recent)
        self._settings.sync()
        return recent

    def clear_recent(self) -> None:
        self._q.remove(_RECENT)
        self._settings.sync()
