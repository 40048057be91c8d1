"""The on-disk render cache: a page seen in an earlier run is shown without Markdown, an edited
section or a new renderer misses, and a damaged or unwritable cache never stops rendering."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.content import load_library
from reader.content.render import markdown_to_html, section_body_html, use_render_cache
from reader.content.render_cache import RenderCache
from tests.conftest import ROOT, SEED, write_briefing


@pytest.fixture(autouse=True)
def no_cache_after():
    yield
    use_render_cache(None)


def first_section(folder: Path):
    library = load_library([folder])
    return next(s for s in library.sections() if s.markdown.strip())


def test_second_run_serves_html_without_importing_markdown(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache" / "html.sqlite"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.content import load_library\n"
        "from reader.content.render import section_body_html, use_render_cache\n"
        "from reader.content.render_cache import RenderCache\n"
        f"use_render_cache(RenderCache(Path({str(cache_file)!r})))\n"
        f"lib = load_library([Path({str(SEED)!r})])\n"
        "html = ''.join(section_body_html(s) for s in lib.sections())\n"
        "print('markdown' in sys.modules, len(html))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout.split() for _ in range(2)]
    assert runs[0][0] == "True"  # the first run rendered (and filled the cache)
    assert runs[1][0] == "False"  # the second never loaded Markdown
    assert runs[0][1] == runs[1][1] and int(runs[1][1]) > 1000  # and showed the same HTML


def test_cached_html_equals_rendered_html(tmp_path: Path) -> None:
    section = first_section(SEED)
    use_render_cache(RenderCache(tmp_path / "c.sqlite"))
    first = section_body_html(section)
    section_body_html.cache_clear()  # the next call must come from the file
    assert section_body_html(section) == first == markdown_to_html(section.markdown)


def test_edited_section_and_new_renderer_miss(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "c.sqlite", version="1")
    key = cache.key("Some *text*")
    cache.put(key, "<p>stale</p>")
    assert cache.get(key) == "<p>stale</p>"
    assert cache.get(cache.key("Some *text*, edited")) is None
    assert RenderCache(tmp_path / "c.sqlite", version="2").get(
        RenderCache(tmp_path / "c.sqlite", version="2").key("Some *text*")) is None


def test_edited_section_shows_new_text(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    write_briefing(folder, "a.md", "# A\n\nOld words here.\n")
    use_render_cache(RenderCache(tmp_path / "c.sqlite"))
    assert "Old words" in section_body_html(first_section(folder))
    write_briefing(folder, "a.md", "# A\n\nNew words here.\n")
    html = section_body_html(first_section(folder))
    assert "New words" in html and "Old words" not in html


def test_damaged_cache_file_is_replaced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 500)
    with caplog.at_level(logging.WARNING):
        cache = RenderCache(path)
    assert cache.usable
    assert "damaged" in caplog.text
    key = cache.key("x")
    cache.put(key, "<p>x</p>")
    assert cache.get(key) == "<p>x</p>"


def test_unusable_folder_still_renders(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")  # fails even for root
    cache = RenderCache(blocker / "c.sqlite")
    assert not cache.usable
    use_render_cache(cache)
    section = first_section(SEED)
    assert section_body_html(section) == markdown_to_html(section.markdown)


def test_cache_that_fails_later_falls_back_to_rendering(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "c.sqlite")
    use_render_cache(cache)
    cache._db.close()  # as if the disk went away: every call now raises sqlite3.Error
    section = first_section(SEED)
    assert section_body_html(section) == markdown_to_html(section.markdown)
    assert not cache.usable


def test_a_changed_definition_misses_the_cache(tmp_path: Path) -> None:
    """The key is the section's source: its body and the definitions it uses."""
    body = "## Uses\nSee [the guide][g].\n## Refs\n[g]: https://{}.example/\n"
    use_render_cache(RenderCache(tmp_path / "c.sqlite"))
    for host in ("a", "b"):
        folder = tmp_path / host
        write_briefing(folder, "t.md", body.format(host))
        section = load_library([folder]).briefings[0].section("uses")
        assert f'href="https://{host}.example/"' in section_body_html(section)
