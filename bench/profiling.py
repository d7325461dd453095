"""Where a single-process build's time goes: cProfile of kg.build (kg/builder.py) over a corpus sample.

    python bench/profiling.py CORPUS_DIR [--limit N] [--top K]

The same sample as bench/speed.py (dictionary loading left out). cProfile's per-call overhead
inflates functions called very often: read the shape, not the sizes; speed is bench/speed.py's.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from kg import Extractor, build

from speed import sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    paths = sample(args.corpus, args.limit)
    extractor = Extractor()
    extractor.segmenter.tokens("预热")
    with tempfile.TemporaryDirectory() as out:
        profile = cProfile.Profile()
        profile.enable()
        build(paths, out, extractor=extractor, html=False)
        profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
