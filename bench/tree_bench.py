#!/usr/bin/env python3
"""The section tree at scale, on the real window (offscreen): the filter typed key by key,
Expand All, and how long the event loop stalls meanwhile (issue 18).

    python3 dev.py bench tree_bench [--sections 10000 100000] [--words 150] [--ref COMMIT] [--search]
                                    [--library FOLDER]

For each size, a synthetic library (bench/synthetic.py, ~150-word sections as real reference
pages are) is written once, then one child process per measurement opens the window on it and:
- types words of the library's own titles into the section filter, one key every 120 ms (a
  brisk typist), every prefix from the first letter, then clears the box; for each key: the
  time until the tree shows that text's answer; first at once (a build yet to start waits for
  a pause in that typing), then again as soon as the index build has started, while it runs
  (each step of its start-up in this process waits for a pause too: the figure says how many
  sections the workers indexed meanwhile);
- chooses View ▸ Expand All: the time for the call to return, then until the rows in view are
  open (a large tree opens rows as they come into view) or, for a small tree or an older commit,
  until every row is; then pages down 40 times, each page's rows opened before it is painted;
while a heartbeat timer on the event loop (every 5 ms) records the longest gap: what the
reader feels as a freeze (and, for telling causes apart, the longest pass of Python's cyclic
garbage collector while typing, in any thread: it holds the GIL, so the event loop waits too).
With --search, the search box too: typing_bench's first three phrases, a key every 200 ms,
while the index builds (the stall) and once it is ready (the stall, and key to hits painted).
With --ref, the same is measured for an older commit (a temporary git worktree, as
bench/startup_compare.py does) in the same run: the reference. Prints p50/p95/max per
measurement and the ratios after/before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.startup_compare import Side, before_and_after  # noqa: E402
from bench.synthetic import write_library  # noqa: E402
from bench.typing_bench import PHRASES  # noqa: E402

CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from reader.paths import AppPaths
from reader.session import Context
from reader.ui.app.application import create_window, make_app
import argparse

content, data, words = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
search_phrases = [p for p in sys.argv[4].split(",") if p] if len(sys.argv) > 4 else []
PAGES = 40
app = make_app()
args = argparse.Namespace(content=str(content), data_dir=data, section=None, self_test=False,
                          command=None)
window = create_window(Context(args=args, paths=AppPaths.create(data)))
window.restore()
window.resize(1200, 800)
window.show()
for _ in range(20):
    app.processEvents()

import gc
collecting, pauses = [0.0], []  # the cyclic collector's passes (any thread's: they hold the GIL)
def on_gc(phase, info):
    if phase == "start":
        collecting[0] = time.perf_counter()
    else:
        pauses.append(time.perf_counter() - collecting[0])
gc.callbacks.append(on_gc)

gaps = []
last = [time.perf_counter()]
def beat():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now
heart = QTimer(interval=5)
heart.timeout.connect(beat)

def wait(cond, limit=600.0):
    end = time.perf_counter() + limit
    while not cond() and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)
    return cond()

pane = window.tree_pane
def settled():
    return not getattr(pane, "pending", False)

def shown_text():
    result = getattr(pane, "result", None)
    return result.text if result is not None else ""

def type_filter(keys):
    # Type each word into the filter, then clear it; the longest stall meanwhile
    stall = 0.0
    for word in words:
        heart.start(); last[0] = time.perf_counter(); gaps.clear()
        for n in range(1, len(word) + 1):
            t = time.perf_counter()
            window.filter_box.setText(word[:n])
            wait(settled)
            keys.append(time.perf_counter() - t)
            pause = time.perf_counter() + 0.12
            while time.perf_counter() < pause:
                app.processEvents(); time.sleep(0.002)
        t = time.perf_counter()
        window.filter_box.setText("")
        wait(settled)
        keys.append(time.perf_counter() - t)
        heart.stop()
        stall = max(stall, max(gaps) if gaps else 0.0)
    return stall

from reader.ui.features.search.feature import SearchFeature
indexer = window.features.require(SearchFeature).indexer
keys = []
pauses.clear()
typing_stall = type_filter(keys)  # at once: a build yet to start may wait for a pause
# Then again as soon as the build has started (its start-up in this process included), while
# it runs: typing that resumes right after a pause, or a build another change set off.
building_keys, building_stall = [], None
wait(lambda: getattr(indexer, "_started", True) and (indexer.indexing or indexer.ready), 60)
built = []  # the build's progress reports while that typing went on (sections indexed)
indexer.progress.connect(lambda done, total: built.append(done))
if indexer.indexing:
    building_stall = type_filter(building_keys)
    if not indexer.indexing:
        building_stall = None  # it ended meanwhile: not typed while building throughout
building_done = max(built, default=0)
typing_gc = max(pauses, default=0.0)

tree, proxy = window.tree, window.proxy
def closed_in_view():
    out, index = 0, tree.indexAt(tree.viewport().rect().topLeft())
    while index.isValid() and tree.visualRect(index).top() < tree.viewport().height():
        out += proxy.hasChildren(index) and not tree.isExpanded(index)
        index = tree.indexBelow(index)
    return out

passes = []  # how long each opening of the rows in view took (lazy Expand All)
if hasattr(pane, "expand_in_view"):
    real_pass = pane.expand_in_view
    def timed_pass():
        t = time.perf_counter()
        real_pass()
        passes.append(time.perf_counter() - t)
    pane.expand_in_view = timed_pass
    pane._in_view_later.timeout.disconnect()
    pane._in_view_later.timeout.connect(timed_pass)

heart.start(); last[0] = time.perf_counter(); gaps.clear()
t = time.perf_counter()
window.actions_by_name["expand_all"].trigger()
expand_call = time.perf_counter() - t
lazy = getattr(pane, "expanding_all", False)
if lazy:  # rows open as they come into view: until those in view are
    wait(lambda: closed_in_view() == 0)
else:  # everything opened, at once or a slice at a time (older commits)
    wait(lambda: not getattr(pane, "_expanding", None))
for _ in range(3):
    app.processEvents()
expand = time.perf_counter() - t
expand_stall = max(gaps) if gaps else 0.0
gaps.clear(); last[0] = time.perf_counter()
pages, still_closed = [], 0
bar = tree.verticalScrollBar()
for _ in range(PAGES):  # Page Down through the tree: each page's rows opened before painting
    t = time.perf_counter()
    bar.setValue(bar.value() + bar.pageStep())
    app.processEvents()
    pages.append(time.perf_counter() - t)
    still_closed += closed_in_view()
    pause = time.perf_counter() + 0.03
    while time.perf_counter() < pause:
        app.processEvents(); time.sleep(0.002)
heart.stop()
scroll_stall = max(gaps) if gaps else 0.0  # now: the search box below clears `gaps` again

# The search box, typed a key every 200 ms (an ordinary typist; the panel searches once typing
# pauses for its debounce): first while the index may still be building (the field only), then
# with it ready. Per key: the longest stall, and the time from the key to the hits painted
# for that text (debounce included), the last key of a phrase waiting for its answer.
search_stall_building, search_stall, search_keys = 0.0, 0.0, []
if search_phrases:
    panel = window.features.require(SearchFeature).panel
    shown = []
    panel.results_shown.connect(lambda results: shown.append((time.perf_counter(), results.text)))

    def type_phrase(phrase):
        panel.field.setFocus()
        panel.field.clear()
        gaps.clear(); last[0] = time.perf_counter(); heart.start()
        times = []
        for n in range(1, len(phrase) + 1):
            times.append((time.perf_counter(), phrase[:n]))
            panel.field.setText(phrase[:n])
            pause = time.perf_counter() + 0.2
            while time.perf_counter() < pause:
                app.processEvents(); time.sleep(0.002)
        if indexer.ready:
            wait(lambda: any(text == phrase for _t, text in shown), 60)
        heart.stop()
        for t, text in times:
            answers = [a for a, shown_text in shown if shown_text == text and a >= t]
            if answers and text.strip() and len(text.strip()) >= 2:
                search_keys.append(answers[0] - t)
        return max(gaps) if gaps else 0.0

    if not indexer.ready:
        search_stall_building = type_phrase(search_phrases[0])
    wait(lambda: indexer.ready, 1800)
    for _ in range(50):
        app.processEvents(); time.sleep(0.01)
    for phrase in search_phrases:
        shown.clear()
        search_stall = max(search_stall, type_phrase(phrase))
print(json.dumps({"keys": keys, "typing_stall": typing_stall, "typing_gc": typing_gc,
                  "building_keys": building_keys, "building_stall": building_stall,
                  "building_done": building_done,
                  "search_stall_building": search_stall_building, "search_stall": search_stall,
                  "search_keys": search_keys,
                  "expand_call": expand_call,
                  "expand": expand, "lazy": lazy, "expand_stall": expand_stall, "pages": pages,
                  "still_closed": still_closed, "scroll_stall": scroll_stall,
                  "longest_pass": max(passes, default=0.0)}))
"""


