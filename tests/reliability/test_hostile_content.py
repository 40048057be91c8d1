"""Content the reader did not expect: arbitrary bytes, Markdown, metadata and file names never make
an exception escape the loader or renderer, `check` explains bad files with file:line, and nothing
rendered can run code or reach the network."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.app import main
from reader.content import load_library, parse_briefing, render_section_html, section_plain_text
from tests.conftest import write_briefing
from tests.reliability.helpers import RELIABLE

HEAD = "---\ntitle: T\ndate: 2026-01-01\n---\n"


def render_everything(path: Path, data: bytes) -> None:
    briefing, problems = parse_briefing(path, data)
    for p in problems:
        assert re.match(rf"^{re.escape(str(path))}:\d+: \S", str(p)), str(p)
    if briefing is not None:
        for section in briefing.root.walk():
            render_section_html(section, include_children=False)
            section_plain_text(section)
        render_section_html(briefing.root)


LINES = st.one_of(
    st.text(max_size=40),
    st.builds(lambda n, t, i: "#" * n + " " + t + (f" {{#{i}}}" if i else ""),
              st.integers(1, 8), st.text(max_size=20), st.from_regex(r"[a-z0-9-]{0,8}", fullmatch=True)),
    st.sampled_from(["```", "~~~", "---", "    code", "> quote", "- item", "1. item", "| a | b |",
                     "|---|---|", "<div>", "</div>", "<script>alert(1)</script>", "[x]: http://a",
                     "![i](http://example.com/x.png)", "<img src=x onerror=alert(1)>", "\t- deep",
                     "*[HTML]: Hyper", "Term\n:   Definition", "{#id}", "#", "##", "\\", "&#0;",
                     "&nbsp;", "<!--", "-->", "\x00", "\u202e", "\ud7ff", "[^1]", "[^1]: note"]),
)


@RELIABLE
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    render_everything(Path("/content/x.md"), data)
    render_everything(Path("/content/x.md"), HEAD.encode() + data)


@RELIABLE
@given(st.lists(LINES, max_size=40))
def test_markdown_soup(lines: list[str]) -> None:
    render_everything(Path("/content/soup.md"), (HEAD + "\n".join(lines)).encode("utf-8", "surrogatepass"))


@RELIABLE
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=30)), max_size=10), st.text(max_size=200))
def test_metadata_soup(meta: list[tuple[str, str]], body: str) -> None:
    head = "---\n" + "\n".join(f"{k}: {v}" for k, v in meta) + "\n---\n"
    render_everything(Path("/content/meta.md"), (head + body).encode("utf-8", "surrogatepass"))


NAMES = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
                min_size=1, max_size=40).filter(lambda n: n not in (".", ".."))


@RELIABLE
@given(st.lists(NAMES, min_size=1, max_size=5, unique=True))
def test_file_names(tmp_path_factory, names: list[str]) -> None:
    folder = tmp_path_factory.mktemp("names")
    for n, name in enumerate(names):
        try:
            write_briefing(folder, name + ".md", f"# Heading {n}\nText {n}.\n")
        except OSError:  # too long for the file system: not a name a briefing can have
            continue
    library = load_library([folder])
    for section in library.sections():
        render_section_html(section)
    for problem in library.problems:
        assert ":" in str(problem)


# -- fixed cases -----------------------------------------------------------------------------------
def check(capsys, folder: Path) -> tuple[int, str]:
    code = main(["--data-dir", str(folder.parent / "data"), "check", str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_check_explains_bad_files_with_file_and_line(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "latin1.md").write_bytes(HEAD.encode() + b"# T\nok\ncaf\xe9\n")
    (folder / "empty.md").write_bytes(b"")
    write_briefing(folder, "dupes.md", "# T\n## A {#same}\ntext\n## B {#same}\ntext\n")
    code, out = check(capsys, folder)
    assert code == 1
    assert re.search(r"latin1\.md:7: not valid UTF-8", out), out
    assert re.search(r"empty\.md:1: ", out), out
    assert re.search(r"dupes\.md:\d+: .*same", out), out


def test_ten_megabyte_section(tmp_path: Path) -> None:
    body = ("word " * 20 + "\n\n") * (10_000_000 // 102)
    path = write_briefing(tmp_path, "big.md", "# Big\n" + body)
    briefing, problems = parse_briefing(path)
    assert briefing is not None
    text = section_plain_text(briefing.root)
    assert len(text) > 9_000_000


@pytest.mark.parametrize("body", [
    "\n".join("    " * i + "- item" for i in range(1000)),
    "\n".join("\t" * i + "1. item" for i in range(1000)),
    "\n".join(">" * i + " quote" for i in range(1000)),
    "\n".join("#" * (1 + i % 6) + f" Heading {i}" for i in range(1000)),
    "<div>" * 1000 + "deep" + "</div>" * 1000,
], ids=["lists", "numbered-tabs", "quotes", "headings", "html"])
def test_thousand_levels_of_nesting(tmp_path: Path, body: str) -> None:
    path = write_briefing(tmp_path, "deep.md", "# Deep\nintro\n\n" + body)
    briefing, _ = parse_briefing(path)
    assert briefing is not None
    html = render_section_html(briefing.root)
    assert "item" in html or "quote" in html or "Heading" in html or "deep" in html
    assert "render-error" not in html  # rendered as Markdown (nesting flattened), not given up on


def test_a_body_markdown_cannot_render_is_shown_as_text(tmp_path: Path, monkeypatch) -> None:
    import markdown

    def overflow(self, text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", overflow)
    path = write_briefing(tmp_path, "x.md", "# X\nsome <b>words</b> here\n")
    briefing, _ = parse_briefing(path)
    html = render_section_html(briefing.root)
    assert "could not be displayed" in html and "some &lt;b&gt;words&lt;/b&gt; here" in html
    assert "some <b>words</b> here" in section_plain_text(briefing.root)


def test_symlinks_leaving_the_content_folder_are_refused(tmp_path: Path, capsys) -> None:
    outside = write_briefing(tmp_path / "outside", "secret.md", "# Secret\nprivate words\n")
    folder = tmp_path / "content"
    write_briefing(folder, "fine.md", "# Fine\npublic words\n")
    os.symlink(outside, folder / "link.md")
    os.symlink(outside.parent, folder / "linked-dir")
    library = load_library([folder])
    texts = " ".join(section_plain_text(s) for s in library.sections())
    assert "public words" in texts and "private words" not in texts
    code, out = check(capsys, folder)
    assert "link.md" in out


def test_nothing_rendered_can_run_code_or_reach_the_network(tmp_path: Path) -> None:
    body = """# Hostile
<script>alert('x')</script> <SCRIPT SRC=http://evil/x.js></SCRIPT>
<p onclick="alert(1)" onmouseover='x()'>para</p> <img src=x onerror=alert(1)>
[js](javascript:alert(1)) [JS]( JaVaScRiPt:alert(1)) [file](file:///etc/passwd)
<a href="file:///etc/shadow">f</a> <a href="jav&#x09;ascript:alert(1)">t</a>
<img src="http://example.com/pixel.png"> ![remote](https://example.com/x.png)
<img src="//example.com/proto.png"> <img src="data:image/png;base64,AAAA">
<iframe src="http://evil"></iframe> <object data="http://evil"></object>
<style>body{background:url(http://evil)}</style> <link rel=stylesheet href=http://evil>
<svg onload=alert(1)></svg> <form action=http://evil><input></form>
"""
    briefing, _ = parse_briefing(write_briefing(tmp_path, "h.md", body))
    html = render_section_html(briefing.root).lower()
    for bad in ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "file:",
                "http://evil", "example.com", "data:image", "<iframe", "<object", "<style",
                "<link", "<svg", "<form", "alert(1)</script"):
        assert bad not in html, bad
    assert "para" in html
