"""`briefing-reader export-pdf`: headless in a fresh process, section choices, notes on/off,
page size, clear errors, and Qt kept out of the other commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pypdf
import pytest

from reader.app import main
from tests.conftest import ROOT
from tests.pdf_helpers import metadata, page_texts, pdf_text

NOTE = "Compare with last month's drills."


def run_cli(*args: str, data_dir) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}
    # The self-test's 5,000-section-change walk is tests/ui/app/test_long_session.py's job (under
    # a loaded CI machine the full walk took this test past its time limit).
    env["BRIEFING_SELF_TEST_WALK"] = "200"
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def test_headless_export_in_a_fresh_process(data_dir, tmp_path):
    out = tmp_path / "subtree.pdf"
    done = run_cli("export-pdf", "--section", "deepening-ties", "--subtree", "-o", str(out),
                   data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout and "3 section(s)" in done.stdout
    text = pdf_text(out)
    titles = ["Deepening Ties", "Military Cooperation", "Economic Synergies"]
    positions = [text.rfind(t) for t in titles]  # last: the headings, after the title block's list
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "Geopolitical Alignments" not in text and "Hey everyone" not in text
    assert metadata(out)["/Title"] == "Iran And Russia: Today's Top News Stories"
    pages = page_texts(out)
    assert all(f"Page {i} of {len(pages)}" in p for i, p in enumerate(pages, 1))


def test_sections_without_subtree_and_all(qapp, data_dir, tmp_path):
    one = tmp_path / "one.pdf"
    assert main(["--data-dir", str(data_dir), "export-pdf", "--section", "looking-ahead",
                 "-o", str(one)]) == 0
    text = pdf_text(one)
    assert "Looking Ahead" in text and "Challenges and Opportunities" not in text
    every = tmp_path / "all.pdf"
    assert main(["--data-dir", str(data_dir), "export-pdf", "--section", "wrap-up", "--all",
                 "-o", str(every)]) == 0
    text = pdf_text(every)
    assert "Hey everyone" in text and "Military Cooperation" in text and "That's a Wrap" in text


@pytest.fixture
def noted(qapp, data_dir):
    """A real note in the data dir's annotation store, added the way a user would."""
    assert main(["--data-dir", str(data_dir), "annotations", "add", "--section",
                 "military-cooperation", "--quote", "joint drills", "--note", NOTE]) == 0


def test_note_text_only_with_with_notes(noted, data_dir, tmp_path):
    plain, notes = tmp_path / "plain.pdf", tmp_path / "notes.pdf"
    args = ["--data-dir", str(data_dir), "export-pdf", "--section", "military-cooperation"]
    assert main([*args, "-o", str(plain)]) == 0
    assert main([*args, "--with-highlights", "-o", str(tmp_path / "hl.pdf")]) == 0
    assert main([*args, "--with-notes", "-o", str(notes)]) == 0
    assert NOTE not in pdf_text(plain)
    assert NOTE not in pdf_text(tmp_path / "hl.pdf")
    assert NOTE in pdf_text(notes)


def test_page_size_letter(qapp, data_dir, tmp_path):
    out = tmp_path / "letter.pdf"
    assert main(["--data-dir", str(data_dir), "export-pdf", "--page-size", "Letter",
                 "-o", str(out)]) == 0
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_unknown_section_and_bad_path_are_messages(qapp, data_dir, tmp_path, capsys):
    code = main(["--data-dir", str(data_dir), "export-pdf", "--section", "nope", "-o",
                 str(tmp_path / "x.pdf")])
    assert code == 2 and "no section “nope”" in capsys.readouterr().err
    code = main(["--data-dir", str(data_dir), "export-pdf", "-o", str(tmp_path / "a" / "b.pdf")])
    err = capsys.readouterr().err
    assert code == 1 and "cannot write" in err and "Traceback" not in err


def test_other_commands_stay_qt_free(data_dir):
    code = ("import sys; from reader.app import main; main(['--data-dir', %r, 'sections']); "
            "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT')")
    done = subprocess.run([sys.executable, "-c", code % str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("NOQT"), done.stdout + done.stderr


def test_self_test_exports_a_pdf(data_dir):
    done = run_cli("--self-test", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "exported “Iran And Russia" in done.stdout and "page(s)" in done.stdout
