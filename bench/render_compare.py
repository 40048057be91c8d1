"""Rendering speed of the working tree against an older commit, interleaved in one run.

    python3 dev.py bench render_compare --ref COMMIT [--rounds 5] [--sections 2000] [--limit 10]

The render step of bench/search_bench.py (every section's Markdown to HTML to plain text, as the
index build does it) and the library load (parsing and splitting into sections), on two corpora:
the synthetic library every benchmark uses (--sections sections) and the construct corpus of
tests/content/fixtures/constructs (fences with info strings, definitions across sections, raw
HTML, tables, lists, admonitions, non-Latin headings) copied --copies times.

COMMIT is checked out into a temporary `git worktree` (removed at the end, as
bench/startup_compare.py does). Each round runs one process per side and corpus, before and
after in alternating order, so load on the machine falls on both alike; a process loads the
library, builds the Markdown parser, then times rendering all sections once. Prints medians per
corpus and step, after vs before in percent, and a verdict on the render step against --limit
(exit status 1 when over).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.startup_compare import Side, before_and_after  # noqa: E402
from bench.synthetic import write_library  # noqa: E402

CONSTRUCTS = ROOT / "tests" / "content" / "fixtures" / "constructs"
CHILD = """
import json, sys, time
from pathlib import Path
from reader.content import html_to_text, load_library
from reader.content.render import markdown_to_html
start = time.perf_counter()
library = load_library([Path(sys.argv[1])])
load = time.perf_counter() - start
sections = list(library.sections())
markdown_to_html("*warm-up*: the parser is built once per process")
start = time.perf_counter()
for s in sections:  # what the index build's render step does (search/build.record_fields)
    html_to_text(markdown_to_html(getattr(s, "source", s.markdown)))
render = time.perf_counter() - start
print(json.dumps({"load_s": load, "render_s": render, "sections": len(sections)}))
"""


def write_constructs(folder: Path, copies: int) -> Path:
    """The construct corpus `copies` times over, each copy a briefing of its own."""
    text = (CONSTRUCTS / "briefing.md").read_text(encoding="utf-8")
    for n in range(copies):
        target = folder / f"constructs-{n:03d}"
        shutil.copytree(CONSTRUCTS / "img", target / "img")
        copy = re.sub(r"^title: .*$", f"title: Real-World Markdown {n}", text, count=1,
                      flags=re.MULTILINE)
        (target / "briefing.md").write_text(copy, encoding="utf-8")
    return folder


def measure(side: Side, corpus: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(corpus)], cwd=side.tree,
                          env={**os.environ, **side.env}, capture_output=True, text=True,
                          timeout=1800)
    if done.returncode:
        raise RuntimeError(f"{side.label} failed on {corpus.name}: {done.stderr.strip()[-500:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(sides: tuple[Side, Side], corpora: list[tuple[str, Path]], rounds: int
        ) -> dict[str, dict[str, list[dict[str, float]]]]:
    """corpus name -> side label -> one result per round."""
    out: dict[str, dict[str, list[dict[str, float]]]] = {
        name: {s.label: [] for s in sides} for name, _ in corpora}
    for r in range(rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for name, corpus in corpora:
            for side in order:
                out[name][side.label].append(measure(side, corpus))
        print(f"round {r + 1}/{rounds} done", flush=True)
    return out


def report(name: str, sides: tuple[Side, Side], results: dict[str, list[dict[str, float]]]
           ) -> float:
    """Print one corpus's medians; returns the render step's change of after against before (%)."""
    before, after = (results[s.label] for s in sides)
    count = int(before[0]["sections"])
    print(f"\n{name}: {count:,} sections, {len(before)} rounds (medians)")
    change = 0.0
    for step in ("render_s", "load_s"):
        b = statistics.median(r[step] for r in before)
        a = statistics.median(r[step] for r in after)
        pct = (a / b - 1) * 100
        paired = [(x[step] / y[step] - 1) * 100 for x, y in zip(after, before, strict=True)]
        print(f"  {step[:-2]:7} before {b:8.3f} s ({b / count * 1000:6.3f} ms/section)   "
              f"after {a:8.3f} s ({a / count * 1000:6.3f} ms/section)   {pct:+6.1f} %   "
              f"(per round {min(paired):+.1f} % to {max(paired):+.1f} %)")
        if step == "render_s":
            change = pct
    return change


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="the older commit (before)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sections", type=int, default=2000, help="synthetic sections")
    parser.add_argument("--copies", type=int, default=40, help="copies of the construct corpus")
    parser.add_argument("--limit", type=float, default=10.0,
                        help="largest acceptable slow-down of the render step, in %%")
    args = parser.parse_args()
    with before_and_after(args.ref, "render-compare-") as (sides, scratch):
        corpora = [
            ("synthetic library", write_library(scratch / "synthetic", sections=args.sections)),
            ("construct corpus", write_constructs(scratch / "constructs", args.copies)),
        ]
        results = run(sides, corpora, args.rounds)
        changes = {name: report(name, sides, results[name]) for name, _ in corpora}
    worst = max(changes.values())
    ok = worst <= args.limit
    each = ", ".join(f"{name} {c:+.1f} %" for name, c in changes.items())
    print(f"\nrender step: after is {worst:+.1f} % vs before at worst ({each}), limit "
          f"{args.limit:+g} %: {'within' if ok else 'OVER'} the limit")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as error:
        sys.exit(f"render_compare: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
