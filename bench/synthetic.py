"""The synthetic library every benchmark uses: briefings of many sections with a Zipf-distributed
vocabulary mixed with the shipped briefing's words and sentences, from a fixed random seed."""

from __future__ import annotations

import random
import re
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parent.parent / "content" / "iran-russia.md"
SECTIONS_PER_BRIEFING = 100


def make_vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    """Synthetic words ranked for Zipf, with the seed briefing's words mixed in at random ranks."""
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "er", "in", "or"]
    synthetic = {"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size)}
    seed_words = sorted(set(re.findall(r"[a-z]{3,}", SEED_FILE.read_text().lower())))
    vocab = sorted(synthetic - set(seed_words))
    rng.shuffle(vocab)
    for word in seed_words:  # seed words anywhere from very common to rare
        vocab.insert(rng.randint(0, min(len(vocab), 3000)), word)
    return vocab


def write_library(folder: Path, sections: int = 10_000, words: int = 500, seed: int = 7) -> Path:
    """Write `sections` sections of about `words` words each into `folder`; returns it."""
    rng = random.Random(seed)
    vocab = make_vocabulary(rng)
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocab))]
    cum = list(_accumulate(weights))
    seed_sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", SEED_FILE.read_text())
                      if 40 < len(s) < 300 and not s.startswith(("#", "-", "title:"))]
    folder.mkdir(parents=True, exist_ok=True)
    n, b = 0, 0
    while n < sections:
        count = min(SECTIONS_PER_BRIEFING, sections - n)
        lines = [f"---\ntitle: Synthetic briefing {b}\ndate: 2026-01-{1 + b % 28:02d}\n---",
                 f"# Synthetic briefing {b}", _body(rng, vocab, cum, words, seed_sentences)]
        for i in range(1, count):
            level = "##" if i % 4 == 1 else "###"
            title = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(2, 5))).title()
            lines += [f"{level} {title} {{#s{b}-{i}}}", _body(rng, vocab, cum, words, seed_sentences)]
        (folder / f"briefing-{b:04d}.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        n, b = n + count, b + 1
    return folder


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return out


def _body(rng: random.Random, vocab: list[str], cum: list[float], words: int,
          seed_sentences: list[str]) -> str:
    target = max(20, int(rng.gauss(words, words / 10)))
    paragraphs, done = [], 0
    while done < target:
        sentences = []
        for _ in range(5):
            if rng.random() < 0.08:
                sentences.append(rng.choice(seed_sentences))
                continue
            sentence = rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 20))
            if rng.random() < 0.1:
                sentence[1] = f"**{sentence[1]}**"
            sentences.append(" ".join(sentence).capitalize() + ".")
        paragraph = " ".join(sentences)
        done += paragraph.count(" ") + 1
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)
