"""Which stemmer a word gets, and the cached form a word is indexed and searched as.

A word is treated by its script (see `scripts`); a briefing's `language:` chooses among stemmers:

- Latin: English (Porter, as before issue 17) by default; a language Whoosh has a Snowball stemmer
  for (de, fr, es, it, nl, pt, sv, no, da, fi, hu, ro) stems its briefing's Latin words with it.
  The stop words are English's for all Latin text: a query does not know which briefing it will
  match, and a word a query drops must be dropped from every document alike.
- Cyrillic: Russian Snowball, unless the briefing's language is another Cyrillic language
  without a stemmer (uk, be, bg, sr, ...): folding only.
- Arabic script: folding and the Persian suffixes (`scripts.strip_suffixes`); no stemmer.

Indexing a library thus uses one `Stemming` per briefing; a query word must match every stemming
in use, so it becomes its distinct forms under each (`word_forms`; see `parser`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import NamedTuple

from whoosh.analysis import STOP_WORDS
from whoosh.lang import NoStemmer, stemmer_for_language, two_letter_code
from whoosh.lang.porter import stem as porter_stem
from whoosh.lang.snowball.russian import RussianStemmer
from whoosh.support.charset import accent_map

from reader.search.scripts import (
    CYRILLIC_FOLD,
    DROP_MARKS,
    Script,
    fold_arabic,
    script_of,
    strip_suffixes,
)

MIN_WORD = 2  # one-letter words are dropped, as Whoosh's StopFilter does
DEFAULT_LANGUAGE = "en"
LATIN_SNOWBALL = frozenset({"da", "de", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "sv"})
# Cyrillic-script languages other than Russian: Whoosh has no stemmer for them, and Russian's
# would take off endings that are not theirs.
CYRILLIC_UNSTEMMED = frozenset({"uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn", "ba", "tt",
                                "cv", "ce", "os", "ab", "sah", "rue"})
_CACHE_LIMIT = 500_000
LATIN_FOLD = {**accent_map, **DROP_MARKS}
# One character to one: folded text keeps the offsets of the original (snippets.HitMatcher).
FOLD_1TO1 = {**{k: v for k, v in accent_map.items() if isinstance(v, str) and len(v) == 1},
             ord("ё"): "е"}


class Stemming(NamedTuple):
    """How one briefing's words are stemmed."""

    latin: str = DEFAULT_LANGUAGE  # "en" (Porter) or a code of LATIN_SNOWBALL
    cyrillic: bool = True  # Russian Snowball, or folding only


DEFAULT = Stemming()
# What a word is indexed as: its form, or (form, whole) for a Persian word with a suffix stripped
# (the whole word is indexed too, at the same position, so an as-you-type prefix finds it);
# "" for a stop word.
Entry = str | tuple[str, str]
_ENTRIES: dict[Stemming, dict[str, Entry]] = {DEFAULT: {}}  # word -> entry; shared by threads
_FOLDED: dict[str, str] = {}


# Names for the languages whose stemming differs that Whoosh does not know (it knows those it has
# a stemmer for: "german", "russian", ...).
_NAMES = {"ukrainian": "uk", "belarusian": "be", "bulgarian": "bg", "serbian": "sr",
          "macedonian": "mk", "kazakh": "kk", "persian": "fa", "farsi": "fa"}


def normalise_language(language: str) -> str:
    """'de-DE', 'de_AT', 'German' -> 'de'; 'Ukrainian' -> 'uk'; '' -> 'en'."""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if len(code) > 3:  # a name
        code = _NAMES.get(code) or two_letter_code(code) or code
    return code or DEFAULT_LANGUAGE


@cache
def stemming_for(language: str) -> Stemming:
    """The stemming of a briefing written in `language` (its metadata's `language:`)."""
    code = normalise_language(language)
    return Stemming(code if code in LATIN_SNOWBALL else DEFAULT_LANGUAGE, code not in CYRILLIC_UNSTEMMED)


@cache
def stemmings_for(languages: tuple[str, ...]) -> tuple[Stemming, ...]:
    """The distinct stemmings of a library's languages, the default first; never empty."""
    found = dict.fromkeys(stemming_for(lang) for lang in languages)
    ordered = sorted(found, key=lambda s: (s != DEFAULT, s))
    return tuple(ordered) or (DEFAULT,)


def fold(word: str) -> str:
    """A word's letters folded by its script, not stemmed: 'Économie' -> 'economie',
    'Ещё' -> 'еще', 'كتاب' -> 'کتاب'."""
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) > _CACHE_LIMIT:
            _FOLDED.clear()
        folded = _FOLDED[word] = word.lower() if word.isascii() else fold_word(word, script_of(word))
    return folded


def fold_word(word: str, script: Script) -> str:
    """A word's letters folded as its script wants (no stemming, no affix stripping)."""
    if script == "latin":
        return word.lower().translate(LATIN_FOLD)
    if script == "cyrillic":
        return word.lower().translate(CYRILLIC_FOLD)
    return fold_arabic(word)


