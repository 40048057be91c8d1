#!/usr/bin/env python3
"""Search benchmark: Whoosh (as the app uses it) against SQLite FTS5 on the same synthetic corpus.

    python bench/search_bench.py                 # 10,000 sections x ~500 words (a few minutes)
    python bench/search_bench.py --sections 100000 --words 150   # the 100,000-section figures
    python bench/search_bench.py --sections 1000 # quick run

Generates a library (Zipf-distributed vocabulary mixed with the shipped briefing's words, fixed
random seed) in a temp folder (or copies --library), then measures, each engine in its own
process: full build time and index size, incremental update after editing one section, whole
queries, and memory. Memory is sampled from /proc every 50 ms over the engine's whole process
tree (the benchmark process and every worker it starts), so the peak is of all processes at once
(RSS summed: shared library pages count once per process, an upper bound); the build's own peak
is the peak within the build.

Whole queries: a mix drawn from the corpus the way people type (`draw_mix`: its commonest words,
3-5 words of one section, adjacent pairs of common words as phrases, 2-3-letter prefixes of
common words, OR, NOT, `title:` words of the titles, common words misspelt), the same for both
engines, each run as the settled query (Whoosh: the full ranked answer with snippets of the top
10; FTS5: porter unicode61, bm25 top 10 with `snippet()`, the count taken apart, untimed).
Whoosh's own query caches (posting lists, prefix terms) are emptied before every query, so no
query is faster for having run before. Prints p50/p95/max per kind and the ratio Whoosh / FTS5.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import write_library  # noqa: E402

ROUNDS = 3  # timed passes over the query mix (after one warm-up pass)
PER_KIND = 10  # queries of each kind drawn from the corpus
SAMPLE_FILES = 20  # briefings (of 100 sections) read to draw the mix from
MEMORY_POLL_S = 0.05
# What search_compare runs (fixed words of the shipped briefing: mostly rare in the corpus).
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


KINDS = ["common word", "AND 3-5", "phrase", "short prefix", "OR", "NOT", "title:", "typo"]
Mix = list[tuple[str, str, str]]  # (kind, Whoosh/app syntax, FTS5 syntax)


# -- the query mix -------------------------------------------------------------------------------------
def _sections(path: Path) -> list[tuple[str, str]]:
    """(title, body) of each section of a synthetic briefing, lower case."""
    out = []
    for block in re.split(r"\n(?=#{1,3} )", path.read_text(encoding="utf-8")):
        head, _, body = block.partition("\n")
        if head.startswith("#"):
            out.append((re.sub(r"\{#[^}]*\}", "", head.lstrip("# ")).lower(), body.lower()))
    return out


def draw_mix(corpus: Path, seed: int, per_kind: int = PER_KIND) -> Mix:
    """`per_kind` queries of each of KINDS, drawn from a sample of the corpus (fixed seed).

    Words are of 4+ letters and not stop words (Whoosh drops those, FTS5 would not): common
    words are among the 40 commonest, multi-word queries words of one section (so common words
    come up as often as they occur there), phrases adjacent words both among the 300 commonest."""
    from whoosh.analysis import STOP_WORDS

    rng = random.Random(seed)
    files = sorted(corpus.glob("*.md"))
    sections = [s for f in files[:: max(1, len(files) // SAMPLE_FILES)][:SAMPLE_FILES]
                for s in _sections(f)]

    def usable(w: str) -> bool:
        return len(w) >= 4 and w not in STOP_WORDS

    bodies = [re.findall(r"[a-z]+", body) for _title, body in sections]
    counts = Counter(w for words in bodies for w in words if usable(w))
    common = [w for w, _n in counts.most_common(300)]
    title_counts = Counter(w for title, _ in sections for w in re.findall(r"[a-z]+", title)
                           if usable(w))
    mix: Mix = []
    for w in rng.sample(common[:40], per_kind):
        mix.append(("common word", w, w))
    while sum(k == "AND 3-5" for k, _, _ in mix) < per_kind:
        words = [w for w in rng.choice(bodies) if usable(w)]
        wanted = rng.randint(3, 5)
        chosen: list[str] = []
        while words and len(chosen) < wanted:
            w = rng.choice(words)
            words = [x for x in words if x != w]
            chosen.append(w)
        if len(chosen) == wanted:
            mix.append(("AND 3-5", " ".join(chosen), " ".join(chosen)))
    top = set(common)
    phrases: set[str] = set()
    while len(phrases) < per_kind:
        words = rng.choice(bodies)
        pairs = [f"{a} {b}" for a, b in pairwise(words) if a in top and b in top and a != b]
        if pairs:
            phrases.add(rng.choice(pairs))
    mix += [("phrase", f'"{p}"', f'"{p}"') for p in sorted(phrases)]
    prefixes: set[str] = set()
    while len(prefixes) < per_kind:
        prefixes.add(rng.choice(common[:100])[: rng.choice((2, 3))])
    mix += [("short prefix", f"{p}*", f"{p}*") for p in sorted(prefixes)]
    for _ in range(per_kind):
        a, b = rng.sample(common[:100], 2)
        mix.append(("OR", f"{a} OR {b}", f"{a} OR {b}"))
    for _ in range(per_kind):
        a, b = rng.sample(common[:100], 2)
        mix.append(("NOT", f"{a} -{b}", f"{a} NOT {b}"))
    for w in rng.sample([w for w, _n in title_counts.most_common(60)], per_kind):
        mix.append(("title:", f"title:{w}", f"{{title}} : {w}"))
    typos: set[str] = set()
    while len(typos) < per_kind:
        w = rng.choice([w for w in common[:100] if len(w) >= 5])
        i = rng.randrange(1, len(w) - 1)
        typo = w[:i] + w[i + 1] + w[i] + w[i + 2:] if rng.random() < 0.5 else w[:i] + w[i + 1:]
        if typo not in counts and typo != w:
            typos.add(typo)
    mix += [("typo", t, t) for t in sorted(typos)]
    return mix


def forget_queries() -> None:
    """Empty the caches queries fill (a prefix's terms, posting lists); the searcher, its open
    files and document lengths stay, as in the app between two searches."""
    from reader.search import completion, fast

    completion._TERMS.clear()
    fast._POSTINGS.clear()


# -- measuring helpers -------------------------------------------------------------------------------
def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants now, summed (MB)."""
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):  # the process ended meanwhile
            continue
    return total / 2**20


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
def run_whoosh(content: Path, work: Path, procs: int | None, mix: Mix, rounds: int = ROUNDS
               ) -> dict:
    from reader.content import load_library
    from reader.content.long_lived import library_replaced
    from reader.search import SearchIndex, build_full

    library = load_library([content])
    library_replaced(library)  # frozen if large, as the app's session does (see below)
    folder = work / "whoosh-index"
    out: dict = {"build_start": time.time()}
    t = time.perf_counter()
    report = build_full(library, folder, procs=procs)
    out.update({"build_s": time.perf_counter() - t, "build_end": time.time(), "docs": report.total,
                "size_mb": folder_size(folder) / 2**20})
    index = SearchIndex(folder)
    index.ensure(library)
    edit_one_section(content)
    library = load_library([content])
    # As the app does once it loaded a library (Session.library, content/long_lived.py): a large
    # one is kept out of the collector's full passes, which an update's allocations set off.
    library_replaced(library)
    t = time.perf_counter()
    update = index.ensure(library)
    out["update_s"] = time.perf_counter() - t
    out["update_reindexed"] = len(update.reindexed)

    def whoosh_query(query: str, _fts: str) -> tuple[str, tuple]:
        forget_queries()  # a new query: nothing read for an earlier one helps
        results = index.search(query, limit=10)  # the settled answer, snippets of the 10 hits
        return query, (results.total, results.total_exact, results.suggestion)

    if rounds:  # 0: the build, update, size and memory figures only
        out.update(time_queries(whoosh_query, mix, rounds))
    out.update(peak_mb())
    return out


