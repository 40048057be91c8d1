"""`briefing-reader annotations ...` end to end on a real data dir and real content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.annotations import AnnotationStore
from reader.app import main
from tests.conftest import write_briefing

BODY = """# Test Briefing

## Energy {#energy}

Russia is looking for new markets for its oil and gas, and Iran can play a role in this.
Both countries are exploring ways to enhance connectivity through transportation.
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_and_status_against_changed_content(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    write_briefing(content, "t.md", BODY, id="t")
    base = ["--content", str(content), "--data-dir", str(data_dir)]
    code, out, _ = run(capsys, *base, "annotations", "add", "--section", "energy",
                       "--quote", "new markets", "--note", "Which markets?", "--color", "green")
    assert code == 0
    first_id = out.strip()
    run(capsys, *base, "annotations", "add", "--section", "t/energy", "--quote", "enhance connectivity")
    run(capsys, *base, "annotations", "add", "--section", "energy", "--quote", "oil and gas")

    write_briefing(content, "t.md", BODY.replace("Russia is", "Today, Russia is")
                   .replace("enhance connectivity", "enhance connectiviti")
                   .replace("oil and gas", "grain"), id="t")
    code, out, _ = run(capsys, *base, "annotations", "list", "--json")
    rows = {r["quote"]: r for r in json.loads(out)}
    assert rows["new markets"]["id"] == first_id and rows["new markets"]["note"] == "Which markets?"
    assert rows["new markets"]["status"] == "moved"
    assert rows["enhance connectivity"]["status"] == "fuzzy"
    assert 0.7 < rows["enhance connectivity"]["score"] < 1
    assert rows["oil and gas"]["status"] == "orphaned"
    assert {r["section"] for r in rows.values()} == {"t/energy"}


def test_add_errors_are_messages(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data-dir", str(data_dir), "annotations", "add",
                       "--section", "no-such", "--quote", "x")
    assert code == 1 and "no section" in err
    code, _, err = run(capsys, "--data-dir", str(data_dir), "annotations", "add",
                       "--section", "wrap-up", "--quote", "not in the text")
    assert code == 1 and "does not occur" in err


def test_export_import_between_data_dirs(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(data_dir)]
    run(capsys, *d, "annotations", "add", "--section", "wrap-up", "--quote", "Stay tuned",
        "--note", "follow up", "--tag", "todo")
    shared = tmp_path / "shared.json"
    assert run(capsys, *d, "annotations", "export", "-o", str(shared))[0] == 0
    md = tmp_path / "notes.md"
    assert run(capsys, *d, "annotations", "export", "--format", "md", "-o", str(md))[0] == 0
    assert "> Stay tuned" in md.read_text(encoding="utf-8")
    assert "That's a Wrap" in md.read_text(encoding="utf-8")

    other = ["--data-dir", str(tmp_path / "colleague")]
    code, out, _ = run(capsys, *other, "annotations", "import", str(shared))
    assert code == 0 and "1 added" in out
    code, out, _ = run(capsys, *other, "annotations", "import", str(shared))
    assert "0 added, 0 updated, 1 unchanged" in out
    assert AnnotationStore.in_folder(tmp_path / "colleague").all() == \
        AnnotationStore.in_folder(data_dir).all()


def test_import_of_a_bad_file_is_a_message(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "annotations", "import", str(bad))
    assert code == 1 and "bad.json" in err and "Traceback" not in err + out


def test_added_note_is_offered_to_the_search_index(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hook the search panel indexes from: note + quote of every annotation."""
    run(capsys, "--data-dir", str(data_dir), "annotations", "add", "--section", "wrap-up",
        "--quote", "Stay tuned", "--note", "Ask about the pipeline")
    records = AnnotationStore.in_folder(data_dir).searchable_records()
    assert len(records) == 1 and "Ask about the pipeline" in records[0].text
    assert records[0].section_key == "iran-russia/wrap-up" and records[0].kind == "note"


def test_cli_moves_a_damaged_file_aside_and_keeps_it(tmp_path) -> None:
    """Like the window: a damaged annotations file is moved aside (never deleted) and the
    command still works on a new store."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    data = tmp_path / "data"
    data.mkdir()
    garbage = b"this is not a database" * 100
    (data / "annotations.sqlite3").write_bytes(garbage)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data), "annotations", "add",
         "--section", "wrap-up", "--quote", "Stay tuned"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "moved aside" in done.stderr and "Traceback" not in done.stderr
    [kept] = list(data.glob("annotations.sqlite3.corrupt-*"))
    assert kept.read_bytes() == garbage
