"""Build speed against bare jieba.lcut over the same text, measured in one run.

    python bench/speed.py CORPUS_DIR [--limit N] [--jobs J]

Prints characters per second for jieba.lcut alone and for kg's whole build of the same documents
(read, segment, extract, resolve, write the JSON and N-Quads shards, bulk-load the store, write
graph.ttl), their ratio, and with --jobs J > 1 the speed of the same build in J processes and its
ratio to one process. Ratios, not absolute times, are what to compare: the machines are shared and
noisy: jieba is timed before and after kg and the faster of its two times is used. Dictionary loading
is a one-off cost and is left out of the single-process time.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

import jieba

from kg import Extractor, build
from kg.documents import find_files, read_document


def sample(corpus: Path, limit: int) -> list[Path]:
    files = find_files([corpus])
    random.Random(0).shuffle(files)
    return sorted(files[:limit])


def time_jieba(texts: list[str]) -> float:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    start = time.perf_counter()
    for text in texts:
        tokenizer.lcut(text)
    return time.perf_counter() - start


def time_kg(paths: list[Path], jobs: int = 1) -> tuple[float, int, float]:
    """Wall seconds, triples, and CPU seconds of this process and its (finished) workers."""
    extractor = Extractor()
    extractor.segmenter.tokens("预热")  # dictionary loading is a one-off cost, not per document
    with tempfile.TemporaryDirectory() as out:
        before = os.times()
        start = time.perf_counter()
        result = build(paths, out, extractor=extractor, html=False, jobs=jobs)
        seconds = time.perf_counter() - start
        after = os.times()
        cpu = (after.user + after.system + after.children_user + after.children_system) - (
            before.user + before.system + before.children_user + before.children_system)
        return seconds, result.triples, cpu


def corpus_arguments(description: str) -> argparse.Namespace:
    """The arguments both corpus benchmarks take: the corpus folder, --limit and --jobs."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    return parser.parse_args()


def main() -> None:
    args = corpus_arguments(__doc__.splitlines()[0])
    paths = sample(args.corpus, args.limit)
    texts = [read_document(p).text for p in paths]
    chars = sum(map(len, texts))
    t_jieba = time_jieba(texts)
    t_kg, triples, cpu_kg = time_kg(paths)
    t_jieba = min(t_jieba, time_jieba(texts))
    print(f"documents {len(paths)}, characters {chars:,}, triples {triples:,}")
    print(f"jieba.lcut      {chars / t_jieba:12,.0f} chars/s")
    print(f"kg build        {chars / t_kg:12,.0f} chars/s")
    print(f"ratio kg/jieba  {t_jieba / t_kg:.2f} (target >= 0.50)")
    if args.jobs > 1:
        t_jobs, _, cpu_jobs = time_kg(paths, args.jobs)
        print(f"kg build -j {args.jobs}   {chars / t_jobs:12,.0f} chars/s (worker start-up included)")
        print(f"ratio -j {args.jobs}/-j 1  {t_kg / t_jobs:.2f} (target >= 1.70 with 2 jobs)")
        print(f"CPU seconds    -j 1 {cpu_kg:.1f}, -j {args.jobs} {cpu_jobs:.1f} (the work split, not grown; "
              f"{cpu_jobs / t_jobs:.2f} cores busy on average; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
