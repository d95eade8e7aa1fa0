"""
How long one scan of a 10,000-word story takes with the matcher built once:
    make bench-tagging
The text is the seed story's words, repeated and shuffled, so it holds as
many matches as a real story of that length.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
WORDS = 10_000
RUNS = 50
LIMIT_MS = 20


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from articles.plaintext import parse_story
    from articles.tagging import build_matcher

    seed = parse_story((ROOT / "demo/stories/000_174494c28651cc06.txt").read_bytes())
    words = " ".join([seed.headline, *seed.paragraphs]).split()
    rng = random.Random(4)
    text = " ".join(rng.choice(words) for _ in range(WORDS))

    started = time.perf_counter()
    matcher = build_matcher()
    built = (time.perf_counter() - started) * 1000

    matcher.scan(text, "de")  # warm up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = matcher.scan(text, "de")
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(f"matcher built in {built:.0f} ms")
    print(
        f"scan of {WORDS:,} words: median {median:.1f} ms, "
        f"worst {max(timings):.1f} ms over {RUNS} runs; "
        f"{sum(m.count for m in found.values())} matches of {len(found)} tags"
    )
    if median >= LIMIT_MS:
        print(f"slower than {LIMIT_MS} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
