#!/usr/bin/env python3
"""The long robustness run (issue 14): ten thousand random user steps and more on the real window.

    python bench/robustness_bench.py [--steps 10000] [--chunk 1000] [--seed 1] [--include-broken]
    python3 dev.py bench robustness_bench --steps 10000

Runs tests/reliability/robustness_driver.py in child processes of `--chunk` steps each (seeds
seed, seed+1, ...), all on one data folder, so annotations, read marks and imported versions
pile up as in a long use; each child also closes and reopens the window now and then. A child
that crashes is counted and the next chunk starts a new process. Broken invariants are counted
(the driver keeps going after one). Prints steps survived, crashes, invariant breaks by kind,
steps/s and peak RSS, and as the reference a run of section changes only (tree clicks and
Next/Previous, same invariants) measured in the same run: the ratio of the two is what compares
across machines. Every child's output goes to the log file named at the end. No asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "reliability" / "robustness_driver.py"
REFERENCE_ACTIONS = "tree_click,go"


def run_child(data_dir: Path, seed: int, steps: int, log, extra: list[str]) -> dict:  # type: ignore[no-untyped-def]
    """One driver process; what it survived, its breaks, its peak RSS and its wall time."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-X", "faulthandler", str(DRIVER), "--seed", str(seed), "--steps",
           str(steps), "--data-dir", str(data_dir), "--keep-going", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=max(600, steps * 3))
    seconds = time.perf_counter() - start
    log.write(f"===== seed {seed}, {steps} steps, exit {done.returncode}, {seconds:.1f} s\n"
              f"{' '.join(cmd)}\n{done.stdout}\n----- stderr\n{done.stderr}\n")
    log.flush()
    out = done.stdout
    finished = bool(re.search(r"^survived \d+ steps", out, re.M))
    reached = [int(m) for m in re.findall(r"^step (\d+) ", out, re.M)]
    survived = steps if finished else max(0, (reached[-1] - 1) if reached else 0)
    rss = [float(m) for m in re.findall(r"peak rss (\d+) MB", out)]
    breaks = re.findall(r"^BREAK seed \d+ step \d+: (.*)$", out, re.M)
    return {"seed": seed, "survived": survived, "crashed": not finished, "exit": done.returncode,
            "breaks": breaks, "rss": rss[0] if rss else None, "seconds": seconds,
            "last": "\n".join(out.splitlines()[-6:]) + "\n" + done.stderr[-1500:]}


def kind_of(reason: str) -> str:
    """A break's reason without its particulars (positions, keys, quotes)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+|iran-russia/[\w-]+", "…", reason)[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference-steps", type=int, default=500)
    parser.add_argument("--include-broken", action="store_true",
                        help="also run what the driver's KNOWN_BROKEN steps around")
    parser.add_argument("--log", type=Path, default=None)
    args = parser.parse_args()
    extra = ["--include-broken"] if args.include_broken else []
    work = Path(tempfile.mkdtemp(prefix="robustness-bench-"))
    log_path = args.log or work / "robustness.log"
    with open(log_path, "w", encoding="utf-8") as log:
        ref = run_child(work / "reference-data", args.seed, args.reference_steps, log,
                        ["--only", REFERENCE_ACTIONS])
        ref_rate = ref["survived"] / ref["seconds"] if ref["seconds"] else 0.0
        print(f"reference: {ref['survived']} section changes (tree, Next/Previous) in "
              f"{ref['seconds']:.1f} s = {ref_rate:.2f} steps/s", flush=True)
        runs, done, seed, started = [], 0, args.seed, time.perf_counter()
        while done < args.steps:
            steps = min(args.chunk, args.steps - done)
            r = run_child(work / "data", seed, steps, log, extra)
            runs.append(r)
            done += steps
            state = "CRASHED" if r["crashed"] else "done"
            print(f"seed {seed}: {state} {r['survived']}/{steps} steps, {len(r['breaks'])} "
                  f"break(s), {r['seconds']:.0f} s, peak rss {r['rss'] or '?'} MB", flush=True)
            if r["crashed"]:
                print("  " + r["last"].replace("\n", "\n  "), flush=True)
            seed += 1
        wall = time.perf_counter() - started
    survived = sum(r["survived"] for r in runs)
    crashes = sum(r["crashed"] for r in runs)
    breaks = Counter(kind_of(b) for r in runs for b in r["breaks"])
    rate = survived / sum(r["seconds"] for r in runs)
    peak = max((r["rss"] for r in runs if r["rss"] is not None), default=0)
    print(f"\nsteps survived   {survived} of {args.steps} ({len(runs)} processes, seeds "
          f"{args.seed}-{seed - 1}{', known-broken included' if extra else ''})")
    print(f"crashes          {crashes}")
    print(f"invariant breaks {sum(breaks.values())}")
    for kind, n in breaks.most_common(12):
        print(f"  {n:5d} × {kind}")
    print(f"steps/s          {rate:.2f} (wall {wall / 60:.1f} min)")
    print(f"reference        {ref_rate:.2f} steps/s of section changes only; ratio {rate / ref_rate:.2f}"
          if ref_rate else "reference        not measured")
    print(f"peak RSS         {peak:.0f} MB (largest of one process)")
    print(f"log              {log_path}")


if __name__ == "__main__":
    main()
