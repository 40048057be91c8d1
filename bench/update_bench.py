"""Briefing-update benchmark: the word diff of a 5,000-word section, and importing a pack.

- diff: 5,000 words with 50 scattered one-word edits, 20 words inserted and 20 deleted; the
  reference (same run) is difflib's line-level `unified_diff` of the same two texts split into
  sentences, the cheapest diff one could show instead.
- import: validating and installing a pack of the shipped briefing (parse, fsync, rename); the
  reference is `shutil.copytree` of the same folder (no validation, no fsync).

    python bench/update_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import difflib
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import median_ms  # noqa: E402
from reader.content import load_library  # noqa: E402
from reader.updates import import_pack, word_diff  # noqa: E402

WORDS = 5000


def texts(rng: random.Random) -> tuple[str, str]:
    source = (ROOT / "content" / "iran-russia.md").read_text(encoding="utf-8")
    vocab = sorted({w for w in source.split() if w.isalpha()})
    old = [rng.choice(vocab) for _ in range(WORDS)]
    new = list(old)
    for i in rng.sample(range(WORDS), 50):
        new[i] = rng.choice(vocab)
    at = rng.randrange(WORDS - 40)
    new[at:at + 20] = []
    new[at + 500:at + 500] = [rng.choice(vocab) for _ in range(20)]
    return " ".join(old), " ".join(new)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    old, new = texts(random.Random(9))
    d = word_diff(old, new)
    ms = median_ms(lambda: word_diff(old, new).to_html(), repeat)
    ref = median_ms(lambda: list(difflib.unified_diff(old.split(". "), new.split(". "))), repeat)
    print(f"word diff, {WORDS} words, {len(d.inserted)} inserted / {len(d.deleted)} deleted: "
          f"{ms:.1f} ms median (reference line diff {ref:.2f} ms, ratio {ms / ref:.0f}x)")

    tmp = Path(tempfile.mkdtemp(prefix="update-bench-"))
    pack = tmp / "pack"
    pack.mkdir()
    text = (ROOT / "content" / "iran-russia.md").read_text(encoding="utf-8")
    counter = iter(range(10**6))

    def do_import() -> None:
        n = next(counter)
        (pack / "iran-russia.md").write_text(text.replace("version: 1", f"version: {n + 2}"))
        import_pack(pack, tmp / f"data{n}", load_library([ROOT / "content"]))

    def do_copy() -> None:
        shutil.copytree(pack, tmp / f"copy{next(counter)}")

    ms = median_ms(do_import, repeat)
    ref = median_ms(do_copy, repeat)
    print(f"import of the shipped briefing as a pack: {ms:.1f} ms median "
          f"(reference copytree {ref:.2f} ms, ratio {ms / ref:.0f}x)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
