"""`briefing-reader check`'s content findings (issue 16) on tests/content/fixtures/broken: every
message with its file:line, errors against warnings, and a clean corpus that passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.content import load_library
from reader.content.check import check_library
from tests.conftest import ROOT, write_briefing

FIXTURES = Path(__file__).with_name("fixtures")
BROKEN = FIXTURES / "broken"
FAULTY = BROKEN / "faulty" / "briefing.md"
EXPECTED = [
    (6, False, "link to missing section '#nowhere'"),
    (7, False, "link to missing briefing 'ghost' (section:ghost/intro)"),
    (7, False, "link to missing section 'other/absent'"),
    (8, False, "relative link 'chapter2.html#intro' goes nowhere: the reader opens sections, not "
               "files (link '#section-id' or 'section:briefing/section-id')"),
    (9, False, "image '../other.md' is outside the briefing's folder and is not shown"),
    (9, False, "image 'img/absent.png' not found"),
    (12, False, "footnote [^nonote] has no definition ('[^nonote]: text'); it shows as written"),
    (12, False, "reference link [undefined-label] has no definition ('[undefined-label]: URL'); "
                "it shows as written"),
    (13, True, "template syntax left in the text: {% raw %}"),
    (13, True, "template syntax left in the text: {{#include ../listing.rs}}"),
    (13, True, 'template syntax left in the text: {{< figure src="x.png" >}}'),
    (16, False, "HTML comment '<!--' is never closed ('-->'); it shows as text"),
    (18, False, "HTML block <aside> is never closed; the rest of its section is shown as raw HTML"),
    (24, True, "a fence opens inside the code block begun on line 22; is a closing ``` missing?"),
    (28, False, "code fence ~~~ is never closed; it and the lines after it show as text, not code"),
]


def test_every_finding_with_its_line() -> None:
    library = load_library([BROKEN])
    assert library.problems == []  # it loads: only check sees what is wrong
    found = [(p.path, p.line, p.warning, p.message) for p in check_library(library)]
    assert found == [(FAULTY, line, warning, message) for line, warning, message in EXPECTED]


def test_the_command_prints_them_and_fails_on_errors(data_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), "check",
                           str(BROKEN)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"{FAULTY}:6: link to missing section '#nowhere'" in lines
    assert f"{FAULTY}:13: warning: template syntax left in the text: {{% raw %}}" in lines
    assert "11 problem(s) and 4 warning(s)" in done.stderr


def test_warnings_alone_pass(tmp_path: Path, data_dir: Path) -> None:
    write_briefing(tmp_path / "c", "t.md", "## A\nHugo left {{< ref \"x\" >}} here.\n")
    done = subprocess.run([sys.executable, "-m", "reader", "--data-dir", str(data_dir), "check",
                           str(tmp_path / "c")], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning: template syntax left in the text" in done.stdout
    assert "ok: 1 briefing(s), 2 section(s), 1 warning(s)" in done.stdout


def test_the_corpus_and_the_shipped_briefing_are_clean() -> None:
    """Comments, code, raw HTML and defined references raise nothing (before, a `#` line in a
    comment was reported as a second level-1 heading)."""
    for folder in (FIXTURES / "constructs", ROOT / "content"):
        library = load_library([folder])
        assert library.problems == [] and check_library(library) == [], folder