def time_queries(run: Callable[[str, str], tuple[str, tuple]], mix: Mix,
                 rounds: int = ROUNDS) -> dict:
    """Run the query mix `rounds` times after one warm-up round: percentiles overall and by kind,
    and what each query found. `run(query, fts_query)` returns (label, totals)."""
    samples: list[float] = []
    per_kind: dict[str, list[float]] = {}
    totals: dict[str, tuple] = {}
    for round_no in range(rounds + 1):
        for kind, query, fts in mix:
            t = time.perf_counter()
            label, found = run(query, fts)
            dt = time.perf_counter() - t
            totals[label] = found
            if round_no:
                samples.append(dt)
                per_kind.setdefault(kind, []).append(dt)
    return {**percentiles(samples), "totals": totals,
            "per_kind": {k: percentiles(v) for k, v in per_kind.items()}}


def run_fts5(content: Path, work: Path, mix: Mix, rounds: int = ROUNDS) -> dict:
    from reader.content import load_library, section_plain_text

    library = load_library([content])
    out: dict = {"build_start": time.time()}
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
    docs = len(rows)
    del rows
    out.update({"render_s": render_s, "insert_s": insert_s, "build_s": render_s + insert_s,
                "build_end": time.time(), "docs": docs,
                "size_mb": db_path.stat().st_size / 2**20})
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
        return fts, (len(hits),)

    if rounds:
        out.update(time_queries(fts5_query, mix, rounds))
        # The count, untimed: the reference is the top 10 with snippets.
        count = "SELECT count(*) FROM docs WHERE docs MATCH ?"
        out["counts"] = {fts: db.execute(count, (fts,)).fetchone()[0] for _k, _q, fts in mix}
    out.update(peak_mb())
    return out


