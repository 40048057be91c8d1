"""The log file: plain until the window's first paint, rotating from then on, nothing lost."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import pytest

from reader.app import setup_logging, use_rotating_log
from reader.paths import AppPaths


@pytest.fixture
def restore_handlers():
    root = logging.getLogger("reader")
    saved = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        handler.close()
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def test_plain_log_becomes_rotating_and_keeps_its_lines(tmp_path: Path, restore_handlers) -> None:
    paths = AppPaths.create(tmp_path)
    setup_logging(paths, rotating=False)
    log = logging.getLogger("reader.test")
    (handler,) = logging.getLogger("reader").handlers
    assert type(handler) is logging.FileHandler
    log.info("before the first paint")

    use_rotating_log(paths)
    (handler,) = logging.getLogger("reader").handlers
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert handler.maxBytes == 1_000_000 and handler.backupCount == 3
    log.info("after the first paint")
    handler.flush()
    lines = paths.log_file.read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["before the first paint", "after the first paint"]


def test_commands_log_to_a_rotating_file_at_once(tmp_path: Path, restore_handlers) -> None:
    setup_logging(AppPaths.create(tmp_path))
    (handler,) = logging.getLogger("reader").handlers
    assert isinstance(handler, logging.handlers.RotatingFileHandler)


def test_unwritable_data_folder_logs_to_stderr_and_stays_so(tmp_path: Path, restore_handlers) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    paths = AppPaths.create(blocker / "data")
    setup_logging(paths, rotating=False)
    use_rotating_log(paths)
    (handler,) = logging.getLogger("reader").handlers
    assert type(handler) is logging.StreamHandler
