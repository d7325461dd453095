"""Atomic file writing: a temporary file beside the target, then a rename, so no output is left half written.

A build's outputs go through one `Commit`: each is written to its temporary file as the build goes,
and all are renamed into place at the end, so a build killed before then changes no output.
Temporary files are hidden (`.graph.ttl.<pid>.<random>.tmp`); those of a killed process are removed
by the next write into the same folder.
"""
from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
import time
from pathlib import Path

from .errors import GraphError

# Test hook: when set to a path, a commit creates that file and waits (forever) just before its
# first rename, so a test can kill the build at a known point of the write phase.
HOLD_ENV = "KG_HOLD_BEFORE_COMMIT"


def check_target(path: Path) -> None:
    """A GraphError, said plainly, when `path` cannot be a file: it is a folder, or lies under a file."""
    if path.is_dir():
        raise GraphError(f"{path}: is a folder; give the name of a file to write")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise GraphError(f"{path}: cannot write: {parent} is a file, not a folder")
            return


def temp_beside(path: Path, *, clean: bool = True) -> Path:
    """A new, empty, hidden temporary file in `path`'s folder, named after `path` and this process."""
    check_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if clean:
            remove_stale_temps(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs are meant to be shared
    return Path(tmp)


def remove_stale_temps(folder: Path) -> None:
    """Remove the temporary files left in `folder` by kg processes that no longer run."""
    for tmp in folder.glob(".*.tmp"):
        pid = _pid_of(tmp.name)
        if pid is not None and pid != os.getpid() and not _alive(pid):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _pid_of(name: str) -> int | None:
    parts = name.split(".")  # "", "graph", "ttl", "<pid>", "<random>", "tmp"
    return int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_path(path: Path | str):
    """Yield a temporary path in the target's folder; on success it replaces `path` in one step."""
    path = Path(path)
    tmp = temp_beside(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path | str, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


class Staging:
    """Files written into a build's own staging folder (removed whole if the build fails, so each file
    is written in place), each synced to disk by a thread of its own: the build does not wait on the
    disk once per file (600 fsyncs for 300 documents). `close()` waits for the last sync."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="kg-staging-sync", daemon=True)
        self._thread.start()

    def write_text(self, path: Path, text: str) -> None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise GraphError(f"{path}: cannot write: {exc.strerror or exc}") from None
        self._queue.put(path)

    def close(self, *, check: bool = True) -> None:
        """Wait until every file written is on disk; with `check`, a GraphError if one could not be synced."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if check and self._error is not None:
            raise GraphError(f"{self._error.filename}: cannot write: {self._error.strerror or self._error}")

    def _run(self) -> None:
        while (path := self._queue.get()) is not None:
            if self._error is None:
                try:
                    _fsync(path)
                except OSError as exc:
                    self._error = exc


class Commit:
    """Outputs written now to temporary files and put in place together by `apply`; `discard` drops them."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._deferred: list = []
        self._cleaned: set[Path] = set()  # folders rid of stale temporary files, once per commit

    @contextlib.contextmanager
    def path(self, path: Path | str):
        """Yield a temporary path to write `path`'s new content to; it replaces `path` at `apply`."""
        path = Path(path)
        tmp = temp_beside(path, clean=path.parent not in self._cleaned)
        self._cleaned.add(path.parent)
        try:
            yield tmp
            _fsync(tmp)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._pending.append((tmp, path))

    def write_text(self, path: Path | str, text: str) -> Path:
        with self.path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
        return Path(path)

    def defer(self, action) -> None:
        """Run `action` (say, moving a folder into place) at `apply`, before the renames, in order."""
        self._deferred.append(action)

    def apply(self) -> None:
        """Run the deferred actions, then rename every temporary file over its target, in the order written."""
        _hold_for_tests()
        for action in self._deferred:
            action()
        self._deferred.clear()
        for tmp, path in self._pending:
            os.replace(tmp, path)
        self._pending.clear()

    def discard(self) -> None:
        self._deferred.clear()
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._pending.clear()

    def __enter__(self) -> Commit:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.apply()
        else:
            self.discard()


def _hold_for_tests() -> None:
    marker = os.environ.get(HOLD_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        while True:
            time.sleep(60)