# -- driver ----------------------------------------------------------------------------------------------
def run_phase(engine: str, corpus: Path, work: Path, procs: int | None, rounds: int) -> dict:
    """Each engine gets a fresh copy of the corpus and its own process, whose process tree's
    memory is sampled meanwhile."""
    content = work / f"content-{engine}"
    subprocess.check_call(["cp", "-r", str(corpus), str(content)])
    cmd = [sys.executable, __file__, "--phase", engine, "--content", str(content),
           "--work", str(work), "--rounds", str(rounds)]
    if procs:
        cmd += ["--procs", str(procs)]
    with tempfile.TemporaryFile("w+") as stdout:
        child = subprocess.Popen(cmd, stdout=stdout, text=True)
        memory: list[tuple[float, float]] = []  # (time, MB of the tree)
        while child.poll() is None:
            memory.append((time.time(), tree_rss_mb(child.pid)))
            time.sleep(MEMORY_POLL_S)
        if child.returncode:
            raise subprocess.CalledProcessError(child.returncode, cmd)
        stdout.seek(0)
        out: dict = json.loads(stdout.read().strip().splitlines()[-1])
    out["tree_peak_mb"] = max(mb for _t, mb in memory)
    out["tree_build_peak_mb"] = max(
        (mb for t, mb in memory if out["build_start"] <= t <= out["build_end"]), default=0.0)
    return out


def report(args: argparse.Namespace, gen_s: float, w: dict, f: dict, mix: Mix) -> None:
    print(f"\nSearch benchmark: {w['docs']} sections x ~{args.words} words, seed {args.seed} "
          f"(corpus {'copied' if args.library else 'generated'} in {gen_s:.1f} s), load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    rows = [
        ("full build (s)", "build_s"), ("index size (MB)", "size_mb"),
        ("update after 1 edit (s)", "update_s"), ("query p50 (ms)", "p50_ms"),
        ("query p95 (ms)", "p95_ms"), ("query max (ms)", "max_ms"),
        ("peak memory, main (MB)", "peak_mb"), ("peak memory, 1 worker (MB)", "peak_worker_mb"),
        ("peak, all processes (MB)", "tree_peak_mb"),
        ("  of it in the build (MB)", "tree_build_peak_mb"),
    ]
    print(f"{'':28}{'Whoosh':>12}{'FTS5':>12}{'Whoosh/FTS5':>14}")
    for label, key in rows:
        if key not in w:  # no queries run (--rounds 0)
            continue
        ratio = w[key] / f[key] if f.get(key) else float("nan")
        print(f"{label:28}{w[key]:>12.3f}{f[key]:>12.3f}{ratio:>14.2f}")
    print(f"\nFTS5 build = render Markdown to text {f['render_s']:.1f} s (1 process) + insert "
          f"{f['insert_s']:.1f} s; Whoosh build renders in its worker processes.")
    print(f"Whoosh update re-indexed {w['update_reindexed']} section(s).")
    if args.rounds:
        report_queries(args, w, f, mix)
    print("\nTargets (issue 18): whole-query p95 <= 1.5x FTS5 per kind at 10,000 sections; at "
          "100,000 x 150 words a full build <= 90 s with all processes <= 700 MB, update of one "
          "section <= 1 s, index <= 1.5x FTS5's.")


