"""Re-anchoring when the content changes: exact, moved, fuzzy, orphaned; ids survive renames."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reader.annotations import AnnotationStore, Selector, Status, anchor, service
from reader.content import load_library, section_plain_text
from tests.conftest import write_briefing

BODY = """# Test Briefing

Intro text.

## Energy Deals {#energy}

Russia is looking for new markets for its oil and gas, and Iran can play a role in this.
Both countries are exploring ways to enhance connectivity through transportation and logistics.

## Wrap {#wrap}

That is all for today.
"""
QUOTE = "exploring ways to enhance connectivity"


def library_with(folder: Path, body: str):
    write_briefing(folder, "test.md", body, id="test")
    return load_library([folder])


def annotate(tmp_path: Path, quote: str = QUOTE):
    lib = library_with(tmp_path / "content", BODY)
    section = lib.find("test/energy")
    ann = service.create_for_quote(section, quote, note="watch this")
    assert ann is not None
    return ann


def status_after(tmp_path: Path, ann, new_body: str):
    lib = library_with(tmp_path / "content", new_body)
    result = service.anchors_in_library(lib, [ann])[ann.id]
    return result, section_plain_text(lib.find("test/energy"))


def test_unchanged_text_is_exact(tmp_path: Path) -> None:
    ann = annotate(tmp_path)
    result, text = status_after(tmp_path, ann, BODY)
    assert result.status is Status.EXACT and text[result.start:result.end] == QUOTE


def test_text_inserted_before_the_quote_moves_it(tmp_path: Path) -> None:
    ann = annotate(tmp_path)
    changed = BODY.replace("Russia is looking", "Breaking: a new pipeline. Russia is looking")
    result, text = status_after(tmp_path, ann, changed)
    assert result.status is Status.MOVED
    assert result.start == ann.selector.start + len("Breaking: a new pipeline. ")
    assert text[result.start:result.end] == QUOTE


def test_a_changed_word_inside_the_quote_is_fuzzy_with_a_score(tmp_path: Path) -> None:
    ann = annotate(tmp_path)
    changed = BODY.replace("ways to enhance", "ways to improve")
    result, text = status_after(tmp_path, ann, changed)
    assert result.status is Status.FUZZY
    assert 0.7 <= result.score < 1.0
    assert text[result.start:result.end] == "exploring ways to improve connectivity"


def test_a_deleted_quote_is_orphaned_but_still_listed(tmp_path: Path, data_dir: Path) -> None:
    ann = annotate(tmp_path)
    store = AnnotationStore.in_folder(data_dir)
    store.add(ann)
    changed = BODY.replace(
        "Both countries are exploring ways to enhance connectivity through transportation and "
        "logistics.", "")
    result, _ = status_after(tmp_path, ann, changed)
    assert result.status is Status.ORPHANED
    assert [a.id for a in store.all()] == [ann.id]  # orphans are never deleted


def test_renamed_section_with_kept_id_still_anchors(tmp_path: Path) -> None:
    ann = annotate(tmp_path)
    changed = BODY.replace("## Energy Deals {#energy}", "## Oil, Gas and Trade {#energy}")
    lib = library_with(tmp_path / "content", changed)
    section = lib.find("test/energy")
    assert section.title == "Oil, Gas and Trade" and section.fingerprint != ann.fingerprint
    result = service.anchors_in_library(lib, [ann])[ann.id]
    assert result.status is Status.EXACT


def test_removed_section_orphans(tmp_path: Path) -> None:
    ann = annotate(tmp_path)
    lib = library_with(tmp_path / "content", BODY.replace("{#energy}", "{#power}"))
    assert service.anchors_in_library(lib, [ann])[ann.id].status is Status.ORPHANED


def test_prefix_and_suffix_pick_the_right_occurrence() -> None:
    old = "alpha beta gamma. one two three. alpha beta delta."
    sel = Selector.from_range(old, old.rindex("alpha beta"), old.rindex("alpha beta") + 10)
    new = "intro. alpha beta delta. alpha beta gamma. one two three."
    result = anchor(new, sel)
    assert result.status is Status.MOVED
    assert new[result.end:result.end + 6] == " delta"


def test_bookmark_always_anchors() -> None:
    assert anchor("anything", Selector()).status is Status.EXACT


words = st.text(alphabet="abcdefgh ", min_size=30, max_size=300)


@given(text=words, data=st.data())
def test_any_range_anchors_exactly_and_survives_a_prefix(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    sel = Selector.from_range(text, start, end)
    assert anchor(text, sel).status is Status.EXACT
    inserted = "ZZZ QQQ " + text
    moved = anchor(inserted, sel)
    assert moved.attached and inserted[moved.start:moved.end] == text[start:end]


FA_BODY = """# گزارش

## انرژی {#energy}

روسیه به دنبال بازارهای تازه برای نفت و گاز است و ایران می‌تواند در این کار نقش داشته باشد.
دو کشور راه‌های بهبود ارتباط از طریق حمل و نقل را بررسی می‌کنند.

## پایان {#wrap}

همین.
"""
FA_QUOTE = "راه‌های بهبود ارتباط از طریق حمل و نقل"


def test_persian_quotes_move_and_match_fuzzily(tmp_path: Path) -> None:
    """Re-anchoring in Arabic script (issue 17): moved by an insertion, fuzzy after an edited
    word, the ZWNJ kept in the quote."""
    lib = library_with(tmp_path / "content", FA_BODY)
    ann = service.create_for_quote(lib.find("test/energy"), FA_QUOTE, note="یادداشت")
    assert ann is not None and ann.quote == FA_QUOTE
    moved = FA_BODY.replace("روسیه به دنبال", "خبر تازه: خط لوله. روسیه به دنبال")
    result, text = status_after(tmp_path, ann, moved)
    assert result.status is Status.MOVED and text[result.start:result.end] == FA_QUOTE
    edited = FA_BODY.replace("بهبود ارتباط", "تقویت ارتباط")
    result, text = status_after(tmp_path, ann, edited)
    assert result.status is Status.FUZZY
    assert text[result.start:result.end] == "راه‌های تقویت ارتباط از طریق حمل و نقل"
