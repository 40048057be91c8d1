"""Start-up of the working tree against an older commit, interleaved in one run.

    python3 dev.py bench startup_compare --ref COMMIT [--rounds 15] [--sections 10000] [--limit 5]

Checks COMMIT out into a temporary `git worktree` (removed at the end, also on an error or
Ctrl+C) and runs, round after round, one start each of: the bare PySide6 window (the floor,
bench/startup_bench.py's BARE_WINDOW), `python -m reader` of COMMIT ("before") and `python -m
reader` of the working tree ("after"), with the bundled briefing and with a synthetic library of
--sections sections. The order of before and after alternates from round to round, with the
floor between them, so load on the machine falls on both alike. Each app and library keeps its
own data folder across rounds (a returning user); the first round warms caches and is not
counted. Offscreen (QT_QPA_PLATFORM=offscreen), as startup_bench.

Prints per library the median first paint of each; before and after as a ratio to the floor of
the same round (median and interquartile range over rounds); and how much after's ratio moved
against before's, in percent. The last line is the verdict against --limit; the exit status is
1 when after is slower than before by more than the limit.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.startup_bench import BARE_WINDOW, measure  # noqa: E402
from bench.synthetic import write_library  # noqa: E402


@dataclass(frozen=True)
class Side:
    """One tree the app is started from: its `reader` package comes first on the path."""

    label: str
    tree: Path

    @property
    def env(self) -> dict[str, str]:
        return {"PYTHONPATH": str(self.tree)}


@dataclass
class Series:
    """First paints of one library, one value per counted round."""

    floor: list[float] = field(default_factory=list)
    before: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def imported_from(side: Side) -> Path:
    """Where `import reader` comes from when started as the benchmark starts that side."""
    done = subprocess.run([sys.executable, "-c", "import reader; print(reader.__file__)"],
                          cwd=side.tree, env={**os.environ, **side.env}, capture_output=True,
                          text=True, check=True)
    return Path(done.stdout.strip())


def tree_digest(tree: Path) -> str:
    """Digest of the app's files in `tree` (its package, resources and shipped content), to
    notice when the working tree changes while it is measured."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in ("reader", "resources", "content"):
        for path in sorted((tree / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(tree)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def run_rounds(sides: tuple[Side, Side], libraries: list[tuple[str, list[str]]], rounds: int,
               scratch: Path) -> list[Series]:
    """`rounds` counted rounds after one warm-up; one process at a time."""
    series = [Series() for _ in libraries]
    floor_cmd = [sys.executable, "-c", BARE_WINDOW]
    for r in range(rounds + 1):
        print(f"round {r}/{rounds}" + (" (warm-up)" if r == 0 else ""), end="", flush=True)
        # before, floor, after in even rounds; after, floor, before in odd ones
        order = ["before", "floor", "after"] if r % 2 == 0 else ["after", "floor", "before"]
        for m, (_, extra) in enumerate(libraries):
            paints: dict[str, float] = {}
            for what in order:
                if what == "floor":
                    paints[what] = measure(floor_cmd, scratch).first_paint
                    continue
                side = sides[0] if what == "before" else sides[1]
                data = scratch / f"user-{what}-{m}"  # kept across rounds: a returning user
                cmd = [sys.executable, "-m", "reader", "--data-dir", str(data), *extra]
                paints[what] = measure(cmd, side.tree, side.env).first_paint
            print("  " + " ".join(f"{w} {paints[w]:.3f}" for w in order), end="", flush=True)
            if r:
                series[m].floor.append(paints["floor"])
                series[m].before.append(paints["before"])
                series[m].after.append(paints["after"])
        print(flush=True)
    return series


def report(name: str, sides: tuple[Side, Side], s: Series) -> float:
    """Print one library's table; returns after's change against before (ratio to floor, %)."""
    before_x = [b / f for b, f in zip(s.before, s.floor, strict=True)]
    after_x = [a / f for a, f in zip(s.after, s.floor, strict=True)]
    paired = [(a / b - 1) * 100 for a, b in zip(after_x, before_x, strict=True)]
    change = (statistics.median(after_x) / statistics.median(before_x) - 1) * 100
    print(f"\n{name} ({len(s.floor)} rounds)")
    print(f"  {'what':38} {'first paint':>11} {'x floor':>8} {'IQR of x floor':>15}")
    print(f"  {'floor (bare PySide6 window)':38} {statistics.median(s.floor):10.3f}s {1.0:8.2f}")
    for side, paints, ratios in ((sides[0], s.before, before_x), (sides[1], s.after, after_x)):
        q1, q3 = quartiles(ratios)
        print(f"  {side.label:38} {statistics.median(paints):10.3f}s "
              f"{statistics.median(ratios):8.2f} {q1:8.2f} - {q3:.2f}")
    q1, q3 = quartiles(paired)
    print(f"  after vs before: {change:+.1f} % (ratio to floor); per round: median "
          f"{statistics.median(paired):+.1f} %, IQR {q1:+.1f} % to {q3:+.1f} %")
    return change


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the `finally` that removes the worktree


@contextmanager
def before_and_after(ref: str, prefix: str) -> Iterator[tuple[tuple[Side, Side], Path]]:
    """(before, after) sides and a scratch folder: `ref` checked out in a temporary git worktree
    (removed at the end, also on an error, Ctrl+C or SIGTERM) against the working tree; each side
    checked to import its own `reader`. Shared by startup_compare and render_compare."""
    commit = git("rev-parse", "--verify", "--short", f"{ref}^{{commit}}")
    head = git("rev-parse", "--short", "HEAD")
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "reader") else ""
    signal.signal(signal.SIGTERM, _terminate)
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        scratch = Path(tmp)
        worktree = scratch / "before"
        try:
            git("worktree", "add", "--detach", "--quiet", str(worktree), commit)
            sides = (Side(f"before ({commit})", worktree), Side(f"after ({head}{dirty})", ROOT))
            for side in sides:
                where = imported_from(side)
                print(f"{side.label}: reader from {where}")
                if not where.is_relative_to(side.tree):
                    raise RuntimeError(f"{side.label} imports reader from {where}, not {side.tree}")
            yield sides, scratch
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT,
                           capture_output=True)
            if str(worktree) in git("worktree", "list", "--porcelain"):
                print(f"could not remove the worktree {worktree}: run `git worktree prune`",
                      file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="the older commit (before)")
    parser.add_argument("--rounds", type=int, default=15, help="counted rounds (after one warm-up)")
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=5.0,
                        help="largest acceptable slow-down of after against before, in %%")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    with before_and_after(args.ref, "startup-compare-") as (sides, scratch):
        big = write_library(scratch / "library", sections=args.sections)
        libraries = [("the briefing", []), (f"{args.sections:,} sections", ["--content", str(big)])]
        digest = tree_digest(ROOT)
        series = run_rounds(sides, libraries, args.rounds, scratch)
        changes = [report(name, sides, s) for (name, _), s in zip(libraries, series, strict=True)]
    if tree_digest(ROOT) != digest:
        print("\nwarning: the working tree's reader/, resources/ or content/ changed during the run")
    worst = max(changes)
    each = ", ".join(f"{name} {c:+.1f} %" for (name, _), c in zip(libraries, changes, strict=True))
    ok = worst <= args.limit
    print(f"\nafter is {worst:+.1f} % vs before (ratio to floor, the worse of: {each}), "
          f"limit {args.limit:+g} %: {'within' if ok else 'OVER'} the limit")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as error:  # a bad --ref, git refusing, an app start without a first paint
        sys.exit(f"startup_compare: {error}")
    except KeyboardInterrupt:  # the worktree is already removed
        sys.exit(130)
