"""Re-anchoring: find where an annotation's selector sits in a section's current plain text.

Order of attempts, cheapest first (the Hypothesis client's strategy, with `rapidfuzz` instead of
`approx-string-match`):

1. the stored offsets still hold the exact quote                         -> EXACT
2. the exact quote occurs elsewhere; pick the occurrence whose prefix/suffix
   match best, ties broken by distance to the old offset                 -> MOVED
3. an approximate match (`fuzz.partial_ratio_alignment`), scored with Hypothesis' weights
   (quote 50, prefix 20, suffix 20, position 2) above a threshold       -> FUZZY (with score)
   First, cheaply: both the prefix and the suffix still there near the old offset and the text
   between them very similar to the quote (`_find_between`). Otherwise only places where most of
   the quote's words line up are aligned (see `_Words`), so a quote that is gone costs a few
   dictionary look-ups, not an alignment against the whole text.
4. nothing good enough                                                   -> ORPHANED (kept, never deleted)
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from itertools import accumulate, compress, repeat
from operator import sub
from typing import Any

from reader.annotations.model import Annotation, Selector

# rapidfuzz's modules, bound by _load_rapidfuzz() before the first inexact anchor: a window whose
# annotations all anchor exactly (the usual case) never loads it.
fuzz: Any = None
Levenshtein: Any = None


def _load_rapidfuzz() -> None:
    global fuzz, Levenshtein
    if fuzz is None:
        from rapidfuzz import fuzz as fuzz_module
        from rapidfuzz.distance import Levenshtein as levenshtein_module

        fuzz, Levenshtein = fuzz_module, levenshtein_module

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POS_WEIGHT = 50.0, 20.0, 20.0, 2.0
TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POS_WEIGHT
MIN_QUOTE_SCORE = 0.75  # the matched text must be at least this similar to the quote itself
MIN_FUZZY_SCORE = 0.70  # ... and the weighted score (with context) at least this
MAX_OCCURRENCES = 200  # a quote found more often than this is disambiguated among the first ones
NEAR_ENOUGH = 80.0  # a match this good near the old offset saves the search of the whole text
CONTEXT_MIN = 8  # prefix and suffix at least this long to anchor a changed quote between them
CONTEXT_QUOTE_SCORE = 0.9  # ... and the text between them at least this similar to the quote
VOTE_SHARE = 0.4  # share of the quote's telling words that must line up for a place to be aligned
MIN_VOTERS = 3  # with fewer telling words in a quote, align it against the text itself
COMMON_WORD = 64  # a word found more often than this tells nothing about where the quote is
DRIFT = 2  # words inserted or deleted inside a quote shift the later words' votes this far
BUCKET = 4  # votes are counted per run of this many consecutive diagonals
MAX_WINDOWS = 4  # places aligned per quote, best voted first
EDGE_BONUS = 0.005  # prefer range ends on word boundaries when similarities tie


class Status(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Anchor:
    """Result of anchoring: where the annotation is now (start/end in the current plain text)."""

    status: Status
    start: int = 0
    end: int = 0
    score: float = 0.0  # 1.0 for exact; the weighted similarity for moved and fuzzy

    @property
    def attached(self) -> bool:
        return self.status is not Status.ORPHANED


def anchor(text: str, selector: Selector) -> Anchor:
    """Anchor one selector in `text` (see the module docstring for the strategy)."""
    return _anchor(text, selector, _Words(text))


def anchor_all(text: str, annotations: Iterable[Annotation]) -> dict[str, Anchor]:
    """Anchor every annotation of one section; annotation id -> anchor."""
    words = _Words(text)  # shared: the word index is built once, by the first fuzzy search
    return {a.id: _anchor(text, a.selector, words) for a in annotations}


def _anchor(text: str, selector: Selector, words: _Words) -> Anchor:
    if selector.is_empty:  # bookmarks mark the whole section
        return Anchor(Status.EXACT, 0, 0, 1.0)
    s, e, quote = selector.start, selector.end, selector.exact
    if 0 <= s <= e <= len(text) and text[s:e] == quote:
        return Anchor(Status.EXACT, s, e, 1.0)
    _load_rapidfuzz()
    moved = _find_moved(text, selector, words)
    if moved is not None:
        return moved
    fuzzy = _find_fuzzy(text, selector, words)
    return fuzzy if fuzzy is not None else Anchor(Status.ORPHANED)


def _similarity(a: str, b: str) -> float:
    if not a:
        return 1.0  # no stored context (the quote was at the edge): nothing to disagree with
    return fuzz.ratio(a, b) / 100.0


def _score(text: str, sel: Selector, start: int, end: int, quote_score: float) -> float:
    """Hypothesis' weighted score of a candidate range, between 0 and 1."""
    prefix = _similarity(sel.prefix, text[max(0, start - len(sel.prefix)):start])
    suffix = _similarity(sel.suffix, text[end:end + len(sel.suffix)])
    pos = 1.0 - abs(start - sel.start) / max(1, len(text))
    raw = (QUOTE_WEIGHT * quote_score + PREFIX_WEIGHT * prefix + SUFFIX_WEIGHT * suffix
           + POS_WEIGHT * max(0.0, pos))
    return raw / TOTAL_WEIGHT


