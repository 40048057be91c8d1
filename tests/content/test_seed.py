"""The shipped briefing: the publisher's text word for word, in a natural hierarchy."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import load_library, section_plain_text
from tests.conftest import SEED

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "source" / "000_80d8f4647ae1329b.txt"
HIERARCHY = [
    (0, "Iran And Russia: Today's Top News Stories"),
    (1, "Deepening Ties: A Strategic Partnership"),
    (2, "Military Cooperation: More Than Just Drills"),
    (2, "Economic Synergies: Navigating Sanctions Together"),
    (1, "Geopolitical Alignments: A United Front?"),
    (2, "Countering Western Influence: A Shared Objective"),
    (2, "Regional Stability and Security: Divergent Interests?"),
    (1, "Looking Ahead: The Future of Iran-Russia Relations"),
    (2, "Challenges and Opportunities"),
    (2, "The Global Impact"),
    (1, "That's a Wrap"),
]


def test_seed_hierarchy() -> None:
    lib = load_library([SEED])
    assert lib.problems == []
    assert [(s.depth, s.title) for s in lib.sections()] == HIERARCHY
    assert lib.briefings[0].meta.author == "Jhon Lennon"


@pytest.mark.skipif(not SOURCE.exists(), reason="the publisher's source lives in ../shared")
def test_seed_text_is_the_publishers_word_for_word() -> None:
    lines = [ln for ln in SOURCE.read_text(encoding="utf-8").split("\n") if ln.strip()]
    headings = {t for _, t in HIERARCHY}
    paragraphs = [ln for ln in lines[2:] if ln not in headings]  # [0] title, [1] byline + views
    lib = load_library([SEED])
    shipped = [p for s in lib.sections() for p in section_plain_text(s).split("\n\n")]
    assert shipped == paragraphs
    assert "views" not in " ".join(shipped[:1])