def report_queries(args: argparse.Namespace, w: dict, f: dict, mix: Mix) -> None:
    print(f"\nWhole queries by kind ({PER_KIND} each x {args.rounds} rounds, ms; Whoosh settled answer "
          "with top-10 snippets, FTS5 bm25 top 10 with snippet()):")
    print(f"{'kind':14}{'Whoosh p50/p95/max':>26}{'FTS5 p50/p95/max':>26}{'p95 ratio':>11}")
    for kind in KINDS:
        a, b = w["per_kind"][kind], f["per_kind"][kind]
        print(f"{kind:14}{a['p50_ms']:>9.1f}{a['p95_ms']:>8.1f}{a['max_ms']:>9.1f}"
              f"{b['p50_ms']:>9.1f}{b['p95_ms']:>8.1f}{b['max_ms']:>9.1f}"
              f"{a['p95_ms'] / b['p95_ms']:>11.2f}")
    print(f"{'all':14}{w['p50_ms']:>9.1f}{w['p95_ms']:>8.1f}{w['max_ms']:>9.1f}"
          f"{f['p50_ms']:>9.1f}{f['p95_ms']:>8.1f}{f['max_ms']:>9.1f}"
          f"{w['p95_ms'] / f['p95_ms']:>11.2f}")
    print("\nHits per query (Whoosh / FTS5; '+': the app counts no further than it needs):")
    for kind, query, fts in mix:
        total, exact, suggestion = w["totals"][query]
        shown = f"{total}" if exact else f"{total}+"
        extra = f"  (Did you mean: {suggestion})" if suggestion else ""
        print(f"  {kind:13} {query:40} {shown:>7} / {f['counts'][fts]:<7}{extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=500, help="average words per section")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--procs", type=int, help="Whoosh build processes (default: CPU count)")
    parser.add_argument("--library", type=Path,
                        help="an existing synthetic library (bench/synthetic.write_library) to "
                             "use instead of generating one; --sections and --words then only "
                             "label the report")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="timed passes over the query mix, after one warm-up pass "
                             "(0: no queries)")
    parser.add_argument("--phase", choices=["whoosh", "fts5"], help=argparse.SUPPRESS)
    parser.add_argument("--content", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        mix = [tuple(q) for q in json.loads((args.work / "mix.json").read_text())]
        run = run_whoosh(args.content, args.work, args.procs, mix, args.rounds) \
            if args.phase == "whoosh" else run_fts5(args.content, args.work, mix, args.rounds)
        print(json.dumps(run))
        return 0
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        if args.library:
            subprocess.check_call(["cp", "-r", str(args.library), str(work / "corpus")])
        else:
            write_library(work / "corpus", args.sections, args.words, args.seed)
        gen_s = time.perf_counter() - t
        mix = draw_mix(work / "corpus", args.seed)
        (work / "mix.json").write_text(json.dumps(mix))
        print(f"corpus: {args.sections} sections in {work / 'corpus'}; running Whoosh ...",
              flush=True)
        w = run_phase("whoosh", work / "corpus", work, args.procs, args.rounds)
        print("running FTS5 ...", flush=True)
        f = run_phase("fts5", work / "corpus", work, None, args.rounds)
        report(args, gen_s, w, f, mix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
