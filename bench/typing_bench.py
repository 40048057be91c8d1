#!/usr/bin/env python3
"""Search as you type, keystroke by keystroke: Whoosh (as the app searches while typing) against
SQLite FTS5 doing the same on the same synthetic sections.

    python bench/typing_bench.py                  # 10,000 sections x ~500 words
    python bench/typing_bench.py --sections 2000  # quick run

The corpus is search_bench's (bench/synthetic.py, same seed). Traces: multi-word phrases of the
corpus's words and its most common words, typed a key at a time (every prefix from two
characters, as the search box sends them; none ending in a space). Each keystroke is one Whoosh
search with `as_you_type=True` (ten hits with snippets) and one FTS5 query (porter unicode61, the
last word as a prefix, bm25 top 10 with `snippet()`), interleaved so load on the machine falls on
both. Before each trace the caches queries fill are emptied (a prefix's terms, posting lists;
the searcher stays open, as in the app), so they hold only what the trace's own earlier
keystrokes left. One warm-up pass, then --rounds timed passes. Prints engine p50 /
p95 / max per kind (the last word 2-3 letters, 4+ letters, the very common words, all) and the
ratio Whoosh / FTS5; target: p95 no slower than FTS5 (issue 18).

`--tantivy` adds Tantivy's Python binding (`pip install tantivy`, an optional wheel) as the
ceiling: the same sections (en_stem), the earlier words required, the last word a regex prefix
over body and title, top 10 by its BM25 with a body snippet, interleaved with the other two.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import forget_queries, percentiles  # noqa: E402
from bench.synthetic import write_library  # noqa: E402

SEED = 20261125  # search_bench's
PHRASES = ["drone technology", "economic cooperation sanctions", "regional stability security",
           "strategic partnership", "western influence", "military cooperation iran"]
COMMON = 4  # the corpus's most common words (of 5+ letters) typed as traces of their own
SQL = ("SELECT key, title, snippet(docs, 2, '[', ']', '…', 32) FROM docs WHERE docs MATCH ? "
       "ORDER BY bm25(docs, 0.0, 3.0, 1.0) LIMIT 10")


def keystrokes(phrase: str) -> list[str]:
    return [phrase[:n] for n in range(2, len(phrase) + 1) if not phrase[:n].endswith(" ")]


def kind_of(typed: str) -> str:
    return "short (2-3)" if len(typed.split()[-1]) <= 3 else "long (4+)"


def fts5_query(typed: str) -> str:
    *before, last = typed.split()
    return " ".join([*before, f"{last}*"])


def common_words(rows: list[tuple[str, str, str]]) -> list[str]:
    counts: Counter[str] = Counter()
    for _key, _title, body in rows[:2000]:
        counts.update(w for w in re.findall(r"[a-z]{5,}", body.lower()))
    return [w for w, _n in counts.most_common(COMMON)]


class Tantivy:
    """The ceiling: Tantivy doing what FTS5 does (see the module docstring)."""

    def __init__(self, rows: list[tuple[str, str, str]], folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("key", stored=True)
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
        self.schema = builder.build()
        folder.mkdir()
        self.index = tantivy.Index(self.schema, path=str(folder))
        writer = self.index.writer(heap_size=256_000_000)
        for key, title, body in rows:
            writer.add_document(tantivy.Document(key=key, title=title, body=body))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, typed: str) -> int:
        """The number of hits (at most 10)."""
        tv = self.tantivy
        *before, last = typed.lower().split()
        prefix = re.escape(last) + ".*"
        parts = [(tv.Occur.Must, self.index.parse_query(w, ["title", "body"])) for w in before]
        parts.append((tv.Occur.Must, tv.Query.boolean_query([
            (tv.Occur.Should, tv.Query.regex_query(self.schema, "body", prefix)),
            (tv.Occur.Should, tv.Query.regex_query(self.schema, "title", prefix))])))
        query = tv.Query.boolean_query(parts)
        snippets = tv.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        hits = self.searcher.search(query, 10).hits
        for _score, address in hits:
            snippets.snippet_from_doc(self.searcher.doc(address)).to_html()
        return len(hits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--procs", type=int, help="Whoosh build processes (default: CPU count)")
    parser.add_argument("--tantivy", action="store_true", help="add Tantivy as the ceiling")
    args = parser.parse_args()

    from reader.content import load_library, section_plain_text
    from reader.search import SearchIndex, build_full

    with tempfile.TemporaryDirectory(prefix="typing-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        library = load_library([write_library(work / "corpus", args.sections, args.words, SEED)])
        rows = [(s.key, s.title, section_plain_text(s)) for s in library.sections()]
        build_full(library, work / "index", procs=args.procs)
        db = sqlite3.connect(work / "fts5.sqlite")
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
                   "tokenize='porter unicode61 remove_diacritics 2')")
        with db:
            db.executemany("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)", rows)
        index = SearchIndex(work / "index", prebuilt=None)
        index.ensure(library)
        ceiling = Tantivy(rows, work / "tantivy") if args.tantivy else None
        print(f"{len(rows)} sections ready in {time.perf_counter() - t:.0f} s", flush=True)
        common = common_words(rows)
        traces = [(p, False) for p in PHRASES] + [(w, True) for w in common]
        samples: dict[str, dict[str, list[float]]] = {"Whoosh": {}, "FTS5": {}, "Tantivy": {}}
        for round_no in range(args.rounds + 1):
            for phrase, is_common in traces:
                forget_queries()  # only this trace's keystrokes warm the query caches
                for typed in keystrokes(phrase):
                    kinds = [kind_of(typed), "all"] + (["common word"] if is_common else [])
                    t = time.perf_counter()
                    index.search(typed, limit=10, as_you_type=True)
                    w = time.perf_counter() - t
                    t = time.perf_counter()
                    db.execute(SQL, (fts5_query(typed),)).fetchall()
                    f = time.perf_counter() - t
                    if ceiling is not None:
                        t = time.perf_counter()
                        ceiling.search(typed)
                        if round_no:
                            samples["Tantivy"].setdefault("all", []).append(
                                time.perf_counter() - t)
                    if round_no:
                        for k in kinds:
                            samples["Whoosh"].setdefault(k, []).append(w)
                            samples["FTS5"].setdefault(k, []).append(f)
        index.close()
        db.close()
    print(f"\nTyping benchmark: {len(rows)} sections x ~{args.words} words, seed {SEED}, "
          f"{args.rounds} rounds; common words: {', '.join(common)}\n")
    print(f"{'kind':14}{'n':>5}  {'Whoosh p50/p95/max (ms)':>26}  {'FTS5 p50/p95/max (ms)':>24}"
          f"  {'p95 ratio':>9}")
    for kind in ["short (2-3)", "long (4+)", "common word", "all"]:
        w, f = percentiles(samples["Whoosh"][kind]), percentiles(samples["FTS5"][kind])
        print(f"{kind:14}{len(samples['Whoosh'][kind]):>5}  "
              f"{w['p50_ms']:>8.1f}{w['p95_ms']:>9.1f}{w['max_ms']:>9.1f}  "
              f"{f['p50_ms']:>8.1f}{f['p95_ms']:>8.1f}{f['max_ms']:>8.1f}  "
              f"{w['p95_ms'] / f['p95_ms']:>9.2f}")
    if samples["Tantivy"]:
        c = percentiles(samples["Tantivy"]["all"])
        w = percentiles(samples["Whoosh"]["all"])
        print(f"Tantivy (the ceiling), all keystrokes: p50 {c['p50_ms']:.1f}, p95 "
              f"{c['p95_ms']:.1f}, max {c['max_ms']:.1f} ms; p95 Whoosh/Tantivy "
              f"{w['p95_ms'] / c['p95_ms']:.2f}")
    print("\nTarget (issue 18): Whoosh engine p95 per keystroke no slower than FTS5 (ratio <= 1).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
