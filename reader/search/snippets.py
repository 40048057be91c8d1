"""Finding hit words in text and cutting snippets around them, without re-running Whoosh.

Whoosh's highlighter re-analyses every hit's text through the analyzer chain; matching words
against the query's indexed forms through the analyzer's per-word cache is several times faster,
and the same `HitMatcher` paints hits in the article pane (the ui passes the page's text). A hit
spans the word as written: a Persian word with its ZWNJ or detached affix, a letter's harakat.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from whoosh import query as wq

from reader.search.parser import TEXT_FIELDS
from reader.search.scripts import ARABIC, MARKS, ZWNJ, words
from reader.search.stemming import (
    DEFAULT,
    FOLD_1TO1,
    Entry,
    Stemming,
    entries,
    entry,
    fold,
    word_forms,
)

SNIPPET_CHARS = 220
Span = tuple[int, int]
_HAS_ARABIC = re.compile(f"[{ARABIC}]")
_HAS_MARK = re.compile(f"[{MARKS}]")


@dataclass(frozen=True)
class HitMatcher:
    """Which words count as hits: indexed forms of the query's terms, plus prefixes; a word's
    forms are taken under each of `stemmings` (the library's languages)."""

    forms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    stemmings: tuple[Stemming, ...] = (DEFAULT,)

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes)

    def key(self, word: str) -> str | None:
        """The query term a word matches (its indexed form or the prefix), or None."""
        one = self._one_stemming
        if one is not None:  # the common case, as fast as before issue 17: one dict look-up
            looked_up = one.get(word) or entry(word, self.stemmings[0])
            found = looked_up[0] if isinstance(looked_up, tuple) else looked_up
            candidates: tuple[str, ...] = (found,) if found else ()
        else:
            candidates = word_forms(word, self.stemmings)
        for found in candidates:
            if found in self.forms:
                return found
        if self.prefixes:
            folded = fold(word)
            for prefix in self.prefixes:
                if folded.startswith(prefix):
                    return prefix
                for found in candidates:
                    if found.startswith(prefix):
                        return prefix
        return None

    @cached_property
    def _one_stemming(self) -> dict[str, Entry] | None:
        return entries(self.stemmings[0]) if len(self.stemmings) == 1 else None

    @cached_property
    def _word_by_word(self) -> bool:
        """True when the candidate regex cannot find the hits: folded Persian drops letters
        (harakat, ZWNJ, the space of a detached affix), so its forms are not prefixes of the text."""
        return any(_HAS_ARABIC.search(t) for t in (*self.forms, *self.prefixes))

    @cached_property
    def _candidates(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        """Words that may be hits, found by one regex pass over the folded text: (for ASCII text,
        for other text, where a ZWNJ also joins a word).

        Porter and Russian Snowball stems are (almost always) prefixes of the folded word once their
        last letter is dropped ("economi" <- "economy", "переговор" <- "переговоры"), so this finds
        every hit; `key()` then confirms each. Other Snowball stemmers may change the last two
        letters or spell ß as ss ("strass" <- "Straße"), so their starts are shorter. Text with
        combining marks never comes here (see `hits`), so a word is its word characters.
        """
        exact = all(s.latin == DEFAULT.latin for s in self.stemmings)
        starts = {_start(f, exact) for f in self.forms} | set(self.prefixes)
        if not starts:
            return None
        alternatives = "|".join(sorted(map(re.escape, starts), key=len, reverse=True))
        return (re.compile(rf"(?<![\w.])(?:{alternatives})\w*(?:\.\w+)*"),
                re.compile(rf"(?<![\w.{ZWNJ}])(?:{alternatives})\w*(?:[.{ZWNJ}]\w+)*"))

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, matched term) of every hit word in `text`."""
        patterns = self._candidates
        if patterns is None:
            return []
        folded = text.lower().translate(FOLD_1TO1)
        ascii_text = text.isascii()
        # Slow path, word by word: Persian query words, combining marks in the text (they fold to
        # nothing) or rare letters whose lower case is longer.
        if (len(folded) != len(text) or self._word_by_word
                or (not ascii_text and _HAS_MARK.search(text))):
            return [(m.start(), m.end(), k) for m in words(text)
                    if (k := self.key(m.group())) is not None]
        out = []
        key = self.key
        for m in patterns[0 if ascii_text else 1].finditer(folded):
            start, end = m.span()
            k = key(text[start:end])
            if k is not None:
                out.append((start, end, k))
        return out

    def spans(self, text: str) -> list[Span]:
        """Character ranges of every hit word in `text`."""
        return [(s, e) for s, e, _k in self.hits(text)]

    def to_dict(self) -> dict[str, list[str]]:
        return {"forms": sorted(self.forms), "prefixes": list(self.prefixes)}


def _start(form: str, exact: bool) -> str:
    if exact:
        return form[: max(2, len(form) - 1)]
    cut = form.find("ss")
    form = form[:cut] if cut >= 2 else form
    return form[: max(2, len(form) - 2)]


def matcher_for(q: wq.Query, stemmings: tuple[Stemming, ...] = (DEFAULT,)) -> HitMatcher:
    """The hit words of a Whoosh query on an index of `stemmings`; excluded (NOT) terms are not
    hits."""
    forms: set[str] = set()
    prefixes: list[str] = []
    _collect(q, forms, prefixes)
    return HitMatcher(frozenset(forms), tuple(dict.fromkeys(prefixes)), stemmings)


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


def make_snippet(text: str, matcher: HitMatcher, width: int = SNIPPET_CHARS) -> Snippet:
    """About `width` characters of `text` around the stretch with the most distinct hit words
    (then the rarest in the text: see _best_stretch; then the most hits), cut at word
    boundaries."""
    hits = matcher.hits(text) if matcher else []
    if len(text) <= width:
        start, end = 0, len(text)
    elif not hits:  # only the title matched: show the beginning
        start, end = 0, _word_end(text, width)
    else:
        first, last = _best_stretch(hits, width)
        centre = (hits[first][0] + hits[last][1]) // 2
        start = max(0, min(centre - width // 2, len(text) - width))
        start = _word_start(text, start)
        end = _word_end(text, start + width)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    offset = len(prefix) - start
    spans = tuple((s + offset, e + offset) for s, e, _k in hits if s >= start and e <= end)
    return Snippet(prefix + _flat(text[start:end]) + suffix, spans)


def _best_stretch(hits: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """Indices of the first and last hit of the best run of hits spanning <= `width` chars.

    Best: the most distinct query terms; among as many, those rarest in this text (each term
    weighs 1 / its hits here), then the most hits. Without the rarity, "strategic pa" showed a
    stretch of five words starting "pa" over the one "strategic" of the section, the word the
    reader typed in full."""
    total = Counter(key for _s, _e, key in hits)
    best: tuple[int, float, int] = (0, 0.0, 0)
    best_run = (0, 0)
    counts: dict[str, int] = {}
    rarity = 0.0
    j = 0
    for i, (_start, _end, key) in enumerate(hits):
        counts[key] = counts.get(key, 0) + 1
        if counts[key] == 1:
            rarity += 1 / total[key]
        while hits[i][1] - hits[j][0] > width:
            old = hits[j][2]
            counts[old] -= 1
            if not counts[old]:
                del counts[old]
                rarity -= 1 / total[old]
            j += 1
        score = (len(counts), round(rarity, 9), i - j + 1)
        if score > best:
            best, best_run = score, (j, i)
    return best_run


def _word_start(text: str, at: int) -> int:
    if at <= 0:
        return 0
    space = text.rfind(" ", max(0, at - 20), at)
    return space + 1 if space >= 0 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.find(" ", at, at + 20)
    return space if space >= 0 else at


def _flat(text: str) -> str:
    """Line breaks become spaces (same length, so spans stay valid)."""
    return text.replace("\n", " ").replace("\t", " ")