def titles_words(folder: Path, count: int = 3) -> list[str]:
    """Words of the library's own section titles, as a reader looking for one would type."""
    words: list[str] = []
    for path in sorted(folder.glob("*.md"))[:5]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                word = line[3:].split("{")[0].split()[0].lower()
                if len(word) >= 5 and word not in words:
                    words.append(word)
        if len(words) >= count:
            break
    return words[:count]


def measure(side: Side, library: Path, words: list[str], scratch: Path,
            phrases: list[str] = ()) -> dict[str, float]:
    data = Path(tempfile.mkdtemp(dir=scratch))
    # Bytecode compiled first, as an installed or frozen app has it: with PYTHONDONTWRITEBYTECODE
    # set (as on this machine) every run compiled the app's modules on import, and a compile
    # holds the GIL for its whole length (stalls of 100-240 ms when the build thread imported).
    subprocess.run([sys.executable, "-m", "compileall", "-q", "reader"], cwd=side.tree,
                   check=True, capture_output=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **side.env}
    done = subprocess.run([sys.executable, "-c", CHILD, str(library), str(data), ",".join(words),
                           ",".join(phrases)],
                          capture_output=True, text=True, env=env, cwd=side.tree, timeout=3600)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{side.label}: {done.stderr[-1500:]}")
    return json.loads(lines[-1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(label: str, r: dict) -> None:
    keys = r["keys"]
    print(f"  {label:<28} filter key → tree: p50 {1000 * statistics.median(keys):7.1f} ms  "
          f"p95 {1000 * pct(keys, 0.95):7.1f} ms  max {1000 * max(keys):7.1f} ms | longest stall "
          f"typing {1000 * r['typing_stall']:6.1f} ms"
          + (f" (longest GC pass {1000 * r['typing_gc']:.0f} ms)" if "typing_gc" in r else ""))
    if r.get("building_stall") is not None:
        keys = r["building_keys"]
        print(f"  {'':<28} again once the index build started: filter key → tree: p50 "
              f"{1000 * statistics.median(keys):7.1f} ms  p95 {1000 * pct(keys, 0.95):7.1f} ms  "
              f"max {1000 * max(keys):7.1f} ms | longest stall typing "
              f"{1000 * r['building_stall']:6.1f} ms"
              + (f" (sections indexed meanwhile: {r['building_done']:,})"
                 if "building_done" in r else ""))
    if "expand_call" not in r:  # an older child script
        print(f"  {'':<28} Expand All {r['expand']:.2f} s, longest stall {1000 * r['expand_stall']:.1f} ms")
        return
    what = "rows in view open" if r["lazy"] else "every row open"
    pages = r["pages"]
    print(f"  {'':<28} Expand All{' (lazy)' if r['lazy'] else ''}: call returns "
          f"{1000 * r['expand_call']:.1f} ms, {what} {1000 * r['expand']:.1f} ms, longest stall "
          f"{1000 * r['expand_stall']:.1f} ms | then {len(pages)} pages down: p50 "
          f"{1000 * statistics.median(pages):.1f} ms, max {1000 * max(pages):.1f} ms, rows left "
          f"closed in view {r['still_closed']}, longest stall {1000 * r['scroll_stall']:.1f} ms"
          + (f" (longest opening pass {1000 * r['longest_pass']:.1f} ms)" if r["lazy"] else ""))
    if r.get("search_keys"):
        keys = r["search_keys"]
        print(f"  {'':<28} search box, key → hits painted (150 ms debounce included): p50 "
              f"{1000 * statistics.median(keys):.0f} ms, p95 {1000 * pct(keys, 0.95):.0f} ms, max "
              f"{1000 * max(keys):.0f} ms ({len(keys)} answers) | longest stall typing "
              f"{1000 * r['search_stall']:.1f} ms, while the index built "
              f"{1000 * r['search_stall_building']:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--words", type=int, default=150, help="words per section")
    parser.add_argument("--ref", help="an older commit to measure in the same run")
    parser.add_argument("--search", action="store_true",
                        help="also type phrases into the search box (waits for the index)")
    parser.add_argument("--library", type=Path,
                        help="an existing library folder instead of a synthetic one (one size)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        libraries = ({str(args.library): args.library} if args.library else
                     {f"{n:,} sections": write_library(scratch / f"lib{n}", sections=n,
                                                       words=args.words)
                      for n in args.sections})
        after = Side("after (working tree)", ROOT)
        phrases = PHRASES[:3] if args.search else []
        if args.ref:
            with before_and_after(args.ref, "tree-bench-") as (sides, _):
                for name, lib in libraries.items():
                    words = titles_words(lib)
                    print(f"{name}, typing {', '.join(words)}")
                    for side in sides:
                        report(side.label, measure(side, lib, words, scratch, phrases))
        else:
            for name, lib in libraries.items():
                words = titles_words(lib)
                print(f"{name}, typing {', '.join(words)}")
                report(after.label, measure(after, lib, words, scratch, phrases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
