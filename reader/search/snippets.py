"""Finding hit words in text and cutting snippets around them, without re-running Whoosh.

Whoosh's highlighter re-analyses every hit's text through the analyzer chain; matching words
against the query's indexed forms through the analyzer's per-word cache is several times faster,
and the same `HitMatcher` paints hits in the article pane (the ui passes the page's text).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from whoosh import query as wq

from reader.search.schema import fold, index_form, words

SNIPPET_WORDS = 32
TEXT_FIELDS = {"title", "body", "path"}
Span = tuple[int, int]


@dataclass(frozen=True)
class HitMatcher:
    """Which words count as hits: indexed forms of the query's terms, plus prefixes."""

    forms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    def key(self, word: str) -> str | None:
        """The query term a word matches (its indexed form or the prefix), or None."""
        form = index_form(word)
        if form is not None and form in self.forms:
            return form
        if self.prefixes:
            folded = fold(word)
            for prefix in self.prefixes:
                if folded.startswith(prefix) or (form is not None and form.startswith(prefix)):
                    return prefix
        return None

    def spans(self, text: str) -> list[Span]:
        """Character ranges of every hit word in `text`."""
        if not self:
            return []
        key = self.key
        return [m.span() for m in words(text) if key(m.group()) is not None]

    def to_dict(self) -> dict[str, list[str]]:
        return {"forms": sorted(self.forms), "prefixes": list(self.prefixes)}


def matcher_for(q: wq.Query) -> HitMatcher:
    """The hit words of a Whoosh query; excluded (NOT) terms are not hits."""
    forms: set[str] = set()
    prefixes: list[str] = []
    _collect(q, forms, prefixes)
    return HitMatcher(frozenset(forms), tuple(dict.fromkeys(prefixes)))


def _collect(q: wq.Query, forms: set[str], prefixes: list[str]) -> None:
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        _collect(q.a, forms, prefixes)
    elif isinstance(q, (wq.Prefix, wq.Wildcard)):
        if q.fieldname in TEXT_FIELDS:
            fixed = q.text.split("*")[0].split("?")[0]
            if fixed:
                prefixes.append(fixed)
    elif isinstance(q, wq.Phrase):
        if q.fieldname in TEXT_FIELDS:
            forms.update(q.words)
    elif isinstance(q, (wq.Term, wq.FuzzyTerm)):
        if q.fieldname in TEXT_FIELDS:
            forms.add(q.text)
    else:
        for child in q.children():
            _collect(child, forms, prefixes)


@dataclass(frozen=True)
class Snippet:
    """A piece of text with hit words marked by character spans."""

    text: str
    spans: tuple[Span, ...] = field(default=())

    def html(self, tag: str = "b") -> str:
        """Escaped HTML with each hit wrapped in `<tag>`."""
        out, last = [], 0
        for start, end in self.spans:
            out.append(html.escape(self.text[last:start]))
            out.append(f"<{tag}>{html.escape(self.text[start:end])}</{tag}>")
            last = end
        out.append(html.escape(self.text[last:]))
        return "".join(out)

    def marked(self, before: str = "[", after: str = "]") -> str:
        """Plain text with hits between markers (for terminals)."""
        out, last = [], 0
        for start, end in self.spans:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)


def make_snippet(text: str, matcher: HitMatcher, size: int = SNIPPET_WORDS) -> Snippet:
    """The `size`-word window of `text` holding the most distinct hit words (then most hits)."""
    tokens = [(m.start(), m.end(), matcher.key(m.group())) for m in words(text)]
    if not tokens:
        return Snippet(_flat(text[:200]))
    first, last = _best_window(tokens, size)
    start, end = tokens[first][0], tokens[last][1]
    if first == 0:
        start = 0
    prefix = "… " if start > 0 else ""
    suffix = " …" if last < len(tokens) - 1 else ""
    offset = len(prefix) - start
    spans = tuple((s + offset, e + offset) for s, e, k in tokens[first:last + 1] if k is not None)
    return Snippet(prefix + _flat(text[start:end]) + suffix, spans)


def _best_window(tokens: list[tuple[int, int, str | None]], size: int) -> tuple[int, int]:
    """Sliding window over the tokens; O(n)."""
    if len(tokens) <= size:
        return 0, len(tokens) - 1
    counts: dict[str, int] = {}
    hits, best, best_at = 0, (-1, -1), 0
    for i, (_s, _e, key) in enumerate(tokens):
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
            hits += 1
        if i >= size:
            old = tokens[i - size][2]
            if old is not None:
                counts[old] -= 1
                hits -= 1
                if not counts[old]:
                    del counts[old]
        if i >= size - 1:
            score = (len(counts), hits)
            if score > best:
                best, best_at = score, i - size + 1
    if best[1] <= 0:
        return 0, size - 1  # no hit in the body (title-only match): show the beginning
    # Centre the hits of the best window so the first one has some words of context before it.
    window = range(best_at, best_at + size)
    hit_at = [i for i in window if tokens[i][2] is not None]
    start = (hit_at[0] + hit_at[-1]) // 2 - size // 2
    start = max(0, min(start, len(tokens) - size))
    return start, start + size - 1


def _flat(text: str) -> str:
    """Line breaks become spaces (same length, so spans stay valid)."""
    return text.replace("\n", " ").replace("\t", " ")
