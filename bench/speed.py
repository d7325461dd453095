"""Build speed against bare jieba.lcut over the same text, measured in one run.

    python bench/speed.py CORPUS_DIR [--limit N] [--jobs J]

Prints characters per second for jieba.lcut alone and for kg's whole build of the same documents
(read, segment, extract, resolve, write the JSON and N-Quads shards, bulk-load the store, write
graph.ttl), their ratio, and with --jobs J > 1 the speed of the same build in J processes and its
ratio to one process. Ratios, not absolute times, are what to compare: the machines are shared and
noisy, so each of jieba, kg and kg -j J is timed twice, interleaved, and the faster time of each is
used. Each kg run is a fresh child process forked after the dictionaries are loaded, so no run starts
with caches another run filled; dictionary loading is a one-off cost and is left out. Beside the -j
ratio it prints the machine's own ceiling at that moment: the gain of J processes on a pure-Python
loop that shares nothing (a shared 2-core machine gives anything from about 1.4 to 2.1), and the
gain of J processes on the per-document work alone (nothing written, no store) and on bare
jieba.lcut. Last it splits -j 1's time into the per-document work (which J processes share), the
wall time after the last document (the store's last load and graph.ttl, which they do not), and the
CPU of the store loading beside the extraction, and prints the -j ratio the build would reach if
only the per-document work counted.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import random
import tempfile
import time
from pathlib import Path

import jieba

from kg import Extractor, build
from kg.builder import process
from kg.documents import find_files, read_document
from kg.model import Document


def sample(corpus: Path, limit: int) -> list[Path]:
    files = find_files([corpus])
    random.Random(0).shuffle(files)
    return sorted(files[:limit])


def time_jieba(texts: list[str], clock=time.perf_counter) -> float:
    """Seconds (by `clock`: wall time, or this process's CPU time) jieba.lcut takes over `texts`."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    start = clock()
    for text in texts:
        tokenizer.lcut(text)
    return clock() - start


def in_child(function, *args):
    """`function(*args)` run in a forked child process: what it returns, or the error it raised."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            data = pickle.dumps(function(*args))
        except BaseException as exc:  # handed to the parent, raised there
            data = pickle.dumps(exc)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    result = pickle.loads(data)
    if isinstance(result, BaseException):
        raise result
    return result


def time_kg(paths: list[Path], jobs: int = 1) -> tuple[float, int, float, float]:
    """Wall seconds, triples, CPU seconds of this process and its (finished) workers, and the wall
    seconds after the last document was written (the store's last load, graph.ttl, the counts)."""
    extractor = Extractor()
    extractor.segmenter.tokens("预热")  # dictionary loading is a one-off cost, not per document
    last = [0.0]
    with tempfile.TemporaryDirectory() as out:
        before = os.times()
        start = time.perf_counter()
        result = build(paths, out, extractor=extractor, html=False, jobs=jobs,
                       on_document=lambda _: last.__setitem__(0, time.perf_counter()))
        end = time.perf_counter()
        after = os.times()
        cpu = (after.user + after.system + after.children_user + after.children_system) - (
            before.user + before.system + before.children_user + before.children_system)
        return end - start, result.triples, cpu, end - last[0]


def _process_texts(texts: list[str], extractor: Extractor) -> float:
    """What a build's worker does for each text (extract, resolve, make its JSON and N-Quads), nothing
    written or loaded; return the CPU seconds it took."""
    start = time.process_time()
    for i, text in enumerate(texts):
        process(Document(f"{i}.txt", text, f"{i}.txt"), extractor)
    return time.process_time() - start


def split_gain(work, texts: list[str], jobs: int, *args) -> tuple[float, float]:
    """How much faster `jobs` forked processes, each given every `jobs`-th text, run `work` over the
    texts than one process does: the gain this machine gives that work alone, right now (best of
    two); and the CPU seconds of the work in one process."""
    serial = parallel = cpu = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        cpu = min(cpu, in_child(work, texts, *args))
        serial = min(serial, time.perf_counter() - start)
        start = time.perf_counter()
        pids = [_fork(work, texts[i::jobs], *args) for i in range(jobs)]
        for pid in pids:
            os.waitpid(pid, 0)
        parallel = min(parallel, time.perf_counter() - start)
    return serial / parallel, cpu


def _fork(function, *args) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            function(*args)
        finally:
            os._exit(0)
    return pid


def _busy_loop(n: int) -> int:
    """Pure-Python work with nothing shared: what J processes gain on it is the machine's own ceiling."""
    table: dict[int, int] = {}
    total = 0
    for i in range(n):
        table[i % 5000] = i
        total += table.get(i % 777, 0)
    return total


def machine_ceiling(jobs: int, n: int = 3_000_000) -> float:
    """How much faster `jobs` processes do `jobs` equal pieces of independent work than one process
    does them in turn, right now (other tenants of a shared machine lower it)."""
    start = time.perf_counter()
    for _ in range(jobs):
        _busy_loop(n)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_busy_loop, [n] * jobs)
    return serial / (time.perf_counter() - start)


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
    Extractor().segmenter.tokens("预热")  # the dictionaries, loaded once, before the children fork
    runs = []
    for _ in range(2):
        runs.append((time_jieba(texts), in_child(time_kg, paths)))
    t_jieba = min(j for j, _ in runs)
    t_kg, triples, cpu_kg, tail_kg = min((k for _, k in runs), key=lambda k: k[0])
    print(f"documents {len(paths)}, characters {chars:,}, triples {triples:,}")
    print(f"jieba.lcut      {chars / t_jieba:12,.0f} chars/s")
    print(f"kg build        {chars / t_kg:12,.0f} chars/s")
    print(f"ratio kg/jieba  {t_jieba / t_kg:.2f} (target >= 0.50)")
    print(f"on CPU seconds  {t_jieba / cpu_kg:.2f} (kg's CPU {cpu_kg:.1f} s against jieba's {t_jieba:.1f} s: one process, "
          f"whose store loads in a thread of its own while the main thread extracts)")
    if args.jobs > 1:
        ceiling = machine_ceiling(args.jobs)
        t_jobs, _, cpu_jobs, _ = min((in_child(time_kg, paths, args.jobs) for _ in range(2)), key=lambda k: k[0])
        ceiling = max(ceiling, machine_ceiling(args.jobs))
        print(f"kg build -j {args.jobs}   {chars / t_jobs:12,.0f} chars/s (worker start-up included)")
        print(f"ratio -j {args.jobs}/-j 1  {t_kg / t_jobs:.2f} (target >= 1.70 with 2 jobs)")
        print(f"CPU seconds    -j 1 {cpu_kg:.1f}, -j {args.jobs} {cpu_jobs:.1f} (the work split, not grown; "
              f"{cpu_jobs / t_jobs:.2f} cores busy on average; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"machine ceiling {ceiling:.2f} (-j {args.jobs}/-j 1 of a pure-Python loop that shares nothing, "
              f"best of two, around the kg runs; kg reached {t_kg / t_jobs / ceiling:.0%} of it)")
        extractor = Extractor()
        extractor.segmenter.tokens("预热")
        per_document, cpu_documents = split_gain(_process_texts, texts, args.jobs, extractor)
        segmentation, _ = split_gain(time_jieba, texts, args.jobs, time.process_time)
        print(f"work's ceiling  {per_document:.2f} for the per-document work alone (extract, resolve, JSON and "
              f"N-Quads; nothing written or loaded), {segmentation:.2f} for bare jieba.lcut: {args.jobs} processes "
              f"splitting the same texts against one")
        print(f"-j 1's time     {t_kg:.1f} s: {cpu_documents:.1f} s of per-document work, which splits; "
              f"{tail_kg:.1f} s after the last document (the store's last load, graph.ttl), which does not; and "
              f"beside them {max(0.0, cpu_kg - t_kg):.1f} CPU s of the store loading in its thread (in -j {args.jobs} "
              f"it competes with the workers). With that free, -j {args.jobs} would reach "
              f"{t_kg / (cpu_documents / per_document + tail_kg):.2f} at most")

if __name__ == "__main__":
    main()
