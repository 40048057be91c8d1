"""A reading place saved under a placeholder id (what older versions gave non-Latin headings)
reopens on the same section after the ids changed (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import load_library
from reader.ui.kit.settings import Settings
from tests.conftest import write_briefing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
RU = ("## Экономика\n" + "Первый текст про экономику.\n\n" * 40 + "## Санкции\n"
      + "Второй текст про санкции.\n\n" * 80 + "## Нефть\nТретий текст.\n")


@pytest.mark.parametrize("saved_as", ["last_section", "position"])
def test_a_place_saved_under_a_placeholder_id_reopens_there(
        open_window, tmp_path: Path, data_dir: Path, saved_as: str) -> None:
    content = tmp_path / "content"
    write_briefing(content, "ru.md", RU, id="ru")
    briefing = load_library([content]).briefings[0]
    placeholder = next(old for old, new in briefing.legacy_ids.items() if new == "санкции")
    assert briefing.section(placeholder) is None  # the old id names nothing today
    settings = Settings(data_dir / "settings.ini")
    if saved_as == "last_section":
        settings.set_last_section(f"ru/{placeholder}")
    else:
        settings.set_last_section("ru/ru")  # older than the position: the position wins
        settings.set_position("ru", f"ru/{placeholder}", 0.5)
    settings.qsettings.sync()
    del settings
    window = open_window(content)
    assert window.current is not None
    shown = window.visible_section()
    assert shown is not None and shown.id == "санкции", shown
    assert placeholder not in str(Settings(data_dir / "settings.ini").position("ru"))
