"""Direction per text (issue 17): the first strong letter decides; breadcrumbs and the page's
navigation keep each title in its own direction."""

from __future__ import annotations

from pathlib import Path

from reader.content import parse_briefing
from reader.content.bidi import FSI, PDI, is_rtl, isolate
from reader.content.page import article_html, breadcrumb_html
from tests.conftest import write_briefing


def test_the_first_strong_letter_decides() -> None:
    assert is_rtl("گزارش NATO 2026") and is_rtl("  2026 — گزارش") and is_rtl("שלום")
    assert not is_rtl("NATO گزارش") and not is_rtl("Экономика") and not is_rtl("2026 ...")
    assert not is_rtl("")


def test_isolates_wrap_only_what_needs_them() -> None:
    assert isolate("Plain title") == "Plain title"
    assert isolate("همکاری با NATO") == f"{FSI}همکاری با NATO{PDI}"


BODY = "## همکاری نظامی با NATO\nمتن.\n### زیربخش\nمتن.\n## Energy and نفت\ntext\n"


def test_a_persian_breadcrumb_runs_right_to_left_with_each_title_isolated(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "fa.md", BODY, title="گزارش ایران"))
    assert b is not None
    sub = b.section("زیربخش") or next(s for s in b.sections() if s.title == "زیربخش")
    crumbs = breadcrumb_html(sub)
    assert crumbs.startswith('<p class="crumbs" dir="rtl">')
    assert crumbs.count(FSI) == crumbs.count(PDI) == 2
    english, _ = parse_briefing(write_briefing(tmp_path, "en.md", BODY, title="Iran Report"))
    assert english is not None
    assert 'dir="rtl"' not in breadcrumb_html(next(s for s in english.sections() if s.title == "زیربخش"))


def test_the_page_navigation_is_left_to_right_with_titles_isolated(tmp_path: Path) -> None:
    b, _ = parse_briefing(write_briefing(tmp_path, "fa.md", BODY, title="گزارش ایران"))
    assert b is not None
    first, last = [s for s in b.sections() if s.parent is b.root]
    page = article_html(first, previous=b.root, following=last)
    nav = page[page.index('<p class="nav"'):]
    assert nav.startswith('<p class="nav" dir="ltr">')
    assert f"{FSI}<a " in nav and "Next: " in nav