def _find_moved(text: str, sel: Selector, words: _Words) -> Anchor | None:
    best: Anchor | None = None
    found = words.occurrences(sel.exact)
    for i in _first_occurrences(text, sel.exact) if found is None else found[:MAX_OCCURRENCES]:
        score = _score(text, sel, i, i + len(sel.exact), 1.0)
        if best is None or score > best.score:
            best = Anchor(Status.MOVED, i, i + len(sel.exact), score)
    return best


def _first_occurrences(text: str, quote: str) -> Iterator[int]:
    i = text.find(quote)
    for _ in range(MAX_OCCURRENCES):
        if i < 0:
            break
        yield i
        i = text.find(quote, i + 1)


def _align(
    quote: str, text: str, offset: int, cutoff: float = MIN_QUOTE_SCORE * 100
) -> tuple[float, int, int] | None:
    """Best approximate placement of `quote` in `text`: (0-100 score, start, end) + offset."""
    if not text:
        return None
    found = fuzz.partial_ratio_alignment(quote, text, score_cutoff=cutoff)
    if found is None or found.score <= 0:
        return None
    return found.score, found.dest_start + offset, found.dest_end + offset


def _find_between(text: str, sel: Selector) -> Anchor | None:
    """The quote changed but its context did not: the range between the prefix and the suffix.

    The common edit (a word changed inside a highlighted passage, the rest of the text the same
    or shifted) is settled by two short `str.find`s near the old offset. Only a very similar
    quote is accepted here: with both contexts exact, a match elsewhere could beat it only with
    near-identical context of its own (a repeated passage), so no search is skipped that matters.
    """
    prefix, suffix, quote = sel.prefix, sel.suffix, sel.exact
    if len(prefix) < CONTEXT_MIN or len(suffix) < CONTEXT_MIN:
        return None
    margin = max(500, 4 * len(quote))
    lo = max(0, sel.start - len(prefix) - margin)
    p = text.find(prefix, lo, sel.start + margin)
    if p < 0:
        return None
    start = p + len(prefix)
    end = text.find(suffix, start, start + len(quote) * 3 // 2 + len(suffix))
    if end < 0:
        return None
    quote_score = fuzz.ratio(quote, text[start:end]) / 100.0
    if quote_score < CONTEXT_QUOTE_SCORE:
        return None
    return Anchor(Status.FUZZY, start, end, round(_score(text, sel, start, end, quote_score), 4))


def _find_fuzzy(text: str, sel: Selector, words: _Words) -> Anchor | None:
    between = _find_between(text, sel)
    if between is not None:
        return between
    quote = sel.exact
    windows = words.windows(quote)
    if windows is None:  # too few telling words to vote: align against the text itself
        candidates = _align_in_text(text, sel)
    else:
        candidates = [a for lo, hi in windows if (a := _align(quote, text[lo:hi], lo))]
    best: Anchor | None = None
    for _score0, start, end in candidates:
        start, end, quote_score = _refine(text, sel, start, end)
        if quote_score < MIN_QUOTE_SCORE:
            continue
        score = _score(text, sel, start, end, quote_score)
        if score >= MIN_FUZZY_SCORE and (best is None or score > best.score):
            best = Anchor(Status.FUZZY, start, end, round(score, 4))
    return best


def _align_in_text(text: str, sel: Selector) -> list[tuple[float, int, int]]:
    """Alignments near the old offset and, unless that one is good, in the whole text."""
    quote = sel.exact
    margin = max(500, 4 * len(quote))
    lo = max(0, sel.start - margin)
    near = _align(quote, text[lo:sel.start + len(quote) + margin], lo)
    candidates = [near] if near else []
    if near is None or near[0] < NEAR_ENOUGH:
        # Only a better match than the near one is worth finding: the cutoff lets rapidfuzz prune.
        whole = _align(quote, text, 0, max(MIN_QUOTE_SCORE * 100, near[0] if near else 0))
        if whole:
            candidates.append(whole)
    return candidates


class _Words:
    """Where each space-separated word of one text occurs, built once per text on first use.

    Aligning a quote against a whole 5,000-word section costs ~0.15 ms; most annotations of a
    section that need a fuzzy match (or have none) would pay it. Instead each word of the quote
    votes for the places its occurrences put the quote's start (word index of the occurrence minus
    the word's index in the quote); only places where enough of the quote's words line up are
    aligned, each in a window of a few words around it. A match good enough to keep (>= 75 %
    similar) keeps most of its words, so it gets the votes; text that shares only scattered words
    with the quote gets none and the quote is orphaned without an alignment.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _index(self) -> tuple[list[int], dict[str, list[int]]]:
        parts = self.text.split(" ")  # the same split as the quote's, so word indexes line up
        # Where word i starts: the lengths of the words before it plus one space after each.
        starts = list(accumulate(map((1).__add__, map(len, parts)), initial=0))
        where: dict[str, list[int]] = {}
        for i, word in enumerate(parts):
            if (seen := where.get(word)) is None:
                where[word] = [i]
            else:
                seen.append(i)
        return starts, where

    def occurrences(self, quote: str) -> list[int] | None:
        """Every start of `quote` in the text, in order, if the index is built already, else None.

        A quote of three words or more holds a whole word of the text (one between two of its
        spaces); checking the quote at each occurrence of its rarest such word is exact and
        cheaper than `str.find` scanning the whole text for a quote that is not there.
        """
        if "_index" not in self.__dict__:
            return None  # building the index for this alone would cost more than a scan
        parts = quote.split(" ")
        if len(parts) < 3:
            return None
        starts, where = self._index
        counts = list(map(len, map(where.get, parts[1:-1], repeat(()))))
        j = counts.index(min(counts)) + 1
        before = sum(map(len, parts[:j])) + j  # characters of the quote before word j
        text = self.text
        return [p for i in where.get(parts[j], ()) if text.startswith(quote, p := starts[i] - before)]

    def windows(self, quote: str) -> list[tuple[int, int]] | None:
        """Character ranges worth aligning `quote` in, best first; None if words cannot tell."""
        starts, where = self._index
        parts = quote.split(" ")
        diagonals: list[int] = []
        voters = 0
        for j, word in enumerate(parts):
            seen = where.get(word, ())
            if not word or len(seen) > COMMON_WORD:
                continue  # empty, or so common that its votes would land everywhere
            voters += 1  # a word the text lacks counts too: it votes for no place
            diagonals.extend(map((-j).__add__, seen))  # C-level: this loop is the hot one
        if voters < MIN_VOTERS:
            return None
        need = max(2, math.ceil(VOTE_SHARE * voters))
        if len(diagonals) < need:
            return []
        return [_word_range(starts, d, len(parts)) for d in _places(diagonals, need)]


def _places(diagonals: list[int], need: int) -> list[int]:
    """First diagonals of runs of BUCKET diagonals holding `need` votes, most voted first.

    Sorted votes make a run a gap test between the vote at i and at i + need - 1, done by
    `map(sub, ...)` in C: most quotes that are gone have no such run, and finding that out
    must cost less than a Python loop over their ~50 scattered votes.
    """
    votes = sorted(diagonals)
    gaps = list(map(sub, votes[need - 1:], votes))
    if min(gaps) >= BUCKET:
        return []
    runs = [(bisect_left(votes, votes[i] + BUCKET) - i, votes[i])
            for i in compress(range(len(gaps)), map(BUCKET.__gt__, gaps))]
    chosen: list[int] = []
    for _count, first in sorted(runs, key=lambda r: (-r[0], r[1])):
        if all(abs(first - c) >= BUCKET for c in chosen):
            chosen.append(first)
            if len(chosen) == MAX_WINDOWS:
                break
    return chosen


def _word_range(starts: list[int], first: int, count: int) -> tuple[int, int]:
    """Characters of the words a quote of `count` words starting at diagonals `first`.. covers.

    DRIFT words more either side leave room for words inserted or deleted inside the quote.
    """
    last = len(starts) - 1
    lo = starts[min(max(0, first - DRIFT), last)]
    hi = starts[min(max(0, first + BUCKET + count + DRIFT), last)]
    return lo, hi


def _refine(text: str, sel: Selector, start: int, end: int) -> tuple[int, int, float]:
    """Adjust both ends of an alignment so the range matches the quote best.

    `partial_ratio_alignment` compares windows as long as the quote, so when a word inside the
    quote grew or shrank, the window's ends are off by the difference. Ends are judged by
    Levenshtein similarity (Indel would favour dropping a changed letter over keeping it).
    An end that was on a word boundary when the annotation was made (the reader selected whole
    words) is moved only to word boundaries, which are few, so they are looked for twice as far;
    other ends try every character nearby, with a small bonus for word boundaries to break ties.
    The aligned end itself is always a candidate: an edit may have glued a word onto the quote.
    """
    quote, size = sel.exact, len(text)
    reach = min(24, max(3, len(quote) // 8))
    whole = not sel.suffix or not sel.suffix[0].isalnum()
    ends = range(max(start + 1, end - 2 * reach if whole else end - reach),
                 min(size, end + 2 * reach if whole else end + reach) + 1)
    edges = [m.start() for m in _NOT_ALNUM.finditer(text, ends.start, ends.stop)]
    if ends.stop > size:
        edges.append(size)
    end = _best_cut(quote, ends, edges, end, lambda e: text[start:e], whole)
    whole = not sel.prefix or not sel.prefix[-1].isalnum()
    starts = range(max(0, start - 2 * reach if whole else start - reach),
                   min(end - 1, start + 2 * reach if whole else start + reach) + 1)
    edges = [m.end() for m in _NOT_ALNUM.finditer(text, max(0, starts.start - 1), starts.stop - 1)]
    if starts.start == 0:
        edges.insert(0, 0)
    start = _best_cut(quote, starts, edges, start, lambda s: text[s:end], whole)
    return start, end, fuzz.ratio(quote, text[start:end]) / 100.0


def _best_cut(
    quote: str, cuts: range, edges: list[int], current: int, piece: Callable[[int], str],
    edges_only: bool,
) -> int:
    """The cut whose piece is most similar to the quote (+ an edge bonus); ties keep `current`."""
    similarity = Levenshtein.normalized_similarity
    if edges_only:
        # max() keeps the first of equals: the current cut comes first so that it wins ties.
        return max([current, *edges], key=lambda c: similarity(quote, piece(c)))
    on_edge = set(edges)
    best, best_value = current, -1.0
    for cut in (current, *cuts):
        value = similarity(quote, piece(cut)) + EDGE_BONUS * (cut in on_edge)
        if value > best_value:
            best, best_value = cut, value
    return best


_NOT_ALNUM = re.compile(r"[\W_]")  # what str.isalnum() rejects: a word boundary
