"""English search of the working tree against an older commit, interleaved in one run.

    python3 dev.py bench search_compare --ref COMMIT [--after COMMIT] [--only PATH ...]
        [--sections 3000] [--rounds 3] [--query-rounds 5] [--procs 1] [--limit 10]

The synthetic library every benchmark uses (English: bench/synthetic.py, --sections sections of
~500 words, search_bench's seed) is indexed and searched by both sides: the full build's time,
and the latency of bench/search_bench.py's query mix (words, several words, phrases, prefixes, a
typo; ten hits with snippets each) plus queries typed keystroke by keystroke as the search box
sends them (as-you-type, from the second letter on). COMMIT is checked out into a temporary
`git worktree` (removed at the end, as bench/startup_compare.py does); --after compares another
commit instead of the working tree (e.g. to leave out uncommitted work of others in the tree).
With --only (e.g. `--only reader/search`), before is the after commit (--after, else HEAD) with
just those paths as COMMIT has them: work on other parts that landed in between (a faster
renderer, say) then counts on both sides, and the figures are those of the change alone.

Each round runs one process per side, before and after in alternating order, so load on the
machine falls on both alike; a process builds the index (--procs processes; 1 by default, the
steadiest figure), then runs the mix once to warm up and --query-rounds times timed. Prints the
median build, the pooled query p50/p95 (overall and p50 per kind), after vs before in percent,
whether both sides found the same hits, and a verdict against --limit (exit status 1 when over).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import QUERIES, percentiles  # noqa: E402
from bench.startup_compare import Side, before_and_after, tree_digest  # noqa: E402
from bench.synthetic import write_library  # noqa: E402

SEED = 20261125  # search_bench's default seed
TYPED = ["drone technology", "economic cooperation sanctions", "regional stability"]
CHILD = """
import json, shutil, sys, time
from pathlib import Path
from reader.content import load_library
from reader.search import SearchIndex, build_full
content, folder, procs, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
mix = json.loads(sys.argv[5])
library = load_library([content])
shutil.rmtree(folder, ignore_errors=True)
start = time.perf_counter()
build_full(library, folder, procs=procs)
build = time.perf_counter() - start
index = SearchIndex(folder, prebuilt=None)
index.ensure(library)
samples, found = {}, {}
for r in range(rounds + 1):  # the first round warms up
    for kind, text, typing in mix:
        start = time.perf_counter()
        results = index.search(text, limit=10, as_you_type=typing)
        took = time.perf_counter() - start
        found[f"{text!r} typing={typing}"] = [results.total, [h.key for h in results.hits]]
        if r:
            samples.setdefault(kind, []).append(took)
index.close()
shutil.rmtree(folder, ignore_errors=True)
print(json.dumps({"build_s": build, "samples": samples, "found": found}))
"""


@contextmanager
def with_paths_of(base: str, ref: str, paths: list[str]) -> Iterator[Side]:
    """A worktree of `base` with `paths` as `ref` has them (checked out in that worktree only)."""
    with before_and_after(base, "search-compare-only-") as ((side, _), _scratch):
        done = subprocess.run(["git", "-C", str(side.tree), "checkout", ref, "--", *paths],
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"git checkout {ref} -- {' '.join(paths)}: {done.stderr.strip()}")
        base_label = side.label.removeprefix("before (").removesuffix(")")
        yield Side(f"before ({base_label}, {' '.join(paths)} of {ref})", side.tree)


def query_mix() -> list[tuple[str, str, bool]]:
    """(kind, text, as you type): search_bench's queries, then TYPED a keystroke at a time."""
    mix = [(kind, text, False) for kind, text, _fts in QUERIES]
    for phrase in TYPED:
        mix += [("keystroke", phrase[:n], True) for n in range(2, len(phrase) + 1)
                if not phrase[:n].endswith(" ")]
    return mix


