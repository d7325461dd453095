"""Whole-command build speed: `kg build` against bare jieba.lcut, each timed as a process of its own.

    python bench/whole.py [CORPUS] [--reports N] [--runs R] [--jobs J] [--no-dask]

A user times the command, not a loop inside it: this times whole processes (start-up, extraction,
the store, graph.ttl) over the same N reports of CORPUS (a folder of .txt reports; default
$KG_BENCH_CORPUS, else ../shared/corpus/gov-reports.tar.xz unpacked into a temporary folder):

- bare jieba.lcut (`python -c`: import jieba, read each file, lcut it);
- `kg build --jobs 1` and `--jobs J`, with the learned model (the default), `--rules-only`,
  `--no-store` and `--store` (by default a build loads its store while it runs only when a core is
  left for it: with `--jobs 1`, not with as many jobs as cores); after a build that left the store
  out, the build's first `kg query`, which loads it;
- `kg build --engine dask --jobs J` (a Dask LocalCluster of J workers), unless --no-dask.

All with `--no-html -q`. Each is run R times, interleaved (the machines are shared and noisy, so
ratios are taken within one run of this script), and the medians are printed: wall and CPU
seconds, peak memory summed over the process and its children (sampled), and where kg's wall time
went (from the moments `kg build` writes to $KG_TIMINGS): start (process start to dictionaries
loaded), extraction (to the last document written), then the tail after the last document: the
store's last load, the cross-document linking, graph.ttl, the counts and commit, and the process's
exit. Last, the bars of issue 15 and an Amdahl projection for the corpus on N cores.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from speed import machine_ceiling, sample  # noqa: E402 — the same sample as bench/speed.py

TARBALL = HERE.parent.parent / "shared" / "corpus" / "gov-reports.tar.xz"
CORPUS_CHARS = 51_227_925  # the whole corpus (2,956 reports), for the projection
JIEBA = ("import sys, jieba\n"
         "for path in sys.argv[1:]:\n"
         "    jieba.lcut(open(path, encoding='utf-8', errors='replace').read())\n")
KG = [sys.executable, "-m", "kg.cli", "build", "--no-html", "-q"]
QUERY = [sys.executable, "-m", "kg.cli", "query"]
NO_STORE, STORE = " --no-store", " --store"
STORE_MODES = (NO_STORE, STORE)  # builds told whether to load the store: compared with the default's bytes
MODES = {"": "model", " --rules-only": "rules", NO_STORE: "nostore", STORE: "store"}  # kg build's extra flags → --modes name
FIRST_QUERY = "first kg query"


def corpus_folder(given: str | None, scratch: Path) -> Path:
    given = given or os.environ.get("KG_BENCH_CORPUS")
    if given:
        return Path(given)
    if not TARBALL.is_file():
        sys.exit(f"no corpus: give a folder of reports, set KG_BENCH_CORPUS, or put {TARBALL} there")
    subprocess.run(["tar", "xJf", str(TARBALL), "-C", str(scratch)], check=True)
    return scratch / "gov-reports"


def run(command: list[str], timings: Path | None = None) -> dict:
    """Run `command` to its end; its wall and CPU seconds (its children's included), peak summed RSS,
    and the moments it wrote to $KG_TIMINGS."""
    env = dict(os.environ, KG_TIMINGS=str(timings)) if timings else dict(os.environ)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    spawn = time.time()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    threading.Thread(target=_sample_memory, args=(process.pid, peak), daemon=True).start()
    _, err = process.communicate()
    done = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:8])} … failed ({process.returncode}): {err.decode()[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    measured = {"wall": done - spawn, "cpu": cpu, "peak_mb": peak[0] / 2**20}
    if timings:
        marks = json.loads(timings.read_text(encoding="utf-8"))
        measured |= {
            "start": marks["ready"] - spawn,
            "extraction": marks["last"] - marks["ready"],
            "store load": marks["store_load"],
            "tail": done - marks["last"],
            "  last load": marks["loaded"] - marks["last"],
            "  linking": marks["linked"] - marks["loaded"],
            "  graph.ttl": marks["turtle"] - marks["linked"],
            "  counts, commit": marks["end"] - marks["turtle"],
            "  exit": done - marks["end"],
        }
    return measured


def _sample_memory(pid: int, peak: list[int]) -> None:
    """Peak RSS summed over the process and all its descendants, sampled every 0.1 s."""
    try:
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            total = 0
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total)
            time.sleep(0.1)
    except psutil.Error:
        pass


def same_outputs(a: Path, b: Path) -> bool:
    """graph.ttl and every shard byte-identical in two builds."""
    names = sorted(p.name for p in (a / "shards").glob("*.nq"))
    if names != sorted(p.name for p in (b / "shards").glob("*.nq")):
        return False
    return (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes() and all(
        (a / "shards" / n).read_bytes() == (b / "shards" / n).read_bytes() for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--reports", type=int, default=int(os.environ.get("KG_BENCH_REPORTS", 300)))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("KG_BENCH_RUNS", 3)))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--modes", default=os.environ.get("KG_BENCH_MODES", "model,rules,nostore"),
                        help="which builds, comma-separated: model (the default, learned model), rules (--rules-only), "
                             "nostore (the model with --no-store), store (the model with --store); after the first "
                             "build that left its store out, the first query, which loads it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    paths = [str(p) for p in sample(corpus_folder(args.corpus, scratch), args.reports)]
    chars = sum(len(Path(p).read_text(encoding="utf-8", errors="replace")) for p in paths)
    j = args.jobs
    cases = {"jieba.lcut": [sys.executable, "-c", JIEBA, *paths]}
    chosen = args.modes.split(",")
    modes = [mode for mode, name in MODES.items() if name in chosen]
    if not modes:
        sys.exit(f"--modes {args.modes}: choose from {', '.join(MODES.values())}")
    for mode, extra in ((m, m.split()) for m in modes):
        cases[f"kg -j 1{mode}"] = [*KG, "--jobs", "1", *extra, *paths]
        cases[f"kg -j {j}{mode}"] = [*KG, "--jobs", str(j), *extra, *paths]
        if not args.no_dask:
            cases[f"kg dask {j}{mode}"] = [*KG, "--engine", "dask", "--jobs", str(j), *extra, *paths]
    print(f"{len(paths)} reports, {chars:,} characters; {args.runs} runs of each, interleaved, medians; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start", flush=True)
    results: dict[str, list[dict]] = {name: [] for name in cases}
    identical = True
    ceilings = []
    for round_ in range(args.runs):
        ceilings.append(machine_ceiling(j))
        outs = {}
        for name, command in cases.items():
            if name.startswith("kg"):
                out = scratch / f"out-{len(outs)}"
                outs[name] = out
                command = [*command, "--out", str(out)]
            results[name].append(run(command, scratch / "timings.json" if name.startswith("kg") else None))
            if name.startswith("kg"):
                results[name][-1]["stored"] = (outs[name] / "store").exists()
            print(f"  run {round_ + 1}: {name:22} {results[name][-1]['wall']:7.1f} s", flush=True)
        storeless = [(name, outs[name]) for name in outs if not results[name][-1]["stored"]]
        if storeless:  # what a build without a store leaves to its first query
            first_query = [*QUERY, str(storeless[0][1]), "ASK { ?s ?p ?o }"]
            results.setdefault(FIRST_QUERY, []).append(run(first_query))
            print(f"  run {round_ + 1}: {FIRST_QUERY:22} {results[FIRST_QUERY][-1]['wall']:7.1f} s  (of {storeless[0][0]})", flush=True)
        for mode in modes:  # -j 1, -j J and Dask wrote the same bytes (and the same as with a store)
            builds = [outs[n] for n in outs if n.endswith(mode) and (mode or not n.endswith(tuple(filter(None, MODES))))]
            if mode in STORE_MODES and "" in modes:
                builds.append(outs["kg -j 1"])
            identical &= all(same_outputs(builds[0], other) for other in builds[1:])
        subprocess.run(["rm", "-rf", *map(str, outs.values())], check=True)
    ceilings.append(machine_ceiling(j))
    report(results, chars, j, identical, args, modes, max(ceilings))
    subprocess.run(["rm", "-rf", str(scratch)], check=True)


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(results: dict[str, list[dict]], chars: int, j: int, identical: bool, args, modes: list[str], ceiling: float) -> None:
    print(f"\n{'':22} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}   (medians; peak: RSS summed over the processes)")
    for name, runs in results.items():
        print(f"{name:22} {median(runs, 'wall'):8.1f} {median(runs, 'cpu'):8.1f} {median(runs, 'peak_mb'):8.0f}")
    if FIRST_QUERY in results:
        print(f"({FIRST_QUERY}: `kg query` of the first build that left its store out, which loads it from the shards)")
    phases = [k for k in results[f"kg -j 1{modes[0]}"][0] if k not in ("wall", "cpu", "peak_mb", "stored")]
    kg_names = [n for n in results if n.startswith("kg -j") or n.startswith("kg dask")]
    print("\nwhere kg's wall time goes (s, medians; store load runs beside the extraction, in a thread)")
    print(f"{'':18}" + "".join(f"{n.removeprefix('kg ').replace('--rules-only', 'rules').replace('--no-store', 'nostore'):>13}" for n in kg_names))
    for phase in phases:
        print(f"{phase:18}" + "".join(f"{median(results[n], phase):13.1f}" for n in kg_names))
    jieba = median(results["jieba.lcut"], "wall")
    print("\nbars of issue 15")
    for mode in modes:
        one, many = results[f"kg -j 1{mode}"], results[f"kg -j {j}{mode}"]
        label = mode.strip() or "default (learned model)"
        if FIRST_QUERY in results and not many[0]["stored"]:
            label += f" (-j {j} leaves the store to the first query: {median(results[FIRST_QUERY], 'wall'):.1f} s)"
        print(f"{label}:")
        print(f"  kg -j 1 / jieba.lcut    {median(one, 'wall') / jieba:5.2f}x wall, "
              f"{median(one, 'cpu') / median(results['jieba.lcut'], 'cpu'):.2f}x CPU  (bar <= 1.6, goal 1.0)")
        gain = median(one, 'wall') / median(many, 'wall')
        print(f"  -j {j} speed-up over -j 1  {gain:5.2f}x  (bar >= 1.6; the machine's ceiling now {ceiling:.2f}: "
              f"{gain / ceiling:.0%} of it)")
        if not args.no_dask:
            print(f"  Dask {j} workers vs -j {j}  {median(results[f'kg dask {j}{mode}'], 'wall') / median(many, 'wall'):5.2f}x "
                  f"the wall time of -j {j}")
        for name in (f"kg -j 1{mode}", f"kg -j {j}{mode}"):
            runs = results[name]
            print(f"  tail after the last document, {name.removeprefix('kg ').removesuffix(mode)}: "
                  f"{median(runs, 'tail'):.1f} s, {median(runs, 'tail') / median(runs, 'wall'):.1%} of the wall time (bar < 10%)")
        amdahl(one, chars, mode)
    print(f"machine ceiling {ceiling:.2f}: -j {j}/-j 1 of a pure-Python loop that shares nothing, the best of "
          f"{args.runs + 1} around the runs (other tenants of a shared machine lower it); load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"outputs (graph.ttl, shards) byte-identical across -j 1, -j {j}{'' if args.no_dask else ' and Dask'}"
          f"{', with and without the store' if set(modes) & set(STORE_MODES) and '' in modes else ''}: {'yes' if identical else 'NO'}")


def amdahl(one: list[dict], chars: int, mode: str) -> None:
    """The corpus's build time on N cores from -j 1's measured parts: start and the tail do not split,
    the extraction does, and the store's loads (one thread) must keep up with it."""
    start, extraction, load, tail, wall = (median(one, k) for k in ("start", "extraction", "store load", "tail", "wall"))
    serial = (start + tail) / wall
    scale = CORPUS_CHARS / chars
    cores = (1, 2, 4, 8, 16, 32)
    times = [start + max(extraction * scale / n, load * scale) + tail * scale for n in cores]
    print(f"  serial fraction {serial:.1%} (start {start:.1f} s + tail {tail:.1f} s of {wall:.1f} s); "
          f"Amdahl's ceiling {1 / serial:.0f}x")
    print("  the whole corpus (x%.1f characters) on N cores: " % scale
          + ", ".join(f"{n}: {t / 60:.1f} min" for n, t in zip(cores, times))
          + f" (the store's loads, {load * scale / 60:.1f} min in one thread, bound it)")


if __name__ == "__main__":
    main()
