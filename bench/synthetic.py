"""Deterministic synthetic libraries for the benchmarks: many briefings of many sections."""

from __future__ import annotations

import random
from pathlib import Path

from reader.paths import bundled_content

SEED_WORDS = sorted({
    w.strip(".,;:!?'\"()“”’").lower()
    for w in (bundled_content() / "iran-russia.md").read_text(encoding="utf-8").split()
    if w.isascii() and w.strip(".,;:!?'\"()“”’").isalpha()
})


def zipf_vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    """Made-up words plus the seed's words, to be drawn with Zipf-like weights."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    made_up = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(size)}
    return SEED_WORDS + sorted(made_up)


def write_library(
    folder: Path, sections: int = 10_000, words: int = 500, per_briefing: int = 100, seed: int = 7
) -> Path:
    """Write `sections` sections of about `words` words, `per_briefing` to a briefing file."""
    rng = random.Random(seed)
    vocab = zipf_vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    folder.mkdir(parents=True, exist_ok=True)
    for b in range(0, sections, per_briefing):
        n = b // per_briefing
        lines = ["---", f"id: synthetic-{n:04d}", f"title: Synthetic briefing {n}",
                 f"date: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}", "---"]
        for s in range(b, min(b + per_briefing, sections)):
            level = "##" if s % 5 == 0 else "###"
            title = " ".join(rng.choices(vocab[:2000], k=4)).title()
            lines.append(f"{level} {title} {{#s{s:05d}}}")
            body = rng.choices(vocab, weights=weights, k=words)
            for p in range(0, words, 100):
                lines.append(" ".join(body[p:p + 100]).capitalize() + ".\n")
        (folder / f"synthetic-{n:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder
