"""Anchoring benchmark: 100 annotations on a 5,000-word section.

Scenarios: unchanged text (exact), text inserted at the top (moved), one word changed inside every
quote (fuzzy), the same with the word after every quote changed too (fuzzy without the cheap
prefix+suffix path: the word-vote search), quotes deleted (orphaned). The reference is measured
in the same run: a plain `str.find` of the 100 quotes in the same text. Goal from the issue:
<= 5 ms for 100 annotations.

    python bench/anchor_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_ms  # noqa: E402
from reader.annotations import Annotation, Selector, Status, anchor_all  # noqa: E402

WORDS = 5000
ANNOTATIONS = 100
GOAL_MS = 5.0


def make_text(rng: random.Random) -> str:
    """Briefing-like prose: words drawn from the shipped briefing's vocabulary."""
    source = (Path(__file__).resolve().parent.parent / "content" / "iran-russia.md").read_text()
    vocab = sorted({w for w in source.split() if w.isalpha()})
    words = [rng.choice(vocab) for _ in range(WORDS)]
    for i in range(12, WORDS, 13):
        words[i] += "."
    return " ".join(words)


def make_annotations(text: str, rng: random.Random) -> list[Annotation]:
    out = []
    for i in range(ANNOTATIONS):
        start = text.index(" ", rng.randrange(0, len(text) - 200)) + 1
        end = text.index(" ", start + rng.randint(25, 90))
        out.append(Annotation("bench", "section", selector=Selector.from_range(text, start, end),
                              id=f"a{i}"))
    return out


def change_every_quote(text: str, anns: list[Annotation], replace: Callable[[str], str]) -> str:
    """Apply `replace` to every quote, back to front so earlier offsets stay valid."""
    for a in sorted(anns, key=lambda a: a.selector.start, reverse=True):
        s, e = a.selector.start, a.selector.end
        text = text[:s] + replace(text[s:e]) + text[e:]
    return text


def change_one_word_and_suffix(text: str, anns: list[Annotation]) -> str:
    """One word changed inside every quote and the word after it: the suffix no longer matches."""
    for a in sorted(anns, key=lambda a: a.selector.start, reverse=True):
        s, e = a.selector.start, a.selector.end
        after = text.find(" ", e + 1)
        after = len(text) if after < 0 else after
        text = text[:s] + change_one_word(text[s:e]) + " altered" + text[after:]
    return text


def change_one_word(quote: str) -> str:
    words = quote.split(" ")
    words[len(words) // 2] = "changed"
    return " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(4)
    text = make_text(rng)
    anns = make_annotations(text, rng)
    scenarios = {
        "exact (unchanged text)": text,
        "moved (text inserted at the top)": "A new first paragraph was added. " * 20 + text,
        "fuzzy (a word changed in every quote)": change_every_quote(text, anns, change_one_word),
        "fuzzy, suffix changed too": change_one_word_and_suffix(text, anns),
        "orphaned (every quote deleted)": change_every_quote(text, anns, lambda q: ""),
    }
    quotes = [a.quote for a in anns]
    baseline = median_ms(lambda: [text.find(q) for q in quotes], args.repeat)
    print(f"section: {len(text.split()):,} words, {len(text):,} characters; "
          f"{ANNOTATIONS} annotations; median of {args.repeat} runs")
    print(f"reference: str.find of the {ANNOTATIONS} quotes: {baseline:.3f} ms")
    for name, changed in scenarios.items():
        result = anchor_all(changed, anns)
        counts = {s.value: sum(1 for r in result.values() if r.status is s) for s in Status}
        ms = median_ms(lambda changed=changed: anchor_all(changed, anns), args.repeat)
        verdict = "ok" if ms <= GOAL_MS else f"over the {GOAL_MS:g} ms goal"
        print(f"{name:40s} {ms:8.3f} ms  x{ms / max(baseline, 1e-9):7.1f} of reference  "
              f"{verdict:20s} {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
