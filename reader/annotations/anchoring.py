"""Re-anchoring: find where an annotation's selector sits in a section's current plain text.

Order of attempts, cheapest first (the Hypothesis client's strategy, with `rapidfuzz` instead of
`approx-string-match`):

1. the stored offsets still hold the exact quote                         -> EXACT
2. the exact quote occurs elsewhere; pick the occurrence whose prefix/suffix
   match best, ties broken by distance to the old offset                 -> MOVED
3. an approximate match (`fuzz.partial_ratio_alignment`), scored with Hypothesis' weights
   (quote 50, prefix 20, suffix 20, position 2) above a threshold       -> FUZZY (with score)
4. nothing good enough                                                   -> ORPHANED (kept, never deleted)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from reader.annotations.model import Annotation, Selector

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POS_WEIGHT = 50.0, 20.0, 20.0, 2.0
TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POS_WEIGHT
MIN_QUOTE_SCORE = 0.75  # the matched text must be at least this similar to the quote itself
MIN_FUZZY_SCORE = 0.70  # ... and the weighted score (with context) at least this
MAX_OCCURRENCES = 200  # a quote found more often than this is disambiguated among the first ones
NEAR_ENOUGH = 80.0  # a match this good near the old offset saves the search of the whole text


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
    if selector.is_empty:  # bookmarks mark the whole section
        return Anchor(Status.EXACT, 0, 0, 1.0)
    s, e, quote = selector.start, selector.end, selector.exact
    if 0 <= s <= e <= len(text) and text[s:e] == quote:
        return Anchor(Status.EXACT, s, e, 1.0)
    moved = _find_moved(text, selector)
    if moved is not None:
        return moved
    fuzzy = _find_fuzzy(text, selector)
    return fuzzy if fuzzy is not None else Anchor(Status.ORPHANED)


def anchor_all(text: str, annotations: Iterable[Annotation]) -> dict[str, Anchor]:
    """Anchor every annotation of one section; annotation id -> anchor."""
    return {a.id: anchor(text, a.selector) for a in annotations}


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


def _find_moved(text: str, sel: Selector) -> Anchor | None:
    best: Anchor | None = None
    i = text.find(sel.exact)
    for _ in range(MAX_OCCURRENCES):
        if i < 0:
            break
        score = _score(text, sel, i, i + len(sel.exact), 1.0)
        if best is None or score > best.score:
            best = Anchor(Status.MOVED, i, i + len(sel.exact), score)
        i = text.find(sel.exact, i + 1)
    return best


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


def _find_fuzzy(text: str, sel: Selector) -> Anchor | None:
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
    best: Anchor | None = None
    for _score0, start, end in candidates:
        start, end, quote_score = _refine(text, quote, start, end)
        if quote_score < MIN_QUOTE_SCORE:
            continue
        score = _score(text, sel, start, end, quote_score)
        if score >= MIN_FUZZY_SCORE and (best is None or score > best.score):
            best = Anchor(Status.FUZZY, start, end, round(score, 4))
    return best


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Adjust both ends of an alignment so the range matches the quote best.

    `partial_ratio_alignment` compares windows as long as the quote, so when a word inside the
    quote grew or shrank, the window's ends are off by the difference. Ends are judged by
    Levenshtein similarity (Indel would favour dropping a changed letter over keeping it), with a
    small bonus for ends on word boundaries to break ties.
    """
    reach = min(24, max(3, len(quote) // 8))

    def score(s: int, e: int) -> float:
        edge = (s == 0 or not text[s - 1].isalnum()) + (e >= len(text) or not text[e].isalnum())
        return Levenshtein.normalized_similarity(quote, text[s:e]) + 0.005 * edge

    best = score(start, end)
    for e in range(max(start + 1, end - reach), min(len(text), end + reach) + 1):
        if (r := score(start, e)) > best:
            best, end = r, e
    for s in range(max(0, start - reach), min(end - 1, start + reach) + 1):
        if (r := score(s, end)) > best:
            best, start = r, s
    return start, end, fuzz.ratio(quote, text[start:end]) / 100.0
