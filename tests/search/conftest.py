"""Fixtures for search tests: a real Whoosh index over the shipped content in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.content import Library, load_library
from reader.search import SearchIndex


@pytest.fixture
def shipped_index(tmp_path: Path, content_dir: Path) -> tuple[SearchIndex, Library]:
    library = load_library([content_dir])
    index = SearchIndex(tmp_path / "cache" / "index", prebuilt=None)
    index.ensure(library)
    yield index, library
    index.close()
