"""Words of any script: cutting text into words, and folding a word by its script.

Search treats each word by the script it is written in, so one briefing can mix languages
without declaring them:

- Latin (and any script not named below): lower case, accents folded with Whoosh's table, as
  before issue 17 (in `stemming`, which imports Whoosh; this module does not, so the window can
  use the matching helpers below without loading it).
- Cyrillic: lower case, ё -> е, stress marks dropped.
- Arabic script (Persian, Arabic): the Arabic-keyboard letters as Persian ones (ي ى -> ی, ك -> ک),
  ة ۀ -> ه, the alef forms (أ إ آ ٱ) -> ا, hamza seats (ؤ -> و, ئ -> ی; a bare ء after an alef
  or ending a word after ی dropped, as Persian writes اعضا for اعضاء), tatweel and harakat
  removed, Arabic-Indic and Persian digits as ASCII digits, the zero-width non-joiner (ZWNJ)
  removed.

A Persian word is one word however its affixes are attached: joined, with a ZWNJ or with a
space (می‌توانیم, میتوانیم, می توانیم). The tokenizer keeps a ZWNJ inside a word and takes a
detached prefix (می, نمی) or suffix (ها, های, هایی, تر, ترین, ام, ات, اش) in with the word it
belongs to, so the three spellings give one token spanning the original text; folding removes
the ZWNJ and the space, so they give one form.

`fold_for_matching` and `match_spans` apply the same folding to find a string in a text (find in
page, the tree filter), with positions in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Literal, NamedTuple

Script = Literal["latin", "cyrillic", "arabic"]

# Combining marks are not `\w` in Python's re, so without them a word with a haraka or a stress
# mark would fall apart into pieces: Latin/Cyrillic combining accents, Cyrillic titlo, harakat.
MARKS = "\u0300-\u036f\u0483-\u0487\u064b-\u065f\u0670"
ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# Arabic-script letters (with harakat and Persian digits), without the Arabic punctuation.
_ARABIC_LETTER = "\u0620-\u065f\u066e-\u06d3\u06d5-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
CYRILLIC = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
ZWNJ = "\u200c"

_L = rf"\w{MARKS}"
_WORD = rf"[{_L}]+(?:[.{ZWNJ}][{_L}]+)*"  # a dot joins "U.S."; a ZWNJ joins a Persian word
# Between a detached affix and its word: spaces, and at most one line break (a wrapped line, not
# a new paragraph). Possessive: a letter always follows, and backtracking into a long run of
# spaces was quadratic (seconds for a few thousand).
_GAP = r"(?:[^\S\n]++\n?+|\n)[^\S\n]*+"
_YEH = "یيى"  # Persian yeh and the Arabic-keyboard forms typed for it
PREFIXES = ("نمی", "می")
SUFFIXES = ("هایی", "ترین", "های", "ها", "تر", "ام", "ات", "اش")  # longest first
_PREFIX = rf"ن?م[{_YEH}]"
_SUFFIX = rf"ها[{_YEH}][{_YEH}]|ها[{_YEH}]|ها|تر[{_YEH}]ن|تر|ام|ات|اش"
_DETACHED_PREFIX = rf"{_PREFIX}{_GAP}(?=[{_ARABIC_LETTER}])"
_DETACHED_SUFFIX = rf"(?<=[{_ARABIC_LETTER}]){_GAP}(?:{_SUFFIX})(?![{_L}{ZWNJ}])"

# Three tokenizers giving the same words where they all apply, each faster on the text it is for:
# the pre-issue-17 pattern for ASCII text (most English), marks and ZWNJ for other text, and the
# detached affixes only for text with Arabic script (compiled when first needed, as the other
# Arabic-only patterns: a few milliseconds each).
ASCII_WORD = re.compile(r"\w+(?:\.\w+)*")
ANY_WORD = re.compile(_WORD)
_HAS_ARABIC = re.compile(f"[{ARABIC}]")
_HAS_CYRILLIC = re.compile(f"[{CYRILLIC}]")
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


@cache
def _arabic_word() -> re.Pattern[str]:
    return re.compile(rf"(?:{_DETACHED_PREFIX})?{_WORD}(?:{_DETACHED_SUFFIX})*")


DROP_MARKS: dict[int, None] = dict.fromkeys(range(0x300, 0x370)) | dict.fromkeys(range(0x483, 0x488))
CYRILLIC_FOLD: dict[int, str | None] = {ord("ё"): "е", **DROP_MARKS}


def _arabic_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for letters, to in (("يىئ", "ی"), ("كڪ", "ک"), ("ةۀۂ", "ه"), ("أإآٱٲٳ", "ا"), ("ؤ", "و")):
        table.update(dict.fromkeys(map(ord, letters), to))
    for zero, digits in ((0x660, "0123456789"), (0x6F0, "0123456789")):
        table.update({zero + i: d for i, d in enumerate(digits)})
    deleted = [0x640, 0x670, 0x674, 0x200C, 0x200D, *range(0x64B, 0x660)]  # tatweel, harakat, ZWNJ
    table.update(dict.fromkeys(deleted))
    return table


ARABIC_FOLD = _arabic_table()


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of a text, as search sees them (a detached Persian affix is part of its word)."""
    if text.isascii():
        return ASCII_WORD.finditer(text)
    if _HAS_ARABIC.search(text):
        return _arabic_word().finditer(text)
    return ANY_WORD.finditer(text)


