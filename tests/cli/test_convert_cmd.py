"""`convert` and `import-briefing` with documents, run as real processes the way users run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.convert.docs import make_docx

SEED = ROOT / "tests" / "convert" / "fixtures" / "text" / "seed-article.txt"
NINE = ["Deepening Ties: A Strategic Partnership", "Military Cooperation: More Than Just Drills",
        "Economic Synergies: Navigating Sanctions Together", "Geopolitical Alignments: A United Front?",
        "Countering Western Influence: A Shared Objective",
        "Regional Stability and Security: Divergent Interests?",
        "Looking Ahead: The Future of Iran-Russia Relations", "Challenges and Opportunities",
        "The Global Impact"]


def run(*args: str, data_dir: Path, content: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    where = ["--content", str(content)] if content else []
    return subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), *where, *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_convert_prints_the_tree_and_writes_a_briefing_check_accepts(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("convert", str(SEED), "-o", str(out), data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "  title: Iran And Russia: Today's Top News Stories" in done.stdout
    assert "  author: Jhon Lennon" in done.stdout
    assert "(from the file modification date)" in done.stdout  # the source has none: said
    listed = [line.strip() for line in done.stdout.splitlines() if line.startswith("    ")]
    assert listed == NINE
    check = run("check", str(out), data_dir=tmp_path / "data")
    assert check.returncode == 0, check.stdout + check.stderr
    sections = run("sections", "--json", data_dir=tmp_path / "data", content=out)
    rows = json.loads(sections.stdout)
    assert [r["title"] for r in rows] == ["Iran And Russia: Today's Top News Stories", *NINE]
    assert {r["depth"] for r in rows[1:]} == {1}
    text = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "source: seed-article.txt" in text and "source-sha256: " in text


def test_convert_options_and_refusals(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("convert", str(SEED), "-o", str(out), "--title", "Top News", "--id", "top-news",
               "--author", "Desk", "--date", "2026-11-25", data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "date: 2026-11-25 (from the command line)" in done.stdout
    written = (out / "top-news.md").read_text(encoding="utf-8")
    assert "title: Top News" in written and "author: Desk" in written
    two = run("convert", str(SEED), str(SEED), "-o", str(out), "--title", "X", data_dir=tmp_path / "d")
    assert two.returncode == 2 and "one SOURCE" in two.stderr
    fake = tmp_path / "memo.docx"
    fake.write_text("just text, not a Word file")
    bad = run("convert", str(fake), "-o", str(tmp_path / "none"), data_dir=tmp_path / "data")
    assert bad.returncode == 1 and "memo.docx" in bad.stderr and "not a DOCX" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "none").exists()
    late = run("convert", str(SEED), "-o", str(out), "--date", "25/11/2026", data_dir=tmp_path / "data")
    assert late.returncode == 1 and "YYYY-MM-DD" in late.stderr


def test_import_briefing_makes_a_docx_readable_and_searchable_at_once(tmp_path: Path) -> None:
    memo = make_docx(tmp_path / "memo.docx", title="Water Report")
    data = tmp_path / "data"
    done = run("import-briefing", str(memo), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "added “Water Report”" in done.stdout
    rows = json.loads(run("sections", "--json", data_dir=data).stdout)
    mine = [r for r in rows if r["briefing"] == "water-report"]
    assert [r["title"] for r in mine][:4] == ["Water Report", "Supply", "Rainfall", "Demand"]
    found = run("search", "Karaj", "--json", data_dir=data)
    assert found.returncode == 0, found.stderr
    assert [h["section"] for h in json.loads(found.stdout)["results"]][:1] == ["water-report/rainfall"]
    again = run("import-briefing", str(memo), data_dir=data)  # the same document: nothing new
    assert again.returncode == 0 and "already installed" in again.stdout


def test_import_briefing_refuses_a_damaged_document_and_changes_nothing(tmp_path: Path) -> None:
    memo = make_docx(tmp_path / "memo.docx")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(memo.read_bytes()[:300])
    data = tmp_path / "data"
    done = run("import-briefing", str(broken), data_dir=data)
    assert done.returncode == 1 and "broken.docx" in done.stderr and "library is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (data / "library").exists()