def measure(side: Side, corpus: Path, folder: Path, procs: int, rounds: int) -> dict:
    cmd = [sys.executable, "-c", CHILD, str(corpus), str(folder), str(procs), str(rounds),
           json.dumps(query_mix())]
    done = subprocess.run(cmd, cwd=side.tree, env={**os.environ, **side.env},
                          capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise RuntimeError(f"{side.label} failed: {done.stderr.strip()[-800:]}")
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(sides: tuple[Side, Side], corpus: Path, scratch: Path, args: argparse.Namespace
        ) -> dict[str, list[dict]]:
    """side label -> one result per round, the sides alternating first and second."""
    out: dict[str, list[dict]] = {s.label: [] for s in sides}
    for r in range(args.rounds):
        for n, side in (enumerate(sides) if r % 2 == 0 else reversed(list(enumerate(sides)))):
            result = measure(side, corpus, scratch / f"index-{n}", args.procs, args.query_rounds)
            out[side.label].append(result)
            print(f"round {r + 1}/{args.rounds} {side.label}: build {result['build_s']:.2f} s",
                  flush=True)
    return out


def change(after: float, before: float) -> float:
    return (after / before - 1) * 100


def report(sides: tuple[Side, Side], results: dict[str, list[dict]], args: argparse.Namespace
           ) -> float:
    """Print the table; returns the worst change of after against before (%)."""
    before, after = (results[s.label] for s in sides)
    pooled = [{kind: [t for r in rounds for t in r["samples"][kind]] for kind in r0["samples"]}
              for rounds, r0 in ((before, before[0]), (after, after[0]))]
    overall = [percentiles([t for ts in p.values() for t in ts]) for p in pooled]
    builds = [statistics.median(r["build_s"] for r in rounds) for rounds in (before, after)]
    print(f"\nEnglish search: {args.sections:,} sections x ~500 words, {args.rounds} rounds, "
          f"build with {args.procs} process(es), {len(query_mix())} queries x "
          f"{args.query_rounds} per round")
    for side in sides:
        print(f"  {side.label}")
    print(f"  {'':26}{'before':>12}{'after':>12}{'after vs before':>18}")
    rows = [("full build (s, median)", builds[0], builds[1]),
            ("query p50 (ms)", overall[0]["p50_ms"], overall[1]["p50_ms"]),
            ("query p95 (ms)", overall[0]["p95_ms"], overall[1]["p95_ms"])]
    changes = []
    for label, b, a in rows:
        changes.append(change(a, b))
        print(f"  {label:26}{b:>12.3f}{a:>12.3f}{changes[-1]:>+16.1f} %")
    per_build = ", ".join(f"{r['build_s']:.2f}" for r in before) + " / " + ", ".join(
        f"{r['build_s']:.2f}" for r in after)
    print(f"  builds per round (before / after): {per_build}")
    print("  query p50 by kind (ms, before/after): " + "  ".join(
        f"{kind} {percentiles(pooled[0][kind])['p50_ms']:.2f}/"
        f"{percentiles(pooled[1][kind])['p50_ms']:.2f}" for kind in pooled[0]))
    differ = [q for q in before[0]["found"] if before[0]["found"][q] != after[0]["found"].get(q)]
    print("  same hits on both sides: " + ("yes" if not differ else
                                            f"NO, {len(differ)} queries differ: {differ[:5]}"))
    return max(changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="the older commit (before)")
    parser.add_argument("--after", help="a commit to compare instead of the working tree")
    parser.add_argument("--only", action="append", metavar="PATH",
                        help="before = the after commit with only PATH as --ref has it")
    parser.add_argument("--sections", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3, help="processes per side")
    parser.add_argument("--query-rounds", type=int, default=5, help="timed passes per process")
    parser.add_argument("--procs", type=int, default=1, help="processes of the index build")
    parser.add_argument("--limit", type=float, default=10.0,
                        help="largest acceptable slow-down of build, p50 or p95, in %%")
    args = parser.parse_args()
    with ExitStack() as stack:
        (before, current), scratch = stack.enter_context(
            before_and_after(args.ref, "search-compare-"))
        after = current
        if args.after:
            (other, _), _ = stack.enter_context(before_and_after(args.after, "search-compare-after-"))
            after = Side(other.label.replace("before", "after", 1), other.tree)
        if args.only:
            before = stack.enter_context(with_paths_of(args.after or "HEAD", args.ref, args.only))
        sides = (before, after)
        corpus = write_library(scratch / "library", sections=args.sections, seed=SEED)
        digest = tree_digest(ROOT)
        results = run(sides, corpus, scratch, args)
        worst = report(sides, results, args)
    if not args.after and tree_digest(ROOT) != digest:
        print("\nwarning: the working tree's reader/, resources/ or content/ changed during the run")
    ok = worst <= args.limit
    print(f"\nafter is {worst:+.1f} % vs before at worst (build, p50, p95), limit {args.limit:+g} %: "
          f"{'within' if ok else 'OVER'} the limit")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as error:
        sys.exit(f"search_compare: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