def entry(word: str, stemming: Stemming = DEFAULT) -> Entry:
    """The cached indexing entry of a word (see `Entry`)."""
    entries = _ENTRIES.get(stemming)
    if entries is None:
        entries = _ENTRIES.setdefault(stemming, {})
    found = entries.get(word)
    if found is None:
        if len(entries) > _CACHE_LIMIT:
            entries.clear()
        found = entries[word] = _analyse(word, stemming)
    return found


def entries(stemming: Stemming) -> dict[str, Entry]:
    """The cache of `entry` for one stemming, for loops that look words up themselves."""
    found = _ENTRIES.get(stemming)
    return found if found is not None else _ENTRIES.setdefault(stemming, {})


def form(word: str, stemming: Stemming = DEFAULT) -> str | None:
    """The term a word is searched as under `stemming`, or None for a stop word."""
    found = entry(word, stemming)
    if not found:
        return None
    return found if type(found) is str else found[0]


def word_forms(word: str, stemmings: tuple[Stemming, ...]) -> tuple[str, ...]:
    """The distinct terms a query word must match, one per stemming in use; () for a stop word."""
    if len(stemmings) == 1:
        one = form(word, stemmings[0])
        return () if one is None else (one,)
    return tuple(f for f in dict.fromkeys(form(word, s) for s in stemmings) if f is not None)


def terms(word: str, stemmings: tuple[Stemming, ...]) -> tuple[str, ...]:
    """Every term a word is indexed as under any of `stemmings` (both of a stripped Persian word)."""
    if len(stemmings) == 1:
        one = entry(word, stemmings[0])
        return one if isinstance(one, tuple) else (one,) if one else ()
    found: dict[str, None] = {}
    for stemming in stemmings:
        one = entry(word, stemming)
        found.update(dict.fromkeys(one if isinstance(one, tuple) else (one,) if one else ()))
    return tuple(found)


def prefix_form(text: str, stemming: Stemming = DEFAULT) -> str:
    """A prefix (or wildcard) as searched: folded; English Latin prefixes also Porter-stemmed, as
    before issue 17 (the index holds stems: 'economie' must find 'economi'). Other scripts and
    languages are not stemmed: a stemmer would cut a partial word's letters as if they ended it."""
    folded = fold(text)
    if stemming.latin == DEFAULT_LANGUAGE and folded.isalnum() and script_of(text) == "latin":
        return porter_stem(folded)
    return folded


def _analyse(word: str, stemming: Stemming) -> Entry:
    if word.isascii():  # the fast path: most words of most libraries
        folded = word.lower()
        if len(folded) < MIN_WORD or folded in STOP_WORDS:
            return ""
        return porter_stem(folded) if stemming.latin == DEFAULT_LANGUAGE else _latin(stemming.latin)(folded)
    script = script_of(word)
    if script == "arabic":
        whole = fold_arabic(word)
        if len(whole) < MIN_WORD:
            return ""
        stripped = strip_suffixes(whole)
        return stripped if stripped == whole else (stripped, whole)
    folded = fold_word(word, script)
    if len(folded) < MIN_WORD or (script == "latin" and folded in STOP_WORDS):
        return ""
    if script == "cyrillic":
        return russian_stem(folded) if stemming.cyrillic else folded
    if stemming.latin == DEFAULT_LANGUAGE:
        return porter_stem(folded)
    # Snowball stemmers read the letters with their accents (German umlauts, French é), and
    # fold them themselves or not at all: stem first, then fold.
    return fold_word(_latin(stemming.latin)(word.lower()), "latin")


@cache
def _latin(language: str) -> Callable[[str], str]:
    try:
        stem: Callable[[str], str] = stemmer_for_language(language)
    except NoStemmer:
        stem = porter_stem
    return stem


_russian = RussianStemmer().stem
_RUSSIAN_VOWELS = frozenset("аеиоуыэюя")


def russian_stem(word: str) -> str:
    """Russian Snowball, with its paradigms made to meet: Snowball takes a perfective-gerund
    ending (-ив, -ыв, -в after а/я) off the bare noun (архив -> арх, состав -> соста) but not off
    its other forms (архива -> архив), so one word had two stems. The same rule applied to the
    stem gives every form the bare word's stem."""
    stem = _russian(word)
    rv = next((i + 1 for i, c in enumerate(word) if c in _RUSSIAN_VOWELS), len(word))
    if stem.endswith(("ив", "ыв")) and len(stem) - 2 >= rv:
        return stem[:-2]
    if stem.endswith(("ав", "яв")) and len(stem) - 2 >= rv:
        return stem[:-1]
    return stem


def languages_of(codes: Iterable[str]) -> list[str]:
    """The sorted, normalised language codes of a library, the default always among them (notes
    and other extra documents are indexed with the default stemming)."""
    return sorted({normalise_language(c) for c in codes} | {DEFAULT_LANGUAGE})