def script_of(word: str) -> Script:
    """The script a word is treated in: Arabic or Cyrillic if it has such letters, else Latin."""
    if word.isascii():
        return "latin"
    if _HAS_ARABIC.search(word):
        return "arabic"
    if _HAS_CYRILLIC.search(word):
        return "cyrillic"
    return "latin"


def fold_arabic(word: str) -> str:
    """Persian/Arabic letter forms folded, harakat/tatweel/ZWNJ and the gap of a detached affix
    removed: 'مي‌توانيم' and 'می توانیم' -> 'میتوانیم'."""
    if _PRESENTATION_FORM.search(word):  # ligatures and positional forms, e.g. from PDFs
        word = unicodedata.normalize("NFKC", word)
    word = "".join(word.lower().translate(ARABIC_FOLD).split())
    if "ء" in word:
        word = word.replace("اء", "ا")
        if word.endswith("یء"):
            word = word[:-1]
    return word


def strip_suffixes(word: str, min_stem: int = 3) -> str:
    """A folded Persian word without its plural, comparative and possessive suffixes
    (کامنتها -> کامنت, بزرگترین -> بزرگ), at most two, leaving at least `min_stem` letters.

    The minimum keeps words that merely end like a suffix (تنها "only", دفتر, آنها). The prefix
    می/نمی is never stripped: it makes a verb continuous or negative, and many ordinary nouns
    begin with it (میزبان "host" would become زبان "language", میلیون, میدان, میهمان -> همان).
    """
    for _ in range(2):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def join_detached_affixes(text: str) -> str:
    """Detached Persian affixes joined to their word with a ZWNJ ('کامنت ها' -> 'کامنت‌ها'), so a
    query parser that splits at spaces keeps them one word, as the tokenizer does."""
    if not _HAS_ARABIC.search(text):
        return text
    prefix, suffix = _join_patterns()
    text = prefix.sub(lambda m: m.group(1) + ZWNJ, text)
    return suffix.sub(lambda m: ZWNJ + m.group(1), text)


@cache
def _join_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (re.compile(rf"(?<![{_L}{ZWNJ}])({_PREFIX}){_GAP}(?=[{_ARABIC_LETTER}])"),
            re.compile(rf"(?<=[{_ARABIC_LETTER}]){_GAP}({_SUFFIX})(?![{_L}{ZWNJ}])"))


