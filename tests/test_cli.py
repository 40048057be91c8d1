"""The command line, run as a real process the way users and the packaged app run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reader import __version__
from tests.conftest import ROOT, write_briefing


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    # The self-test's long walk (5,000 section changes) is tests/ui/app/test_long_session.py's job.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "BRIEFING_SELF_TEST_WALK": "200"}
    return subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )


def test_version(data_dir: Path) -> None:
    result = run("--version", data_dir=data_dir)
    assert result.returncode == 0
    assert result.stdout.strip() == f"briefing-reader {__version__}"


def test_sections_json_lists_the_seed(data_dir: Path) -> None:
    result = run("sections", "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 11
    assert rows[0] == {"id": "iran-russia", "key": "iran-russia/iran-russia", "briefing": "iran-russia",
                       "title": "Iran And Russia: Today's Top News Stories", "depth": 0}
    assert max(r["depth"] for r in rows) >= 2
    titles = [r["title"] for r in rows]
    assert "Military Cooperation: More Than Just Drills" in titles
    assert "Regional Stability and Security: Divergent Interests?" in titles


def test_check_passes_on_shipped_content(data_dir: Path) -> None:
    result = run("check", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 1 briefing(s), 11 section(s)" in result.stdout


def test_check_reports_broken_content_with_file_and_line(tmp_path: Path, data_dir: Path) -> None:
    broken = tmp_path / "broken"
    write_briefing(broken, "good.md", "## A\ntext\n")
    write_briefing(broken, "dupes.md", "## A {#x}\n## B {#x}\n")
    (broken / "latin1.md").write_bytes(b"---\ntitle: t\ndate: 2026-01-01\n---\n\xff\n")
    (broken / "nometa.md").write_text("---\ndate: soon\n---\ntext\n", encoding="utf-8")
    write_briefing(broken, "empty.md", "")
    result = run("check", str(broken), data_dir=data_dir)
    assert result.returncode == 1
    out = result.stdout
    assert f"{broken / 'dupes.md'}:6: duplicate section id 'x'" in out
    assert f"{broken / 'latin1.md'}:5: not valid UTF-8" in out
    assert f"{broken / 'nometa.md'}:1: metadata is missing 'title'" in out
    assert f"{broken / 'nometa.md'}:2: metadata 'date' is not YYYY-MM-DD" in out
    assert f"{broken / 'empty.md'}:5: empty briefing" in out
    assert "Traceback" not in result.stderr


def test_check_on_missing_folder(tmp_path: Path, data_dir: Path) -> None:
    result = run("check", str(tmp_path / "nope"), data_dir=data_dir)
    assert result.returncode == 1 and "not a folder" in result.stderr


def test_content_option_and_data_dir(tmp_path: Path, data_dir: Path) -> None:
    write_briefing(tmp_path / "c", "other.md", "## Only Section\ntext\n", title="Other")
    result = run("--content", str(tmp_path / "c"), "sections", "--json", data_dir=data_dir)
    assert [r["title"] for r in json.loads(result.stdout)] == ["Other", "Only Section"]
    assert (data_dir / "logs" / "briefing-reader.log").exists()  # the app writes only there


def test_self_test_renders_every_section(data_dir: Path) -> None:
    result = run("--self-test", data_dir=data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rendered 11 section(s) in 1 briefing(s)" in result.stdout
    assert "self-test: 200 section changes" in result.stdout
    assert result.stdout.strip().endswith("self-test: ok")


def test_self_test_fails_without_content(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("--content", str(tmp_path / "empty"), "--self-test", data_dir=data_dir)
    assert result.returncode == 1
    assert "no sections to render" in result.stderr


def test_window_options_parse_without_loading_the_commands() -> None:
    """Opening the window parses only the global options: the commands' modules stay unloaded
    (a start-up saving); a command still loads and parses them."""
    code = (
        "import sys\n"
        "from reader.app import parse_args\n"
        "args = parse_args(['--data-dir', 'x', '--section', 'a/b', '--self-test'])\n"
        "print(args.command, args.data_dir, args.section, args.self_test,"
        " 'reader.cli.search_cmds' in sys.modules)\n"
        "args = parse_args(['search', 'Russia', '--limit', '2'])\n"
        "print(args.command, args.query if hasattr(args, 'query') else '',"
        " 'reader.cli.search_cmds' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "None x a/b True False"
    assert second.startswith("search") and second.endswith("True")


def test_help_and_mistakes_get_the_full_command_line(data_dir: Path) -> None:
    helped = run("--help", data_dir=data_dir)
    assert helped.returncode == 0 and "export-pdf" in helped.stdout and "--self-test" in helped.stdout
    assert "export-pdf" in run("--hel", data_dir=data_dir).stdout  # abbreviations too
    for wrong, message in ((["--bogus"], "unrecognized arguments: --bogus"),
                           (["--section"], "argument --section: expected one argument"),
                           (["--se"], "ambiguous option: --se could match")):
        done = run(*wrong, data_dir=data_dir)
        assert done.returncode == 2
        assert "COMMAND ..." in done.stderr and message in done.stderr
