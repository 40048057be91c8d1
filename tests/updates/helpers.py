"""A realistic update of the shipped briefing: one paragraph edited, one section added, one removed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED

OLD_SENTENCE = ("We're seeing discussions and potential deals for advanced weaponry, drone technology, "
                "and even joint research and development.")
NEW_SENTENCE = ("Officials now confirm signed deals for advanced weaponry, drone technology, "
                "and joint research and development.")
ADDED = """### Space and Cyber Cooperation {#space-cyber}

A new joint working group on satellite navigation and cyber security met for the first time this
week. Both sides call it a first step towards shared ground stations.

"""
EDITED, NEW, REMOVED = "military-cooperation", "space-cyber", "economic-synergies"


def updated_text(date: str = "2026-11-26", version: str = "2") -> str:
    """The shipped briefing as a later version: edited, added and removed section."""
    text = (SEED / "iran-russia.md").read_text(encoding="utf-8")
    assert OLD_SENTENCE in text
    text = text.replace(OLD_SENTENCE, NEW_SENTENCE)
    text = text.replace("date: 2026-11-25", f"date: {date}").replace("version: 1", f"version: {version}")
    start = text.index("### Economic Synergies")
    end = text.index("## Geopolitical Alignments")
    text = text[:start] + text[end:]
    at = text.index("### The Global Impact")
    return text[:at] + ADDED + text[at:]


def make_pack(folder: Path, **kwargs: str) -> Path:
    """A pack folder holding the updated briefing (as `iran-russia.md`)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "iran-russia.md").write_text(updated_text(**kwargs), encoding="utf-8")
    return folder