# -- matching a string in a text (find in page, the tree filter) ------------------------------------
class Folded(NamedTuple):
    """A text folded for matching, and where each folded character came from in the original."""

    text: str
    offsets: tuple[int, ...] | None  # None: one folded character per original one

    def span(self, start: int, end: int, original: str = "") -> tuple[int, int]:
        """The original text's range for the folded range [start, end). Given the `original`
        text, the range also takes in what folding dropped right after it (a haraka, a final
        hamza), so a mark covers the whole letter or word; never a space or a ZWNJ."""
        if self.offsets is None:
            return start, end
        first, last = self.offsets[start], self.offsets[end - 1] + 1
        if original:
            upto = self.offsets[end] if end < len(self.offsets) else len(original)
            while last < upto and not original[last].isspace() and original[last] != ZWNJ:
                last += 1
        return first, last


# Latin letters Unicode does not decompose into a base letter and an accent.
_LATIN_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l"})


class _MatchFold(dict[int, str]):
    """Character -> its folded form for matching, computed on first use (str.translate reads it).

    Arabic script and Cyrillic fold as search folds them; other letters lose their accents by
    Unicode decomposition (search uses Whoosh's accent table, which this module does not load).
    """

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if code in DROP_MARKS or (code in ARABIC_FOLD and ARABIC_FOLD[code] is None):
            folded = ""
        elif _HAS_ARABIC.match(c):
            folded = unicodedata.normalize("NFKC", c) if _PRESENTATION_FORM.match(c) else c
            folded = folded.translate(ARABIC_FOLD)
        elif _HAS_CYRILLIC.match(c):
            folded = c.casefold().translate(CYRILLIC_FOLD)
        else:
            decomposed = unicodedata.normalize("NFKD", c.casefold())
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
            folded = folded.translate(_LATIN_EXTRA)
        self[code] = folded
        return folded


_MATCH_FOLD = _MatchFold()


@cache
def _match_drops() -> re.Pattern[str]:
    """What matching removes only in context (each alternative's one group): the gap of a
    detached Persian affix, and a bare hamza where fold_arabic drops it."""
    return re.compile(rf"(?<=[{_ARABIC_LETTER}])({_GAP})(?:{_SUFFIX})(?![{_L}{ZWNJ}])"
                      rf"|(?<![{_L}{ZWNJ}]){_PREFIX}({_GAP})(?=[{_ARABIC_LETTER}])"
                      rf"|(?<=[اأإآٱ])(ء)|(?<=[{_YEH}])(ء)(?![{_L}])")


def _dropped(text: str) -> set[int]:
    if not _HAS_ARABIC.search(text):
        return set()
    drops: set[int] = set()
    for m in _match_drops().finditer(text):
        group = next(g for g in range(1, 5) if m.start(g) >= 0)
        drops.update(range(m.start(group), m.end(group)))
    return drops


def fold_for_matching(text: str) -> Folded:
    """`text` case-folded, accents, ё, Arabic letter forms, harakat, tatweel and ZWNJ folded as
    search folds them (no stemming), with the offsets back into `text`.

    Search for the folded needle in `Folded.text`, then `Folded.span()` gives the original range.
    A caller that matches many texts (the tree filter) folds each once and keeps the result.
    """
    if text.isascii():
        return Folded(text.lower(), None)
    drops = _dropped(text)
    folded = text.translate(_MATCH_FOLD)
    if not drops and len(folded) == len(text) and all(len(_MATCH_FOLD[ord(c)]) == 1 for c in set(text)):
        return Folded(folded, None)
    parts: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        f = "" if i in drops else _MATCH_FOLD[ord(c)]
        parts.append(f)
        offsets.extend([i] * len(f))
    return Folded("".join(parts), tuple(offsets))


def match_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of every occurrence of `needle`, ignoring case, accents, ё/е,
    Arabic/Persian letter forms, harakat, tatweel and how Persian affixes are attached
    ('کامنتها' finds 'کامنت‌ها' and 'کامنت ها'). Non-overlapping, left to right; what folding
    dropped right after a match (a haraka, a final hamza) is included, so the mark covers the
    whole letter. For find in page and the tree filter: the same folding as search, no stemming.
    """
    wanted = fold_for_matching(needle).text
    if not wanted:
        return []
    folded = fold_for_matching(text)
    spans = []
    at = folded.text.find(wanted)
    while at >= 0:
        spans.append(folded.span(at, at + len(wanted), text))
        at = folded.text.find(wanted, at + len(wanted))
    return spans
