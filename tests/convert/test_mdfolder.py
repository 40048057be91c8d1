"""Markdown folders -> one briefing: mdBook, Hugo and Jekyll sites, plain folders of pages."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from reader.content.parser import parse_briefing
from reader.content.render import section_plain_text
from reader.convert import Converted, convert_source
from reader.convert.mdpages import front_matter, natural_key, simple_yaml, split_headings

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f80f0000010101002718e3660000000049454e44ae426082")


def build(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def tree(c: Converted) -> list[tuple[int, str]]:
    return [(p.level, p.title) for p in c.parts]


def written(c: Converted, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = c.write(tmp_path / "out")
    briefing, problems = parse_briefing(path)
    assert problems == [], [str(p) for p in problems]
    assert briefing is not None
    return path, briefing


# ---- mdBook ----------------------------------------------------------------------------------
MDBOOK = {
    "book.toml": '[book]\ntitle = "The Guide"\nauthors = ["Ann Lee", "Bo Chen"]\nlanguage = "en"\n',
    "src/SUMMARY.md": (
        "# Summary\n\n[Introduction](intro.md)\n\n# User Guide\n\n"
        "- [Installation](guide/install.md)\n"
        "    - [On Linux](guide/linux.md)\n"
        "        - [Debian](guide/debian.md)\n"
        "- [Later Things]() (?)\n"
        "- [Reading](guide/reading.md)\n\n---\n\n"
        "# Reference\n\n- [Commands](ref/commands.md)\n\n[Contributors](contributors.md)\n"),
    "src/intro.md": "# Introduction\n\nWelcome. See [reading](guide/reading.md#the-tree).\n",
    "src/guide/install.md": (
        "# Installation\n\nGet it.\n\n## From Source\n\n```rust\n{{#include ../code/main.rs:2:3}}\n```\n\n"
        "```text\n# not a heading\n```\n\n{{#foo bar}}\n"),
    "src/guide/linux.md": "# On Linux\n\n![penguin](../img/tux.png)\n\n{{#include ../snippets.md:setup}}\n",
    "src/guide/debian.md": "# Debian\n\nUse apt. {{#include ../../../outside.md}}\n",
    "src/guide/reading.md": (
        "# Reading\n\nText.\n\n## The Tree {#the-tree}\n\nLeft side.\n\n### Filters\n\nTyping.\n"),
    "src/ref/commands.md": "# Commands\n\nBack to [the start](../intro.md).\n",
    "src/contributors.md": ("# Contributors\n\nMany.\n\n{{#playground code/main.rs}}\n\n"
                            "```rust\n{{#rustdoc_include code/main.rs:1}}\n```\n"),
    "src/code/main.rs": "fn main() {\n    let answer = 42;\n    println!(\"{answer}\");\n}\n",
    "src/snippets.md": (
        "junk\n<!-- ANCHOR: setup -->\nRun the setup script.\n<!-- ANCHOR_END: setup -->\nmore junk\n"),
    "src/img/tux.png": PNG,
}


def test_mdbook(tmp_path: Path) -> None:
    root = build(tmp_path / "guide-book", MDBOOK)
    (tmp_path / "outside.md").write_text("SECRET", encoding="utf-8")
    c = convert_source(root)
    assert c.format == "mdbook"
    assert c.title == "The Guide" and c.author == "Ann Lee, Bo Chen" and c.language == "en"
    assert tree(c) == [
        (1, "Introduction"), (1, "User Guide"), (2, "Installation"), (3, "From Source"),
        (3, "On Linux"), (4, "Debian"), (2, "Later Things"), (2, "Reading"), (3, "The Tree"),
        (4, "Filters"), (1, "Reference"), (2, "Commands"), (1, "Contributors")]
    by_title = {p.title: p for p in c.parts}
    source = by_title["From Source"].markdown
    assert "let answer = 42;" in source and 'println!("{answer}");' in source
    assert "fn main" not in source and "{{#" not in source
    assert "Run the setup script." in by_title["On Linux"].markdown
    assert "junk" not in by_title["On Linux"].markdown and "ANCHOR" not in by_title["On Linux"].markdown
    assert "SECRET" not in c.to_markdown()
    assert by_title["Contributors"].markdown.endswith(
        "Many.\n\n```rust\nfn main() {\n    let answer = 42;\n    println!(\"{answer}\");\n}\n```\n\n"
        "```rust\nfn main() {\n```")
    assert any("draft chapter 'Later Things'" in w for w in c.warnings)
    assert any("{{#foo}}" in w and "guide/install.md" in w for w in c.warnings)
    assert any("outside the book" in w for w in c.warnings)
    assert c.assets == {PurePosixPath("images/img/tux.png"): PNG}
    assert "![penguin](images/img/tux.png)" in by_title["On Linux"].markdown
    assert by_title["The Tree"].id == "the-tree"
    assert "[reading](#the-tree)" in by_title["Introduction"].markdown
    assert f"[the start](#{by_title['Introduction'].id})" in by_title["Commands"].markdown
    path, briefing = written(c, tmp_path)
    assert (path.parent / "images/img/tux.png").read_bytes() == PNG
    sections = {s.title: s for s in briefing.sections()}
    assert sections["From Source"].level == 4  # ## User Guide > ### Installation > ####
    assert "# not a heading" in section_plain_text(sections["From Source"])
    assert [s.title for s in sections["Reading"].children] == ["The Tree"]


def test_mdbook_summary_at_the_top_and_no_book_toml(tmp_path: Path) -> None:
    root = build(tmp_path / "notes", {
        "SUMMARY.md": "- [One](one.md)\n- [Two](two.md)\n  - [Two A](two-a.md)\n- [Missing](nope.md)\n",
        "one.md": "Text without a heading.\n\n## Inside One\n\nMore.\n",
        "two.md": "# Two\n\nTwo's text.\n", "two-a.md": "# Two A\n\nDeeper.\n"})
    c = convert_source(root)
    assert c.format == "mdbook" and c.title == "notes"
    assert tree(c) == [(1, "One"), (2, "Inside One"), (1, "Two"), (2, "Two A")]
    assert c.parts[0].markdown == "Text without a heading."
    assert any("nope.md not found" in w for w in c.warnings)
    written(c, tmp_path)


# ---- Hugo ------------------------------------------------------------------------------------
HUGO = {
    "hugo.toml": 'title = "Field Notes"\nlanguageCode = "en-us"\n',
    "content/_index.md": "---\ntitle: Home\n---\nWelcome to the notes.\n",
    "content/about.md": "---\ntitle: \"About Us\"\nweight: 1\n---\nWho we are.\n",
    "content/posts/_index.md": "+++\ntitle = \"Posts\"\nweight = 2\n+++\nAll the posts.\n",
    "content/posts/second.md": (
        "---\ntitle: Second Post\ndate: 2026-03-02T10:00:00Z\ntags: [a, b]\n---\n"
        "See [the first]({{< ref \"first.md\" >}}) and [about]({{< relref \"/about.md\" >}}).\n\n"
        "{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n\n{{< youtube abc123 >}}\n\n"
        "{{< notice warning >}}Careful here.{{< /notice >}}\n\n{{< tweet 42 >}}\n\n"
        "{{% notice %}}x{{% /notice %}}\n"),
    "content/posts/first.md": (
        "---\ntitle: First Post\ndate: 2026-03-01\n---\nHello.\n\n"
        "{{< figure src=\"/images/map.png\" caption=\"The map\" >}}\n\n## Details\n\nMore.\n\n"
        "Write `{{</* figure src=\"x\" */>}}` for a figure. Not [ready]({{< ref \"draft.md\" >}}).\n\n"
        "![logo][logo]\n\n[logo]: /images/map.png\n"),
    "content/posts/draft.md": "---\ntitle: Not Yet\ndraft: true\n---\nSecret.\n",
    "content/posts/bundle/index.md": "---\ntitle: Bundle Page\ndate: 2026-03-05\n---\n![pic](pic.png)\n",
    "content/posts/bundle/pic.png": PNG,
    "static/images/map.png": PNG,
}


def test_hugo_site(tmp_path: Path) -> None:
    root = build(tmp_path / "site", HUGO)
    c = convert_source(root)
    assert c.format == "hugo" and c.title == "Field Notes" and c.language == "en"
    assert c.intro == "Welcome to the notes."
    assert tree(c) == [(1, "About Us"), (1, "Posts"), (2, "First Post"), (3, "Details"),
                       (2, "Second Post"), (2, "Bundle Page")]
    assert c.date == "2026-03-05"
    by_title = {p.title: p for p in c.parts}
    second = by_title["Second Post"].markdown
    assert "[the first](#first-post)" in second and "[about](#about-us)" in second
    assert "```go\nfunc main() {}\n```" in second
    assert "(https://www.youtube.com/watch?v=abc123)" in second
    assert "Careful here." in second and "{{" not in second
    assert "dropped unknown shortcodes: notice (2), tweet (1)" in c.warnings
    assert any("draft page content/posts/draft.md" in w for w in c.warnings)
    assert "Secret." not in c.to_markdown()
    first = by_title["First Post"].markdown
    assert "![The map](images/images/map.png)" in first and "*The map*" in first
    details = by_title["Details"].markdown
    assert '`{{< figure src="x" >}}`' in details and "Not ready." in details
    assert "[logo]: images/images/map.png" in details
    assert any("link to mdref:content/posts/draft.md" in w for w in c.warnings)
    assert set(c.assets) == {PurePosixPath("images/images/map.png"),
                             PurePosixPath("images/posts/bundle/pic.png")}
    path, briefing = written(c, tmp_path)
    assert (path.parent / "images/posts/bundle/pic.png").is_file()
    assert briefing.meta.date == "2026-03-05"


def test_jekyll_posts(tmp_path: Path) -> None:
    root = build(tmp_path / "blog", {
        "_config.yml": "title: My Blog  # the name\nauthor: Sam Roe\nplugins:\n  - x\n",
        "_posts/2025-01-10-later-post.md": (
            "---\nlayout: post\n---\n# Later Post\n\nText {% include note.html %} end.\n\n"
            "![one]({{ site.baseurl }}/assets/p.png) ![two]({{ \"/assets/p.png\" | relative_url }})\n"),
        "assets/p.png": PNG,
        "_posts/2024-12-31-early-post.md": (
            "---\ntitle: 'Early: Post'\n---\n{% raw %}{{ not liquid }}{% endraw %}\n\n## Part\n\nBody.\n")})
    c = convert_source(root)
    assert c.format == "hugo" and c.title == "My Blog" and c.author == "Sam Roe"
    assert tree(c) == [(1, "Early: Post"), (2, "Part"), (1, "Later Post")]
    assert c.date == "2025-01-10"
    assert "{{ not liquid }}" in c.parts[0].markdown and "{%" not in c.to_markdown()
    assert "dropped Liquid tags: include (1), raw (1)" in c.warnings
    assert "![one](images/assets/p.png) ![two](images/assets/p.png)" in c.parts[2].markdown
    assert c.assets == {PurePosixPath("images/assets/p.png"): PNG}
    written(c, tmp_path)


# ---- plain folders ---------------------------------------------------------------------------
def test_plain_folder(tmp_path: Path) -> None:
    root = build(tmp_path / "My Notes", {
        "10-y.md": "---\ntitle: Ten\n---\n# Ten\n\nTen's text.\n",
        "2-x.md": "Two without a heading.\n",
        "01-intro.md": "---\ntitle: Opening\n---\n# Not The Title\n\nIntro text.\n",
        "README.md": "# Read Me\n\nStart here.\n\n### Deep\n\nJumps a level.\n",
        "notes.txt": "not Markdown",
        "part/index.md": "# The Part\n\nPart's own page.\n",
        "part/b.markdown": ("# B Page {#b-page}\n\nSee [ten](../10-y.md).\n\n"
                            "Setext Heading\n--------------\n\nUnder it.\n"),
        "part/a.md": "# A Page\n\nA text.\n",
        "empty/nothing.txt": "x",
    })
    (tmp_path / "secret.md").write_text("# Secret\n\nOutside.\n", encoding="utf-8")
    (root / "zz-link.md").symlink_to(tmp_path / "secret.md")
    (root / "part" / "loop").symlink_to(root)
    c = convert_source(root)
    assert c.format == "markdown" and c.title == "My Notes"
    assert "Outside." not in c.to_markdown()
    assert "left out zz-link.md: a link to outside the folder" in c.warnings
    assert tree(c) == [
        (1, "Read Me"), (2, "Deep"), (1, "Opening"), (2, "Not The Title"), (1, "x"), (1, "Ten"),
        (1, "The Part"), (2, "A Page"), (2, "B Page"), (3, "Setext Heading")]
    by_title = {p.title: p for p in c.parts}
    assert by_title["x"].markdown == "Two without a heading."
    assert by_title["Ten"].markdown == "Ten's text."  # the heading repeating the title: once
    assert by_title["B Page"].id == "b-page"
    assert f"[ten](#{by_title['Ten'].id})" in by_title["B Page"].markdown
    _, briefing = written(c, tmp_path)
    levels = {s.title: s.level for s in briefing.sections()}
    assert levels["Deep"] == 3 and levels["Setext Heading"] == 4


# ---- helpers -----------------------------------------------------------------------------------
def test_front_matter_by_hand() -> None:
    meta, body = front_matter("---\ntitle: \"A: B\"\nweight: 3\ndraft: false\nratio: 1.5\n"
                              "date: 2026-01-02\ntags:\n  - x\nlist: [1, 2]\n---\nBody\n")
    assert meta == {"title": "A: B", "weight": 3, "draft": False, "ratio": 1.5, "date": "2026-01-02"}
    assert body == "Body\n"
    assert front_matter("+++\ntitle = 'T'\ndate = 2026-01-02\n+++\nX")[0]["title"] == "T"
    assert front_matter("no front matter\n---\n") == ({}, "no front matter\n---\n")
    assert simple_yaml("title: x # comment\nname: 'it''s'\n")["title"] == "x"


def test_natural_order_and_split() -> None:
    names = ["10-y.md", "2-x.md", "01-intro.md", "B.md", "a.md"]
    assert sorted(names, key=natural_key) == ["01-intro.md", "2-x.md", "10-y.md", "a.md", "B.md"]
    pre, heads = split_headings("intro\n\n# One {#uno}\ntext\n```\n# code\n```\n## Two\nmore")
    assert pre == "intro\n"
    assert [(lv, t, i) for lv, t, i, _ in heads] == [(1, "One", "uno"), (2, "Two", "")]
    assert "# code" in heads[0][3]
    assert split_headings("a\n# \n## \nb") == ("a\nb", [])  # empty headings: dropped


def test_pages_split_where_the_parser_will(tmp_path: Path) -> None:
    """The converter's tree is the tree the library shows: its pages split at the headings the
    content parser finds in the written briefing (`heading_at`), even setext ones right under a
    heading, with a mixed underline, or on a line that starts like a list item."""
    root = build(tmp_path / "notes", {"page.md": (
        "# Page\nUnder the heading\n---\n\nText.\n\nMixed\n=-=\n\n- item\n---\n\n"
        "```\nCode\n---\n```\n")})
    c = convert_source(root)
    assert tree(c) == [(1, "Page"), (2, "Under the heading"), (2, "Mixed"), (2, "- item")]
    _, briefing = written(c, tmp_path)
    assert [(s.level - 1, s.title) for s in briefing.sections() if s is not briefing.root] == tree(c)
