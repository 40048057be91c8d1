#!/usr/bin/env python3
"""Hostile-query timing: the query soup of tests/reliability against plain word queries.

    python bench/reliability_bench.py [--queries 2000]

Builds an index of the shipped briefing in a temp folder, draws the same hypothesis strategies the
reliability suite uses (fixed seed), and prints p50/p95/max per query for the hostile mix and for
plain words (the reference), plus their ratio. No asserts: figures only.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.content import load_library  # noqa: E402
from reader.search import SearchIndex  # noqa: E402
from tests.reliability.test_hostile_queries import SYNTAX  # noqa: E402

PLAIN = ["drone", "sanctions", "russia iran", "economic ties", "military cooperation",
         "energy", "regional stability", "global impact"]


def timed(index: SearchIndex, queries: list[str], as_you_type: bool) -> list[float]:
    out = []
    for q in queries:
        start = time.perf_counter()
        index.search(q, as_you_type=as_you_type)
        out.append(time.perf_counter() - start)
    return out


def report(name: str, times: list[float]) -> float:
    times = sorted(times)
    p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
    print(f"{name:<22} n={len(times):>5}  p50 {p50 * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"
          f"  max {times[-1] * 1000:7.2f} ms")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(8)
    soup = [rng.choice(" ").join(rng.choices(SYNTAX, k=rng.randint(0, 30))) for _ in range(args.queries)]
    soup += ["".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 300)))
             for _ in range(args.queries // 4)]
    plain = [rng.choice(PLAIN) for _ in range(len(soup))]
    with tempfile.TemporaryDirectory() as tmp:
        index = SearchIndex(Path(tmp) / "index", prebuilt=None)
        index.ensure(load_library([ROOT / "content"]))
        ref = report("plain words", timed(index, plain, False))
        hostile = report("hostile", timed(index, soup, False))
        typing = report("hostile, as you type", timed(index, soup, True))
        index.close()
    print(f"ratio hostile/plain p95: {hostile / ref:.2f}; as-you-type/plain: {typing / ref:.2f}")


if __name__ == "__main__":
    main()
