"""New / changed / removed since last read, and the word diff of a changed section."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader.annotations import AnnotationStore
from reader.content import load_library
from reader.updates import ChangeKind, SeenVersions, compute_changes, word_diff
from reader.updates.changes import seen_now
from tests.conftest import ROOT, SEED
from tests.ui.conftest import make_context
from tests.updates.helpers import EDITED, NEW, REMOVED, make_pack


def marks_of(store: AnnotationStore) -> dict[str, str]:
    return {k: m.fingerprint for k, m in store.read_marks().items()}


def kinds(changes) -> set[tuple[str, str]]:
    return {(c.kind.value, c.key.split("/")[1]) for c in changes}


def updated_library(tmp_path: Path):
    return load_library([SEED, make_pack(tmp_path / "v2")])


def test_one_edit_one_addition_one_removal_give_exactly_three_markers(tmp_path: Path) -> None:
    lib = updated_library(tmp_path)
    changes = compute_changes(lib, {}, {})  # nothing recorded: the older version is the baseline
    assert kinds(changes) == {("changed", EDITED), ("new", NEW), ("removed", REMOVED)}
    assert len(changes) == 3
    [removed] = [c for c in changes if c.kind is ChangeKind.REMOVED]
    assert removed.section.briefing.meta.version == "1"  # readable from the older version
    assert "Iran and Russia are finding some serious economic synergies" in removed.section.markdown


def test_read_marks_of_the_old_text_give_the_same_three(tmp_path: Path) -> None:
    old = load_library([SEED])
    marks = {s.key: s.fingerprint for s in old.sections()}  # the reader read all of version 1
    lib = updated_library(tmp_path)
    changes = compute_changes(lib, marks, seen_now(old))
    assert kinds(changes) == {("changed", EDITED), ("new", NEW), ("removed", REMOVED)}
    [changed] = [c for c in changes if c.kind is ChangeKind.CHANGED]
    assert changed.old is not None and changed.old.briefing.meta.version == "1"


def test_reading_a_changed_section_clears_it_and_persists(tmp_path: Path, data_dir: Path) -> None:
    lib = updated_library(tmp_path)
    store = AnnotationStore.in_folder(data_dir)
    edited = lib.find(f"iran-russia/{EDITED}")
    store.mark_read("iran-russia", EDITED, edited.fingerprint)  # what reading it in the window does
    store.close()
    reopened = AnnotationStore.in_folder(data_dir)  # a new process / restart
    assert kinds(compute_changes(lib, marks_of(reopened), {})) == {("new", NEW), ("removed", REMOVED)}


def test_a_section_read_in_its_new_text_is_not_changed_but_in_another_text_is(tmp_path: Path) -> None:
    lib = updated_library(tmp_path)
    edited = lib.find(f"iran-russia/{EDITED}")
    seen = seen_now(lib)  # everything acknowledged: only read marks can make a change now
    assert compute_changes(lib, {edited.key: edited.fingerprint}, seen) == []
    [c] = compute_changes(lib, {edited.key: "f" * 40}, seen)
    assert (c.kind, c.old) == (ChangeKind.CHANGED, None) and c.diff() is None  # no older text


def test_mark_all_as_seen_clears_everything(tmp_path: Path) -> None:
    lib = updated_library(tmp_path)
    assert compute_changes(lib, {}, seen_now(lib)) == []


def test_diff_of_the_changed_section_marks_inserted_and_deleted_words(tmp_path: Path) -> None:
    lib = updated_library(tmp_path)
    [changed] = [c for c in compute_changes(lib, {}, {}) if c.kind is ChangeKind.CHANGED]
    d = changed.diff()
    assert d.deleted == ["We're", "seeing", "discussions", "and", "potential", "even"]
    assert d.inserted == ["Officials", "now", "confirm", "signed"]
    html = d.to_html()
    assert '<span class="del"' in html and "seeing discussions and potential" in html
    assert '<span class="ins"' in html and "Officials now confirm signed" in html
    assert "style=" not in html  # classes only: the page showing the diff colours them (its theme)


def test_word_diff_basics() -> None:
    d = word_diff("The cat sat.\n\nOn a mat, quietly.", "The dog sat.\n\nOn a mat; quietly!")
    assert (d.deleted, d.inserted) == (["cat"], ["dog"])
    kinds_ = [o.kind for o in d.ops]
    assert kinds_.count("delete") == 3 and kinds_.count("insert") == 3  # cat, ",", "." replaced
    html = d.to_html()
    assert html.count("<p>") == 2  # paragraph breaks survive
    assert not word_diff("same text", "same text").changed
    added = word_diff("a b", "a new words b")
    assert [(o.kind, o.text) for o in added.ops] == [
        ("equal", "a "), ("insert", "new words "), ("equal", "b")]
    assert "&lt;b&gt;" in word_diff("a", "<b>").to_html()  # text is escaped


def test_seen_versions_file_survives_damage(data_dir: Path) -> None:
    seen = SeenVersions.in_folder(data_dir)
    seen.set("a", "1")
    assert SeenVersions.in_folder(data_dir).as_dict() == {"a": "1"}
    seen.path.write_text("{not json")
    assert SeenVersions.in_folder(data_dir).as_dict() == {}


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_cli_import_then_changes(tmp_path: Path, data_dir: Path) -> None:
    assert run("changes", data_dir=data_dir).stdout.startswith("nothing new")
    result = run("import-briefing", str(make_pack(tmp_path / "p")), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "replaces version 1" in result.stdout
    rows = json.loads(run("changes", "--json", data_dir=data_dir).stdout)
    assert [(r["kind"], r["key"]) for r in rows] == [
        ("changed", f"iran-russia/{EDITED}"), ("new", f"iran-russia/{NEW}"),
        ("removed", f"iran-russia/{REMOVED}")]
    assert rows[0]["inserted_words"] == 4 and rows[0]["deleted_words"] == 6
    assert rows[0]["old_version"] == "version 1 of 2026-11-25"
    text = run("changes", data_dir=data_dir).stdout
    assert f"changed  iran-russia/{EDITED}  Military Cooperation" in text


def test_cli_refusal_is_a_message_and_changes_nothing(tmp_path: Path, data_dir: Path) -> None:
    bad = make_pack(tmp_path / "p")
    (bad / "x.md").write_bytes(b"no metadata here")
    result = run("import-briefing", str(bad), data_dir=data_dir)
    assert result.returncode == 1
    assert "refused; your library is unchanged" in result.stderr
    assert "p/x.md:1: missing metadata block" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data_dir / "library").exists()
    assert make_context(data_dir).library.briefings[0].meta.version == "1"
