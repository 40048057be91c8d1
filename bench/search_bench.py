#!/usr/bin/env python3
"""Search benchmark: Whoosh (as the app uses it) against SQLite FTS5 on the same synthetic corpus.

    python bench/search_bench.py                 # 10,000 sections x ~500 words (a few minutes)
    python bench/search_bench.py --sections 1000 # quick run

Generates a library (Zipf-distributed vocabulary mixed with the shipped briefing's words, fixed
random seed) in a temp folder, then measures, each engine in its own process so peak memory is
its own: full build time and index size, incremental update after editing one section, query
latency p50/p95 over a fixed mix (single words, multi-word, phrases, prefixes, a typo) including
snippets for the top 10, and peak memory. Prints all figures and the ratios Whoosh / FTS5.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import write_library  # noqa: E402

ROUNDS = 5  # timed passes over the query mix (after one warm-up pass)
QUERIES = [  # (kind, Whoosh/app syntax, FTS5 syntax)
    ("word", "sanctions", "sanctions"),
    ("word", "cooperation", "cooperation"),
    ("word", "iran", "iran"),
    ("word", "energy", "energy"),
    ("word", "influence", "influence"),
    ("multi", "drone technology", "drone technology"),
    ("multi", "economic cooperation sanctions", "economic cooperation sanctions"),
    ("multi", "regional stability security", "regional stability security"),
    ("phrase", '"strategic partnership"', '"strategic partnership"'),
    ("phrase", '"western influence"', '"western influence"'),
    ("prefix", "sanc*", "sanc*"),
    ("prefix", "milit*", "milit*"),
    ("prefix", "geopol*", "geopol*"),
    ("typo", "sanctons", "sanctons"),
]


# -- measuring helpers -------------------------------------------------------------------------------
def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def peak_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mb": round(own, 1), "peak_worker_mb": round(children, 1)}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


def edit_one_section(content: Path) -> str:
    """Change the body of one section in the middle of the library; returns its key."""
    files = sorted(content.glob("*.md"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = f"{{#s{int(path.stem.split('-')[1])}-7}}"
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + "\n\nEdited for the benchmark: zanzibar quokka." + text[at:],
                    encoding="utf-8")
    return marker


# -- engines ---------------------------------------------------------------------------------------------
def run_whoosh(content: Path, work: Path, procs: int | None) -> dict:
    from reader.content import load_library
    from reader.search import SearchIndex, build_full

    library = load_library([content])
    folder = work / "whoosh-index"
    t = time.perf_counter()
    report = build_full(library, folder, procs=procs)
    out: dict = {"build_s": time.perf_counter() - t, "docs": report.total,
                 "size_mb": folder_size(folder) / 2**20}
    index = SearchIndex(folder)
    index.ensure(library)
    edit_one_section(content)
    library = load_library([content])
    t = time.perf_counter()
    update = index.ensure(library)
    out["update_s"] = time.perf_counter() - t
    out["update_reindexed"] = len(update.reindexed)

    def whoosh_query(query: str, _fts: str) -> tuple[str, tuple]:
        results = index.search(query, limit=10)  # includes snippets of the 10 hits
        return query, (results.total, results.total_exact, results.suggestion)

    out.update(time_queries(whoosh_query))
    out.update(peak_mb())
    return out


def time_queries(run: Callable[[str, str], tuple[str, tuple]]) -> dict:
    """Run the query mix ROUNDS times after one warm-up round: percentiles overall and by kind,
    and what each query found. `run(query, fts_query)` returns (label, totals)."""
    samples: list[float] = []
    per_kind: dict[str, list[float]] = {}
    totals: dict[str, tuple] = {}
    for round_no in range(ROUNDS + 1):
        for kind, query, fts in QUERIES:
            t = time.perf_counter()
            label, found = run(query, fts)
            dt = time.perf_counter() - t
            totals[label] = found
            if round_no:
                samples.append(dt)
                per_kind.setdefault(kind, []).append(dt)
    return {**percentiles(samples), "totals": totals,
            "per_kind_p50_ms": {k: percentiles(v)["p50_ms"] for k, v in per_kind.items()}}


def run_fts5(content: Path, work: Path) -> dict:
    from reader.content import load_library, section_plain_text

    library = load_library([content])
    t = time.perf_counter()
    rows = [(s.key, s.title, section_plain_text(s)) for s in library.sections()]
    render_s = time.perf_counter() - t
    db_path = work / "fts5.sqlite"
    t = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
               "tokenize='porter unicode61 remove_diacritics 2')")
    with db:
        db.executemany("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)", rows)
    insert_s = time.perf_counter() - t
    out: dict = {"render_s": render_s, "insert_s": insert_s, "build_s": render_s + insert_s,
                 "docs": len(rows), "size_mb": db_path.stat().st_size / 2**20}
    marker = edit_one_section(content)
    t = time.perf_counter()
    library = load_library([content])
    load_s = time.perf_counter() - t
    section = next(s for s in library.sections() if marker.endswith(f"{s.id}}}"))
    t = time.perf_counter()
    with db:
        db.execute("UPDATE docs SET title = ?, body = ? WHERE key = ?",
                   (section.title, section_plain_text(section), section.key))
    out["update_s"] = time.perf_counter() - t
    out["reload_s"] = load_s
    sql = ("SELECT key, title, snippet(docs, 2, '[', ']', '…', 32) FROM docs WHERE docs MATCH ? "
           "ORDER BY bm25(docs, 0.0, 3.0, 1.0) LIMIT 10")

    def fts5_query(_query: str, fts: str) -> tuple[str, tuple]:
        hits = db.execute(sql, (fts,)).fetchall()
        total = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (fts,)).fetchone()[0]
        return fts, (total, len(hits))

    out.update(time_queries(fts5_query))
    out.update(peak_mb())
    return out


# -- driver ----------------------------------------------------------------------------------------------
def run_phase(engine: str, corpus: Path, work: Path, procs: int | None) -> dict:
    """Each engine gets a fresh copy of the corpus and its own process."""
    content = work / f"content-{engine}"
    subprocess.check_call(["cp", "-r", str(corpus), str(content)])
    cmd = [sys.executable, __file__, "--phase", engine, "--content", str(content),
           "--work", str(work)]
    if procs:
        cmd += ["--procs", str(procs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def report(args: argparse.Namespace, gen_s: float, w: dict, f: dict) -> None:
    print(f"\nSearch benchmark: {w['docs']} sections x ~{args.words} words, seed {args.seed} "
          f"(corpus generated in {gen_s:.1f} s)\n")
    rows = [
        ("full build (s)", "build_s"), ("index size (MB)", "size_mb"),
        ("update after 1 edit (s)", "update_s"), ("query p50 (ms)", "p50_ms"),
        ("query p95 (ms)", "p95_ms"), ("query max (ms)", "max_ms"),
        ("peak memory, main (MB)", "peak_mb"), ("peak memory, workers (MB)", "peak_worker_mb"),
    ]
    print(f"{'':28}{'Whoosh':>12}{'FTS5':>12}{'Whoosh/FTS5':>14}")
    for label, key in rows:
        ratio = w[key] / f[key] if f.get(key) else float("nan")
        print(f"{label:28}{w[key]:>12.3f}{f[key]:>12.3f}{ratio:>14.2f}")
    print(f"\nFTS5 build = render Markdown to text {f['render_s']:.1f} s (1 process) + insert "
          f"{f['insert_s']:.1f} s; Whoosh build renders in its worker processes.")
    print(f"Whoosh update re-indexed {w['update_reindexed']} section(s).")
    print("Query p50 by kind (ms):  " + "  ".join(
        f"{k} {w['per_kind_p50_ms'][k]:.1f}/{f['per_kind_p50_ms'][k]:.1f}" for k in w["per_kind_p50_ms"]))
    print("Hits per query (Whoosh / FTS5):")
    for _kind, query, fts in QUERIES:
        total, exact, suggestion = w["totals"][query]
        shown = f"{total}" if exact else f"{total}+"  # "+": the app does not count past the hits
        extra = f"  (Did you mean: {suggestion})" if suggestion else ""
        print(f"  {query:34} {shown:>6} / {f['totals'][fts][0]:<6}{extra}")
    print("\nTargets: query p95 <= 20 ms with snippets; update of one section <= 1 s; "
          "full build <= 30 s.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=500, help="average words per section")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--procs", type=int, help="Whoosh build processes (default: CPU count)")
    parser.add_argument("--phase", choices=["whoosh", "fts5"], help=argparse.SUPPRESS)
    parser.add_argument("--content", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run = run_whoosh(args.content, args.work, args.procs) if args.phase == "whoosh" \
            else run_fts5(args.content, args.work)
        print(json.dumps(run))
        return 0
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        write_library(work / "corpus", args.sections, args.words, args.seed)
        gen_s = time.perf_counter() - t
        print(f"corpus: {args.sections} sections in {work / 'corpus'}; running Whoosh ...",
              flush=True)
        w = run_phase("whoosh", work / "corpus", work, args.procs)
        print("running FTS5 ...", flush=True)
        f = run_phase("fts5", work / "corpus", work, None)
        report(args, gen_s, w, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
