"""Peak memory of a whole build for N and 2N documents: streaming means it does not grow with N.

    python bench/memory.py CORPUS_DIR [--limit N] [--jobs J]

Runs `kg build` (no HTML) on the first N and then 2N documents of a shuffled sample, each in a
fresh process, and samples the resident memory of the build and its worker processes together
(psutil, every 0.2 s). Prints the peak RSS of each run and their ratio (target: under 2 GB, ratio
near 1).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from speed import corpus_arguments, sample  # noqa: E402  (the same sample and arguments as the speed benchmark)


def peak_rss(paths: list[Path], jobs: int) -> tuple[int, float]:
    """Peak resident bytes of a build process tree, and its wall time."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "kg.cli", "build", *map(str, paths), "--out", out, "--no-html", "--quiet", "--jobs", str(jobs)]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        root, peak = psutil.Process(process.pid), 0
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass  # a worker ended between listing and reading
            time.sleep(0.2)
        if process.returncode:
            raise SystemExit(f"kg build failed with exit code {process.returncode}")
        return peak, time.perf_counter() - start


def main() -> None:
    args = corpus_arguments(__doc__.splitlines()[0])
    paths = sample(args.corpus, 2 * args.limit)
    small, seconds_small = peak_rss(paths[: args.limit], args.jobs)
    large, seconds_large = peak_rss(paths, args.jobs)
    print(f"{args.limit:5} documents  peak RSS {small / 2**20:8,.0f} MiB  ({seconds_small:.0f} s)")
    print(f"{len(paths):5} documents  peak RSS {large / 2**20:8,.0f} MiB  ({seconds_large:.0f} s)")
    print(f"ratio {len(paths)}/{args.limit} documents  {large / small:.2f} (target: near 1.00, and under 2 GB)")


if __name__ == "__main__":
    main()
