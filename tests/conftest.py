"""Shared fixtures: every test gets its own data dir; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout under test, even beside another editable install

SEED = ROOT / "content"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    d = tmp_path / "content"
    shutil.copytree(SEED, d)
    return d


def write_briefing(folder: Path, name: str, body: str, **meta: str) -> Path:
    """Write a briefing file with a metadata block; returns its path."""
    meta = {"title": "Test Briefing", "date": "2026-01-01", **meta}
    head = "\n".join(f"{k}: {v}" for k, v in meta.items())
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{head}\n---\n{body}", encoding="utf-8")
    return path
