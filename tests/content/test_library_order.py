"""Briefings are listed newest first, and those of one date by title A to Z, ignoring case and
accents (the order of issue 16: it was Z to A and case-sensitive)."""

from __future__ import annotations

from pathlib import Path

from reader.content import load_library
from reader.content.library import title_key
from tests.conftest import write_briefing


def test_same_date_sorts_by_title_a_to_z(tmp_path: Path) -> None:
    for n, title in enumerate(["zebra report", "Économie", "alpha", "Beta", "Older"]):
        date = "2026-01-01" if title == "Older" else "2026-02-01"
        write_briefing(tmp_path, f"b{n}.md", "text", title=title, date=date)
    titles = [b.title for b in load_library([tmp_path]).briefings]
    assert titles == ["alpha", "Beta", "Économie", "zebra report", "Older"]


def test_title_key_ties_break_on_case_then_text() -> None:
    assert sorted(["b", "B", "a"], key=title_key) == ["a", "b", "B"]


def test_numbers_in_titles_sort_by_their_value(tmp_path: Path) -> None:
    """"Synthetic briefing 27" came after "Synthetic briefing 251" (compared letter by letter)."""
    for n, title in enumerate(["Briefing 251", "Briefing 27", "Briefing 3", "Briefing 1000",
                               "Briefing 27b", "Annex 9"]):
        write_briefing(tmp_path, f"b{n}.md", "text", title=title, date="2026-02-01")
    titles = [b.title for b in load_library([tmp_path]).briefings]
    assert titles == ["Annex 9", "Briefing 3", "Briefing 27", "Briefing 27b", "Briefing 251",
                      "Briefing 1000"]


def test_leading_zeros_and_unicode_digits_keep_a_stable_order() -> None:
    assert sorted(["item 7", "item 007", "item 10", "item 07"], key=title_key) == [
        "item 007", "item 07", "item 7", "item 10"]
    assert sorted(["x ٣", "x 2", "x 10"], key=title_key) == ["x 2", "x ٣", "x 10"]
