"""The query parser for a library whose briefings are stemmed differently (several languages).

Whoosh's parser analyses each word once, with the schema's analyzer, which stems as the default
does. In a library of English and German briefings (or Russian and Ukrainian) a word must match
its form under each stemming, so one search box serves the whole library: `FormsParser` makes
each word an OR of its distinct forms, each phrase an OR of the phrase under each stemming (a
phrase lies in one briefing, so its words share a stemming) and each prefix an OR of its prefix
forms. Forms are per word rather than the whole query once per stemming, so `-word` excludes
every form of it. A library with one stemming uses Whoosh's parser as is.

Why at query time, not by indexing every briefing under every stemmer: the index stays the size
it was and an English library builds as fast as before; a briefing in a new language adds its
words, not a rebuild of the others; and the cost, a few more terms per query word, falls only on
libraries that mix stemmings. The languages in use come from the index's manifest.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.qparser import QueryParser
from whoosh.qparser.plugins import MultifieldPlugin

from reader.search.scripts import words
from reader.search.stemming import Stemming, form, prefix_form, word_forms

TEXT_FIELDS = frozenset({"title", "body", "path"})


def either(queries: list[wq.Query]) -> wq.Query:
    """One query, or an OR of several (distinct forms of one word)."""
    return queries[0] if len(queries) == 1 else wq.Or(queries)


class FormsParser(QueryParser):
    """Whoosh's multi-field parser (what its `MultifieldParser` function builds) with each word,
    phrase and prefix matched under `stemmings`."""

    def __init__(self, fieldnames: list[str], schema: Any, stemmings: tuple[Stemming, ...],
                 fieldboosts: dict[str, float] | None = None, **kwargs: Any) -> None:
        super().__init__(None, schema, **kwargs)
        self.add_plugin(MultifieldPlugin(fieldnames, fieldboosts=fieldboosts))
        self.stemmings = stemmings
        self.phraseclass = self._phrase
        self._text = ""

    def parse(self, text: str, normalize: bool = True, debug: bool = False) -> wq.Query:
        self._text = text  # phrases know their words by their character ranges in it
        return super().parse(text, normalize=normalize, debug=debug)

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0,
                   tokenize: bool = True, removestops: bool = True) -> wq.Query | None:
        if fieldname not in TEXT_FIELDS or (tokenize and termclass is not wq.Term):
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if not tokenize:  # prefixes and wildcards
            prefixes = dict.fromkeys(prefix_form(text, s) for s in self.stemmings)
            return either([termclass(fieldname, p, boost=boost) for p in prefixes])
        parts = [either([wq.Term(fieldname, f, boost=boost) for f in forms])
                 for m in words(text) if (forms := word_forms(m.group(), self.stemmings))]
        if not parts:
            return None  # only stop words
        return parts[0] if len(parts) == 1 else self.group.qclass(parts)

    def _phrase(self, fieldname: str, texts: list[str], slop: int = 1, boost: float = 1.0,
                char_ranges: list[tuple[int | None, int | None]] | None = None) -> wq.Query:
        plain = wq.Phrase(fieldname, texts, slop=slop, boost=boost, char_ranges=char_ranges)
        if (fieldname not in TEXT_FIELDS or not char_ranges
                or any(s is None or e is None for s, e in char_ranges)):
            return plain
        originals = [self._text[s:e] for s, e in char_ranges]
        variants = dict.fromkeys(
            tuple(form(word, stemming) or text for word, text in zip(originals, texts, strict=True))
            for stemming in self.stemmings)
        return either([wq.Phrase(fieldname, list(v), slop=slop, boost=boost,
                                 char_ranges=char_ranges) for v in variants])
