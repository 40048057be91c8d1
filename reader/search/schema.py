"""The Whoosh schema of the search index and the analyzer shared by indexing, queries and snippets.

One analyzer does what Whoosh's `RegexTokenizer | LowercaseFilter | CharsetFilter | StopFilter |
StemFilter` chain does, in a single pass with a per-word cache: indexing a large library spends most
of its time in analysis, and the filter chain costs a generator hop per token per filter. Each word
is folded and stemmed by its script and its briefing's language (`scripts`, `stemming`); a field
value says its briefing's stemming by being a `StemmedText`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import STOP_WORDS, Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.formats import Positions

from reader.search.scripts import ASCII_WORD, words
from reader.search.stemming import (
    DEFAULT,
    MIN_WORD,
    Stemming,
    entries,
    entry,
    fold,
    prefix_form,
)

# Bump whenever the schema, the analyzer or the document fields change: the index is rebuilt.
SCHEMA_VERSION = 8  # 7: stored text compressed with the library's dictionary (issue 18);
# 8: the section fingerprints in a file of their own (reader/search/manifest.py)
TITLE_BOOST = 3.0

class StemmedText(str):
    """A field value whose words are stemmed as `stemming` says (a briefing whose language
    stems differently from the default, e.g. German or Ukrainian).

    A plain `str` is stemmed with the default. Whoosh hands the value to the analyzer unchanged;
    a stored field must be given its plain text as `_stored_<field>` (no pickled subclass).
    """

    stemming: Stemming

    def __new__(cls, text: str, stemming: Stemming) -> StemmedText:
        value = super().__new__(cls, text)
        value.stemming = stemming
        return value


def stemming_of(value: str) -> Stemming:
    return value.stemming if type(value) is StemmedText else DEFAULT


class FoldingStemAnalyzer(Tokenizer):
    """Tokenize, fold and stem each word by its script, drop stop words, in one pass.

    At indexing, a Persian word with a suffix stripped also yields its whole folded form at the same
    position (see `stemming.Entry`); queries look the stripped form up.
    """

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False,
        keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
        start_char: int = 0, tokenize: bool = True, mode: str = "", no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stemming = stemming_of(value)
        if not tokenize:  # prefixes, wildcards, ranges: one token, folded (see prefix_form)
            t.original = value
            t.text = fold(value) if no_morph else prefix_form(value, stemming)
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        cache = entries(stemming)
        whole_too = mode == "index"
        for pos, match in enumerate(words(value), start_pos):
            word = match.group()
            whole = None
            if no_morph:
                found = fold(word)
                if len(found) < MIN_WORD or found in STOP_WORDS:
                    found = ""
            else:
                looked_up = cache.get(word) or entry(word, stemming)
                if isinstance(looked_up, tuple):
                    found, whole = looked_up
                else:
                    found = looked_up
            if not found:
                if removestops:
                    continue
                t.stopped, t.text = True, fold(word)
            else:
                t.stopped, t.text = False, found
            t.boost = 1.0
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            yield t
            if whole is not None and whole_too:
                t.text = whole
                yield t


class FastPositions(Positions):
    """Whoosh's `Positions` format with `word_values` done in one loop for our analyzer.

    Produces exactly the postings `Positions.word_values` does (same terms in the same order,
    frequencies, weights and encoded positions) without a Token object per word. Only the index
    builder's private copy of the schema uses it (see `build.fast_formats`); the schema saved in
    the index keeps Whoosh's own class.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if type(analyzer) is not FoldingStemAnalyzer or not isinstance(value, str) or kwargs.get(
                "no_morph") or kwargs.get("removestops") is False:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        stemming = stemming_of(value)
        cache = entries(stemming)
        poses: dict[str, list[int]] = {}
        found: Any  # an Entry: a str, or a tuple for a Persian word (never in ASCII text)
        if value.isascii():  # English: no tuple test per word
            for pos, match in enumerate(ASCII_WORD.finditer(value)):
                word = match.group()
                found = cache.get(word) or entry(word, stemming)
                if not found:
                    continue  # stop words are dropped but keep their place in the positions
                seen = poses.get(found)
                if seen is None:
                    poses[found] = [pos]
                else:
                    seen.append(pos)
        else:
            for pos, match in enumerate(words(value)):
                word = match.group()
                found = cache.get(word) or entry(word, stemming)
                if not found:
                    continue
                whole = None
                if type(found) is tuple:
                    found, whole = found
                seen = poses.get(found)
                if seen is None:
                    poses[found] = [pos]
                else:
                    seen.append(pos)
                if whole is not None:  # after the stripped form, as the analyzer yields them
                    poses.setdefault(whole, []).append(pos)
        fb, encode = self.field_boost, self.encode
        for word, poslist in poses.items():
            yield (word, len(poslist), float(len(poslist)) * fb, encode(poslist))


def make_schema() -> Schema:
    """Sections (kind "section") and extra documents such as notes (kind "note") share one index.

    `key` is unique per document; `section` is the section key a hit opens. The body is indexed
    but stored compressed in `text` (for snippets) to keep the index small.
    """
    analyzer = FoldingStemAnalyzer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        briefing=ID(stored=True),
        section=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True),  # boosted at query time (TITLE_BOOST)
        path=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer),
        text=STORED(),
        date=ID(stored=True),
    )
