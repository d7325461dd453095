"""What the learned model costs a whole build: `kg build` with it and with the rules alone, as whole processes.

    python bench/learned.py CORPUS_DIR [--limit 300] [--jobs 1] [--runs 2]

Each run is the real command (`kg build FILES --out TMP --no-html -q`, a process of its own: start-up,
extraction, store, graph.ttl), once with the shipped model and once with `--rules-only`, the two
interleaved so that both see the same moments of a shared, noisy machine. Prints each run's wall time,
the median of each, and the ratio (the issue's bar: at most 1.30). The reports are a fixed random
sample of CORPUS_DIR, the one bench/speed.py times.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import sample  # noqa: E402 — the same sample of reports as bench/speed.py


def timed_build(files: list[Path], jobs: int, rules_only: bool) -> float:
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryDirectory(prefix="kg-bench-learned-") as out:
        args = [str(kg), "build", *map(str, files), "--out", out, "--no-html", "-q", "--jobs", str(jobs)]
        if rules_only:
            args.append("--rules-only")
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    files = sample(args.corpus, args.limit)
    chars = sum(len(f.read_text(encoding="utf-8", errors="replace")) for f in files)
    times: dict[bool, list[float]] = {True: [], False: []}
    for run in range(args.runs):
        for rules_only in (True, False) if run % 2 == 0 else (False, True):
            seconds = timed_build(files, args.jobs, rules_only)
            times[rules_only].append(seconds)
            print(f"run {run + 1}  {'rules alone ' if rules_only else 'with model  '} {seconds:7.1f} s", flush=True)
    rules, learned = statistics.median(times[True]), statistics.median(times[False])
    print(f"{len(files)} reports, {chars:,} characters, --jobs {args.jobs}")
    print(f"kg build --rules-only  {rules:7.1f} s (median of {args.runs})")
    print(f"kg build (model)       {learned:7.1f} s (median of {args.runs})")
    print(f"ratio model/rules      {learned / rules:.2f} (bar: at most 1.30)")


if __name__ == "__main__":
    main()
