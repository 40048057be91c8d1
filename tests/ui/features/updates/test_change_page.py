"""The What Changed page of one change: its heading is the section's heading rendered."""

from __future__ import annotations

from pathlib import Path

from reader.content.parser import parse_briefing
from reader.ui.features.updates.changes_dock import change_html
from reader.updates.changes import ChangeKind, SectionChange

TEXT = """---
title: Types
date: 2026-11-25
---

# Types

## The `Box<T>` Type {#box}

A box on the heap.
"""


def test_a_heading_with_markdown_is_shown_rendered_not_raw(tmp_path: Path) -> None:
    briefing, problems = parse_briefing(tmp_path / "types.md", TEXT.encode())
    assert briefing is not None and not problems
    section = briefing.section("box")
    assert section is not None
    page = change_html(SectionChange(ChangeKind.NEW, section))
    assert "<h2>The <code>Box&lt;T&gt;</code> Type</h2>" in page
    assert "`" not in page.split("</h2>")[0]
