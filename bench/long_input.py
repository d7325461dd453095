"""Extraction time against input length, with and without punctuation, measured in one run.

    python bench/long_input.py [--sizes 20000,80000,320000]

Builds texts from the seed reports, repeated to each size: as written, and with every sentence
and clause mark removed (one "sentence" as long as the text). Prints characters per second and
the ratio of the largest size's rate to the smallest's: near 1 means time grows linearly with
length, which is what lets `kg build --max-bytes` (default 8 MB) bound the time a file can take.
Also times the traditional-Chinese check every document goes through (kg/convert.py).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from kg import Document, Extractor
from kg.convert import simplified_for_matching

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def rate(extractor: Extractor, text: str) -> float:
    start = time.perf_counter()
    extractor.extract(Document("bench.txt", text))
    return len(text) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,80000,320000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    seed = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    texts = {"punctuated": seed, "no punctuation": re.sub(r"[。！？!?；;\n，、：]", "", seed)}
    extractor = Extractor()
    extractor.extract(Document("warm.txt", seed[:200]))  # dictionary loading is a one-off cost
    first = {}
    for name, base in texts.items():
        rates = []
        for size in sizes:
            text = (base * (size // len(base) + 1))[:size]
            rates.append(rate(extractor, text))
            print(f"{name:15} {size:>9,} chars  {rates[-1]:>9,.0f} chars/s")
        print(f"{name:15} rate at {sizes[-1]:,} / rate at {sizes[0]:,} = {rates[-1] / rates[0]:.2f}")
        first[name] = rates[0]
    start = time.perf_counter()
    for _ in range(20):
        simplified_for_matching(seed)
    check = 20 * len(seed) / (time.perf_counter() - start)
    print(f"traditional-Chinese check {check:,.0f} chars/s ({check / first['punctuated']:.0f}x the punctuated extraction rate at {sizes[0]:,})")


if __name__ == "__main__":
    main()
