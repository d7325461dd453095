"""Peak memory of a whole build for N and 2N documents: streaming means it does not grow with N.

    python bench/memory.py CORPUS_DIR [--limit N] [--jobs J]

Runs `kg build` (no HTML) on the first N and then 2N documents of a shuffled sample, each in a
fresh process, and samples the memory of the build and its worker processes together (psutil):
resident memory (RSS) every 0.2 s, proportional memory (PSS) every second. Summed RSS counts the
dictionaries the forked workers share with the build copy-on-write once per process; summed PSS
counts each shared page once, split between its sharers: what the build really holds. Prints the
peaks of each run, the largest single process, and the ratio of the peaks (target: under 2 GB,
ratio near 1).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from speed import corpus_arguments, sample  # noqa: E402  (the same sample and arguments as the speed benchmark)


@dataclass
class Peaks:
    rss: int = 0  # the process tree's resident bytes, summed
    pss: int = 0  # its proportional bytes, summed: shared pages counted once
    largest: int = 0  # the largest single process's resident bytes
    seconds: float = 0.0


def peak_memory(paths: list[Path], jobs: int) -> Peaks:
    """Peak memory of a build process tree, and its wall time."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "kg.cli", "build", *map(str, paths), "--out", out, "--no-html", "--quiet", "--jobs", str(jobs)]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        root, peaks, last_pss = psutil.Process(process.pid), Peaks(), 0.0
        while process.poll() is None:
            try:
                tree = [p for p in (root, *root.children(recursive=True)) if p.is_running()]
                rss = [p.memory_info().rss for p in tree]
                peaks.rss, peaks.largest = max(peaks.rss, sum(rss)), max(peaks.largest, *rss)
                if time.perf_counter() - last_pss >= 1.0:  # reading PSS walks every mapping: not every sample
                    peaks.pss = max(peaks.pss, sum(p.memory_full_info().pss for p in tree))
                    last_pss = time.perf_counter()
            except psutil.Error:
                pass  # a worker ended between listing and reading
            time.sleep(0.2)
        if process.returncode:
            raise SystemExit(f"kg build failed with exit code {process.returncode}")
        peaks.seconds = time.perf_counter() - start
        return peaks


def main() -> None:
    args = corpus_arguments(__doc__.splitlines()[0])
    paths = sample(args.corpus, 2 * args.limit)
    small = peak_memory(paths[: args.limit], args.jobs)
    large = peak_memory(paths, args.jobs)
    for count, peaks in ((args.limit, small), (len(paths), large)):
        print(f"{count:5} documents  peak RSS {peaks.rss / 2**20:6,.0f} MiB summed, PSS {peaks.pss / 2**20:6,.0f} MiB summed, "
              f"largest process {peaks.largest / 2**20:5,.0f} MiB  ({peaks.seconds:.0f} s, {args.jobs} jobs)")
    print(f"ratio {len(paths)}/{args.limit} documents  RSS {large.rss / small.rss:.2f}, PSS {large.pss / small.pss:.2f} "
          f"(target: near 1.00, and under 2 GB)")


if __name__ == "__main__":
    main()
