"""Word-level diff of two texts with `difflib`, as operations (for tests and the CLI) or as HTML.

Texts are split into words and punctuation, each token carrying the whitespace after it, so
"countries," -> "countries." marks only the punctuation and paragraph breaks survive into the HTML.
Whitespace is not a token of its own: with `autojunk` off, difflib compares every pair of
equal tokens, and one " " token between every two words made a 5,000-word section take seconds
(bench/update_bench.py: 6 s -> 20 ms). `autojunk` stays off because its popular-element heuristic
would treat "the" and "and" as junk in long sections and give a ragged diff.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:['’]\w+)*\s*|[^\w\s]\s*|\s+")
# Changed words are marked by class only: whoever shows the HTML styles `.ins` and `.del` (the
# window's What Changed view colours them from its theme, ui/features/updates/changes_dock.py).
INSERTED_CLASS, DELETED_CLASS = "ins", "del"


@dataclass(frozen=True)
class Op:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class WordDiff:
    ops: tuple[Op, ...]

    @property
    def inserted(self) -> list[str]:
        """The inserted words (whitespace and punctuation left out)."""
        return _words(o.text for o in self.ops if o.kind == "insert")

    @property
    def deleted(self) -> list[str]:
        return _words(o.text for o in self.ops if o.kind == "delete")

    @property
    def changed(self) -> bool:
        return any(o.kind != "equal" for o in self.ops)

    def to_html(self) -> str:
        """Paragraphs of HTML with <span class="ins"> / <span class="del"> around changed words
        (no colours: the page showing them styles the two classes)."""
        paragraphs: list[list[str]] = [[]]
        previous = "equal"
        for op in self.ops:
            if op.kind == "insert" and previous == "delete" and paragraphs[-1]:
                paragraphs[-1].append(" ")  # "old new", not "oldnew", when words were replaced
            previous = op.kind
            for i, chunk in enumerate(re.split(r"\n\s*\n", op.text)):
                if i:
                    paragraphs.append([])
                if chunk:
                    paragraphs[-1].append(_span(op.kind, chunk))
        return "\n".join(f"<p>{''.join(p)}</p>" for p in paragraphs if p)


def _span(kind: str, text: str) -> str:
    escaped = html.escape(text).replace("\n", "<br/>")
    if kind == "insert":
        return f'<span class="{INSERTED_CLASS}">{escaped}</span>'
    if kind == "delete":
        return f'<span class="{DELETED_CLASS}">{escaped}</span>'
    return escaped


def _words(chunks: Iterable[str]) -> list[str]:
    return [w for chunk in chunks for w in re.findall(r"\w+(?:['’]\w+)*", chunk)]


def word_diff(old: str, new: str) -> WordDiff:
    """Diff two texts word by word.

    A run of changes separated only by spaces reads as one change: "We're seeing discussions"
    -> "Officials now confirm" shows the three old words struck through, then the three new
    ones, rather than alternating word by word.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    opcodes = matcher.get_opcodes()
    ops: list[Op] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1].kind == kind:
            ops[-1] = Op(kind, ops[-1].text + text)
        else:
            ops.append(Op(kind, text))

    def flush() -> None:
        for kind, parts in (("delete", deleted), ("insert", inserted)):
            text = "".join(parts)
            if not text.isspace():  # only the joining spaces: nothing was deleted (or inserted)
                add(kind, text)
        deleted.clear()
        inserted.clear()

    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        text = "".join(a[i1:i2])
        between = 0 < n < len(opcodes) - 1 and (deleted or inserted)
        if tag == "equal" and between and text.isspace() and "\n" not in text:
            deleted.append(text)  # a space between two changes joins them
            inserted.append(text)
        elif tag == "equal":
            flush()
            add("equal", text)
        else:
            deleted.append(text)
            inserted.append("".join(b[j1:j2]))
    flush()
    return WordDiff(tuple(ops))
