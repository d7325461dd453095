"""Extraction speed against bare jieba.lcut over the same text, measured in one run.

    python bench/speed.py CORPUS_DIR [--limit N]

Prints characters per second for jieba.lcut alone and for kg's whole per-document pipeline
(read, segment, extract, resolve into the graph), and their ratio. Ratios, not absolute
times, are what to compare: the machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import jieba

from kg import Extractor, KnowledgeGraph
from kg.documents import find_files, read_document
from kg.resolve import EntityTable


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


def time_kg(paths: list[Path]) -> tuple[float, int]:
    extractor = Extractor()
    extractor.segmenter.tokens("预热")  # dictionary loading is a one-off cost, not per document
    graph = KnowledgeGraph(EntityTable(extractor.knowledge))
    start = time.perf_counter()
    for path in paths:
        graph.add(extractor.extract(read_document(path)))
    graph.to_rdf()
    return time.perf_counter() - start, len(graph.facts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    paths = sample(args.corpus, args.limit)
    texts = [read_document(p).text for p in paths]
    chars = sum(map(len, texts))
    t_jieba = time_jieba(texts)
    t_kg, facts = time_kg(paths)
    print(f"documents {len(paths)}, characters {chars:,}, facts {facts:,}")
    print(f"jieba.lcut   {chars / t_jieba:12,.0f} chars/s")
    print(f"kg pipeline  {chars / t_kg:12,.0f} chars/s")
    print(f"ratio kg/jieba {t_jieba / t_kg:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
