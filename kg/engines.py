"""The Dask adapter: extraction of a build's documents on a Dask cluster (a local one when no address is given).

The client reads the documents and sends their text, so workers need no shared folder; each worker
runs the build's per-document work (`process`, given by kg.builder: this adapter knows nothing of what
it makes) and returns what it made, a document's extraction JSON and N-Quads, which the build writes
as shards and bulk-loads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from .documents import MAX_BYTES, Skipped, Source, read_document
from .errors import InputError, KGError
from .extractor import Extractor


class EngineError(KGError):
    """The distributed engine cannot be reached or failed."""

    code = "E500"


Output = TypeVar("Output")


def dask_outputs(files: Iterable[Path | Source], extractor: Extractor, process: Callable[[object, Extractor], Output], *,
                 scheduler: str | None = None, workers: int = 1, window: int = 8,
                 max_bytes: int = MAX_BYTES) -> Iterator[Output | Skipped]:
    """`process(document, extractor)` of each document as they complete, at most `window` per worker in
    flight (memory stays flat). The extractor is sent to each worker once, as it pickles: its
    knowledge, its segmenter's words and its model's folder (the build's --model or --rules-only);
    the dictionaries and the model load on the worker, on its first document."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise EngineError("the dask engine needs dask[distributed]: pip install 'dask[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        shared = client.scatter(extractor, broadcast=True)
        limit = window * max(1, len(client.scheduler_info()["workers"]))
        running = as_completed()
        for path in files:
            source = path if isinstance(path, Source) else Source(Path(path), Path(path).name)
            try:
                doc = read_document(source.path, max_bytes=max_bytes, doc_id=source.doc_id)
            except InputError as exc:
                yield Skipped(str(source.path), str(exc))
                continue
            running.add(client.submit(_process_on_worker, doc, shared, process, pure=False))
            while running.count() >= limit:
                yield next(running).result()
        for future in running:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _process_on_worker(doc, extractor: Extractor, process: Callable[[object, Extractor], Output]) -> Output:
    # the worker keeps the scattered extractor: its dictionaries and model load once per worker
    return process(doc, extractor)
